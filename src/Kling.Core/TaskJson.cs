using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Kling.Core
{
    /// <summary>Reads the gateway's JSON bodies as a tolerant reader: unknown fields are ignored, shapes may vary.</summary>
    internal static class TaskJson
    {
        /// <summary>Reads {"code":200,"data":[{"status":"submitted","task_id":"..."}]}.</summary>
        internal static string? ReadSubmittedTaskId(string body)
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement data = Data(doc.RootElement);
            if (data.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in data.EnumerateArray())
                {
                    string? id = String(item, "task_id") ?? String(item, "id");
                    if (!string.IsNullOrEmpty(id))
                    {
                        return id;
                    }
                }

                return null;
            }

            return data.ValueKind == JsonValueKind.Object ? String(data, "task_id") ?? String(data, "id") : null;
        }

        internal static KlingTask ReadTask(string body, string requestedId)
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement data = Data(doc.RootElement);
            if (data.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("The task status has no data object.");
            }

            var task = new KlingTask(String(data, "id") ?? String(data, "task_id") ?? requestedId)
            {
                Status = String(data, "status") ?? "unknown",
                Progress = Int(data, "progress"),
                Created = UnixTime(data, "created"),
                Completed = UnixTime(data, "completed"),
                EstimatedTime = Seconds(data, "estimated_time"),
                ActualTime = Seconds(data, "actual_time"),
                LastChecked = DateTimeOffset.UtcNow,
            };

            if (data.TryGetProperty("result", out JsonElement result) && result.ValueKind == JsonValueKind.Object)
            {
                var urls = new List<string>();
                DateTimeOffset? expires = null;
                foreach (JsonProperty group in result.EnumerateObject())
                {
                    // "videos" is what video tasks return; other groups (images) are collected too rather than lost.
                    if (group.Value.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (JsonElement item in group.Value.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String)
                        {
                            urls.Add(item.GetString()!);
                            continue;
                        }

                        if (item.ValueKind != JsonValueKind.Object)
                        {
                            continue;
                        }

                        if (item.TryGetProperty("url", out JsonElement url))
                        {
                            if (url.ValueKind == JsonValueKind.String)
                            {
                                urls.Add(url.GetString()!);
                            }
                            else if (url.ValueKind == JsonValueKind.Array)
                            {
                                foreach (JsonElement u in url.EnumerateArray())
                                {
                                    if (u.ValueKind == JsonValueKind.String)
                                    {
                                        urls.Add(u.GetString()!);
                                    }
                                }
                            }
                        }

                        DateTimeOffset? e = UnixTime(item, "expires_at");
                        if (e.HasValue && (!expires.HasValue || e < expires))
                        {
                            expires = e;
                        }
                    }
                }

                task.VideoUrl = urls.ToArray();
                task.ExpiresAt = expires;
            }

            if (data.TryGetProperty("error", out JsonElement error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    task.Error = error.GetString();
                }
                else if (error.ValueKind == JsonValueKind.Object)
                {
                    task.Error = String(error, "message") ?? error.GetRawText();
                    task.ErrorCode = String(error, "code");
                }
            }

            return task;
        }

        /// <summary>Reads {"error":{"code":N,"message":"...","type":"..."}}; null parts when the body is something else.</summary>
        internal static (string? Code, string? Message, string? Type) ReadError(string? body)
        {
            if (string.IsNullOrWhiteSpace(body))
            {
                return (null, null, null);
            }

            try
            {
                using JsonDocument doc = JsonDocument.Parse(body!);
                JsonElement root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out JsonElement error))
                {
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        return (String(error, "code"), String(error, "message"), String(error, "type"));
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return (null, error.GetString(), null);
                    }
                }

                if (root.ValueKind == JsonValueKind.Object)
                {
                    return (String(root, "code"), String(root, "message") ?? String(root, "msg"), String(root, "type"));
                }
            }
            catch (JsonException)
            {
            }

            return (null, null, null);
        }

        /// <summary>
        /// Reads an upload's answer {"url": ..., "filename": ..., "content_type": ..., "bytes": ..., "created_at": ...}, also
        /// when wrapped in "data"; null without a usable absolute url. Missing fields come from the uploaded file.
        /// </summary>
        internal static ImageUpload? ReadUpload(string body, LocalImage image, TimeSpan lifetime)
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(body);
                JsonElement root = doc.RootElement;
                JsonElement data = Data(root);
                if (data.ValueKind == JsonValueKind.Object)
                {
                    root = data;
                }

                if (!Uri.TryCreate(String(root, "url"), UriKind.Absolute, out Uri? url))
                {
                    return null;
                }

                DateTimeOffset created = UnixTime(root, "created_at") ?? DateTimeOffset.UtcNow;
                double? bytes = Number(root, "bytes");
                return new ImageUpload
                {
                    Url = url.ToString(),
                    FileName = String(root, "filename") ?? System.IO.Path.GetFileName(image.Path),
                    ContentType = String(root, "content_type") ?? image.ContentType,
                    Bytes = bytes.HasValue ? (long)bytes.Value : image.Bytes,
                    CreatedAt = created,
                    ExpiresAt = created + lifetime,
                    Sha256 = image.Sha256,
                    Path = image.Path,
                };
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static JsonElement Data(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out JsonElement data) ? data : root;

        private static string? String(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return value.GetRawText();
                default:
                    return null;
            }
        }

        private static double? Number(JsonElement obj, string name)
        {
            if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d))
            {
                return d;
            }

            if (value.ValueKind == JsonValueKind.String &&
                double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d))
            {
                return d;
            }

            return null;
        }

        private static int? Int(JsonElement obj, string name)
        {
            double? d = Number(obj, name);
            return d.HasValue ? (int)Math.Round(d.Value) : (int?)null;
        }

        private static TimeSpan? Seconds(JsonElement obj, string name)
        {
            double? d = Number(obj, name);
            return d.HasValue ? TimeSpan.FromSeconds(d.Value) : (TimeSpan?)null;
        }

        private static DateTimeOffset? UnixTime(JsonElement obj, string name)
        {
            double? d = Number(obj, name);
            if (!d.HasValue || d.Value <= 0)
            {
                return null;
            }

            // Tolerate milliseconds as well as the documented seconds.
            double seconds = d.Value > 100_000_000_000 ? d.Value / 1000 : d.Value;
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }
    }
}
