using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using Kling.Core.Media;

namespace Kling.Core.Gateway
{
    // The gateway's replies as typed records (API.md). Every field is optional and read tolerantly: see
    // TolerantJsonConverters. Unknown fields are ignored.

    /// <summary>One item of a submission's "data": {"status":"submitted","task_id":"..."} (or "id").</summary>
    internal sealed class SubmittedTaskReply
    {
        [JsonPropertyName("task_id"), JsonConverter(typeof(TextConverter))]
        public string? TaskId { get; set; }

        [JsonPropertyName("id"), JsonConverter(typeof(TextConverter))]
        public string? Id { get; set; }
    }

    /// <summary>A task status's "data" (GET /v1/tasks/{id}).</summary>
    internal sealed class TaskReply
    {
        [JsonPropertyName("id"), JsonConverter(typeof(TextConverter))]
        public string? Id { get; set; }

        [JsonPropertyName("task_id"), JsonConverter(typeof(TextConverter))]
        public string? TaskId { get; set; }

        [JsonPropertyName("status"), JsonConverter(typeof(TextConverter))]
        public string? Status { get; set; }

        [JsonPropertyName("progress"), JsonConverter(typeof(NumberConverter))]
        public double? Progress { get; set; }

        [JsonPropertyName("created"), JsonConverter(typeof(NumberConverter))]
        public double? Created { get; set; }

        [JsonPropertyName("completed"), JsonConverter(typeof(NumberConverter))]
        public double? Completed { get; set; }

        [JsonPropertyName("estimated_time"), JsonConverter(typeof(NumberConverter))]
        public double? EstimatedTime { get; set; }

        [JsonPropertyName("actual_time"), JsonConverter(typeof(NumberConverter))]
        public double? ActualTime { get; set; }

        /// <summary>What the finished task cost in USD (MODELS.md: data.cost), a number or numeric text.</summary>
        [JsonPropertyName("cost"), JsonConverter(typeof(NumberConverter))]
        public double? Cost { get; set; }

        /// <summary>The same in credits (data.credits_cost).</summary>
        [JsonPropertyName("credits_cost"), JsonConverter(typeof(NumberConverter))]
        public double? CreditsCost { get; set; }

        /// <summary>The result's files, from all its groups; null when there is no result object.</summary>
        [JsonPropertyName("result"), JsonConverter(typeof(ResultFilesConverter))]
        public List<ResultFile>? Result { get; set; }

        [JsonPropertyName("error"), JsonConverter(typeof(ErrorDetailConverter))]
        public ErrorDetail? Error { get; set; }

        public KlingTask ToTask(string requestedId)
        {
            var task = new KlingTask(Id ?? TaskId ?? requestedId)
            {
                Status = Status ?? "unknown",
                Progress = Progress.HasValue ? (int)Math.Round(Progress.Value) : (int?)null,
                Created = GatewayReplies.UnixTime(Created),
                Completed = GatewayReplies.UnixTime(Completed),
                EstimatedSeconds = Seconds(EstimatedTime),
                ActualSeconds = Seconds(ActualTime),
                Cost = Money(Cost),
                Credits = Money(CreditsCost),
                LastChecked = DateTimeOffset.UtcNow,
            };

            if (Result != null)
            {
                // "videos" is what video tasks return; other groups (images) are collected too rather than lost.
                task.VideoUrl = Result.SelectMany(f => f.Url ?? Array.Empty<string>()).ToArray();
                task.ExpiresAt = Result.Select(f => GatewayReplies.UnixTime(f.ExpiresAt)).Min();
            }

            if (Error != null)
            {
                task.Error = Error.Message ?? Error.Raw;
                task.ErrorCode = Error.Code;
            }

            return task;
        }

        /// <summary>A charge as said: a finite, non-negative number; anything else reads as not said.</summary>
        private static double? Money(double? value) =>
            value is double v && !double.IsNaN(v) && !double.IsInfinity(v) && v >= 0 ? v : (double?)null;

        /// <summary>A span as said, in seconds: a finite, non-negative number; anything else reads as not said.</summary>
        private static double? Seconds(double? seconds) =>
            seconds is double v && !double.IsNaN(v) && !double.IsInfinity(v) && v >= 0 ? v : (double?)null;
    }

    /// <summary>One file of a task's result: {"url": "..." or [...], "expires_at": ...}.</summary>
    internal sealed class ResultFile
    {
        [JsonPropertyName("url"), JsonConverter(typeof(StringOrArrayConverter))]
        public string[]? Url { get; set; }

        [JsonPropertyName("expires_at"), JsonConverter(typeof(NumberConverter))]
        public double? ExpiresAt { get; set; }
    }

    /// <summary>An error: {"code": N, "message": "...", "type": "..."}, or only a message when the gateway sent a string.</summary>
    internal sealed class ErrorDetail
    {
        [JsonPropertyName("code"), JsonConverter(typeof(TextConverter))]
        public string? Code { get; set; }

        [JsonPropertyName("message"), JsonConverter(typeof(TextConverter))]
        public string? Message { get; set; }

        [JsonPropertyName("type"), JsonConverter(typeof(TextConverter))]
        public string? Type { get; set; }

        /// <summary>The error object as the gateway wrote it (null for a plain string).</summary>
        [JsonIgnore]
        public string? Raw { get; set; }
    }

    /// <summary>An error reply: {"error": {...} or "..."}, or the fields at the top ({"code":500,"msg":"..."}, {"success":false,"message":"..."}).</summary>
    internal sealed class ErrorReply
    {
        [JsonPropertyName("error"), JsonConverter(typeof(ErrorDetailConverter))]
        public ErrorDetail? Error { get; set; }

        [JsonPropertyName("code"), JsonConverter(typeof(TextConverter))]
        public string? Code { get; set; }

        [JsonPropertyName("message"), JsonConverter(typeof(TextConverter))]
        public string? Message { get; set; }

        [JsonPropertyName("msg"), JsonConverter(typeof(TextConverter))]
        public string? Msg { get; set; }

        [JsonPropertyName("type"), JsonConverter(typeof(TextConverter))]
        public string? Type { get; set; }
    }

    /// <summary>An image upload's reply: {"url", "filename", "content_type", "bytes", "created_at"}.</summary>
    internal sealed class UploadReply
    {
        [JsonPropertyName("url"), JsonConverter(typeof(TextConverter))]
        public string? Url { get; set; }

        [JsonPropertyName("filename"), JsonConverter(typeof(TextConverter))]
        public string? FileName { get; set; }

        [JsonPropertyName("content_type"), JsonConverter(typeof(TextConverter))]
        public string? ContentType { get; set; }

        [JsonPropertyName("bytes"), JsonConverter(typeof(NumberConverter))]
        public double? Bytes { get; set; }

        [JsonPropertyName("created_at"), JsonConverter(typeof(NumberConverter))]
        public double? CreatedAt { get; set; }

        /// <summary>The upload, with what the reply leaves out taken from the file; null without a usable absolute url.</summary>
        public ImageUpload? ToUpload(LocalImage image, TimeSpan lifetime)
        {
            if (!Uri.TryCreate(Url, UriKind.Absolute, out Uri? url))
            {
                return null;
            }

            DateTimeOffset created = GatewayReplies.UnixTime(CreatedAt) ?? DateTimeOffset.UtcNow;
            return new ImageUpload
            {
                Url = url.ToString(),
                FileName = FileName ?? System.IO.Path.GetFileName(image.Path),
                ContentType = ContentType ?? image.ContentType,
                Bytes = Bytes.HasValue ? (long)Bytes.Value : image.Bytes,
                CreatedAt = created,
                ExpiresAt = created + lifetime,
                Sha256 = image.Sha256,
                Path = image.Path,
            };
        }
    }
}
