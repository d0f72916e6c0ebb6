using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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

        /// <summary>On a meta line only: the journal's id (see <see cref="SubmissionJournal.IdempotencyKeyFor"/>).</summary>
        [JsonPropertyName("id")]
        public string? JournalId { get; set; }

        /// <summary>Where the line starts in its file, when read from one.</summary>
        [JsonIgnore]
        internal long Offset { get; set; }
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
        private readonly Dictionary<string, JournalEntry> latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        private readonly Dictionary<(ulong, ulong), int> occurrences = new Dictionary<(ulong, ulong), int>();

        private SubmissionJournal(string path, FileStream? stream, JournalLock? fileLock)
        {
            Path = path;
            this.stream = stream;
            this.fileLock = fileLock;
        }

        public string Path { get; }

        /// <summary>
        /// The journal's random id, which every row's Idempotency-Key starts with: in the header of a journal this version
        /// started, in a meta line appended once to one an earlier version started. Null only for a read-only open of such a journal.
        /// </summary>
        public string? Id { get; private set; }

        /// <summary>Lines that could not be read (a torn last line after a crash, cut; or a line someone edited, kept), skipped.</summary>
        public int SkippedLines { get; private set; }

        /// <summary>False when opened with <see cref="OpenReadOnly"/>: nothing is ever written.</summary>
        public bool IsWritable => stream != null;

        public IEnumerable<JournalRecord> Records
        {
            get
            {
                lock (gate)
                {
                    return latest.Select(pair => pair.Value.ToRecord(pair.Key)).ToList();
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
                JournalFile.ParseShared(full, null);
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
                var journal = new SubmissionJournal(full, stream, held);
                JournalContent content = journal.Load(stream);
                journal.Id = content.JournalId ?? JournalFile.NewId();
                Repair(stream, content, journal.Id);
                return journal;
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
            var journal = new SubmissionJournal(full, null, null);
            if (File.Exists(full))
            {
                using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                journal.Id = journal.Load(file).JournalId;
            }

            return journal;
        }

        /// <summary>Reads the journal's lines, keeping of each row identity only what resuming needs (never its request).</summary>
        private JournalContent Load(FileStream file)
        {
            JournalContent content = JournalFile.Parse(file, Path, record => latest[record.Key] = new JournalEntry(record));
            SkippedLines = content.SkippedLines;
            return content;
        }

        /// <summary>
        /// Cuts a torn last line (only that), ends the last line, or writes the header of a new journal; a journal without
        /// an id (one an earlier version started) gets a meta line with <paramref name="id"/>, once.
        /// </summary>
        private static void Repair(FileStream stream, JournalContent content, string id)
        {
            if (content.KeepLength < stream.Length)
            {
                stream.SetLength(content.KeepLength);
            }

            byte[] fix = Encoding.UTF8.GetBytes(JournalFile.Missing(stream.Length, content, id));
            if (fix.Length > 0)
            {
                stream.Seek(0, SeekOrigin.End);
                stream.Write(fix, 0, fix.Length);
                stream.Flush(flushToDisk: true);
            }
        }

        /// <summary>
        /// The Idempotency-Key of the row identity <paramref name="key"/> in this journal: the journal's <see cref="Id"/> and
        /// the identity (see <see cref="IdempotencyKey.Within"/>), so a rerun sends a row under the key it had, and no
        /// other row or journal shares it.
        /// </summary>
        public string IdempotencyKeyFor(string key) =>
            IdempotencyKey.Within(Id ?? throw new InvalidOperationException($"The journal '{Path}' was opened read-only and has no id yet."), key);

        /// <summary>
        /// The identity of a row: its request's content plus how many identical requests came before it in this
        /// run, so two identical rows are two submissions and a rerun maps each to the same line again.
        /// </summary>
        public string KeyFor(VideoRequest request)
        {
            byte[] digest = Digest(GatewayJson.Serialize(request));

            // Counted by the digest's two halves, not its text: a quarter of the memory per row of a big batch.
            (ulong, ulong) content = (BitConverter.ToUInt64(digest, 0), BitConverter.ToUInt64(digest, 8));
            lock (gate)
            {
                occurrences.TryGetValue(content, out int seen);
                occurrences[content] = seen + 1;
                return Hex(digest) + "#" + (seen + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        /// <summary>
        /// The state of a row identity as the journal held it when opened (kept current for those identities);
        /// <paramref name="record"/> is its latest line, without the request. Rows this run journaled first are not in
        /// memory: reopen the journal to see them.
        /// </summary>
        public JournalState StateOf(string key, out JournalRecord? record)
        {
            lock (gate)
            {
                if (!latest.TryGetValue(key, out JournalEntry? entry))
                {
                    record = null;
                    return JournalState.New;
                }

                record = entry.ToRecord(key);
                return entry.State;
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

                // Only identities an earlier run left are kept current: a row first journaled by this run is never
                // recalled again in it (its occurrence number makes its identity unique), so keeping it would only
                // grow memory with the batch.
                if (latest.ContainsKey(record.Key))
                {
                    latest[record.Key] = new JournalEntry(record);
                }
            }
        }

        /// <summary>
        /// The tasks a journal says were accepted, in the order they were first journaled, with their rows, names
        /// and requests. Reads while another process may still be appending.
        /// </summary>
        public static IReadOnlyList<KlingTask> ReadTasks(string path) => StreamTasks(path).ToList();

        /// <summary>
        /// <see cref="ReadTasks"/> one task at a time: the first pass notes where each identity's first and latest lines
        /// are (<see cref="JournalTaskIndex"/>: no records, no requests), the second hands out each accepted task at the
        /// identity's first line, with its request, reading its latest line again from where it starts.
        /// </summary>
        public static IEnumerable<KlingTask> StreamTasks(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            var index = new JournalTaskIndex();
            JournalFile.ParseShared(full, index.Add);
            return TasksAtFirstLines(full, index);
        }

        private static IEnumerable<KlingTask> TasksAtFirstLines(string path, JournalTaskIndex index)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var latestLines = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            int count = index.Count;
            int at = 0;

            // The records come one by one from the parser; each accepted task is handed out before the next line is read.
            foreach (JournalRecord record in JournalFile.Records(file, path, new JournalContent()))
            {
                if (at >= count)
                {
                    yield break;
                }

                if (index.IsFirstOfSubmitted(record, at, out long latest))
                {
                    JournalRecord? outcome = latest == record.Offset ? record : JournalFile.RecordAt(latestLines, latest);
                    if (outcome != null && outcome.Key == record.Key)
                    {
                        yield return TaskOf(outcome, outcome.Row, outcome.Name, record.Request);
                    }
                }

                at++;
            }
        }

        private static byte[] Digest(string text)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        }

        /// <summary>The identity's text: the first 16 bytes of the digest in hex (what every journal on disk holds).</summary>
        private static string Hex(byte[] digest)
        {
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
