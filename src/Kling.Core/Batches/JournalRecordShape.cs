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
                bool meta = root.GetProperty(JournalFormat.Fields.Type).GetString() == JournalFormat.Meta;
                return seen.Contains(JournalFormat.Fields.Type) && seen.Contains(JournalFormat.Fields.Key) && seen.Contains(JournalFormat.Fields.At)
                    && (meta ? seen.Contains(JournalFormat.Fields.Id) : seen.Contains(JournalFormat.Fields.Row));
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
                case JournalFormat.Fields.Type:
                    return value.ValueKind == JsonValueKind.String && Array.IndexOf(JournalFormat.RecordTypes, value.GetString()) >= 0;
                case JournalFormat.Fields.Key:
                    return value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;
                case JournalFormat.Fields.Row:
                    return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _);
                case JournalFormat.Fields.At:
                    return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _);
                case JournalFormat.Fields.Request:
                    return value.ValueKind == JsonValueKind.Object || value.ValueKind == JsonValueKind.Null;
                case JournalFormat.Fields.Id:
                    return value.ValueKind == JsonValueKind.String;
                case JournalFormat.Fields.Name:
                case JournalFormat.Fields.TaskId:
                case JournalFormat.Fields.Error:
                    return value.ValueKind == JsonValueKind.String || value.ValueKind == JsonValueKind.Null;
                default:
                    // A field a later record adds (written into a header-less journal by this version): its own business.
                    return true;
            }
        }
    }
}
