using System;
using System.Text.Json.Serialization;

namespace Kling.Core.Batches
{
    /// <summary>
    /// The first line of a journal: names its format and version, so no other file is taken for one; a new journal's is
    /// the current version (<see cref="JournalFormat"/>).
    /// </summary>
    internal sealed class JournalHeader
    {
        // Format first: a torn header is still known by its start (JournalFormat.HeaderPrefix).
        [JsonPropertyName(JournalFormat.Fields.Format)]
        public string Format { get; set; } = JournalFormat.Name;

        [JsonPropertyName(JournalFormat.Fields.Version)]
        public int Version { get; set; } = JournalFormat.Version;

        [JsonPropertyName(JournalFormat.Fields.Created)]
        public DateTimeOffset Created { get; set; }

        /// <summary>The journal's own random id, which its rows' Idempotency-Keys start with (absent from journals of earlier versions).</summary>
        [JsonPropertyName(JournalFormat.Fields.Id)]
        public string? Id { get; set; }
    }

    /// <summary>
    /// A line a journal of an earlier version gets once, appended (never rewriting what is there): the id its header
    /// lacks. Shaped as a record with a key no row has, so earlier versions read past it.
    /// </summary>
    internal sealed class JournalMeta
    {
        [JsonPropertyName(JournalFormat.Fields.Type)]
        public string Type { get; set; } = JournalFormat.Meta;

        [JsonPropertyName(JournalFormat.Fields.Key)]
        public string Key { get; set; } = JournalFormat.Meta;

        [JsonPropertyName(JournalFormat.Fields.Id)]
        public string Id { get; set; } = string.Empty;

        [JsonPropertyName(JournalFormat.Fields.At)]
        public DateTimeOffset At { get; set; }
    }
}
