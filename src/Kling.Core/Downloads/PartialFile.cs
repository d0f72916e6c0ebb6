using System;
using System.IO;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// The file a download's bytes wait in until they are complete. Every step on it is the local file system's: a
    /// failure there (a full disk, a folder that may not be written) is a <see cref="LocalFileException"/>, never
    /// taken for the network's.
    /// </summary>
    internal static class PartialFile
    {
        /// <summary>Where the bytes of a task's result wait until they are complete: beside the target, named after the task.</summary>
        public static string PathFor(string targetPath, string taskId) => targetPath + SaveFolder.PartialSuffix(taskId);

        /// <summary>A file-system step on the partial file: its failure is the file's error, with the bytes on disk kept.</summary>
        public static T Step<T>(string partial, long start, Func<T> step)
        {
            try
            {
                return step();
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw new LocalFileException(partial, ex, Math.Max(start, SafeLength(partial)));
            }
        }

        public static void Step(string partial, long start, Action step) => Step(partial, start, () =>
        {
            step();
            return true;
        });

        /// <summary>Without a claim: onto the target, replacing a file there in one rename (never delete-then-move).</summary>
        public static void MoveOnto(string partial, string targetPath, long length)
        {
            try
            {
                if (File.Exists(targetPath))
                {
                    File.Replace(partial, targetPath, null);
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
                return LengthOf(path);
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                return 0;
            }
        }

        public static long LengthOf(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
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
    }
}
