using System;

namespace Kling.Core.Media
{
    /// <summary>Reads the local image a row names: the only file I/O between a row and its request.</summary>
    public interface IImageReader
    {
        /// <summary>The checked image, or null with the problem as a sentence about the file.</summary>
        LocalImage? Read(string path, out string? problem);
    }

    /// <summary>
    /// Local images from disk: the path resolved as the caller says (the cmdlets: against the PowerShell location), the
    /// file checked by <see cref="ImageFile.Inspect"/> (type by content, size) and hashed.
    /// </summary>
    public sealed class DiskImageReader : IImageReader
    {
        private readonly Func<string, string>? resolvePath;

        public DiskImageReader(Func<string, string>? resolvePath = null)
        {
            this.resolvePath = resolvePath;
        }

        public LocalImage? Read(string path, out string? problem)
        {
            string fullPath;
            try
            {
                fullPath = resolvePath != null ? resolvePath(path) : System.IO.Path.GetFullPath(path);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                problem = $"'{path}' is not a usable path: {ex.Message}";
                return null;
            }

            LocalImage? image = ImageFile.Inspect(fullPath, out string? fileProblem);
            if (image != null)
            {
                problem = null;
                return image;
            }

            string hint = path.IndexOf(',') >= 0 && !System.IO.File.Exists(fullPath) ? " To give several images in one cell, separate them with ';'." : string.Empty;
            problem = $"names '{fullPath}', which {fileProblem}.{hint}";
            return null;
        }
    }
}
