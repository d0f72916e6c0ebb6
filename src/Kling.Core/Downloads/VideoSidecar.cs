using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kling.Core.Gateway;

namespace Kling.Core.Downloads
{
    /// <summary>What became of a sidecar.</summary>
    public enum SidecarResult
    {
        /// <summary>Written (new, or replacing one Kling wrote before).</summary>
        Written,

        /// <summary>A file Kling did not write stands under the sidecar's name: it was kept, and no sidecar written.</summary>
        Foreign,
    }

    /// <summary>
    /// The metadata sidecar beside a saved video (Save-KlingVideo -Metadata): "&lt;file&gt;.json", in the format "kling.video/1"
    /// (SIDECAR.md): the task, its row, name, model and prompt, the body as sent and the row's local images, costs, times,
    /// the result's host (never its path or query) and the video's length; a value not known is left out. Written
    /// atomically (a temporary file in the same folder, then a rename), UTF-8 without a byte order mark. A file under the
    /// sidecar's name that is not a Kling sidecar (no "kind": "kling.video/1") is never overwritten. Never holds the key:
    /// nothing here knows it.
    /// </summary>
    public static class VideoSidecar
    {
        /// <summary>The format's name and version, the "kind" of every sidecar.</summary>
        public const string Kind = "kling.video/1";

        /// <summary>A sidecar's name is its video's name with this added.</summary>
        public const string Extension = ".json";

        /// <summary>A file bigger than this under the sidecar's name is not read: it is no sidecar of ours.</summary>
        private const long MostBytesRead = 16L * 1024 * 1024;

        private static readonly JsonWriterOptions Indented = new JsonWriterOptions
        {
            Indented = true,

            // Prompts stay readable (CJK, quotes); the file is JSON, never HTML: a reader that shows it escapes it.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        /// <summary>The sidecar of a video: its path + <see cref="Extension"/>.</summary>
        public static string PathFor(string videoPath) => videoPath + Extension;

        /// <summary>
        /// Writes the sidecar of result <paramref name="resultIndex"/> (0-based) of <paramref name="task"/>, saved as
        /// <paramref name="videoPath"/> (<paramref name="bytes"/> long, at <paramref name="savedAt"/>). The task's costs go
        /// with its first video only, as in the saved-file index, so adding them up counts each task once. A failure of
        /// the file system is a <see cref="LocalFileException"/> naming the sidecar.
        /// </summary>
        public static SidecarResult Write(KlingTask task, int resultIndex, string videoPath, long bytes, DateTimeOffset savedAt)
        {
            string path = PathFor(videoPath);
            byte[] content = Content(task, resultIndex, Path.GetFileName(videoPath), bytes, savedAt);
            string temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Guid.NewGuid().ToString("n") + ".kling-sidecar.tmp");
            try
            {
                if (!IsOursOrFree(path))
                {
                    return SidecarResult.Foreign;
                }

                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    file.Write(content, 0, content.Length);
                    file.Flush(true);
                }

                return Place(temp, path);
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw new LocalFileException(path, ex);
            }
            finally
            {
                PartialFile.TryDelete(temp);
            }
        }

        /// <summary>True for the sidecar a file holds (its "kind" is <see cref="Kind"/>); false for anything else or unreadable JSON.</summary>
        public static bool IsSidecar(byte[] content)
        {
            try
            {
                // An editor may have added a byte order mark.
                int start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
                using JsonDocument document = JsonDocument.Parse(new ReadOnlyMemory<byte>(content, start, content.Length - start));
                return document.RootElement.ValueKind == JsonValueKind.Object &&
                    document.RootElement.TryGetProperty("kind", out JsonElement kind) &&
                    kind.ValueKind == JsonValueKind.String &&
                    kind.GetString() == Kind;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>The sidecar's bytes (see the class and SIDECAR.md for the fields).</summary>
        internal static byte[] Content(KlingTask task, int resultIndex, string fileName, long bytes, DateTimeOffset savedAt)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, Indented))
            {
                json.WriteStartObject();
                json.WriteString("kind", Kind);
                json.WriteString("module", "Kling " + KlingClient.ModuleVersion);
                json.WriteString("file", fileName);
                if (task.VideoUrl.Length > 1)
                {
                    json.WriteNumber("index", resultIndex + 1);
                }

                json.WriteString("taskId", task.TaskId);
                if (task.Row > 0)
                {
                    json.WriteNumber("row", task.Row);
                }

                Text(json, "name", task.Name);
                Text(json, "model", task.Model);
                Text(json, "mode", task.Mode);
                if (task.Duration is int duration)
                {
                    json.WriteNumber("duration", duration);
                }

                Text(json, "prompt", task.Prompt);
                Request(json, task);
                Images(json, task);
                if (resultIndex == 0)
                {
                    Number(json, "estimatedUsd", task.EstimatedCost);
                    Number(json, "costUsd", task.Cost);
                    Number(json, "credits", task.Credits);
                }

                Time(json, "createdAt", task.Created ?? task.SubmittedAt);
                Time(json, "completedAt", task.Completed);
                Time(json, "savedAt", savedAt);
                Text(json, "resultHost", HostOf(task, resultIndex));
                json.WriteNumber("bytes", bytes);
                json.WriteEndObject();
            }

            return buffer.ToArray();
        }

        /// <summary>The result URL's host alone: never its path or query (a signed URL's query is a credential of sorts).</summary>
        private static string? HostOf(KlingTask task, int resultIndex) =>
            resultIndex < task.VideoUrl.Length && Uri.TryCreate(task.VideoUrl[resultIndex], UriKind.Absolute, out Uri? url) ? url.Host : null;

        private static void Request(Utf8JsonWriter json, KlingTask task)
        {
            string? body = task.SentBody;
            if (body == null)
            {
                return;
            }

            using JsonDocument document = JsonDocument.Parse(body);
            json.WritePropertyName("request");
            document.RootElement.WriteTo(json);
        }

        private static void Images(Utf8JsonWriter json, KlingTask task)
        {
            var images = task.LocalImages();
            if (images.Count == 0)
            {
                return;
            }

            json.WriteStartArray("images");
            foreach (TaskImage image in images)
            {
                json.WriteStartObject();
                json.WriteString("path", image.Path);
                json.WriteString("sha256", image.Sha256);
                Text(json, "url", image.Url);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        private static void Text(Utf8JsonWriter json, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                json.WriteString(name, value);
            }
        }

        private static void Number(Utf8JsonWriter json, string name, double? value)
        {
            if (value is double number && !double.IsNaN(number) && !double.IsInfinity(number))
            {
                json.WriteNumber(name, number);
            }
        }

        private static void Time(Utf8JsonWriter json, string name, DateTimeOffset? value)
        {
            if (value is DateTimeOffset time)
            {
                json.WriteString(name, time.ToString("o", CultureInfo.InvariantCulture));
            }
        }

        /// <summary>No file under the name, or a sidecar Kling wrote; a folder, a big file or any other content is someone else's.</summary>
        private static bool IsOursOrFree(string path)
        {
            if (Directory.Exists(path))
            {
                return false;
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return true;
            }

            if (info.Length > MostBytesRead)
            {
                return false;
            }

            byte[] content;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                content = new byte[file.Length];
                int read = 0;
                while (read < content.Length)
                {
                    int got = file.Read(content, read, content.Length - read);
                    if (got == 0)
                    {
                        break;
                    }

                    read += got;
                }
            }

            return IsSidecar(content);
        }

        /// <summary>
        /// The temporary file onto the sidecar's name: a move that fails when the name was taken meanwhile (then looked at
        /// again), or a rename over a sidecar of ours, so no moment leaves a half file or none under the name.
        /// </summary>
        private static SidecarResult Place(string temp, string path)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                if (File.Exists(path) || Directory.Exists(path))
                {
                    if (!IsOursOrFree(path))
                    {
                        return SidecarResult.Foreign;
                    }

                    PartialFile.RenameOver(temp, path);
                    return SidecarResult.Written;
                }

                try
                {
                    File.Move(temp, path);
                    return SidecarResult.Written;
                }
                catch (IOException) when (File.Exists(path) || Directory.Exists(path))
                {
                    // Created in between: look at what it is.
                }
            }

            return SidecarResult.Foreign;
        }
    }
}
