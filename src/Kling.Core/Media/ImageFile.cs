using System;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;

namespace Kling.Core.Media
{
    /// <summary>A local image file checked for the gateway's upload rules (type by content, size), with its content hash.</summary>
    public sealed class LocalImage
    {
        public LocalImage(string path, string contentType, long bytes, string sha256)
        {
            Path = path;
            ContentType = contentType;
            Bytes = bytes;
            Sha256 = sha256;
        }

        /// <summary>The full path on disk.</summary>
        public string Path { get; }

        public string ContentType { get; }

        public long Bytes { get; }

        /// <summary>SHA-256 of the content, lower-case hex: the file's identity for the upload cache and the journal.</summary>
        public string Sha256 { get; }

        /// <summary>What stands in image_urls until the file is uploaded (and in the journal's row identity, for good).</summary>
        public string Placeholder => ImageFile.PlaceholderPrefix + Sha256;
    }

    /// <summary>Checks local images before anything is sent: JPEG, PNG, WebP or GIF by their first bytes, at most 20 MB.</summary>
    public static class ImageFile
    {
        public const long MaxBytes = 20L * 1024 * 1024;
        public const string PlaceholderPrefix = "sha256:";

        private static readonly ConcurrentDictionary<string, Tuple<long, DateTime, string>> Hashes =
            new ConcurrentDictionary<string, Tuple<long, DateTime, string>>(StringComparer.Ordinal);

        /// <summary>The MIME type of an image's content, or null when it is none of the four the gateway takes.</summary>
        public static string? DetectContentType(byte[] head, int count)
        {
            if (count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
            {
                return "image/jpeg";
            }

            if (count >= 8 && head[0] == 0x89 && head[1] == 0x50 && head[2] == 0x4E && head[3] == 0x47 &&
                head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A)
            {
                return "image/png";
            }

            if (count >= 12 && head[0] == (byte)'R' && head[1] == (byte)'I' && head[2] == (byte)'F' && head[3] == (byte)'F' &&
                head[8] == (byte)'W' && head[9] == (byte)'E' && head[10] == (byte)'B' && head[11] == (byte)'P')
            {
                return "image/webp";
            }

            if (count >= 6 && head[0] == (byte)'G' && head[1] == (byte)'I' && head[2] == (byte)'F' && head[3] == (byte)'8' &&
                (head[4] == (byte)'7' || head[4] == (byte)'9') && head[5] == (byte)'a')
            {
                return "image/gif";
            }

            return null;
        }

        /// <summary>
        /// Checks one file; returns it, or null with the problem as a predicate about the file ("does not exist",
        /// "is not a JPEG, PNG, WebP or GIF image ...", "is 25.0 MB; ...", ...), for the caller to put after its name. The hash is remembered per path, length and write time, so a file shared by many rows
        /// is read once.
        /// </summary>
        public static LocalImage? Inspect(string fullPath, out string? problem)
        {
            problem = null;
            try
            {
                var info = new FileInfo(fullPath);
                if (!info.Exists)
                {
                    problem = Directory.Exists(fullPath) ? "is a folder, not an image file" : "does not exist";
                    return null;
                }

                if (info.Length > MaxBytes)
                {
                    problem = $"is {info.Length / 1048576.0:0.0} MB; the gateway takes images of at most 20 MB";
                    return null;
                }

                string? contentType;
                using (var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    byte[] head = new byte[12];
                    int count = 0;
                    int read;
                    while (count < head.Length && (read = stream.Read(head, count, head.Length - count)) > 0)
                    {
                        count += read;
                    }

                    contentType = DetectContentType(head, count);
                }

                if (contentType == null)
                {
                    problem = info.Length == 0
                        ? "is empty"
                        : "is not a JPEG, PNG, WebP or GIF image (judged by its content, not its name)";
                    return null;
                }

                return new LocalImage(info.FullName, contentType, info.Length, HashOf(info));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                problem = "could not be read: " + ex.Message.TrimEnd('.');
                return null;
            }
        }

        private static string HashOf(FileInfo info)
        {
            if (Hashes.TryGetValue(info.FullName, out Tuple<long, DateTime, string>? known) &&
                known.Item1 == info.Length && known.Item2 == info.LastWriteTimeUtc)
            {
                return known.Item3;
            }

            string hash;
            using (var sha = SHA256.Create())
            using (var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                hash = BitConverter.ToString(sha.ComputeHash(stream)).Replace("-", string.Empty).ToLowerInvariant();
            }

            Hashes[info.FullName] = Tuple.Create(info.Length, info.LastWriteTimeUtc, hash);
            return hash;
        }
    }
}
