using System;
using System.IO;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// A failure of this machine's file system while saving (a full disk, a folder that may not be written, a name or
    /// path too long): not the network's, so it is never retried, and the bytes already on disk are left for a rerun.
    /// Deliberately not an IOException, which the download loop takes for a cut connection.
    /// </summary>
    public sealed class LocalFileException : Exception
    {
        public LocalFileException(string path, Exception inner, long bytesKept = 0)
            : base(Describe(path, inner, bytesKept), inner)
        {
            Path = path;
        }

        /// <summary>The file that could not be written or moved.</summary>
        public string Path { get; }

        /// <summary>The file system refused access (permissions, read-only), rather than failing (full disk, ...).</summary>
        public bool AccessDenied => InnerException is UnauthorizedAccessException;

        /// <summary>True for the exceptions the file system throws; wrap these, let anything else through.</summary>
        public static bool IsLocal(Exception ex) => ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException;

        private static string Describe(string path, Exception inner, long bytesKept)
        {
            string kept = bytesKept > 0 ? $" The {bytesKept} bytes already written stay there; fix the cause and run the command again to resume." : string.Empty;
            return $"Could not write '{path}': {inner.Message}{kept}";
        }
    }
}
