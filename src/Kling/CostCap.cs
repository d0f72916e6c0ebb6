using System;
using System.Globalization;
using System.Management.Automation;
using Kling.Core.Batches;
using Kling.Core.Catalog;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Wire;

namespace Kling.Commands
{
    /// <summary>
    /// New-KlingVideo's money, on the pipeline thread: each row's estimate by the price list (for -WhatIf and the task's
    /// EstimatedCost) and, under -MaxCost, the run's <see cref="Budget"/>: a row is sent only once its highest estimate is
    /// reserved; a row with no price is refused; the first row that does not fit stops the batch (BudgetExceeded).
    /// </summary>
    internal sealed class CostCap
    {
        private readonly PriceList prices;
        private readonly Budget? budget;
        private decimal whatIfMin;
        private decimal whatIfMax;
        private int whatIfRows;
        private int whatIfUnpriced;

        internal CostCap(PriceList prices, decimal? maxCost)
        {
            this.prices = prices;
            budget = maxCost == null ? null : new Budget(maxCost.Value);
        }

        /// <summary>True once a row did not fit under -MaxCost (the batch stopped there).</summary>
        internal bool Exceeded { get; private set; }

        /// <summary>The reason journaled for the rows the cap kept from being sent.</summary>
        internal string NotSentReason => $"not sent: -MaxCost {Usd(budget?.Cap ?? 0)} reached";

        internal CostEstimate Estimate(VideoRequest request) => CostRule.Estimate(request, prices);

        /// <summary>Under -MaxCost, a row the list cannot price is refused before it is sent: its error; null otherwise.</summary>
        internal ErrorRecord? RefuseUnpriced(CostEstimate estimate, string label, object target)
        {
            if (budget == null || estimate.Priced)
            {
                return null;
            }

            var ex = new InvalidOperationException(
                $"{label}: model '{estimate.Model}' (tier '{estimate.Tier}') has no price in the list in force, so -MaxCost cannot hold it; it was not sent.");
            return new ErrorRecord(ex, "Unpriced", ErrorCategory.InvalidData, target)
            {
                ErrorDetails = new ErrorDetails(ex.Message)
                {
                    RecommendedAction = $"Price it with a price file (-PriceFile, or ${PriceList.FileVariable}; JSON: model → tier → USD per second), or run without -MaxCost.",
                },
            };
        }

        /// <summary>
        /// Reserves the row's highest estimate under the cap (true, and the item carries it), or gives the BudgetExceeded
        /// error that stops the batch before this row. Without -MaxCost: true, nothing reserved.
        /// </summary>
        internal bool TryReserve(SubmissionItem item, CostEstimate estimate, string label, out ErrorRecord? stop)
        {
            stop = null;
            if (budget == null)
            {
                return true;
            }

            decimal max = estimate.MaxUsd!.Value;
            if (budget.Reserve(max))
            {
                item.Reserved = max;
                return true;
            }

            Exceeded = true;

            // QuotaExceeded: the run's spending quota, set by the user, is used up (LimitsExceeded is for sizes and counts).
            var ex = new InvalidOperationException(
                $"{label}: its estimate of {Usd(max)} does not fit under -MaxCost {Usd(budget.Cap)}: this run has committed {Usd(budget.Committed)} " +
                "(rows accepted and rows in flight, at their highest estimate); it was not sent.");
            stop = new ErrorRecord(ex, "BudgetExceeded", ErrorCategory.QuotaExceeded, item.Target)
            {
                ErrorDetails = new ErrorDetails(ex.Message)
                {
                    RecommendedAction = "Raise -MaxCost and rerun the same command with the same -Journal: only the rows not sent are sent.",
                },
            };
            return false;
        }

        /// <summary>A written outcome: an accepted row keeps its reservation; one that provably billed nothing frees it.</summary>
        internal void Settle(SubmissionOutcome outcome)
        {
            decimal? reserved = outcome.Item.Reserved;
            if (budget == null || reserved == null)
            {
                return;
            }

            outcome.Item.Reserved = null;
            if (outcome.Task != null)
            {
                budget.Commit(reserved.Value);
            }
            else if (outcome.NotSent || (outcome.Error is GatewayException error && BilledNothing(error)))
            {
                budget.Release(reserved.Value);
            }
            else
            {
                budget.Commit(reserved.Value); // outcome unknown: it may have been billed
            }
        }

        /// <summary>Counts a row -WhatIf did not send.</summary>
        internal void AddWhatIf(CostEstimate estimate)
        {
            whatIfRows++;
            if (estimate.Priced)
            {
                whatIfMin += estimate.MinUsd!.Value;
                whatIfMax += estimate.MaxUsd!.Value;
            }
            else
            {
                whatIfUnpriced++;
            }
        }

        /// <summary>-WhatIf's last line: the total of the rows it showed; null when it showed none.</summary>
        internal string? WhatIfTotal()
        {
            if (whatIfRows == 0)
            {
                return null;
            }

            string range = whatIfMin == whatIfMax ? Usd(whatIfMax) : $"{Usd(whatIfMin)} to {Usd(whatIfMax)}";
            string unpriced = whatIfUnpriced == 0 ? string.Empty : $" ({whatIfUnpriced} row(s) without a price not counted)";
            return $"What if: {whatIfRows} row(s) would cost an estimated {range} by the price list{unpriced}.";
        }

        /// <summary>The estimate for the ShouldProcess text: " (estimate 0.84 USD)".</summary>
        internal static string Text(CostEstimate estimate) =>
            !estimate.Priced ? " (estimate: no price for this model and tier)"
            : estimate.MinUsd == estimate.MaxUsd ? $" (estimate {Usd(estimate.MaxUsd!.Value)})"
            : $" (estimate {Usd(estimate.MinUsd!.Value)} to {Usd(estimate.MaxUsd!.Value)})";

        internal static string Usd(decimal amount) => amount.ToString("0.######", CultureInfo.InvariantCulture) + " USD"; // prices have 5 decimals: show them whole

        private static bool BilledNothing(GatewayException error)
        {
            int status = error.StatusCode == null ? 0 : (int)error.StatusCode.Value;
            return !error.OutcomeUnknown && status >= 400 && status < 500;
        }
    }
}
