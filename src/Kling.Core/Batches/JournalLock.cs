using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Kling.Core.Batches
{
    /// <summary>
    /// Makes a journal belong to one run at a time, across processes: an exclusive hold on "&lt;journal&gt;.lock" for
    /// the whole run. The lock is a separate file because readers (Get-KlingTask -Journal, -WhatIf) must still read
    /// the journal itself, and on Linux and macOS .NET enforces FileShare only between shared and exclusive opens
    /// (an flock), so the journal's own share mode cannot keep a second writer out there. The OS drops the hold when
    /// the process ends, however it ends; the empty lock file stays, because deleting it on close would let a
    /// waiting run lock a file no longer at that path while a third run locks a new one.
    /// </summary>
    public sealed class JournalLock : IDisposable
    {
        private const int WindowsSharingViolation = unchecked((int)0x80070020);
        private const int WindowsLockViolation = unchecked((int)0x80070021);
        private const int LinuxWouldBlock = 11;   // EAGAIN, from flock(LOCK_EX | LOCK_NB)
        private const int BsdWouldBlock = 35;     // EWOULDBLOCK on macOS

        private readonly FileStream stream;

        private JournalLock(FileStream stream)
        {
            this.stream = stream;
        }

        public static string PathFor(string journalPath) => journalPath + ".lock";

        /// <summary>Takes the journal's lock; throws <see cref="JournalException"/> (InUse) when another run holds it.</summary>
        public static JournalLock Acquire(string journalPath)
        {
            try
            {
                // Never written to: it may even be a file of the user's that happens to have that name.
                return new JournalLock(new FileStream(PathFor(journalPath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
                throw new JournalException(
                    JournalProblem.InUse,
                    journalPath,
                    $"The journal '{journalPath}' is in use by another run (in this or another process), so nothing was sent. A journal belongs to one run at a time.",
                    ex);
            }
        }

        private static bool IsHeldElsewhere(IOException ex)
        {
            if (ex is FileNotFoundException || ex is DirectoryNotFoundException || ex is PathTooLongException)
            {
                return false;
            }

            return RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? ex.HResult == WindowsSharingViolation || ex.HResult == WindowsLockViolation
                : ex.HResult == LinuxWouldBlock || ex.HResult == BsdWouldBlock;
        }

        public void Dispose() => stream.Dispose();
    }
}
