using System;

namespace Kling.Core
{
    /// <summary>
    /// What Get-KlingUsage writes: the spend the gateway reports (GET /v1/usage) over <see cref="Start"/> to
    /// <see cref="End"/>, for one model and/or one day when grouped so (<see cref="Model"/>, <see cref="Date"/>; null when
    /// not grouped by them). Only billed calls count: finished tasks, not failed or refunded ones.
    /// </summary>
    public sealed class KlingUsage
    {
        /// <summary>The model, when grouped by model; else null.</summary>
        public string? Model { get; set; }

        /// <summary>The day (yyyy-MM-dd in the time zone asked for), when grouped by date; else null.</summary>
        public string? Date { get; set; }

        /// <summary>USD charged.</summary>
        public double AmountUsd { get; set; }

        /// <summary>The same in credits (10 = 1 USD).</summary>
        public double Credits { get; set; }

        /// <summary>Billed calls (finished tasks).</summary>
        public long Requests { get; set; }

        /// <summary>The start of the range read (inclusive).</summary>
        public DateTimeOffset Start { get; set; }

        /// <summary>The end of the range read (exclusive).</summary>
        public DateTimeOffset End { get; set; }

        /// <summary>Key (the key in use) or Account (every key of the account).</summary>
        public string Scope { get; set; } = "Key";
    }
}
