using System.Collections.Generic;
using Kling.Core.Media;

namespace Kling.Core.Requests
{
    /// <summary>One row as the user gave it: every field a string (or null when not given), not yet checked.</summary>
    public sealed class VideoInput
    {
        public string? Prompt { get; set; }
        public string? Model { get; set; }
        public string? Mode { get; set; }
        public string? Duration { get; set; }
        public string? AspectRatio { get; set; }
        /// <summary>image_urls: URLs, or local image files (uploaded first).</summary>
        public IList<string>? ImageUrls { get; set; }

        /// <summary>image / images: the same as ImageUrls, under the friendlier name.</summary>
        public IList<string>? Images { get; set; }

        /// <summary>first_frame / last_frame: positions 1 and 2 of image_urls, by name.</summary>
        public string? FirstFrame { get; set; }

        public string? LastFrame { get; set; }

        /// <summary>Reads the local images the row names (the cmdlet's resolves paths against the PowerShell location).</summary>
        public IImageReader ImageReader { get; set; } = new DiskImageReader();
        public string? VideoUrl { get; set; }
        public string? ReferType { get; set; }
        public string? KeepOriginalSound { get; set; }
    }
}
