using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Kling.Core.Gateway;
using Kling.Core.Requests;

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

    /// <summary>One line of the journal (JSON lines). Holds no secrets: requests and task ids only.</summary>
    public sealed class JournalRecord
    {
        [JsonPropertyName("type")]
        public string Type { get; set; } = string.Empty;

        [JsonPropertyName("key")]
        public string Key { get; set; } = string.Empty;

        [JsonPropertyName("row")]
        public int Row { get; set; }

        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("task_id")]
        public string? TaskId { get; set; }

        [JsonPropertyName("request")]
        public VideoRequest? Request { get; set; }

        [JsonPropertyName("error")]
        public string? Error { get; set; }

        [JsonPropertyName("at")]
        public DateTimeOffset At { get; set; }
    }

    /// <summary>
    /// An append-only, crash-safe record of submissions: a "sending" line is on disk before each POST and a
    /// "submitted" line (with the task id) after it, each flushed to disk as it is written. Re-running a batch
    /// with the same journal re-emits what was submitted, sends only what never was, and reports rows whose
    /// POST was in flight at a crash as outcome unknown instead of risking a second bill. A writable journal
    /// belongs to one run at a time (<see cref="JournalLock"/>); its first line names its format and version.
    /// </summary>
    public sealed class SubmissionJournal : IDisposable
    {
        public const string Sending = "sending";
        public const string Submitted = "submitted";
        public const string NotSent = "not_sent";

        private readonly object gate = new object();
        private readonly FileStream? stream;
        private readonly JournalLock? fileLock;
        private readonly Dictionary<string, JournalRecord> latest = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> occurrences = new Dictionary<string, int>(StringComparer.Ordinal);

        private SubmissionJournal(string path, JournalContent content, FileStream? stream, JournalLock? fileLock)
        {
            Path = path;
            this.stream = stream;
            this.fileLock = fileLock;
            SkippedLines = content.SkippedLines;
            foreach (JournalRecord record in content.Records)
            {
                latest[record.Key] = record;
            }
        }

        public string Path { get; }

        /// <summary>Lines that could not be read (a torn last line after a crash, cut; or a line someone edited, kept), skipped.</summary>
        public int SkippedLines { get; }

        /// <summary>False when opened with <see cref="OpenReadOnly"/>: nothing is ever written.</summary>
        public bool IsWritable => stream != null;

        public IEnumerable<JournalRecord> Records
        {
            get
            {
                lock (gate)
                {
                    return new List<JournalRecord>(latest.Values);
                }
            }
        }

        /// <summary>
        /// Opens (or starts) a journal for a run: takes its lock, cuts a torn last line, writes the header of a new
        /// journal. Throws <see cref="JournalException"/> when another run holds it or the file is not a journal;
        /// such a file is refused before anything is created or written.
        /// </summary>
        public static SubmissionJournal Open(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (File.Exists(full))
            {
                // Refuse a file that is not a journal before creating a lock file beside it.
                JournalFile.Parse(JournalFile.ReadShared(full), full);
            }

            string? folder = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            JournalLock held = JournalLock.Acquire(full);
            FileStream? stream = null;
            try
            {
                // Unbuffered, so every line goes to the file in one write; FileShare.Read lets readers in.
                stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1);
                JournalContent content = JournalFile.Parse(JournalFile.ReadAll(stream), full);
                Repair(stream, content);
                return new SubmissionJournal(full, content, stream, held);
            }
            catch
            {
                stream?.Dispose();
                held.Dispose();
                throw;
            }
        }

        /// <summary>Reads a journal without writing anything anywhere (-WhatIf): no lock, no header, no repair; a missing file is an empty journal.</summary>
        public static SubmissionJournal OpenReadOnly(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            JournalContent content = File.Exists(full) ? JournalFile.Parse(JournalFile.ReadShared(full), full) : new JournalContent();
            return new SubmissionJournal(full, content, null, null);
        }

        /// <summary>Cuts a torn last line (only that), ends the last line, or writes the header of a new journal.</summary>
        private static void Repair(FileStream stream, JournalContent content)
        {
            if (content.KeepLength < stream.Length)
            {
                stream.SetLength(content.KeepLength);
            }

            byte[]? fix = stream.Length == 0 ? JournalFile.HeaderLine() : content.NeedsNewline ? new[] { (byte)'\n' } : null;
            if (fix != null)
            {
                stream.Seek(0, SeekOrigin.End);
                stream.Write(fix, 0, fix.Length);
                stream.Flush(flushToDisk: true);
            }
        }

        /// <summary>
        /// The identity of a row: its request's content plus how many identical requests came before it in this
        /// run, so two identical rows are two submissions and a rerun maps each to the same line again.
        /// </summary>
        public string KeyFor(VideoRequest request)
        {
            string content = Hash(GatewayJson.Serialize(request));
            lock (gate)
            {
                occurrences.TryGetValue(content, out int seen);
                occurrences[content] = seen + 1;
                return content + "#" + (seen + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        public JournalState StateOf(string key, out JournalRecord? record)
        {
            lock (gate)
            {
                if (!latest.TryGetValue(key, out record))
                {
                    return JournalState.New;
                }

                switch (record.Type)
                {
                    case Submitted: return JournalState.Submitted;
                    case Sending: return JournalState.OutcomeUnknown;
                    default: return JournalState.New;
                }
            }
        }

        /// <summary>
        /// What to do with a row about to be sent: <see cref="JournalRecall.MustSend"/>, or the task an earlier run
        /// submitted for it, or the error for a POST an earlier run left in flight (never re-sent: it may be billed).
        /// </summary>
        public JournalRecall Recall(VideoRequest request, int row, string? name)
        {
            string key = KeyFor(request);
            switch (StateOf(key, out JournalRecord? earlier))
            {
                case JournalState.Submitted:
                    return JournalRecall.Submitted(key, TaskOf(earlier!, row, name ?? earlier!.Name, request));
                case JournalState.OutcomeUnknown:
                    return JournalRecall.OutcomeUnknown(key, new GatewayException(
                        GatewayErrorKind.Network,
                        $"{RowLabel.Of(row, name)} was being submitted when an earlier run stopped (journal {Path}); it may have been accepted and billed, so it is not sent again. Look for it on the gateway; to send it anyway, delete its lines from the journal.")
                    { OutcomeUnknown = true });
                default:
                    return JournalRecall.Send(key);
            }
        }

        private static KlingTask TaskOf(JournalRecord record, int row, string? name, VideoRequest? request) =>
            new KlingTask(record.TaskId!)
            {
                Name = name,
                Row = row,
                Request = request,
                SubmittedAt = record.At,
                Status = KlingTaskStatus.Submitted,
            };

        public void RecordSending(string key, int row, string? name, VideoRequest request) =>
            Append(new JournalRecord { Type = Sending, Key = key, Row = row, Name = name, Request = request, At = DateTimeOffset.UtcNow });

        public void RecordSubmitted(string key, int row, string? name, VideoRequest request, string taskId) =>
            Append(new JournalRecord { Type = Submitted, Key = key, Row = row, Name = name, Request = request, TaskId = taskId, At = DateTimeOffset.UtcNow });

        /// <summary>The POST provably billed nothing (refused, 4xx): a rerun may send the row again.</summary>
        public void RecordNotSent(string key, int row, string? name, string reason) =>
            Append(new JournalRecord { Type = NotSent, Key = key, Row = row, Name = name, Error = reason, At = DateTimeOffset.UtcNow });

        /// <summary>Appends one whole line with one write, flushed to disk, under the journal's lock.</summary>
        private void Append(JournalRecord record)
        {
            if (stream == null)
            {
                throw new InvalidOperationException($"The journal '{Path}' was opened read-only (-WhatIf); nothing is written to it.");
            }

            byte[] line = Encoding.UTF8.GetBytes(GatewayJson.Serialize(record) + "\n");
            lock (gate)
            {
                stream.Seek(0, SeekOrigin.End);
                stream.Write(line, 0, line.Length);
                stream.Flush(flushToDisk: true);
                latest[record.Key] = record;
            }
        }

        /// <summary>
        /// The tasks a journal says were accepted, in the order they were first journaled, with their rows, names
        /// and requests. Reads while another process may still be appending.
        /// </summary>
        public static IReadOnlyList<KlingTask> ReadTasks(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            var order = new List<string>();
            var latestByKey = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
            foreach (JournalRecord record in JournalFile.Parse(JournalFile.ReadShared(full), full).Records)
            {
                if (!latestByKey.ContainsKey(record.Key))
                {
                    order.Add(record.Key);
                }

                latestByKey[record.Key] = record;
            }

            var tasks = new List<KlingTask>();
            foreach (string key in order)
            {
                JournalRecord record = latestByKey[key];
                if (record.Type == Submitted && !string.IsNullOrEmpty(record.TaskId))
                {
                    tasks.Add(TaskOf(record, record.Row, record.Name, record.Request));
                }
            }

            return tasks;
        }

        private static string Hash(string text)
        {
            using var sha = SHA256.Create();
            byte[] digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var builder = new StringBuilder(32);
            for (int i = 0; i < 16; i++)
            {
                builder.Append(digest[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }

        public void Dispose()
        {
            lock (gate)
            {
                stream?.Dispose();
                fileLock?.Dispose();
            }
        }
    }
}
