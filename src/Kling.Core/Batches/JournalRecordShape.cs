using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kling.Core.Batches
{
    /// <summary>
    /// Whether a line is a journal record exactly as Kling writes one: a JSON object with "type" (sending, submitted or
    /// not_sent), a non-empty "key", a whole-number "row" and an "at" time (or the meta line: "type" and "key" meta, "id",
    /// "at"), each field of its type, no field twice and
    /// none a record does not have. A journal without a header (written by an earlier version) is taken for one only
    /// when every line is; another program's JSON lines that merely have "type" and "key" are not.
    /// </summary>
    internal static class JournalRecordShape
    {
        private static readonly string[] Types = { SubmissionJournal.Sending, SubmissionJournal.Submitted, SubmissionJournal.NotSent, JournalFile.MetaType };

        /// <summary>The fields of <see cref="JournalRecord"/>, by their names on disk.</summary>
        private static readonly HashSet<string> Fields = new HashSet<string>(
            typeof(JournalRecord).GetProperties()
                .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
                .Where(n => n != null)
                .Select(n => n!),
            StringComparer.Ordinal);

        public static bool Matches(string line)
        {
            if (!line.StartsWith("{", StringComparison.Ordinal))
            {
                return false;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonProperty field in root.EnumerateObject())
                {
                    if (!Fields.Contains(field.Name) || !seen.Add(field.Name) || !HasItsType(field.Name, field.Value))
                    {
                        return false;
                    }
                }

                // The meta line (the id a journal of an earlier version was given, see JournalMeta) has no row; every record has.
                bool meta = root.GetProperty("type").GetString() == JournalFile.MetaType;
                return seen.Contains("type") && seen.Contains("key") && seen.Contains("at") && (meta ? seen.Contains("id") : seen.Contains("row"));
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static bool HasItsType(string name, JsonElement value)
        {
            switch (name)
            {
                case "type":
                    return value.ValueKind == JsonValueKind.String && Array.IndexOf(Types, value.GetString()) >= 0;
                case "key":
                    return value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;
                case "row":
                    return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _);
                case "at":
                    return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _);
                case "request":
                    return value.ValueKind == JsonValueKind.Object || value.ValueKind == JsonValueKind.Null;
                case "id":
                    return value.ValueKind == JsonValueKind.String;
                case "name":
                case "task_id":
                case "error":
                    return value.ValueKind == JsonValueKind.String || value.ValueKind == JsonValueKind.Null;
                default:
                    // A field a later record adds (written into a header-less journal by this version): its own business.
                    return true;
            }
        }
    }
}
