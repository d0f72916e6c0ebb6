using System;

namespace Kling.Core.Batches
{
    /// <summary>
    /// What a journal keeps in memory of one row identity: what resuming needs, never the request (a big batch's
    /// requests would grow memory with every row).
    /// </summary>
    internal sealed class JournalEntry
    {
        public JournalEntry(JournalRecord record)
        {
            // The constants, not the parsed strings: one copy of each type name for the whole journal.
            Type = record.Type == SubmissionJournal.Submitted ? SubmissionJournal.Submitted
                : record.Type == SubmissionJournal.Sending ? SubmissionJournal.Sending
                : record.Type == SubmissionJournal.NotSent ? SubmissionJournal.NotSent
                : record.Type;
            TaskId = record.TaskId;
            Row = record.Row;
            Name = record.Name;
            At = record.At;
        }

        public string Type { get; }

        public string? TaskId { get; }

        public int Row { get; }

        public string? Name { get; }

        public DateTimeOffset At { get; }

        public JournalState State =>
            Type == SubmissionJournal.Submitted ? JournalState.Submitted
            : Type == SubmissionJournal.Sending ? JournalState.OutcomeUnknown
            : JournalState.New;

        /// <summary>The latest line of the identity, as read (without its request).</summary>
        public JournalRecord ToRecord(string key) =>
            new JournalRecord { Type = Type, Key = key, Row = Row, Name = Name, TaskId = TaskId, At = At };
    }
}
