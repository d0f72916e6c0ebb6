using System;
using System.IO;
using System.Text;

namespace Kling.Core.Gallery
{
    /// <summary>A file the gallery would overwrite that Kling did not write: it is left as it was.</summary>
    public sealed class ForeignFileException : IOException
    {
        public ForeignFileException(string path)
            : base($"'{path}' exists and is not a gallery page Kling wrote, so it was left as it was. Give another -OutFile, or move that file away.")
        {
            Path = path;
        }

        public string Path { get; }
    }

    /// <summary>
    /// Writes the page: UTF-8 without a byte order mark, atomically (a temporary file in the same folder, then a rename
    /// over the old page), and only over a page Kling wrote (one carrying <see cref="GalleryPage.Generator"/> near its start).
    /// </summary>
    public static class GalleryFile
    {
        /// <summary>How far into an existing file its mark is looked for.</summary>
        private const int MarkWithin = 4096;

        /// <summary>Writes <paramref name="html"/> to <paramref name="path"/>; throws <see cref="ForeignFileException"/> when the file there is not Kling's.</summary>
        public static void Write(string path, string html)
        {
            if (Directory.Exists(path) || (File.Exists(path) && !IsKlingPage(path)))
            {
                throw new ForeignFileException(path);
            }

            string temporary = Path.Combine(Path.GetDirectoryName(path) ?? ".", "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                File.WriteAllText(temporary, html, new UTF8Encoding(false));
                if (File.Exists(path))
                {
                    // Checked again just before: a file put there meanwhile by someone else is not replaced.
                    if (!IsKlingPage(path))
                    {
                        throw new ForeignFileException(path);
                    }

                    File.Replace(temporary, path, null);
                }
                else
                {
                    File.Move(temporary, path);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>Whether the file at <paramref name="path"/> carries the mark of a page Kling wrote.</summary>
        public static bool IsKlingPage(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                byte[] start = new byte[MarkWithin];
                int read = 0;
                int got;
                while (read < start.Length && (got = stream.Read(start, read, start.Length - read)) > 0)
                {
                    read += got;
                }

                return Encoding.UTF8.GetString(start, 0, read).IndexOf(GalleryPage.Generator, StringComparison.Ordinal) >= 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return false;
            }
        }
    }
}
