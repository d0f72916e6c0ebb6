using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.Catalog
{
    /// <summary>
    /// One way a model uses its reference video, and the longest video it takes that way: a video_list refer_type (base:
    /// at most 10 s; feature: no limit) or motion control's character_orientation (image: 10 s; video: 30 s).
    /// </summary>
    public sealed class VideoUse
    {
        public VideoUse(string name, int? maxSeconds)
        {
            Name = name;
            MaxSeconds = maxSeconds;
        }

        /// <summary>The value as sent: base, feature, image or video.</summary>
        public string Name { get; }

        /// <summary>The longest video in seconds; null when this use does not limit it.</summary>
        public int? MaxSeconds { get; }

        public override string ToString() => Name;
    }

    /// <summary>Width and height in pixels and frames per second a reference video must keep to (API.md: video_list's).</summary>
    public sealed class PictureLimits
    {
        public int MinPixels { get; set; }

        public int MaxPixels { get; set; }

        public int MinFrameRate { get; set; }

        public int MaxFrameRate { get; set; }
    }

    /// <summary>
    /// What a model's reference video must be (API.md for video_list, MODELS.md for motion control): its size, its
    /// length by use (<see cref="Uses"/>: refer_type's or character_orientation's values) and its picture. The catalog's
    /// one statement of these limits: Test-KlingVideoInput, the row checks and the cost rule read them from here.
    /// </summary>
    public sealed class VideoLimits
    {
        /// <summary>The largest file in bytes.</summary>
        public long MaxBytes { get; set; }

        /// <summary>True when the file must be under <see cref="MaxBytes"/> (motion control), false when at most (API.md).</summary>
        public bool MaxBytesExclusive { get; set; }

        /// <summary>The shortest video in seconds, whatever the use.</summary>
        public int MinSeconds { get; set; }

        /// <summary>How the model may use the video, each with its longest length, in the order help lists them.</summary>
        public IReadOnlyList<VideoUse> Uses { get; set; } = Array.Empty<VideoUse>();

        /// <summary>The use the gateway applies when none is sent (video_list: base); null when the gateway decides (motion control).</summary>
        public string? DefaultUse { get; set; }

        /// <summary>Pixel and frame-rate limits; null when none are stated (motion control).</summary>
        public PictureLimits? Picture { get; set; }

        /// <summary>The uses' values (base, feature or image, video): what -ReferType or -CharacterOrientation takes.</summary>
        public IReadOnlyList<string> UseNames => Uses.Select(u => u.Name).ToArray();

        /// <summary>The use named (case-insensitive, trimmed), or null when the model has no such use.</summary>
        public VideoUse? Use(string? name) =>
            name == null ? null : Uses.FirstOrDefault(u => string.Equals(u.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// The longest video for a use; without one, the default use's, or where the gateway decides the use, the longest
        /// any use allows (what holds whichever it picks). Null when not limited.
        /// </summary>
        public int? MaxSecondsFor(string? use)
        {
            VideoUse? named = Use(use ?? DefaultUse);
            if (named != null)
            {
                return named.MaxSeconds;
            }

            return Uses.Any(u => u.MaxSeconds == null) ? null : Uses.Max(u => u.MaxSeconds);
        }
    }
}
