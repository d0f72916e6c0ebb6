using System;
using System.Text.Json.Serialization;

namespace Kling.Core.History
{
    /// <summary>
    /// One line of the task history: a task a batch had accepted, or a submission of it whose outcome is unknown (no task
    /// id). Holds no secrets: ids, rows, names, the model, the time, the batch and the journal's path.
    /// </summary>
    public sealed class HistoryEntry
    {
        /// <summary>The POST was cut off without an answer when the batch was stopped (after the grace period).</summary>
        public const string CutOff = "cut_off";

        /// <summary>The POST's answer left its outcome unknown (a 5xx, a timeout, a lost connection).</summary>
        public const string NoAnswer = "no_answer";

        /// <summary>The accepted task's id; null for a submission in doubt.</summary>
        [JsonPropertyName("task_id")]
        public string? TaskId { get; set; }

        [JsonPropertyName("row")]
        public int Row { get; set; }

        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("model")]
        public string? Model { get; set; }

        /// <summary>When the task was accepted (or the submission given up), in UTC.</summary>
        [JsonPropertyName("at")]
        public DateTime At { get; set; }

        /// <summary>The batch (one New-KlingVideo command) it belongs to.</summary>
        [JsonPropertyName("batch_id")]
        public string BatchId { get; set; } = string.Empty;

        /// <summary>The full path of the batch's journal, if it had one.</summary>
        [JsonPropertyName("journal")]
        public string? Journal { get; set; }

        /// <summary>Why a submission is in doubt (<see cref="CutOff"/>, <see cref="NoAnswer"/>); null for an accepted task.</summary>
        [JsonPropertyName("in_doubt")]
        public string? InDoubt { get; set; }

        /// <summary><see cref="At"/> as an instant (a time written without a zone is taken as UTC).</summary>
        [JsonIgnore]
        public DateTimeOffset AtUtc => new DateTimeOffset(At.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(At, DateTimeKind.Utc) : At).ToUniversalTime();

        [JsonIgnore]
        public bool IsInDoubt => InDoubt != null || string.IsNullOrEmpty(TaskId);

        /// <summary>The accepted task, as Get-KlingTask -History hands it on (its status still to be read).</summary>
        public KlingTask ToTask() =>
            new KlingTask(TaskId ?? throw new InvalidOperationException("A submission in doubt has no task."))
            {
                Row = Row,
                Name = Name,
                Model = Model,
                BatchId = BatchId,
                SubmittedAt = AtUtc,
                Status = KlingTaskStatus.Submitted,
            };
    }
}
