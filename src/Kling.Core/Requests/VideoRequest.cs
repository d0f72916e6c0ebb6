using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using Kling.Core.Gateway;
using Kling.Core.Media;

namespace Kling.Core.Requests
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

        /// <summary>image_urls as sent: each image's URL (or, before its upload, its content identity).</summary>
        [JsonPropertyName("image_urls")]
        public List<string>? ImageUrls
        {
            get => Images == null || Images.Count == 0 ? null : Images.Select(i => i.SentAs).ToList();
            set => Images = value?.Select(ImageRef.FromUrl).ToList();
        }

        [JsonPropertyName("video_list")]
        public List<VideoReference>? VideoList { get; set; }

        /// <summary>The row's images, typed: URLs, or local files waiting for their upload.</summary>
        [JsonIgnore]
        public List<ImageRef>? Images { get; set; }

        /// <summary>The local files among the images that still need an upload; null when none.</summary>
        [JsonIgnore]
        public List<LocalImage>? LocalImages
        {
            get
            {
                List<LocalImage>? locals = Images?.Where(i => i.Url == null && i.Local != null).Select(i => i.Local!).ToList();
                return locals == null || locals.Count == 0 ? null : locals;
            }
        }

        /// <summary>A copy with every local image at its uploaded URL: what is actually sent.</summary>
        public VideoRequest WithImageUrls(Func<LocalImage, string> urlOf)
        {
            var copy = (VideoRequest)MemberwiseClone();
            copy.Images = Images?.Select(i => i.Url == null && i.Local != null ? i.Uploaded(urlOf(i.Local)) : i).ToList();
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
