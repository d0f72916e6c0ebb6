using System;
using System.Collections.Generic;
using System.Linq;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core
{
    /// <summary>A generation task as the module knows it: what was sent, and the gateway's latest word on it.</summary>
    public sealed class KlingTask
    {
        private string? model;
        private string? prompt;

        public KlingTask(string taskId)
        {
            TaskId = taskId;
        }

        public string TaskId { get; }

        /// <summary>The user's label (the -Name column); used as the file name when saving.</summary>
        public string? Name { get; set; }

        /// <summary>The API's status string: submitted, pending, processing, completed, failed, cancelled (or whatever new value it sends).</summary>
        public string Status { get; set; } = KlingTaskStatus.Submitted;

        public int? Progress { get; set; }

        /// <summary>All result URLs (empty until completed).</summary>
        public string[] VideoUrl { get; set; } = Array.Empty<string>();

        public DateTimeOffset? ExpiresAt { get; set; }

        /// <summary>
        /// How long the gateway expected the task to run, in seconds (its <c>estimated_time</c>); null when not said. A number, so
        /// that ConvertTo-Json and Export-Csv write it as one.
        /// </summary>
        public double? EstimatedSeconds { get; set; }

        /// <summary>How long the finished task ran, in seconds (the gateway's <c>actual_time</c>); null when not said.</summary>
        public double? ActualSeconds { get; set; }

        public DateTimeOffset? Created { get; set; }

        public DateTimeOffset? Completed { get; set; }

        /// <summary>The gateway's error message for a failed task.</summary>
        public string? Error { get; set; }

        public string? ErrorCode { get; set; }

        /// <summary>
        /// What the gateway charged for the finished task, in USD (its status's <c>cost</c>); null while it runs or when the
        /// gateway does not say. A failed task the gateway refunded shows its 0.
        /// </summary>
        public double? Cost { get; set; }

        /// <summary>The same charge in the gateway's credits (its status's <c>credits_cost</c>; 10 credits = 1 USD); null when not said.</summary>
        public double? Credits { get; set; }

        /// <summary>
        /// What the price list in force said the task would cost at most, in USD, when New-KlingVideo submitted it (tier and
        /// seconds by the catalog's rule); null when the list had no price for it or the task was not submitted by this run.
        /// </summary>
        public double? EstimatedCost { get; set; }

        /// <summary>
        /// For a failed task, which kind of failure it was when the gateway's code or message tells: the content refused
        /// (moderation, safety, policy) or the gateway failing (internal error, timeout, upstream); null otherwise.
        /// </summary>
        public TaskFailureKind? FailureKind =>
            string.Equals(Status, KlingTaskStatus.Failed, StringComparison.OrdinalIgnoreCase) ? TaskFailureKinds.Of(ErrorCode, Error) : (TaskFailureKind?)null;

        /// <summary>The 1-based pipeline row this task was submitted from (0 when unknown).</summary>
        public int Row { get; set; }

        /// <summary>The batch (one New-KlingVideo command) that submitted it, as the task history names it; null when not known.</summary>
        public string? BatchId { get; set; }

        /// <summary>The request body that was sent (null when the task was only looked up by id).</summary>
        public VideoRequest? Request { get; set; }

        /// <summary>The model the task was sent to: the request's, else what the task history says; null when neither is known (a task looked up by id).</summary>
        public string? Model
        {
            get => model ?? Request?.Model;
            set => model = value;
        }

        /// <summary>
        /// The prompt sent: the request's, or for a multi-shot request without one its shots' prompts, one a line; else the
        /// one set (null when the request is not known).
        /// </summary>
        public string? Prompt
        {
            get => prompt ?? PromptOf(Request);
            set => prompt = value;
        }

        /// <summary>The mode sent, else the model's default from the catalog (std); null where the model has no mode (kling-3.0-turbo), the catalog does not know the model, or the request is not known.</summary>
        public string? Mode => Request == null ? null : Request.Mode ?? Spec?.DefaultMode;

        /// <summary>The seconds sent, else the model's default from the catalog; null where the gateway decides (motion control), no default is stated, or the request is not known.</summary>
        public int? Duration => Request == null ? null : Request.Duration ?? Spec?.DefaultDuration;

        /// <summary>The resolution sent, else the model's default from the catalog (kling-3.0-turbo: 720p); null for a model without resolution.</summary>
        public string? Resolution => Request == null ? null : Request.Resolution ?? Spec?.DefaultResolution;

        public DateTimeOffset? SubmittedAt { get; set; }

        public DateTimeOffset? LastChecked { get; set; }

        public bool IsCompleted => KlingTaskStatus.IsCompleted(Status);

        public bool IsFinished => KlingTaskStatus.IsFinished(Status);

        /// <summary>Copies what the gateway just said, keeping what only the client knows (name, row, model, prompt, request).</summary>
        public void Update(KlingTask fresh)
        {
            Status = fresh.Status;
            Progress = fresh.Progress;
            VideoUrl = fresh.VideoUrl;
            ExpiresAt = fresh.ExpiresAt;
            EstimatedSeconds = fresh.EstimatedSeconds;
            ActualSeconds = fresh.ActualSeconds;
            Created = fresh.Created ?? Created;
            Completed = fresh.Completed;
            Error = fresh.Error;
            ErrorCode = fresh.ErrorCode;
            Cost = fresh.Cost ?? Cost;
            EstimatedCost = fresh.EstimatedCost ?? EstimatedCost;
            Credits = fresh.Credits ?? Credits;
            LastChecked = fresh.LastChecked;
        }

        public override string ToString() => TaskId;

        /// <summary>The estimate as a span, for the watch schedule (not a public property: PowerShell would write its every field).</summary>
        internal TimeSpan? EstimatedTime => EstimatedSeconds.HasValue ? TimeSpan.FromSeconds(EstimatedSeconds.Value) : (TimeSpan?)null;

        /// <summary>
        /// The request body exactly as the gateway received it (JSON); null when the request is not known, or when one of
        /// its local images has no upload URL here (a rerun's task recalled from the journal, whose images were uploaded
        /// by the run that sent it).
        /// </summary>
        internal string? SentBody
        {
            get
            {
                VideoRequest? sent = Request?.LocalImages == null ? Request : UploadUrls == null ? null : Request.WithImageUrls(image => UploadUrl(image)!);
                return sent == null || sent.LocalImages != null ? null : GatewayJson.Serialize(sent);
            }
        }

        /// <summary>
        /// For a task a rerun recalled from its journal: the upload URLs the run that sent it used for the row's local
        /// images, by content hash (the request keeps the local files, which a resend uploads afresh); else null.
        /// </summary>
        internal IReadOnlyDictionary<string, string>? UploadUrls { get; set; }

        /// <summary>The local images of the row, in body order, each once, with their upload URLs where known; empty when none or unknown.</summary>
        internal IReadOnlyList<TaskImage> LocalImages() =>
            Request == null
                ? Array.Empty<TaskImage>()
                : Request.AllImages
                    .Where(i => i.Local != null)
                    .Select(i => new TaskImage(i.Local!.Path, i.Local.Sha256, i.Url ?? UploadUrl(i.Local)))
                    .GroupBy(i => (i.Path, i.Url))
                    .Select(g => g.First())
                    .ToList();

        /// <summary>The URL <see cref="UploadUrls"/> gives a local image; null when it gives none.</summary>
        private string? UploadUrl(Media.LocalImage image) =>
            UploadUrls != null && UploadUrls.TryGetValue(image.Sha256, out string? url) ? url : null;

        /// <summary>The catalog's entry for the request's model; null when the request or the model is not known.</summary>
        private ModelSpec? Spec => ModelCatalog.Find(Request?.Model);

        private static string? PromptOf(VideoRequest? request)
        {
            if (request == null || request.Prompt != null || request.MultiPrompt == null || request.MultiPrompt.Count == 0)
            {
                return request?.Prompt;
            }

            return string.Join("\n", request.MultiPrompt.Select(shot => shot.Prompt));
        }
    }

    public static class KlingTaskStatus
    {
        public const string Submitted = "submitted";
        public const string Pending = "pending";
        public const string Processing = "processing";
        public const string Completed = "completed";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";

        public static bool IsCompleted(string? status) => string.Equals(status, Completed, StringComparison.OrdinalIgnoreCase);

        public static bool IsFailed(string? status) =>
            string.Equals(status, Failed, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(status, Cancelled, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(status, "canceled", StringComparison.OrdinalIgnoreCase);

        /// <summary>Unknown statuses count as still running: a tolerant reader waits rather than crashes.</summary>
        public static bool IsFinished(string? status) => IsCompleted(status) || IsFailed(status);
    }
}
