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
            : this(path, Describe(path, inner, bytesKept), inner, notIndexed: false)
        {
        }

        private LocalFileException(string path, string message, Exception inner, bool notIndexed)
            : base(message, inner)
        {
            Path = path;
            NotIndexedVideo = notIndexed;
        }

        /// <summary>The file that could not be written or moved.</summary>
        public string Path { get; }

        /// <summary>
        /// The video is complete, but the folder's saved-file index (<see cref="Path"/>) could not be written, so it was
        /// left under its temporary name: a rerun moves it to its name without downloading it again.
        /// </summary>
        public bool NotIndexedVideo { get; }

        /// <summary>The file system refused access (permissions, read-only), rather than failing (full disk, ...).</summary>
        public bool AccessDenied => InnerException is UnauthorizedAccessException;

        /// <summary>True for the exceptions the file system throws; wrap these, let anything else through.</summary>
        public static bool IsLocal(Exception ex) => ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException;

        /// <summary>The index could not be written for a complete video, which stays under its temporary name.</summary>
        internal static LocalFileException NotIndexed(string indexPath, Exception inner, string taskId, string partialPath, long bytes, string name) =>
            new LocalFileException(
                indexPath,
                $"The video of task {taskId} is complete ({bytes} bytes), but could not be noted in '{indexPath}': {inner.Message} " +
                $"It is kept as '{partialPath}' and not moved to '{name}', where a rerun would not know it for this task's. Fix the cause and run the command again: it then takes its name without being downloaded again.",
                inner,
                notIndexed: true);

        private static string Describe(string path, Exception inner, long bytesKept)
        {
            string kept = bytesKept > 0 ? $" The {bytesKept} bytes already written stay there; fix the cause and run the command again to resume." : string.Empty;
            return $"Could not write '{path}': {inner.Message}{kept}";
        }
    }
}
