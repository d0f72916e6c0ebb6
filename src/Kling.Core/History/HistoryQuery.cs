using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.History
{
    /// <summary>What Get-KlingTask -History asks of the history: the tasks of a batch, since a time, the last so many.</summary>
    public sealed class HistoryQuery
    {
        /// <summary>Only entries written at or after this instant.</summary>
        public DateTimeOffset? Since { get; set; }

        /// <summary>Only the newest so many tasks (after the other filters).</summary>
        public int? Last { get; set; }

        /// <summary>Only this batch's entries (case-insensitive).</summary>
        public string? BatchId { get; set; }

        /// <summary>
        /// The matching tasks, oldest first, and the submissions in doubt of the same batches (with <see cref="Last"/>, only
        /// of the batches its tasks belong to).
        /// </summary>
        public HistorySelection Run(HistoryFile file)
        {
            var tasks = new Queue<HistoryEntry>();
            var inDoubt = new List<HistoryEntry>();
            foreach (HistoryEntry entry in file.Read().Where(Matches))
            {
                if (entry.IsInDoubt)
                {
                    inDoubt.Add(entry);
                    continue;
                }

                tasks.Enqueue(entry);
                if (Last.HasValue && tasks.Count > Last.Value)
                {
                    tasks.Dequeue();
                }
            }

            if (Last.HasValue)
            {
                var shown = new HashSet<string>(tasks.Select(t => t.BatchId), StringComparer.OrdinalIgnoreCase);
                inDoubt.RemoveAll(e => !shown.Contains(e.BatchId));
            }

            return new HistorySelection(tasks.ToList(), inDoubt);
        }

        private bool Matches(HistoryEntry entry) =>
            (BatchId == null || string.Equals(entry.BatchId, BatchId.Trim(), StringComparison.OrdinalIgnoreCase)) &&
            (!Since.HasValue || entry.AtUtc >= Since.Value);

        /// <summary>The batches the history holds, newest first (for completing -BatchId).</summary>
        public static IReadOnlyList<HistoryBatch> Batches(HistoryFile file)
        {
            var batches = new Dictionary<string, HistoryBatch>(StringComparer.OrdinalIgnoreCase);
            foreach (HistoryEntry entry in file.Read())
            {
                if (!batches.TryGetValue(entry.BatchId, out HistoryBatch? batch))
                {
                    batch = new HistoryBatch(entry.BatchId, entry.AtUtc, entry.Journal);
                    batches.Add(entry.BatchId, batch);
                }

                batch.Count(entry);
            }

            return batches.Values.OrderByDescending(b => b.Started).ToList();
        }
    }

    /// <summary>The entries a <see cref="HistoryQuery"/> found.</summary>
    public sealed class HistorySelection
    {
        public HistorySelection(IReadOnlyList<HistoryEntry> tasks, IReadOnlyList<HistoryEntry> inDoubt)
        {
            Tasks = tasks;
            InDoubt = inDoubt;
        }

        /// <summary>The accepted tasks, oldest first.</summary>
        public IReadOnlyList<HistoryEntry> Tasks { get; }

        /// <summary>The submissions in doubt (no task id) of the same batches.</summary>
        public IReadOnlyList<HistoryEntry> InDoubt { get; }
    }

    /// <summary>One batch of the history, summed up.</summary>
    public sealed class HistoryBatch
    {
        internal HistoryBatch(string batchId, DateTimeOffset started, string? journal)
        {
            BatchId = batchId;
            Started = started;
            Journal = journal;
        }

        public string BatchId { get; }

        /// <summary>When its first entry was written.</summary>
        public DateTimeOffset Started { get; }

        public string? Journal { get; }

        public int Tasks { get; private set; }

        public int InDoubt { get; private set; }

        internal void Count(HistoryEntry entry)
        {
            if (entry.IsInDoubt)
            {
                InDoubt++;
            }
            else
            {
                Tasks++;
            }
        }
    }
}
