using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// Files held by one process at a time, the OS's way. On Linux and macOS .NET takes an advisory flock with every
    /// open: exclusive for FileShare.None and shared for anything else, so only FileShare.None keeps others out. On
    /// Windows the sharing mode is the lock, and FileShare.Delete still lets the holder rename or delete the file.
    /// </summary>
    internal static class FileLock
    {
        public static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The sharing mode of a file only its holder may use, but that the holder may rename or delete while open.</summary>
        public static readonly FileShare HolderOnly = IsWindows ? FileShare.Delete : FileShare.None;

        /// <summary>A sharing violation (Windows) or a held flock (EWOULDBLOCK: 11 on Linux, 35 on macOS): another holds the file.</summary>
        public static bool IsHeldByOther(Exception ex)
        {
            int code = ex.HResult & 0xFFFF;
            return ex.GetType() == typeof(IOException) && (code == 32 || code == 33 || ex.HResult == 11 || ex.HResult == 35);
        }
    }
}
