using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Kling.Core.Catalog
{
    /// <summary>
    /// USD per second of video, by model and tier: the built-in list (MODELS.md, the public list price around 2026-09) or
    /// a price file (JSON: model → tier → USD per second) that replaces it whole. Read-only once made.
    /// </summary>
    public sealed class PriceList
    {
        /// <summary>The environment variable naming a price file used when no -PriceFile is given.</summary>
        public const string FileVariable = "KLING_PRICE_FILE";

        /// <summary>Credits per USD (MODELS.md: 10 credits = 1 USD).</summary>
        public const decimal CreditsPerUsd = 10m;

        private readonly Dictionary<string, IReadOnlyDictionary<string, decimal>> models;

        private PriceList(Dictionary<string, IReadOnlyDictionary<string, decimal>> models, string source, string? path)
        {
            this.models = models;
            Source = source;
            Path = path;
        }

        /// <summary>The public list price as MODELS.md read it (around 2026-09); prices drift and resellers differ.</summary>
        public static PriceList BuiltIn { get; } = new PriceList(
            new Dictionary<string, IReadOnlyDictionary<string, decimal>>(StringComparer.OrdinalIgnoreCase)
            {
                ["kling-video-o1"] = Tiers(("default", 0.0672m), ("pro", 0.0896m), ("video", 0.1008m), ("pro-video", 0.1344m)),
                ["kling-v3-omni"] = Tiers(("default", 0.0672m), ("sound", 0.0896m), ("video", 0.1008m), ("pro", 0.0896m), ("pro-sound", 0.112m),
                    ("pro-video", 0.1344m), ("4k", 0.42856m), ("4k-sound", 0.42856m)),
                ["kling-v3"] = Tiers(("default", 0.0672m), ("sound", 0.1008m), ("pro", 0.0896m), ("pro-sound", 0.1344m), ("4k", 0.42856m), ("4k-sound", 0.42856m)),
                ["kling-v2-6"] = Tiers(("default", 0.0368m), ("pro", 0.0625m), ("pro-sound", 0.125m), ("pro-sound-voice", 0.15m)),
                ["kling-3.0-turbo"] = Tiers(("720p", 0.1144m), ("1080p", 0.1432m)),
                ["kling-v2-6-motion-control"] = Tiers(("default", 0.05712m), ("pro", 0.09144m)),
                ["kling-v3-motion-control"] = Tiers(("default", 0.10288m), ("pro", 0.13712m)),
            },
            "built-in: the public list price around 2026-09 (the gateway's price page, MODELS.md)",
            null);

        /// <summary>Where the prices come from, in words (for Get-KlingModel and Measure-KlingCost).</summary>
        public string Source { get; }

        /// <summary>The price file's full path; null for the built-in list.</summary>
        public string? Path { get; }

        /// <summary>The models priced, as listed.</summary>
        public IEnumerable<string> Models => models.Keys;

        /// <summary>A model's tiers (tier → USD per second), or null when the list does not price the model.</summary>
        public IReadOnlyDictionary<string, decimal>? TiersOf(string model) =>
            models.TryGetValue(model.Trim(), out IReadOnlyDictionary<string, decimal>? tiers) ? tiers : null;

        /// <summary>
        /// Reads a price file; it replaces the built-in list whole. A file that is not JSON, a model that is not an object,
        /// a price that is not a non-negative number, or a tier a known model cannot be billed in is a
        /// <see cref="PriceFileException"/> naming the file and the entry.
        /// </summary>
        public static PriceList Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new PriceFileException($"The price file '{path}' cannot be read: {ex.Message}", path, null, ex);
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException ex)
            {
                throw new PriceFileException($"The price file '{path}' is not JSON: {ex.Message}", path, null, ex);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new PriceFileException($"The price file '{path}' must be a JSON object of models, each an object of tier → USD per second (like {{\"kling-v3\": {{\"default\": 0.0672}}}}).", path, null, null);
                }

                var read = new Dictionary<string, IReadOnlyDictionary<string, decimal>>(StringComparer.OrdinalIgnoreCase);
                foreach (JsonProperty model in document.RootElement.EnumerateObject())
                {
                    read[model.Name.Trim()] = ReadModel(path, model);
                }

                return new PriceList(read, "price file " + path, path);
            }
        }

        private static IReadOnlyDictionary<string, decimal> ReadModel(string path, JsonProperty model)
        {
            if (model.Value.ValueKind != JsonValueKind.Object)
            {
                throw new PriceFileException($"The price file '{path}': the model '{model.Name}' must be an object of tier → USD per second, not {model.Value.ValueKind.ToString().ToLowerInvariant()}.", path, model.Name, null);
            }

            ModelSpec? spec = ModelCatalog.Find(model.Name);
            IReadOnlyCollection<string>? known = spec == null ? null : CostRule.TierNames(spec);
            var tiers = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty tier in model.Value.EnumerateObject())
            {
                string entry = model.Name + "." + tier.Name;
                if (known != null && !known.Contains(tier.Name.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    throw new PriceFileException($"The price file '{path}': '{entry}' is not a tier of {spec!.Name} (its tiers: {string.Join(", ", known)}).", path, entry, null);
                }

                if (tier.Value.ValueKind != JsonValueKind.Number || !tier.Value.TryGetDecimal(out decimal price) || price < 0)
                {
                    throw new PriceFileException($"The price file '{path}': '{entry}' must be a number of USD per second, zero or more (it is {tier.Value.GetRawText()}).", path, entry, null);
                }

                tiers[tier.Name.Trim()] = price;
            }

            return tiers;
        }

        private static IReadOnlyDictionary<string, decimal> Tiers(params (string Tier, decimal Usd)[] tiers) =>
            tiers.ToDictionary(t => t.Tier, t => t.Usd, StringComparer.OrdinalIgnoreCase);

        /// <summary>A model's tiers in words: "default 0.0672 · pro 0.0896".</summary>
        public string Describe(string model)
        {
            IReadOnlyDictionary<string, decimal>? tiers = TiersOf(model);
            return tiers == null ? string.Empty
                : string.Join(" · ", tiers.Select(t => t.Key + " " + t.Value.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>A price file that cannot be used: the file and, where there is one, the entry ("model" or "model.tier").</summary>
    public sealed class PriceFileException : Exception
    {
        public PriceFileException(string message, string path, string? entry, Exception? inner)
            : base(message, inner)
        {
            Path = path;
            Entry = entry;
        }

        public string Path { get; }

        public string? Entry { get; }
    }
}
