using System;
using System.Linq;
using System.Management.Automation;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Catalog;
using Kling.Core.Gateway;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// What New-KlingVideo would spend on the same input, by the price list: the same binding and checks (a bad row is that
    /// row's error), nothing paid sent, no key needed (local images are read and checked, never uploaded). One estimate
    /// for the whole input, or one per row with -PerRow; with a key, the key's balance (a free read) and whether it covers
    /// the estimate.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "KlingCost", HelpUri = HelpLinks.MeasureKlingCost)]
    [OutputType(typeof(KlingCost), typeof(KlingRowCost))]
    public sealed class MeasureKlingCostCommand : VideoRowCmdlet
    {
        private readonly CostTally tally = new CostTally();
        private PriceList prices = PriceList.BuiltIn;
        private int row;

        /// <summary>A price file (JSON: model → tier → USD per second) that replaces the built-in list; default $env:KLING_PRICE_FILE.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [PSDefaultValue(Help = PriceFileOption.DefaultHelp)]
        public string? PriceFile { get; set; }

        /// <summary>One estimate per row (Row, Name, Model, Tier, Seconds, MinUsd, MaxUsd) instead of one for the whole input.</summary>
        [Parameter]
        public SwitchParameter PerRow { get; set; }

        protected override void BeginProcessing()
        {
            prices = PriceFileOption.Resolve(this, PriceFile);
            BeginRows();
        }

        protected override void ProcessRecord()
        {
            row++;
            string? name = RowName;
            ErrorRecord? unbound = CheckColumns(row, name);
            if (unbound != null)
            {
                ThrowTerminatingError(unbound);
            }

            VideoRequest? request = BuildRequest(row, name, out InvalidRowException? invalid);
            if (request == null)
            {
                WriteError(InvalidRowRecord(invalid!, RowTarget));
                tally.AddRefused();
                return;
            }

            CostEstimate estimate = CostRule.Estimate(request, prices);
            tally.Add(estimate);
            if (PerRow)
            {
                WriteObject(new KlingRowCost
                {
                    Row = row, Name = name, Model = estimate.Model, Tier = estimate.Tier,
                    Seconds = estimate.SecondsText, MinUsd = estimate.MinUsd, MaxUsd = estimate.MaxUsd,
                });
            }
        }

        protected override void EndProcessing()
        {
            if (tally.Unpriced.Count > 0)
            {
                string models = string.Join(", ", tally.Unpriced.Select(m => $"{m.Key} ({m.Value} row(s))"));
                WriteWarning($"No price for {models} in the list in force ({prices.Source}): left out of the estimate. " +
                    $"Give a price file with -PriceFile or ${PriceList.FileVariable} (JSON: model → tier → USD per second) to price them.");
            }

            if (PerRow)
            {
                return;
            }

            KlingCost cost = tally.Result(prices.Source);
            AddBalance(cost);
            WriteObject(cost);
        }

        /// <summary>With a key, the key's balance (GET /v1/balance: billed nothing); without one, nothing is sent.</summary>
        private void AddBalance(KlingCost cost)
        {
            if (!KlingSession.CurrentFor(this).HasKey)
            {
                return;
            }

            try
            {
                KlingBalance balance = Run(Client.GetBalanceAsync(false, Cancellation));
                cost.Balance = balance.Unlimited ? null : balance.Remaining;
                cost.Covered = balance.Unlimited || (balance.Remaining != null && (decimal)balance.Remaining.Value >= cost.MaxUsd);
            }
            catch (GatewayException ex)
            {
                WriteGatewayError(ex, "Key");
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
