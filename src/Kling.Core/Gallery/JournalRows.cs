using System;
using System.Collections.Generic;
using System.IO;
using Kling.Core.Batches;
using Kling.Core.Wire;

namespace Kling.Core.Gallery
{
    /// <summary>One row of a journal as the gallery needs it: who it was, what it asked for, and what its latest line says.</summary>
    public sealed class JournalRow
    {
        public int Row { get; set; }

        public string? Name { get; set; }

        /// <summary>The body the row sent (from its first line that carries one); null when the journal has none for it.</summary>
        public VideoRequest? Request { get; set; }

        /// <summary>The task of the row's latest "submitted" line; null when it has none.</summary>
        public string? TaskId { get; set; }

        /// <summary>The type of the row's latest line: "sending", "submitted", "not_sent" (or one a later version writes).</summary>
        public string LatestType { get; set; } = string.Empty;

        /// <summary>The latest line's error: why the row was not sent, or why its outcome is unknown.</summary>
        public string? Error { get; set; }
    }

    /// <summary>
    /// A journal read for the gallery (nothing is written, and another process may be appending): each row identity's
    /// request and latest line, and every task id the journal ever gave a row (a task that failed and was sent again
    /// keeps its row).
    /// </summary>
    public sealed class JournalRows
    {
        private readonly Dictionary<string, JournalRow> byTask = new Dictionary<string, JournalRow>(StringComparer.Ordinal);

        private JournalRows(IReadOnlyList<JournalRow> rows)
        {
            Rows = rows;
        }

        /// <summary>The rows, in the order of their first lines.</summary>
        public IReadOnlyList<JournalRow> Rows { get; }

        /// <summary>Reads the journal at <paramref name="path"/>; throws <see cref="JournalException"/> when it is not one this version reads.</summary>
        public static JournalRows Read(string path)
        {
            string full = Path.GetFullPath(path);
            JournalReader.RefuseFolder(full);
            var rows = new List<JournalRow>();
            var byKey = new Dictionary<string, JournalRow>(StringComparer.Ordinal);
            var tasks = new List<(string TaskId, JournalRow Row)>();
            using (var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                foreach (JournalRecord record in JournalReader.Records(file, full, new JournalContent(), requests: true))
                {
                    if (!byKey.TryGetValue(record.Key, out JournalRow? row))
                    {
                        row = new JournalRow();
                        byKey.Add(record.Key, row);
                        rows.Add(row);
                    }

                    row.Row = record.Row;
                    row.Name = record.Name ?? row.Name;
                    row.Request ??= record.Request;
                    row.LatestType = record.Type;
                    row.Error = record.Error;
                    if (record.Type == JournalFormat.Submitted && !string.IsNullOrEmpty(record.TaskId))
                    {
                        row.TaskId = record.TaskId;
                        tasks.Add((record.TaskId!, row));
                    }
                    else
                    {
                        row.TaskId = null;
                    }
                }
            }

            var read = new JournalRows(rows);
            foreach ((string taskId, JournalRow row) in tasks)
            {
                read.byTask[taskId] = row;
            }

            return read;
        }

        /// <summary>The row that was given the task <paramref name="taskId"/>, or null.</summary>
        public JournalRow? RowOf(string? taskId) =>
            taskId != null && byTask.TryGetValue(taskId, out JournalRow? row) ? row : null;

        /// <summary>Whether the latest line of <paramref name="row"/> is "submitted" (it has a task).</summary>
        public static bool IsSubmitted(JournalRow row) => row.LatestType == JournalFormat.Submitted && row.TaskId != null;

        /// <summary>Whether the latest line of <paramref name="row"/> is "sending": the POST's outcome is unknown.</summary>
        public static bool IsInDoubt(JournalRow row) =>
            row.LatestType == JournalFormat.Sending || (row.LatestType == JournalFormat.Submitted && row.TaskId == null);
    }
}
