using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.Catalog
{
    /// <summary>Adds up the estimates of a batch's rows: the whole batch and each model, the refused and the unpriced rows.</summary>
    public sealed class CostTally
    {
        private readonly KlingCost total = new KlingCost();
        private readonly Dictionary<string, KlingCost> byModel = new Dictionary<string, KlingCost>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Models without a price, with their rows, in the order met.</summary>
        public IDictionary<string, int> Unpriced { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        /// <summary>A row refused by the checks: counted, never priced.</summary>
        public void AddRefused()
        {
            total.Rows++;
            total.RefusedRows++;
        }

        public void Add(CostEstimate estimate)
        {
            if (!byModel.TryGetValue(estimate.Model, out KlingCost? model))
            {
                model = new KlingCost { Model = estimate.Model };
                byModel.Add(estimate.Model, model);
            }

            foreach (KlingCost sum in new[] { total, model })
            {
                sum.Rows++;
                if (!estimate.Priced)
                {
                    sum.UnpricedRows++;
                    continue;
                }

                sum.MinSeconds += estimate.MinSeconds!.Value;
                sum.MaxSeconds += estimate.MaxSeconds!.Value;
                sum.MinUsd += estimate.MinUsd!.Value;
                sum.MaxUsd += estimate.MaxUsd!.Value;
            }

            if (!estimate.Priced)
            {
                Unpriced.TryGetValue(estimate.Model, out int rows);
                Unpriced[estimate.Model] = rows + 1;
            }
        }

        /// <summary>The batch's estimate, with each model's in <see cref="KlingCost.ByModel"/>.</summary>
        public KlingCost Result(string priceList)
        {
            total.PriceList = priceList;
            total.ByModel = byModel.Values.ToArray();
            foreach (KlingCost model in total.ByModel)
            {
                model.PriceList = priceList;
            }

            return total;
        }
    }

    /// <summary>
    /// Measure-KlingCost's estimate of a batch (or, in <see cref="ByModel"/>, of one model's rows): USD and seconds by the
    /// price list, a range where the gateway decides the length (motion control). Refused and unpriced rows are counted,
    /// not priced.
    /// </summary>
    public sealed class KlingCost
    {
        /// <summary>The model (in ByModel); null for the whole batch.</summary>
        public string? Model { get; set; }

        /// <summary>Every row read, refused and unpriced ones included.</summary>
        public int Rows { get; set; }

        /// <summary>Rows the checks refused (each was that row's error): New-KlingVideo would not send them.</summary>
        public int RefusedRows { get; set; }

        /// <summary>Rows whose model (or tier) has no price in the list in force: left out of the figures.</summary>
        public int UnpricedRows { get; set; }

        public int MinSeconds { get; set; }

        public int MaxSeconds { get; set; }

        /// <summary>Seconds of video in words: "25" or "16-52" where the gateway decides the length.</summary>
        public string Seconds => MinSeconds == MaxSeconds ? $"{MinSeconds}" : $"{MinSeconds}-{MaxSeconds}";

        public decimal MinUsd { get; set; }

        public decimal MaxUsd { get; set; }

        /// <summary>MaxUsd in credits (10 credits = 1 USD).</summary>
        public decimal MaxCredits => MaxUsd * Catalog.PriceList.CreditsPerUsd;

        /// <summary>The same figures per model.</summary>
        public KlingCost[] ByModel { get; set; } = Array.Empty<KlingCost>();

        /// <summary>The key's remaining balance (read when a key is set); null without a key or when unlimited.</summary>
        public double? Balance { get; set; }

        /// <summary>Whether the balance covers MaxUsd (true when unlimited); null without a key.</summary>
        public bool? Covered { get; set; }

        /// <summary>The price list the figures come from.</summary>
        public string PriceList { get; set; } = string.Empty;

        public override string ToString() => $"{MinUsd}-{MaxUsd} USD";
    }

    /// <summary>Measure-KlingCost -PerRow: one row's estimate (MinUsd/MaxUsd null when unpriced).</summary>
    public sealed class KlingRowCost
    {
        public int Row { get; set; }

        public string? Name { get; set; }

        public string Model { get; set; } = string.Empty;

        public string Tier { get; set; } = string.Empty;

        public string Seconds { get; set; } = string.Empty;

        public decimal? MinUsd { get; set; }

        public decimal? MaxUsd { get; set; }
    }
}
