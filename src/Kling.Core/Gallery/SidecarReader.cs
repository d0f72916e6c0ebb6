using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Kling.Core.Downloads;

namespace Kling.Core.Gallery
{
    /// <summary>
    /// Reads a video's sidecar (<c>&lt;file&gt;.json</c> beside it, written by Save-KlingVideo -Metadata through
    /// <see cref="VideoSidecar"/>, whose name and kind it reads by) into a card, liberally: unknown fields are ignored, any field may be missing or of another
    /// type, and a file that is not a sidecar of that kind is no sidecar at all.
    /// </summary>
    public static class SidecarReader
    {
        /// <summary>The sidecar of the video at <paramref name="videoPath"/> as a saved video's card, or null when it has none readable.</summary>
        public static GalleryCard? Read(string videoPath)
        {
            string path = VideoSidecar.PathFor(videoPath);
            if (!System.IO.File.Exists(path))
            {
                return null;
            }

            try
            {
                return Parse(System.IO.File.ReadAllText(path), Path.GetFileName(videoPath));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The card a sidecar's text describes (its video named <paramref name="fileName"/>), or null when it is not a sidecar.</summary>
        public static GalleryCard? Parse(string json, string fileName)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || Text(root, "kind") != VideoSidecar.Kind)
                {
                    return null;
                }

                JsonElement request = root.TryGetProperty("request", out JsonElement r) && r.ValueKind == JsonValueKind.Object ? r : default;
                return new GalleryCard
                {
                    State = GalleryCardState.Saved,
                    File = fileName,
                    TaskId = Text(root, "taskId"),
                    Row = Integer(root, "row"),
                    Name = Text(root, "name"),
                    Model = Text(root, "model") ?? Text(request, "model"),
                    Mode = Text(root, "mode") ?? Text(request, "mode"),
                    Duration = Integer(root, "duration") ?? Integer(request, "duration"),
                    Prompt = Text(root, "prompt") ?? Text(request, "prompt"),
                    CostUsd = Number(root, "costUsd"),
                    Bytes = (long?)Number(root, "bytes"),
                    Source = "sidecar",
                };
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement parent, string name)
        {
            if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String: return value.GetString();
                case JsonValueKind.Number: return value.GetRawText();
                default: return null;
            }
        }

        private static double? Number(JsonElement parent, string name)
        {
            if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number))
            {
                return number;
            }

            return value.ValueKind == JsonValueKind.String &&
                   double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : (double?)null;
        }

        private static int? Integer(JsonElement parent, string name)
        {
            double? number = Number(parent, name);
            return number.HasValue && number.Value >= int.MinValue && number.Value <= int.MaxValue && Math.Floor(number.Value) == number.Value
                ? (int)number.Value
                : (int?)null;
        }
    }
}
