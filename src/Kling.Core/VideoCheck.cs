using System;

namespace Kling.Core
{
    /// <summary>What the header of an MP4/MOV file says about its video.</summary>
    public sealed class VideoInfo
    {
        /// <summary>MP4 or MOV.</summary>
        public string Container { get; set; } = "MP4";

        public TimeSpan? Duration { get; set; }

        public int? Width { get; set; }

        public int? Height { get; set; }

        public double? FrameRate { get; set; }

        public long Bytes { get; set; }
    }

    /// <summary>A local reference video checked against the API's rules for video_url.</summary>
    public sealed class VideoCheck
    {
        public string Path { get; set; } = string.Empty;

        /// <summary>MP4 or MOV; null when the file is neither.</summary>
        public string? Container { get; set; }

        public TimeSpan? Duration { get; set; }

        public int? Width { get; set; }

        public int? Height { get; set; }

        public double? FrameRate { get; set; }

        public long Bytes { get; set; }

        /// <summary>base or feature: the rules differ in the longest duration allowed.</summary>
        public string ReferType { get; set; } = "base";

        public bool IsValid => Problems.Length == 0;

        public string[] Problems { get; set; } = Array.Empty<string>();
    }
}
