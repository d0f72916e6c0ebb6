namespace Kling.Core.Gallery
{
    /// <summary>What became of a card's row: a saved video, or a row of the journal with no video to show.</summary>
    public enum GalleryCardState
    {
        /// <summary>A video saved in the folder.</summary>
        Saved,

        /// <summary>The task failed or was cancelled (the gateway's reason in <see cref="GalleryCard.Reason"/>).</summary>
        Failed,

        /// <summary>
        /// The row was not sent, or the gateway refused it, billing nothing (the journal's "not_sent" line and its reason:
        /// the gateway's words, or a stop while the row waited its turn).
        /// </summary>
        NotSent,

        /// <summary>The submission's outcome is unknown (a "sending" line with no task id): it may have been billed.</summary>
        InDoubt,

        /// <summary>The journal has the task, but the folder holds no video of it (still running, or not saved yet).</summary>
        NoFile,
    }

    /// <summary>
    /// One card of the gallery page: a saved video with what is known of the row that made it, or a journal row that made
    /// no video, with the gateway's reason. Any field may be unknown (null).
    /// </summary>
    public sealed class GalleryCard
    {
        public GalleryCardState State { get; set; }

        /// <summary>The video's file name in the folder (no folder part); null for a row without a video.</summary>
        public string? File { get; set; }

        public string? TaskId { get; set; }

        /// <summary>The 1-based row of the batch; null when unknown.</summary>
        public int? Row { get; set; }

        public string? Name { get; set; }

        public string? Model { get; set; }

        public string? Mode { get; set; }

        /// <summary>The seconds asked for.</summary>
        public int? Duration { get; set; }

        public string? Prompt { get; set; }

        /// <summary>What the task cost in USD when known, counted on one card of the task only (see <see cref="GalleryTotals"/>).</summary>
        public double? CostUsd { get; set; }

        /// <summary>The file's length in bytes, when known.</summary>
        public long? Bytes { get; set; }

        /// <summary>Why a row made no video: the gateway's or the journal's words.</summary>
        public string? Reason { get; set; }

        /// <summary>Where the card's facts came from: "sidecar", "index+journal", "index" or (a row without a video) "journal".</summary>
        public string Source { get; set; } = string.Empty;
    }
}
