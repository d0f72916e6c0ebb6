using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>One validated row waiting to be submitted.</summary>
    public sealed class SubmissionItem
    {
        public SubmissionItem(int row, string? name, VideoRequest request, string? journalKey, object? target)
        {
            Row = row;
            Name = name;
            Request = request;
            JournalKey = journalKey;
            Target = target;
        }

        public int Row { get; }

        public string? Name { get; }

        public VideoRequest Request { get; }

        public string? JournalKey { get; }

        /// <summary>Whatever the caller wants back with the outcome (the pipeline row).</summary>
        public object? Target { get; }

        /// <summary>
        /// The row's Idempotency-Key, when the caller has its own; null: the journal's key for <see cref="JournalKey"/>
        /// (<see cref="SubmissionJournal.IdempotencyKeyFor"/>, of <see cref="Replaces"/> too), else a random one.
        /// </summary>
        public string? IdempotencyKey { get; set; }

        /// <summary>
        /// The failed (or cancelled) task this row is sent in place of, if any. Such a row gets a key of its own: under its
        /// first key a gateway that honours keys would answer with the failed task again.
        /// </summary>
        public string? Replaces { get; set; }

        /// <summary>The row's highest estimate by the price list in USD (the task's EstimatedCost); null when unpriced.</summary>
        public decimal? EstimatedUsd { get; set; }

        /// <summary>What the row holds of the run's <see cref="Budget"/> (under -MaxCost) until its outcome is settled.</summary>
        public decimal? Reserved { get; set; }
    }

    /// <summary>What became of one submission.</summary>
    public sealed class SubmissionOutcome
    {
        internal SubmissionOutcome(SubmissionItem item, KlingTask? task, GatewayException? error, bool notSent)
        {
            Item = item;
            Task = task;
            Error = error;
            NotSent = notSent;
        }

        public SubmissionItem Item { get; }

        /// <summary>The accepted task (with Row and Name filled in).</summary>
        public KlingTask? Task { get; }

        public GatewayException? Error { get; }

        /// <summary>True when the batch was stopped or cancelled before this row was sent.</summary>
        public bool NotSent { get; }
    }
}
