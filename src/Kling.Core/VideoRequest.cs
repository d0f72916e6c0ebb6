using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Kling.Core
{
    /// <summary>The body of POST /v1/videos/generations, exactly as sent.</summary>
    public sealed class VideoRequest
    {
        public const string DefaultModel = "kling-video-o1";

        [JsonPropertyName("model")]
        public string Model { get; set; } = DefaultModel;

        [JsonPropertyName("prompt")]
        public string Prompt { get; set; } = string.Empty;

        [JsonPropertyName("mode")]
        public string? Mode { get; set; }

        [JsonPropertyName("duration")]
        public int? Duration { get; set; }

        [JsonPropertyName("aspect_ratio")]
        public string? AspectRatio { get; set; }

        [JsonPropertyName("image_urls")]
        public List<string>? ImageUrls { get; set; }

        [JsonPropertyName("video_list")]
        public List<VideoReference>? VideoList { get; set; }

        public override string ToString() => GatewayJson.Serialize(this);
    }

    /// <summary>One element of video_list.</summary>
    public sealed class VideoReference
    {
        [JsonPropertyName("video_url")]
        public string VideoUrl { get; set; } = string.Empty;

        [JsonPropertyName("refer_type")]
        public string? ReferType { get; set; }

        [JsonPropertyName("keep_original_sound")]
        public string? KeepOriginalSound { get; set; }
    }
}
