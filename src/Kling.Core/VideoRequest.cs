using System;
using System.Collections.Generic;
using System.Linq;
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

        /// <summary>Local images standing in image_urls as "sha256:..." placeholders until they are uploaded; not sent.</summary>
        [JsonIgnore]
        public List<LocalImage>? LocalImages { get; set; }

        /// <summary>A copy with every placeholder replaced by its uploaded URL: what is actually sent.</summary>
        public VideoRequest WithImageUrls(Func<LocalImage, string> urlOf)
        {
            var copy = (VideoRequest)MemberwiseClone();
            copy.LocalImages = null;
            if (ImageUrls != null && LocalImages != null)
            {
                copy.ImageUrls = ImageUrls.Select(u => LocalImages.FirstOrDefault(i => i.Placeholder == u) is LocalImage image ? urlOf(image) : u).ToList();
            }

            return copy;
        }

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
