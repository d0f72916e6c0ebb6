using System;
using System.Linq;
using System.Text.Json;
using Kling.Core.Media;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// Reads the gateway's reply bodies into typed records (<see cref="TaskReply"/> and its kin). A reply may come
    /// wrapped in {"code":200,"data":...} or bare, and "data" may be an object or an array holding it.
    /// </summary>
    internal static class GatewayReplies
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions();

        /// <summary>Reads {"code":200,"data":[{"status":"submitted","task_id":"..."}]} (or "data" as one object).</summary>
        internal static string? ReadSubmittedTaskId(string body)
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement data = Data(doc.RootElement);
            return data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray().Select(SubmittedTaskId).FirstOrDefault(id => !string.IsNullOrEmpty(id))
                : SubmittedTaskId(data);
        }

        /// <summary>Reads a task status; a JsonException when the reply holds no task object.</summary>
        internal static KlingTask ReadTask(string body, string requestedId)
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            JsonElement data = Data(doc.RootElement);
            if (data.ValueKind == JsonValueKind.Array)
            {
                data = data.EnumerateArray().FirstOrDefault(item => item.ValueKind == JsonValueKind.Object);
            }

            if (data.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("The task status has no data object.");
            }

            return data.Deserialize<TaskReply>(Options)!.ToTask(requestedId);
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
                ErrorReply? reply = JsonSerializer.Deserialize<ErrorReply>(body!, Options);
                if (reply?.Error != null)
                {
                    return (reply.Error.Code, reply.Error.Message, reply.Error.Type);
                }

                return reply != null ? (reply.Code, reply.Message ?? reply.Msg, reply.Type) : (null, null, null);
            }
            catch (JsonException)
            {
                return (null, null, null);
            }
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
                JsonElement data = Data(doc.RootElement);
                JsonElement reply = data.ValueKind == JsonValueKind.Object ? data : doc.RootElement;
                return reply.ValueKind == JsonValueKind.Object ? reply.Deserialize<UploadReply>(Options)!.ToUpload(image, lifetime) : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>A Unix time in seconds (or, when implausibly large, milliseconds); null when absent or not positive.</summary>
        internal static DateTimeOffset? UnixTime(double? value)
        {
            if (!value.HasValue || value.Value <= 0)
            {
                return null;
            }

            // Tolerate milliseconds as well as the documented seconds.
            double seconds = value.Value > 100_000_000_000 ? value.Value / 1000 : value.Value;
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }

        private static JsonElement Data(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out JsonElement data) ? data : root;

        private static string? SubmittedTaskId(JsonElement item)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            SubmittedTaskReply reply = item.Deserialize<SubmittedTaskReply>(Options)!;
            return reply.TaskId ?? reply.Id;
        }
    }
}
