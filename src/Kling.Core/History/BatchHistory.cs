using System;
using System.Collections.Generic;
using System.Threading;

namespace Kling.Core.History
{
    /// <summary>
    /// One batch's part of the task history (one New-KlingVideo command): its id, and each task it had accepted, each
    /// submission in doubt, written to the history as they happen, from the submitting threads. A history that cannot be
    /// written never stops the batch: the failure is kept for the caller to report once.
    /// </summary>
    public sealed class BatchHistory
    {
        private readonly object gate = new object();
        private readonly List<HistoryEntry> inDoubt = new List<HistoryEntry>();
        private int accepted;
        private int recorded;
        private string? problem;
        private bool problemTaken;

        /// <param name="file">The history, or null when it is off.</param>
        /// <param name="journalPath">The batch's journal (its full path), if it has one.</param>
        public BatchHistory(HistoryFile? file, string? journalPath)
        {
            File = file;
            JournalPath = journalPath;
            BatchId = Guid.NewGuid().ToString("n").Substring(0, 12);
        }

        /// <summary>The batch of the user's history (or of none, when $env:KLING_HISTORY is 'off').</summary>
        public static BatchHistory ForCurrentUser(string? journalPath)
        {
            try
            {
                return new BatchHistory(HistoryFile.ForCurrentUser(), journalPath);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is NotSupportedException || ex is System.Security.SecurityException || ex is System.IO.IOException)
            {
                var unkept = new BatchHistory(null, journalPath);
                unkept.Note($"The task history could not be found ({ex.Message})");
                return unkept;
            }
        }

        public string BatchId { get; }

        public string? JournalPath { get; }

        /// <summary>The history written to; null when it is off (or could not be found).</summary>
        public HistoryFile? File { get; }

        /// <summary>Tasks this batch had accepted.</summary>
        public int Accepted => Volatile.Read(ref accepted);

        /// <summary>Of those, how many are in the history.</summary>
        public int Recorded => Volatile.Read(ref recorded);

        /// <summary>The submissions of this batch whose outcome is unknown, as written to the history.</summary>
        public IReadOnlyList<HistoryEntry> InDoubt
        {
            get
            {
                lock (gate)
                {
                    return inDoubt.ToArray();
                }
            }
        }

        /// <summary>Notes an accepted task (and marks it with the batch's id); on disk when this returns.</summary>
        public void RecordAccepted(KlingTask task, string model)
        {
            task.BatchId = BatchId;
            Interlocked.Increment(ref accepted);
            var entry = new HistoryEntry { TaskId = task.TaskId, Row = task.Row, Name = task.Name, Model = model, At = DateTime.UtcNow, BatchId = BatchId, Journal = JournalPath };
            if (Write(entry))
            {
                Interlocked.Increment(ref recorded);
            }
        }

        /// <summary>Notes a submission that may have been accepted (and billed) without a task id to show for it.</summary>
        public void RecordInDoubt(int row, string? name, string model, string reason)
        {
            var entry = new HistoryEntry { Row = row, Name = name, Model = model, At = DateTime.UtcNow, BatchId = BatchId, Journal = JournalPath, InDoubt = reason };
            lock (gate)
            {
                inDoubt.Add(entry);
            }

            Write(entry);
        }

        /// <summary>The first failure to write the history, once (so a batch warns of it once); null otherwise.</summary>
        public string? TakeProblem()
        {
            lock (gate)
            {
                if (problem == null || problemTaken)
                {
                    return null;
                }

                problemTaken = true;
                return problem;
            }
        }

        private bool Write(HistoryEntry entry)
        {
            if (File == null)
            {
                return false;
            }

            try
            {
                File.Append(entry);
                return true;
            }
            catch (Exception ex)
            {
                // Whatever the file system says (read-only home, disk full, a folder in the way), the batch goes on.
                Note($"The task history {File.Path} could not be written ({ex.Message})");
                return false;
            }
        }

        private void Note(string text)
        {
            lock (gate)
            {
                problem ??= text;
            }
        }
    }
}
