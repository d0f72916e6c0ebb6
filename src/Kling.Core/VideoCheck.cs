using System;

namespace Kling.Core
{
    /// <summary>A local reference video checked against a model's rules for its reference video.</summary>
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

        /// <summary>The model whose rules were applied; empty for motion control chosen by -CharacterOrientation alone.</summary>
        public string? Model { get; set; }

        /// <summary>base or feature (video_list models): the rules differ in the longest duration allowed; empty for motion control.</summary>
        public string? ReferType { get; set; }

        /// <summary>image or video (motion control): image allows 3 to 10 s, video 3 to 30 s; empty when not given.</summary>
        public string? CharacterOrientation { get; set; }

        public bool IsValid => Problems.Length == 0;

        public string[] Problems { get; set; } = Array.Empty<string>();
    }
}
