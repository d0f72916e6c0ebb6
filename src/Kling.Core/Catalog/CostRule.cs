using System;
using System.Collections.Generic;
using System.Linq;
using Kling.Core.Wire;

namespace Kling.Core.Catalog
{
    /// <summary>
    /// What one valid request costs by the list (MODELS.md, "Money, identity and discovery"), in one place: the tier rule
    /// (std → default, pro → pro, 4k → 4k; then -sound when audio is on, otherwise -video when a reference video is given;
    /// a tier the list lacks falls back to the tier without the suffix; kling-3.0-turbo by resolution, its default 720p when
    /// none) and the seconds rule (the row's duration, else the model's default; motion control: the lengths its video may
    /// have, 3–10 s with orientation image, 3–30 s otherwise, a range; a model with no stated default: its allowed
    /// durations, a range). The defaults and lengths are the catalog's (<see cref="ModelSpec"/>, <see cref="VideoLimits"/>).
    /// </summary>
    public static class CostRule
    {
        /// <summary>The mode whose tier the price lists name "default" (MODELS.md's tier rule).</summary>
        private const string StdMode = "std";

        /// <summary>The tier the rule gives before any fallback: "default", "pro-sound", "video", "1080p", ...</summary>
        public static string Tier(VideoRequest request)
        {
            ModelSpec? spec = ModelCatalog.Find(request.Model);
            if (spec != null && spec.Resolutions.Count > 0 && spec.Modes.Count == 0)
            {
                return string.IsNullOrWhiteSpace(request.Resolution) ? spec.DefaultResolution ?? spec.Resolutions[0] : request.Resolution!.Trim().ToLowerInvariant();
            }

            string? mode = string.IsNullOrWhiteSpace(request.Mode) ? spec?.DefaultMode : request.Mode!.Trim().ToLowerInvariant();
            string suffix = request.Audio == true ? "sound" : HasReferenceVideo(request) ? "video" : string.Empty;
            return Join(BaseTier(mode), suffix);
        }

        /// <summary>Every tier name the rule can give for a model (what a price file may name for it).</summary>
        public static IReadOnlyCollection<string> TierNames(ModelSpec spec)
        {
            var names = new List<string>();
            if (spec.Resolutions.Count > 0 && spec.Modes.Count == 0)
            {
                names.AddRange(spec.Resolutions);
            }

            foreach (string mode in spec.Modes)
            {
                string tier = BaseTier(mode);
                names.Add(tier);
                if (spec.Audio)
                {
                    names.Add(Join(tier, "sound"));
                }

                if (spec.Video != VideoField.None)
                {
                    names.Add(Join(tier, "video"));
                }
            }

            // The built-in list's own extra tiers (v2-6's pro-sound-voice: a voice option whose field is unknown).
            IReadOnlyDictionary<string, decimal>? listed = PriceList.BuiltIn.TiersOf(spec.Name);
            if (listed != null)
            {
                names.AddRange(listed.Keys);
            }

            return names.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        }

        /// <summary>The request's estimate under <paramref name="prices"/>; <see cref="CostEstimate.Priced"/> is false when the list has no price for it.</summary>
        public static CostEstimate Estimate(VideoRequest request, PriceList prices)
        {
            ModelSpec? spec = ModelCatalog.Find(request.Model);
            string model = spec?.Name ?? request.Model;
            (int? min, int? max) = Seconds(request, spec);
            string wanted = Tier(request);
            IReadOnlyDictionary<string, decimal>? tiers = prices.TiersOf(model);
            string? tier = null;
            if (tiers != null)
            {
                tier = tiers.ContainsKey(wanted) ? wanted : tiers.ContainsKey(WithoutSuffix(wanted)) ? WithoutSuffix(wanted) : null;
            }

            if (tier == null || min == null || max == null)
            {
                return new CostEstimate(model, tier ?? wanted, min, max, null);
            }

            return new CostEstimate(model, tier, min, max, tiers![tier]);
        }

        /// <summary>The seconds billed: one figure, or a range where the gateway decides (motion control) or no default is known.</summary>
        public static (int? Min, int? Max) Seconds(VideoRequest request, ModelSpec? spec)
        {
            if (spec != null && spec.Video == VideoField.VideoUrl && spec.VideoLimits != null)
            {
                return (spec.VideoLimits.MinSeconds, spec.VideoLimits.MaxSecondsFor(request.CharacterOrientation));
            }

            int? seconds = request.Duration ?? request.MultiPrompt?.Sum(s => s.Duration) ?? spec?.DefaultDuration;
            if (seconds != null)
            {
                return (seconds, seconds);
            }

            return spec != null && spec.Durations.Count > 0 ? (spec.Durations.Min(), spec.Durations.Max()) : ((int?)null, (int?)null);
        }

        private static bool HasReferenceVideo(VideoRequest request) =>
            (request.VideoList != null && request.VideoList.Count > 0) || !string.IsNullOrWhiteSpace(request.VideoUrl);

        /// <summary>The tier of a mode: the model's default mode (std), or none given, is "default".</summary>
        private static string BaseTier(string? mode) => mode == null || mode == StdMode ? "default" : mode;

        private static string Join(string tier, string suffix) =>
            suffix.Length == 0 ? tier : tier == "default" ? suffix : tier + "-" + suffix;

        private static string WithoutSuffix(string tier)
        {
            foreach (string suffix in new[] { "sound", "video" })
            {
                if (tier == suffix)
                {
                    return "default";
                }

                if (tier.EndsWith("-" + suffix, StringComparison.Ordinal))
                {
                    return tier.Substring(0, tier.Length - suffix.Length - 1);
                }
            }

            return tier;
        }
    }

    /// <summary>One request's price by the list: tier, seconds and USD (a range where the length is the gateway's to decide).</summary>
    public sealed class CostEstimate
    {
        public CostEstimate(string model, string tier, int? minSeconds, int? maxSeconds, decimal? usdPerSecond)
        {
            Model = model;
            Tier = tier;
            MinSeconds = minSeconds;
            MaxSeconds = maxSeconds;
            UsdPerSecond = usdPerSecond;
        }

        public string Model { get; }

        /// <summary>The tier priced (after the fallback), or the tier the rule gave when unpriced.</summary>
        public string Tier { get; }

        public int? MinSeconds { get; }

        public int? MaxSeconds { get; }

        public decimal? UsdPerSecond { get; }

        /// <summary>False when the list has no price for the model and tier (or no length is known).</summary>
        public bool Priced => UsdPerSecond != null;

        public decimal? MinUsd => UsdPerSecond * MinSeconds;

        public decimal? MaxUsd => UsdPerSecond * MaxSeconds;

        public decimal? MaxCredits => MaxUsd * PriceList.CreditsPerUsd;

        /// <summary>Seconds in words: "5" or "3-30".</summary>
        public string SecondsText => MinSeconds == MaxSeconds ? $"{MinSeconds}" : $"{MinSeconds}-{MaxSeconds}";
    }
}
