namespace Kling.Core.Batches
{
    /// <summary>What an identity's latest journal line says, as far as resuming goes.</summary>
    internal enum JournalLineKind : byte
    {
        /// <summary>The journal has no line for the identity.</summary>
        None = 0,

        /// <summary>"sending" with no outcome after it (or with the error that left the outcome unknown): in doubt.</summary>
        Sending,

        /// <summary>"submitted", with a task id.</summary>
        Submitted,

        /// <summary>"not_sent", or a type this version does not know: nothing billed, the row may be sent.</summary>
        Other,
    }

    /// <summary>
    /// What a journal keeps in memory of one row identity: where its latest line starts and what kind of line it is.
    /// The line itself (task id, name, request) is read again from the file when its row comes up, so a big journal
    /// costs a few numbers a row, not its records.
    /// </summary>
    internal readonly struct JournalEntry
    {
        public JournalEntry(long offset, JournalLineKind kind)
        {
            Offset = offset;
            Kind = kind;
        }

        /// <summary>Where the latest line starts in the file.</summary>
        public long Offset { get; }

        public JournalLineKind Kind { get; }

        public JournalState State =>
            Kind == JournalLineKind.Submitted ? JournalState.Submitted
            : Kind == JournalLineKind.Sending ? JournalState.OutcomeUnknown
            : JournalState.New;

        /// <summary>
        /// The entry of a record read from (or appended to) the journal. A "submitted" line without a task id (an edit)
        /// names no task to give back and proves nothing was billed, so it counts as in doubt.
        /// </summary>
        public static JournalEntry Of(JournalRecord record)
        {
            JournalLineKind kind = record.Type == JournalFormat.Submitted
                ? (string.IsNullOrEmpty(record.TaskId) ? JournalLineKind.Sending : JournalLineKind.Submitted)
                : record.Type == JournalFormat.Sending ? JournalLineKind.Sending
                : JournalLineKind.Other;
            return new JournalEntry(record.Offset, kind);
        }
    }
}
