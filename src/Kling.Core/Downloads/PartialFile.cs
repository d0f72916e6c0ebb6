using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// The file a download's bytes wait in until they are complete, owned by one download at a time, across processes:
    /// it is held open under an OS lock (see <see cref="FileLock"/>) from before the first byte until the complete file
    /// has its final name, so no other download writes into it, truncates it or moves it meanwhile. Every step on it is
    /// the local file system's: a failure there (a full disk, a folder that may not be written) is a
    /// <see cref="LocalFileException"/>, never taken for the network's.
    /// </summary>
    internal sealed class PartialFile : IDisposable
    {
        private const int MoveFileReplaceExisting = 1;
        private const int MoveFileWriteThrough = 8;

        private readonly FileStream stream;
        private bool created;

        private PartialFile(string path, FileStream stream)
        {
            Path = path;
            this.stream = stream;
        }

        public string Path { get; }

        /// <summary>The bytes on disk.</summary>
        public long Length => Step(0, () => stream.Length);

        /// <summary>Where the bytes of a task's result wait until they are complete: beside the target, named after the task.</summary>
        public static string PathFor(string targetPath, string taskId) => targetPath + SaveFolder.PartialSuffix(taskId);

        /// <summary>
        /// Opens (or creates) the partial file and takes it; null when another download, in this process or another,
        /// holds it. Linux and macOS lock after opening: a file its holder moved onto its final name in between is not
        /// this partial file any more, and is let go (null, as if held).
        /// </summary>
        public static PartialFile? TryOwn(string path)
        {
            FileStream stream;
            bool existed = File.Exists(path);
            try
            {
                // Unbuffered: every byte received is on disk at once, for a rerun after a crash to resume from.
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileLock.HolderOnly, 1, useAsync: false);
            }
            catch (IOException ex) when (FileLock.IsHeldByOther(ex))
            {
                return null;
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw new LocalFileException(path, ex, SafeLength(path));
            }

            var file = new PartialFile(path, stream) { created = !existed };
            // (A symbolic link's own length is not its target's: a partial file that is a link is taken as it is.)
            var there = new FileInfo(path);
            if (!there.Exists || ((there.Attributes & FileAttributes.ReparsePoint) == 0 && there.Length != file.Length))
            {
                file.Dispose();
                return null;
            }

            return file;
        }

        /// <summary>Drops the bytes from <paramref name="start"/> on, so that what the host sends next is written there.</summary>
        public void SeekTo(long start) => Step(start, () =>
        {
            if (stream.Length != start)
            {
                stream.SetLength(start);
            }

            stream.Position = start;
        });

        public void Write(byte[] buffer, int count) => Step(0, () => stream.Write(buffer, 0, count));

        /// <summary>The file is not needed (another download saved this result): deleted, while still held.</summary>
        public void Discard() => TryDelete(Path);

        /// <summary>Call once the file has its final name: the path is no longer this file's.</summary>
        public void Moved() => created = false;

        /// <summary>Lets go of the file, deleting it when this download created it and never wrote to it (a link refused at once).</summary>
        public void Dispose()
        {
            if (created && SafeLength(Path) == 0)
            {
                Discard();
            }

            stream.Dispose();
        }

        /// <summary>
        /// Renames <paramref name="from"/> onto <paramref name="to"/>, replacing a file there in one rename (never
        /// delete-then-move), also while <paramref name="from"/> is held open by this process.
        /// </summary>
        public static void RenameOver(string from, string to)
        {
            if (!FileLock.IsWindows)
            {
                // rename(2): atomic, and indifferent to open handles and flocks.
                File.Replace(from, to, null);
            }
            else if (!MoveFileEx(Extended(from), Extended(to), MoveFileReplaceExisting | MoveFileWriteThrough))
            {
                // ReplaceFile (File.Replace) would need the held file opened for writing by others: a rename does not.
                int error = Marshal.GetLastWin32Error();
                string message = new Win32Exception(error).Message;
                throw error == 5 ? new UnauthorizedAccessException(message) : new IOException(message, unchecked((int)0x80070000 | error));
            }
        }

        /// <summary>A full Windows path the way MoveFileExW takes paths of any length.</summary>
        private static string Extended(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (full.Length < 248 || full.StartsWith(@"\\?\", StringComparison.Ordinal))
            {
                return full;
            }

            return full.StartsWith(@"\\", StringComparison.Ordinal) ? @"\\?\UNC\" + full.Substring(2) : @"\\?\" + full;
        }

        /// <summary>Without a claim: onto the target, replacing a file there in one rename.</summary>
        public static void MoveOnto(string partial, string targetPath, long length)
        {
            try
            {
                if (File.Exists(targetPath))
                {
                    RenameOver(partial, targetPath);
                }
                else
                {
                    File.Move(partial, targetPath);
                }
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw new LocalFileException(targetPath, ex, length);
            }
        }

        public static long SafeLength(string path)
        {
            try
            {
                var info = new FileInfo(path);
                return info.Exists ? info.Length : 0;
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                return 0;
            }
        }

        public static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>A file-system step on the partial file: its failure is the file's error, with the bytes on disk kept.</summary>
        private T Step<T>(long start, Func<T> step)
        {
            try
            {
                return step();
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw new LocalFileException(Path, ex, Math.Max(start, SafeLength(Path)));
            }
        }

        private void Step(long start, Action step) => Step(start, () =>
        {
            step();
            return true;
        });

        [DllImport("kernel32.dll", EntryPoint = "MoveFileExW", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern bool MoveFileEx(string existingFileName, string newFileName, int flags);
    }
}
