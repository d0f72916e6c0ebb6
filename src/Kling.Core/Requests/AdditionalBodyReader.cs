using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace Kling.Core.Requests
{
    /// <summary>
    /// -AdditionalBody (a dictionary of plain values, or a JSON object in the cell): fields the module has no parameter
    /// for, merged into any model's body. A key the module sets, or has a parameter for, is the row's error: the body
    /// would say two things (<see cref="RowFields.IsReservedBodyKey"/>).
    /// </summary>
    internal static class AdditionalBodyReader
    {
        internal const string Field = "extra";

        internal static void Read(RowContext row)
        {
            VideoInput input = row.Input;
            string? json = Cells.Given(input.AdditionalBodyJson);
            if (input.AdditionalBody == null && json == null)
            {
                return;
            }

            // In any case: "seed" and "Seed" would be one key to many JSON readers (see PlainJson).
            var extra = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            if (json != null && !ReadJson(row, json, extra))
            {
                return;
            }

            foreach (KeyValuePair<string, object?> entry in input.AdditionalBody ?? new Dictionary<string, object?>())
            {
                if (extra.Keys.FirstOrDefault(k => string.Equals(k, entry.Key, StringComparison.OrdinalIgnoreCase)) is string first)
                {
                    row.Add(Field, PlainJson.Twice(entry.Key, first, entry.Key));
                    return;
                }

                try
                {
                    extra[entry.Key] = PlainJson.ToElement(entry.Value);
                }
                catch (ArgumentException ex)
                {
                    row.Add(Field, $"'{entry.Key}' {ex.Message}");
                    return;
                }
            }

            List<string> collisions = extra.Keys.Where(RowFields.IsReservedBodyKey).ToList();
            if (collisions.Count > 0)
            {
                row.Add(Field, $"sets {string.Join(", ", collisions.Select(k => "'" + k + "'"))}, which the module sets from its own parameters; give {(collisions.Count == 1 ? "it" : "them")} by the parameter (-AdditionalBody is for fields the module has no parameter for).");
                return;
            }

            row.Request.Extra = extra.Count > 0 ? extra : null;
        }

        private static bool ReadJson(RowContext row, string json, Dictionary<string, JsonElement> extra)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(json))
                {
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        row.Add(Field, $"is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object; give the fields as an object such as {{\"seed\": 42}}.");
                        return false;
                    }

                    string? twice = PlainJson.DuplicateKey(document.RootElement);
                    if (twice != null)
                    {
                        row.Add(Field, twice);
                        return false;
                    }

                    foreach (JsonProperty property in document.RootElement.EnumerateObject())
                    {
                        extra[property.Name] = property.Value.Clone();
                    }

                    return true;
                }
            }
            catch (JsonException ex)
            {
                row.Add(Field, $"is not a JSON object ({ex.Message}); give the fields as an object such as {{\"seed\": 42}}.");
                return false;
            }
        }
    }
}
