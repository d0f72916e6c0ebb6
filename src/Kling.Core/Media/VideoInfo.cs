using System;

namespace Kling.Core.Media
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
}
