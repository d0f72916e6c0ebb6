using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Kling.Core.Wire;

namespace Kling.Core.History
{
    /// <summary>
    /// The task history on disk: JSON lines, appended by any number of processes, one whole line per write under
    /// <see cref="HistoryLock"/>, flushed to disk before the task goes anywhere else. Bounded: once it passes
    /// <see cref="MaxBytes"/> it is rewritten with its newest lines only (at most half of that), into a new file that
    /// replaces it atomically. Readers take no lock: they read whole lines only, and skip the ones they cannot read.
    /// </summary>
    public sealed class HistoryFile
    {
        /// <summary>4 MB, some 20,000 tasks (a line is 130 to 200 bytes): past it, the newest 2 MB are kept.</summary>
        public const long DefaultMaxBytes = 4L * 1024 * 1024;

        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

        public HistoryFile(string path, long maxBytes = DefaultMaxBytes)
        {
            Path = System.IO.Path.GetFullPath(path);
            MaxBytes = maxBytes > 0 ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes));
        }

        public string Path { get; }

        /// <summary>The size past which the oldest lines go.</summary>
        public long MaxBytes { get; }

        /// <summary>The user's history (see <see cref="HistoryLocation"/>); null when $env:KLING_HISTORY is 'off'.</summary>
        public static HistoryFile? ForCurrentUser() => HistoryLocation.IsOff ? null : new HistoryFile(HistoryLocation.FilePath());

        /// <summary>Appends one line, on disk when this returns; then trims the file if it grew past <see cref="MaxBytes"/>.</summary>
        public void Append(HistoryEntry entry)
        {
            byte[] line = Encoding.UTF8.GetBytes(GatewayJson.Serialize(entry) + "\n");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using (HistoryLock.Take(Path, LockTimeout))
            {
                long length;
                using (var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1))
                {
                    byte[] whole = EndsTorn(file) ? Prefixed(line) : line;
                    file.Seek(0, SeekOrigin.End);
                    file.Write(whole, 0, whole.Length);
                    file.Flush(flushToDisk: true);
                    length = file.Length;
                }

                if (length > MaxBytes)
                {
                    TrimUnderLock();
                }
            }
        }

        /// <summary>The entries, oldest first, read lazily; a missing file is an empty history.</summary>
        public IEnumerable<HistoryEntry> Read()
        {
            using FileStream? file = OpenToRead();
            if (file == null)
            {
                yield break;
            }

            foreach (string text in WholeLines(file))
            {
                HistoryEntry? entry = Parse(text);
                if (entry != null)
                {
                    yield return entry;
                }
            }
        }

        private FileStream? OpenToRead()
        {
            try
            {
                return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return null;
            }
        }

        private static HistoryEntry? Parse(string text)
        {
            try
            {
                HistoryEntry? entry = JsonSerializer.Deserialize<HistoryEntry>(text, GatewayJson.Options);
                return entry != null && entry.BatchId.Length > 0 ? entry : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>The lines that end with a newline: one still being written (or torn by a crash) is left out.</summary>
        private static IEnumerable<string> WholeLines(Stream file)
        {
            var reader = new StreamReader(file, new UTF8Encoding(false));
            var line = new StringBuilder();
            int c;
            while ((c = reader.Read()) >= 0)
            {
                if (c == '\n')
                {
                    if (line.Length > 0)
                    {
                        yield return line.ToString();
                    }

                    line.Clear();
                }
                else
                {
                    line.Append((char)c);
                }
            }
        }

        private static bool EndsTorn(FileStream file)
        {
            if (file.Length == 0)
            {
                return false;
            }

            file.Seek(-1, SeekOrigin.End);
            return file.ReadByte() != '\n';
        }

        private static byte[] Prefixed(byte[] line)
        {
            byte[] whole = new byte[line.Length + 1];
            whole[0] = (byte)'\n';
            Buffer.BlockCopy(line, 0, whole, 1, line.Length);
            return whole;
        }

        /// <summary>
        /// Keeps the newest whole lines within half of <see cref="MaxBytes"/>: written to a new file beside the history,
        /// flushed, then put in its place in one rename, so a crash leaves the old file or the new one, never half of
        /// one. A failure leaves the history as it was (the next append tries again).
        /// </summary>
        private void TrimUnderLock()
        {
            string fresh = Path + ".trim";
            try
            {
                using (var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var copy = new FileStream(fresh, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    file.Seek(StartOfNewest(file, MaxBytes / 2), SeekOrigin.Begin);
                    file.CopyTo(copy);
                    copy.Flush(flushToDisk: true);
                }

                File.Replace(fresh, Path, null);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                try
                {
                    File.Delete(fresh);
                }
                catch (Exception again) when (again is IOException || again is UnauthorizedAccessException)
                {
                }
            }
        }

        /// <summary>Where the newest lines that fit in <paramref name="keep"/> bytes start: just after a newline.</summary>
        private static long StartOfNewest(FileStream file, long keep)
        {
            long from = Math.Max(0, file.Length - keep);
            if (from == 0)
            {
                return 0;
            }

            file.Seek(from - 1, SeekOrigin.Begin);
            int b;
            while ((b = file.ReadByte()) >= 0 && b != '\n')
            {
            }

            return file.Position;
        }
    }
}
