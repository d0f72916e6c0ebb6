using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;

namespace Kling.Core.Downloads
{
    /// <summary>One line of the saved-file index: which task's result a file in the folder holds.</summary>
    public sealed class SavedFile
    {
        [JsonPropertyName("file")]
        public string File { get; set; } = string.Empty;

        [JsonPropertyName("taskId")]
        public string TaskId { get; set; } = string.Empty;

        [JsonPropertyName("index")]
        public int Index { get; set; }

        [JsonPropertyName("bytes")]
        public long Bytes { get; set; }

        [JsonPropertyName("at")]
        public DateTimeOffset At { get; set; }

        /// <summary>
        /// What the task that made the file cost in USD, when the gateway said; on the task's first file only, so that adding
        /// up the column counts each task once. Absent on lines written before costs were noted, and when unknown.
        /// </summary>
        [JsonPropertyName("cost"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public double? Cost { get; set; }

        /// <summary>The same charge in credits, when the gateway said.</summary>
        [JsonPropertyName("credits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public double? Credits { get; set; }
    }

    /// <summary>
    /// A small JSON-lines file in a download folder that says which task each saved video came from, so a rerun
    /// skips files it already saved and never takes another task's file (or a file it did not write) for its own.
    /// Appended to, one whole line per saved file, by any number of processes: every read and append happens while
    /// holding the file open exclusively (see <see cref="Lock"/>); unreadable lines are ignored.
    /// </summary>
    public sealed class SavedFileIndex
    {
        public const string FileName = ".kling-saved.jsonl";

        /// <summary>How long to wait for another process to let go of the index before giving up.</summary>
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

        private readonly Dictionary<string, SavedFile> files = new Dictionary<string, SavedFile>(StringComparer.OrdinalIgnoreCase);
        private readonly string path;
        private long readUpTo;

        private SavedFileIndex(string folder)
        {
            Folder = folder;
            path = Path.Combine(folder, FileName);
        }

        public string Folder { get; }

        /// <summary>Reads the folder's index (none yet is an empty index).</summary>
        public static SavedFileIndex Load(string folder)
        {
            SavedFileIndex index = Empty(folder);
            index.Refresh();
            return index;
        }

        /// <summary>An index for the folder that has read nothing yet.</summary>
        internal static SavedFileIndex Empty(string folder) => new SavedFileIndex(folder);

        /// <summary>Reads what other processes (or runs) have appended since the last read.</summary>
        public void Refresh()
        {
            using FileStream? stream = Lock(create: false);
            if (stream != null)
            {
                ReadNew(stream);
            }
        }

        /// <summary>True when <paramref name="fileName"/> exists and holds the complete result <paramref name="index"/> of that task.</summary>
        public bool Holds(string fileName, string taskId, int index)
        {
            var info = new FileInfo(Path.Combine(Folder, fileName));
            return info.Exists && files.TryGetValue(fileName, out SavedFile? entry) &&
                   string.Equals(entry.TaskId, taskId, StringComparison.Ordinal) && entry.Index == index && entry.Bytes == info.Length;
        }

        /// <summary>
        /// The line of a file in the folder that holds the complete result <paramref name="index"/> of that task (it
        /// exists, with the length noted), whatever its name; the latest such line, or null.
        /// </summary>
        public SavedFile? Find(string taskId, int index)
        {
            SavedFile? found = null;
            foreach (SavedFile entry in files.Values)
            {
                if (string.Equals(entry.TaskId, taskId, StringComparison.Ordinal) && entry.Index == index &&
                    (found == null || entry.At > found.At) && Holds(entry.File, taskId, index))
                {
                    found = entry;
                }
            }

            return found;
        }

        /// <summary>The last line about each file the index has seen (a file forgotten has an empty task id), in no order.</summary>
        public IEnumerable<SavedFile> Entries => files.Values;

        /// <summary>The last line about <paramref name="fileName"/>, or null.</summary>
        public SavedFile? Entry(string fileName) => files.TryGetValue(fileName, out SavedFile? entry) ? entry : null;

        /// <summary>Notes that a file now holds a task's result.</summary>
        public void Record(string fileName, string taskId, int index, long bytes, double? cost = null, double? credits = null)
        {
            using FileStream stream = Lock(create: true)!;
            ReadNew(stream);
            Append(stream, fileName, taskId, index, bytes, cost, credits);
        }

        /// <summary>
        /// Opens the index exclusively (FileShare.None: a sharing lock on Windows, flock on Linux and macOS), waiting while
        /// another process holds it; null when there is no index and <paramref name="create"/> is false.
        /// </summary>
        internal FileStream? Lock(bool create)
        {
            DateTime deadline = DateTime.UtcNow + LockTimeout;
            for (int wait = 5; ; wait = Math.Min(wait * 2, 100))
            {
                try
                {
                    // Unbuffered: a write the disk refuses fails at once, in Append, never later when the stream is closed.
                    return new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, create ? FileAccess.ReadWrite : FileAccess.Read, FileShare.None, 1);
                }
                catch (Exception ex) when (!create && (ex is FileNotFoundException || ex is DirectoryNotFoundException))
                {
                    return null;
                }
                catch (IOException ex) when (FileLock.IsHeldByOther(ex) && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(wait);
                }
            }
        }

        /// <summary>Reads the complete lines appended since the last read (all of them again if the file was replaced by a shorter one).</summary>
        internal void ReadNew(FileStream stream)
        {
            if (stream.Length < readUpTo)
            {
                files.Clear();
                readUpTo = 0;
            }

            stream.Seek(readUpTo, SeekOrigin.Begin);
            byte[] rest = new byte[stream.Length - readUpTo];
            int got = 0;
            while (got < rest.Length)
            {
                int read = stream.Read(rest, got, rest.Length - got);
                if (read == 0)
                {
                    break;
                }

                got += read;
            }

            // Only whole lines: a line still torn (a crash mid-append) is left for nobody.
            int end = Array.LastIndexOf(rest, (byte)'\n', got - 1);
            if (got == 0 || end < 0)
            {
                return;
            }

            foreach (string line in Encoding.UTF8.GetString(rest, 0, end).Split('\n'))
            {
                try
                {
                    SavedFile? entry = JsonSerializer.Deserialize<SavedFile>(line);
                    if (entry != null && entry.File.Length > 0)
                    {
                        files[entry.File] = entry;
                    }
                }
                catch (JsonException)
                {
                    // A line torn by a crash: that file is simply not known.
                }
            }

            readUpTo += end + 1;
        }

        /// <summary>Appends one whole line (after a newline if a crash left the last line torn), in one write.</summary>
        internal void Append(FileStream stream, string fileName, string taskId, int index, long bytes, double? cost = null, double? credits = null) =>
            Append(stream, new SavedFile { File = fileName, TaskId = taskId, Index = index, Bytes = bytes, At = DateTimeOffset.UtcNow, Cost = cost, Credits = credits });

        /// <summary>
        /// Notes that <paramref name="fileName"/> holds no known task's result (after a line was written for a move that
        /// then failed); best effort: a failure here is left unsaid, the move's is the one reported.
        /// </summary>
        internal void Forget(FileStream stream, string fileName)
        {
            try
            {
                Append(stream, new SavedFile { File = fileName, TaskId = string.Empty, Index = -1, Bytes = -1, At = DateTimeOffset.UtcNow });
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                files.Remove(fileName);
            }
        }

        private void Append(FileStream stream, SavedFile entry)
        {
            string text = JsonSerializer.Serialize(entry) + "\n";
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                if (stream.ReadByte() != '\n')
                {
                    text = "\n" + text;
                }
            }

            stream.Seek(0, SeekOrigin.End);
            byte[] line = Encoding.UTF8.GetBytes(text);
            stream.Write(line, 0, line.Length);
            stream.Flush();
            files[entry.File] = entry;
        }
    }
}
