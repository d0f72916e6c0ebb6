using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Kling.Core.Catalog
{
    /// <summary>The catalog in words for messages: "5 or 10", "3 to 15", "kling-v3-omni and kling-v3 take 4k".</summary>
    public static class CatalogWords
    {
        /// <summary>"a", "a or b", "a, b or c".</summary>
        public static string Alternatives(IEnumerable<string> values) => Join(values.ToList(), "or");

        /// <summary>"a", "a and b", "a, b and c".</summary>
        public static string Names(IEnumerable<string> values) => Join(values.ToList(), "and");

        /// <summary>A run of more than two whole seconds as "3 to 15", else the values: "5 or 10".</summary>
        public static string Durations(IReadOnlyList<int> durations) =>
            IsRange(durations) ? $"{durations[0]} to {durations[durations.Count - 1]}" : Alternatives(durations.Select(Text));

        /// <summary>For Get-KlingModel: "3-15" or "5, 10".</summary>
        public static string DurationsShort(IReadOnlyList<int> durations) =>
            IsRange(durations) ? $"{durations[0]}-{durations[durations.Count - 1]}" : string.Join(", ", durations.Select(Text));

        /// <summary>"; kling-v3-omni and kling-v3 take it" for the other models that take a field, or "; no model in the catalog takes it".</summary>
        public static string OthersTaking(ModelSpec? except, Func<ModelSpec, bool> takes)
        {
            List<string> names = ModelCatalog.All.Where(m => m != except && takes(m)).Select(m => m.Name).ToList();
            return names.Count == 0 ? "; no model in the catalog takes it." : $"; {Names(names)} take{(names.Count == 1 ? "s" : string.Empty)} it.";
        }

        /// <summary>
        /// "; kling-v3-omni, kling-v3 and kling-3.0-turbo take 3 to 15" for the other models that allow a value, grouped by
        /// what they allow; empty when none does.
        /// </summary>
        public static string OthersAllowing(ModelSpec except, Func<ModelSpec, bool> allows, Func<ModelSpec, string> allowed)
        {
            List<string> groups = ModelCatalog.All
                .Where(m => m != except && allows(m))
                .GroupBy(allowed)
                .Select(g => $"{Names(g.Select(m => m.Name))} take{(g.Count() == 1 ? "s" : string.Empty)} {g.Key}")
                .ToList();
            return groups.Count == 0 ? "." : "; " + string.Join("; ", groups) + ".";
        }

        /// <summary>A reference video's file in words: "MP4/MOV, under 100 MB" or "MP4/MOV, at most 200 MB".</summary>
        public static string VideoFile(VideoLimits limits) =>
            $"MP4/MOV, {(limits.MaxBytesExclusive ? "under" : "at most")} {Text((int)(limits.MaxBytes / (1024 * 1024)))} MB";

        /// <summary>Each use's length in words: "image: reference video 3 to 10 s; video: 3 to 30 s".</summary>
        public static string VideoLengths(VideoLimits limits) =>
            string.Join("; ", limits.Uses.Select((u, i) => $"{u.Name}: {(i == 0 ? "reference video " : string.Empty)}{VideoLength(limits, u)}"));

        private static string VideoLength(VideoLimits limits, VideoUse use) =>
            use.MaxSeconds == null ? $"at least {Text(limits.MinSeconds)} s" : $"{Text(limits.MinSeconds)} to {Text(use.MaxSeconds.Value)} s";

        private static bool IsRange(IReadOnlyList<int> d) =>
            d.Count > 2 && d.Zip(d.Skip(1), (a, b) => b - a).All(step => step == 1);

        private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

        private static string Join(List<string> items, string last) =>
            items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + $" {last} " + items[items.Count - 1];
    }
}
