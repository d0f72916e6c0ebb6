using System;
using System.Text.Json.Serialization;
using Kling.Core.Requests;
using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>What the journal knows of one row identity.</summary>
    public enum JournalState
    {
        /// <summary>Never sent (or refused in a way that provably billed nothing): safe to send.</summary>
        New,

        /// <summary>A "sending" record with no outcome: the POST may have been accepted; never re-send automatically.</summary>
        OutcomeUnknown,

        /// <summary>Accepted by the gateway; the task id is known.</summary>
        Submitted,
    }

    /// <summary>One line of the journal (JSON lines; its fields' names are <see cref="JournalFormat.Fields"/>). Holds no secrets: requests and task ids only.</summary>
    public sealed class JournalRecord
    {
        [JsonPropertyName(JournalFormat.Fields.Type)]
        public string Type { get; set; } = string.Empty;

        [JsonPropertyName(JournalFormat.Fields.Key)]
        public string Key { get; set; } = string.Empty;

        [JsonPropertyName(JournalFormat.Fields.Row)]
        public int Row { get; set; }

        [JsonPropertyName(JournalFormat.Fields.Name)]
        public string? Name { get; set; }

        [JsonPropertyName(JournalFormat.Fields.TaskId)]
        public string? TaskId { get; set; }

        [JsonPropertyName(JournalFormat.Fields.Request)]
        public VideoRequest? Request { get; set; }

        [JsonPropertyName(JournalFormat.Fields.Error)]
        public string? Error { get; set; }

        [JsonPropertyName(JournalFormat.Fields.At)]
        public DateTimeOffset At { get; set; }

        /// <summary>On a meta line only: the journal's id (see <see cref="SubmissionJournal.IdempotencyKeyFor"/>).</summary>
        [JsonPropertyName(JournalFormat.Fields.Id)]
        public string? JournalId { get; set; }

        /// <summary>Where the line starts in its file, when read from one.</summary>
        [JsonIgnore]
        internal long Offset { get; set; }
    }
}
