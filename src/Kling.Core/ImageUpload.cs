using System;

namespace Kling.Core
{
    /// <summary>An image on the gateway: its URL (good for image_urls until ExpiresAt) and what was uploaded.</summary>
    public sealed class ImageUpload
    {
        public string Url { get; set; } = string.Empty;

        public string FileName { get; set; } = string.Empty;

        public string ContentType { get; set; } = string.Empty;

        public long Bytes { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        /// <summary>72 hours after the upload.</summary>
        public DateTimeOffset ExpiresAt { get; set; }

        public string Sha256 { get; set; } = string.Empty;

        /// <summary>The local file it came from.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>True when this upload came from the session's cache rather than a new upload.</summary>
        public bool FromCache { get; set; }
    }
}
