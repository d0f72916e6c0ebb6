using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace Kling.Core.History
{
    /// <summary>
    /// A short exclusive hold on "history.jsonl.lock", across processes, for one append (and the trim it may need). A
    /// separate file, as the journal's lock is: the history itself is replaced when trimmed, and readers never wait for
    /// it. FileShare.None is a sharing lock on Windows and an flock on Linux and macOS, which also keeps two threads of
    /// one process apart; threads of this process queue on a monitor first, so only processes wait by polling.
    /// </summary>
    internal sealed class HistoryLock : IDisposable
    {
        private const int WindowsSharingViolation = 32;
        private const int WindowsLockViolation = 33;
        private const int LinuxWouldBlock = 11;   // EAGAIN, from flock(LOCK_EX | LOCK_NB)
        private const int BsdWouldBlock = 35;     // EWOULDBLOCK on macOS

        private static readonly object ThisProcess = new object();
        private readonly FileStream stream;

        private HistoryLock(FileStream stream)
        {
            this.stream = stream;
        }

        /// <summary>Takes the lock of <paramref name="historyPath"/>, waiting up to <paramref name="timeout"/> for another process to let go.</summary>
        public static HistoryLock Take(string historyPath, TimeSpan timeout)
        {
            if (!Monitor.TryEnter(ThisProcess, timeout))
            {
                throw Busy(historyPath, timeout);
            }

            try
            {
                return new HistoryLock(Open(historyPath + ".lock", DateTime.UtcNow + timeout, timeout));
            }
            catch
            {
                Monitor.Exit(ThisProcess);
                throw;
            }
        }

        private static FileStream Open(string lockPath, DateTime deadline, TimeSpan timeout)
        {
            for (int wait = 2; ; wait = Math.Min(wait * 2, 50))
            {
                try
                {
                    return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
                }
                catch (IOException ex) when (IsHeldElsewhere(ex))
                {
                    if (DateTime.UtcNow >= deadline)
                    {
                        throw Busy(lockPath, timeout);
                    }

                    Thread.Sleep(wait);
                }
            }
        }

        private static IOException Busy(string path, TimeSpan timeout) =>
            new IOException($"another Kling command held {path} for more than {timeout.TotalSeconds:0} s");

        private static bool IsHeldElsewhere(IOException ex)
        {
            if (ex is FileNotFoundException || ex is DirectoryNotFoundException || ex is PathTooLongException)
            {
                return false;
            }

            int code = ex.HResult & 0xFFFF;
            return RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? code == WindowsSharingViolation || code == WindowsLockViolation
                : ex.HResult == LinuxWouldBlock || ex.HResult == BsdWouldBlock;
        }

        public void Dispose()
        {
            try
            {
                stream.Dispose();
            }
            finally
            {
                Monitor.Exit(ThisProcess);
            }
        }
    }
}
