using System.Collections.Generic;

namespace Kling.Core
{
    /// <summary>One row as the user gave it: every field a string (or null when not given), not yet checked.</summary>
    public sealed class VideoInput
    {
        public string? Prompt { get; set; }
        public string? Model { get; set; }
        public string? Mode { get; set; }
        public string? Duration { get; set; }
        public string? AspectRatio { get; set; }
        public IList<string>? ImageUrls { get; set; }
        public string? VideoUrl { get; set; }
        public string? ReferType { get; set; }
        public string? KeepOriginalSound { get; set; }
    }
}
