using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kling.Core
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
    /// POST was in flight at a crash as outcome unknown instead of risking a second bill.
    /// </summary>
    public sealed class SubmissionJournal : IDisposable
    {
        public const string Sending = "sending";
        public const string Submitted = "submitted";
        public const string NotSent = "not_sent";

        private readonly object gate = new object();
        private readonly FileStream stream;
        private readonly Dictionary<string, JournalRecord> latest = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> occurrences = new Dictionary<string, int>(StringComparer.Ordinal);

        private SubmissionJournal(string path, FileStream stream)
        {
            Path = path;
            this.stream = stream;
        }

        public string Path { get; }

        /// <summary>Lines that could not be read (a torn last line after a crash), skipped.</summary>
        public int SkippedLines { get; private set; }

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

        public static SubmissionJournal Open(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            string? folder = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            var journal = new SubmissionJournal(full, stream);
            try
            {
                journal.Load();
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return journal;
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

        public void RecordSending(string key, int row, string? name, VideoRequest request) =>
            Append(new JournalRecord { Type = Sending, Key = key, Row = row, Name = name, Request = request, At = DateTimeOffset.UtcNow });

        public void RecordSubmitted(string key, int row, string? name, VideoRequest request, string taskId) =>
            Append(new JournalRecord { Type = Submitted, Key = key, Row = row, Name = name, Request = request, TaskId = taskId, At = DateTimeOffset.UtcNow });

        /// <summary>The POST provably billed nothing (refused, 4xx): a rerun may send the row again.</summary>
        public void RecordNotSent(string key, int row, string? name, string reason) =>
            Append(new JournalRecord { Type = NotSent, Key = key, Row = row, Name = name, Error = reason, At = DateTimeOffset.UtcNow });

        private void Append(JournalRecord record)
        {
            byte[] line = Encoding.UTF8.GetBytes(GatewayJson.Serialize(record) + "\n");
            lock (gate)
            {
                stream.Seek(0, SeekOrigin.End);
                stream.Write(line, 0, line.Length);
                stream.Flush(flushToDisk: true);
                latest[record.Key] = record;
            }
        }

        private void Load()
        {
            stream.Seek(0, SeekOrigin.Begin);
            string all;
            using (var reader = new StreamReader(stream, new UTF8Encoding(false), false, 4096, leaveOpen: true))
            {
                all = reader.ReadToEnd();
            }

            long goodLength = Parse(all, record => latest[record.Key] = record, out int skipped);
            SkippedLines = skipped;

            // Cut a torn tail so the next append starts on a fresh line.
            if (goodLength < stream.Length)
            {
                stream.SetLength(goodLength);
            }

            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                if (stream.ReadByte() != '\n')
                {
                    stream.Seek(0, SeekOrigin.End);
                    stream.WriteByte((byte)'\n');
                    stream.Flush(flushToDisk: true);
                }
            }
        }

        /// <summary>Reads the records of a journal text; returns the byte length of its readable part.</summary>
        private static long Parse(string all, Action<JournalRecord> onRecord, out int skipped)
        {
            skipped = 0;
            long goodLength = 0;
            long position = 0;
            int start = 0;
            while (start < all.Length)
            {
                int end = all.IndexOf('\n', start);
                bool complete = end >= 0;
                string line = complete ? all.Substring(start, end - start) : all.Substring(start);
                position += Encoding.UTF8.GetByteCount(line) + (complete ? 1 : 0);
                start = complete ? end + 1 : all.Length;
                if (line.Trim().Length == 0)
                {
                    if (complete)
                    {
                        goodLength = position;
                    }

                    continue;
                }

                JournalRecord? record = null;
                try
                {
                    record = JsonSerializer.Deserialize<JournalRecord>(line, GatewayJson.Options);
                }
                catch (JsonException)
                {
                }

                if (record == null || string.IsNullOrEmpty(record.Key))
                {
                    // A torn line (the process died mid-write) is skipped.
                    skipped++;
                    continue;
                }

                goodLength = position;
                onRecord(record);
            }

            return goodLength;
        }

        /// <summary>
        /// The tasks a journal says were accepted, in the order they were first journaled, with their rows, names
        /// and requests. Reads while another process may still be appending.
        /// </summary>
        public static IReadOnlyList<KlingTask> ReadTasks(string path)
        {
            string all;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(file, new UTF8Encoding(false)))
            {
                all = reader.ReadToEnd();
            }

            var order = new List<string>();
            var latestByKey = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
            Parse(all, record =>
            {
                if (!latestByKey.ContainsKey(record.Key))
                {
                    order.Add(record.Key);
                }

                latestByKey[record.Key] = record;
            }, out _);

            var tasks = new List<KlingTask>();
            foreach (string key in order)
            {
                JournalRecord record = latestByKey[key];
                if (record.Type == Submitted && !string.IsNullOrEmpty(record.TaskId))
                {
                    tasks.Add(new KlingTask(record.TaskId!)
                    {
                        Name = record.Name,
                        Row = record.Row,
                        Request = record.Request,
                        SubmittedAt = record.At,
                        Status = KlingTaskStatus.Submitted,
                    });
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
                stream.Dispose();
            }
        }
    }
}
