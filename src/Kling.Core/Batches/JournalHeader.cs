using System;
using System.Text.Json.Serialization;

namespace Kling.Core.Batches
{
    /// <summary>The first line of a journal: names its format and version, so no other file is taken for one.</summary>
    internal sealed class JournalHeader
    {
        [JsonPropertyName("format")]
        public string Format { get; set; } = JournalFile.FormatName;

        [JsonPropertyName("version")]
        public int Version { get; set; } = JournalFile.FormatVersion;

        [JsonPropertyName("created")]
        public DateTimeOffset Created { get; set; }

        /// <summary>The journal's own random id, which its rows' Idempotency-Keys start with (absent from journals of earlier versions).</summary>
        [JsonPropertyName("id")]
        public string? Id { get; set; }
    }

    /// <summary>
    /// A line a journal of an earlier version gets once, appended (never rewriting what is there): the id its header
    /// lacks. Shaped as a record with a key no row has, so earlier versions read past it.
    /// </summary>
    internal sealed class JournalMeta
    {
        [JsonPropertyName("type")]
        public string Type { get; set; } = JournalFile.MetaType;

        [JsonPropertyName("key")]
        public string Key { get; set; } = JournalFile.MetaType;

        [JsonPropertyName("id")]
        public string Id { get; set; } = string.Empty;

        [JsonPropertyName("at")]
        public DateTimeOffset At { get; set; }
    }
}
