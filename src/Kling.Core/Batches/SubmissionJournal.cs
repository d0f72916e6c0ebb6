using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Kling.Core.Gateway;
using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>
    /// An append-only, crash-safe record of submissions: a "sending" line is on disk before each POST and a
    /// "submitted" line (with the task id) after it, each flushed to disk as it is written. Re-running a batch
    /// with the same journal re-emits what was submitted, sends only what never was, and reports rows whose
    /// POST was in flight at a crash as outcome unknown instead of risking a second bill. A writable journal
    /// belongs to one run at a time (<see cref="JournalLock"/>); its first line names its format and version. The format is
    /// <see cref="JournalFormat"/>'s, read by <see cref="JournalReader"/> and written by <see cref="JournalWriter"/>; a journal
    /// of an earlier version is read, and appended to, with the row identities of its version.
    /// </summary>
    public sealed class SubmissionJournal : IDisposable
    {
        /// <summary>The type of the line written before a POST (declared, as every record type, by <see cref="JournalFormat"/>).</summary>
        public const string Sending = JournalFormat.Sending;

        /// <summary>The type of the line written when the gateway accepted a row, with its task id.</summary>
        public const string Submitted = JournalFormat.Submitted;

        /// <summary>The type of the line written when a row provably billed nothing (a rerun may send it).</summary>
        public const string NotSent = JournalFormat.NotSent;

        private readonly object gate = new object();
        private readonly FileStream? stream;
        private readonly JournalWriter? writer;
        private readonly JournalLock? fileLock;
        private readonly RowIdentities identities = new RowIdentities();

        // How this journal's version gives a row its identity (a new journal's: the current version's).
        private RowIdentityRule identityRule = JournalFormat.IdentityRule(JournalFormat.Version);

        // Reads an identity's latest line again when its row comes up (buffered; the writer above is not).
        private FileStream? reader;

        private SubmissionJournal(string path, FileStream? stream, JournalLock? fileLock)
        {
            Path = path;
            this.stream = stream;
            writer = stream == null ? null : new JournalWriter(stream);
            this.fileLock = fileLock;
        }

        public string Path { get; }

        /// <summary>
        /// The journal's random id, which every row's Idempotency-Key starts with: in the header of a journal this version
        /// started, in a meta line appended once to one an earlier version started. Null only for a read-only open of such a journal.
        /// </summary>
        public string? Id { get; private set; }

        /// <summary>
        /// The journal's format version: its header's (0 for a journal without one); a new journal's is the current one.
        /// It decides how rows are given their identities, so a journal of an earlier version keeps finding its rows.
        /// </summary>
        public int Version { get; private set; } = JournalFormat.Version;

        /// <summary>Lines that could not be read (a torn last line after a crash, cut; or a line someone edited, kept), skipped.</summary>
        public int SkippedLines { get; private set; }

        /// <summary>False when opened with <see cref="OpenReadOnly"/>: nothing is ever written.</summary>
        public bool IsWritable => stream != null;

        /// <summary>
        /// Opens (or starts) a journal for a run: takes its lock, cuts a torn last line, writes the header of a new
        /// journal. Throws <see cref="JournalException"/> when another run holds it, the file is not a journal or the
        /// path is a folder; such a path is refused before anything is created or written.
        /// </summary>
        public static SubmissionJournal Open(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            JournalReader.RefuseFolder(full);
            if (File.Exists(full))
            {
                // Refuse a file that is not a journal before creating a lock file beside it.
                JournalReader.ParseShared(full, null);
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
                journal.Id = content.JournalId ?? JournalFormat.NewId();
                journal.writer!.Repair(content, journal.Id);
                journal.reader = OpenReader(full);
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
            JournalReader.RefuseFolder(full);
            var journal = new SubmissionJournal(full, null, null);
            if (File.Exists(full))
            {
                journal.reader = OpenReader(full);
                try
                {
                    journal.Id = journal.Load(journal.reader).JournalId;
                }
                catch
                {
                    journal.Dispose();
                    throw;
                }
            }

            return journal;
        }

        private static FileStream OpenReader(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);

        /// <summary>Reads the journal's lines, keeping of each row identity only where its latest line is and what it says.</summary>
        private JournalContent Load(FileStream file)
        {
            JournalContent content = JournalReader.Parse(file, Path, record => identities.Note(record.Key, JournalEntry.Of(record)));
            SkippedLines = content.SkippedLines;
            Version = content.Version;
            identityRule = JournalFormat.IdentityRule(content.Version);
            return content;
        }

        /// <summary>
        /// The Idempotency-Key of the row identity <paramref name="key"/> in this journal: the journal's <see cref="Id"/> and
        /// the identity (see <see cref="IdempotencyKey.Within"/>), so a rerun sends a row under the key it had, and no
        /// other row or journal shares it.
        /// </summary>
        public string IdempotencyKeyFor(string key) =>
            IdempotencyKey.Within(Id ?? throw new InvalidOperationException($"The journal '{Path}' was opened read-only and has no id yet."), key);

        /// <summary>
        /// The identity of a row: its request's content (by the rule of the journal's <see cref="Version"/>) plus how many
        /// identical requests came before it in this run, so two identical rows are two submissions and a rerun maps each
        /// to the same line again. Written as <see cref="JournalFormat.KeyOf"/> writes keys.
        /// </summary>
        public string KeyFor(VideoRequest request)
        {
            RowContent content = identityRule.ContentOf(request);
            lock (gate)
            {
                return identities.Next(content).ToString();
            }
        }

        /// <summary>
        /// The state of a row identity as the journal held it when opened (kept current for those identities);
        /// <paramref name="record"/> is its latest line, read again from the file, with its request only when
        /// <paramref name="withRequest"/>. Rows this run
        /// journaled first are not in memory: reopen the journal to see them. A line that cannot be read again (the
        /// file was changed under the run) leaves the row in doubt.
        /// </summary>
        public JournalState StateOf(string key, out JournalRecord? record, bool withRequest = false)
        {
            lock (gate)
            {
                record = null;
                if (!identities.TryGet(key, out JournalEntry entry))
                {
                    return JournalState.New;
                }

                record = reader == null ? null : JournalReader.RecordAt(reader, entry.Offset, withRequest);
                if (record == null || record.Key != key)
                {
                    record = null;
                    return JournalState.OutcomeUnknown;
                }

                return entry.State;
            }
        }

        /// <summary>
        /// What to do with a row about to be sent: <see cref="JournalRecall.MustSend"/>, or the task an earlier run
        /// submitted for it, or the error for a POST an earlier run left in doubt (never re-sent: it may be billed). An
        /// earlier task that <paramref name="mayReplace"/> accepts (by its id: one that failed) is sent again instead.
        /// </summary>
        public JournalRecall Recall(VideoRequest request, int row, string? name, Func<string, bool>? mayReplace = null)
        {
            string key = KeyFor(request);
            // A row with local images reads its earlier line's body too (the upload URLs it was sent with), in the same read.
            switch (StateOf(key, out JournalRecord? earlier, withRequest: request.LocalImages != null))
            {
                case JournalState.Submitted when mayReplace != null && mayReplace(earlier!.TaskId!):
                    return JournalRecall.Replace(key, earlier!.TaskId!);
                case JournalState.Submitted:
                    KlingTask task = TaskOf(earlier!, row, name ?? earlier!.Name, request);
                    task.UploadUrls = EarlierUploads(request, earlier!);
                    return JournalRecall.Submitted(key, task);
                case JournalState.OutcomeUnknown:
                    return JournalRecall.OutcomeUnknown(key, InDoubt.Error(RowLabel.Of(row, name), earlier, Path));
                default:
                    return JournalRecall.Send(key);
            }
        }

        /// <summary>
        /// The upload URLs the earlier run sent for the row's local images (by content hash), from its line's body (read with it)
        /// (same images, same order); null when the row has no local images or the line does not tell. What a rerun's
        /// task needs for its video's sidecar; its request keeps its local files, so a resend uploads them afresh.
        /// </summary>
        private IReadOnlyDictionary<string, string>? EarlierUploads(VideoRequest request, JournalRecord earlier)
        {
            if (request.LocalImages == null)
            {
                return null;
            }

            List<ImageRef> mine = request.AllImages.ToList();
            List<ImageRef>? sent = earlier.Request?.AllImages.ToList();
            if (sent == null || sent.Count != mine.Count)
            {
                return null;
            }

            var urls = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < mine.Count; i++)
            {
                if (mine[i].Local is LocalImage local)
                {
                    string? url = sent[i].Url;
                    if (url == null || url.StartsWith(ImageFile.PlaceholderPrefix, StringComparison.Ordinal))
                    {
                        return null;
                    }

                    urls[local.Sha256] = url;
                }
            }

            return urls;
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

        /// <summary>
        /// The tasks the journal's identities were last submitted as (not their requests), in file order of their latest
        /// lines, read one at a time: what -RetryFailed reads the status of.
        /// </summary>
        public IEnumerable<KlingTask> LatestTasks()
        {
            long[] offsets;
            lock (gate)
            {
                offsets = identities.Entries().Where(e => e.Kind == JournalLineKind.Submitted).Select(e => e.Offset).ToArray();
            }

            Array.Sort(offsets);
            foreach (long offset in offsets)
            {
                JournalRecord? record;
                lock (gate)
                {
                    record = reader == null ? null : JournalReader.RecordAt(reader, offset);
                }

                if (record?.TaskId != null)
                {
                    yield return TaskOf(record, record.Row, record.Name, null);
                }
            }
        }

        public void RecordSending(string key, int row, string? name, VideoRequest request) =>
            Append(new JournalRecord { Type = JournalFormat.Sending, Key = key, Row = row, Name = name, Request = request, At = DateTimeOffset.UtcNow });

        public void RecordSubmitted(string key, int row, string? name, VideoRequest request, string taskId) =>
            Append(new JournalRecord { Type = JournalFormat.Submitted, Key = key, Row = row, Name = name, Request = request, TaskId = taskId, At = DateTimeOffset.UtcNow });

        /// <summary>The POST provably billed nothing (refused, 4xx): a rerun may send the row again.</summary>
        public void RecordNotSent(string key, int row, string? name, string reason) =>
            Append(new JournalRecord { Type = JournalFormat.NotSent, Key = key, Row = row, Name = name, Error = reason, At = DateTimeOffset.UtcNow });

        /// <summary>
        /// The POST's answer left its outcome unknown (a 5xx, a timeout, a connection lost after sending): a second
        /// "sending" line, with why, so a rerun still never re-sends the row (earlier versions too) and says what happened.
        /// </summary>
        public void RecordInDoubt(string key, int row, string? name, GatewayException error) =>
            Append(new JournalRecord { Type = JournalFormat.Sending, Key = key, Row = row, Name = name, Error = InDoubt.Reason(error), At = DateTimeOffset.UtcNow });

        /// <summary>Appends one whole line with one write, flushed to disk, under the journal's lock.</summary>
        private void Append(JournalRecord record)
        {
            if (writer == null)
            {
                throw new InvalidOperationException($"The journal '{Path}' was opened read-only (-WhatIf); nothing is written to it.");
            }

            lock (gate)
            {
                writer.Append(record);

                // Only identities an earlier run left are kept current (see RowIdentities.Update).
                identities.Update(record.Key, JournalEntry.Of(record));
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
            JournalReader.RefuseFolder(full);
            var index = new JournalTaskIndex();
            JournalReader.ParseShared(full, index.Add);
            return TasksAtFirstLines(full, index);
        }

        private static IEnumerable<KlingTask> TasksAtFirstLines(string path, JournalTaskIndex index)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var latestLines = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            int count = index.Count;
            int at = 0;

            // The records come one by one from the parser; each accepted task is handed out before the next line is read.
            foreach (JournalRecord record in JournalReader.Records(file, path, new JournalContent(), requests: true))
            {
                if (at >= count)
                {
                    yield break;
                }

                if (index.IsFirstOfSubmitted(record, at, out long latest))
                {
                    JournalRecord? outcome = latest == record.Offset ? record : JournalReader.RecordAt(latestLines, latest);
                    if (outcome != null && outcome.Key == record.Key)
                    {
                        yield return TaskOf(outcome, outcome.Row, outcome.Name, record.Request);
                    }
                }

                at++;
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                stream?.Dispose();
                reader?.Dispose();
                fileLock?.Dispose();
            }
        }
    }
}
