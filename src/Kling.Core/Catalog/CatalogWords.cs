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

        private static bool IsRange(IReadOnlyList<int> d) =>
            d.Count > 2 && d.Zip(d.Skip(1), (a, b) => b - a).All(step => step == 1);

        private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

        private static string Join(List<string> items, string last) =>
            items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + $" {last} " + items[items.Count - 1];
    }
}
