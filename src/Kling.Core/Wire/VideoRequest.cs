using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kling.Core.Media;

namespace Kling.Core.Wire
{
    /// <summary>The body of POST /v1/videos/generations, exactly as sent.</summary>
    public sealed class VideoRequest
    {
        /// <summary>
        /// The model sent when a row names none. Declared here, in the lowest wing, because the body must have it before
        /// the catalog is read; the catalog gives it out as ModelCatalog.DefaultName (and its entry as ModelCatalog.Default),
        /// and everything else reads it from there.
        /// </summary>
        public const string DefaultModel = "kling-video-o1";

        [JsonPropertyName("model")]
        public string Model { get; set; } = DefaultModel;

        /// <summary>Null (not sent) only for a model whose prompt is optional and a row that gives none.</summary>
        [JsonPropertyName("prompt")]
        public string? Prompt { get; set; }

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

        // Fields after video_list: null for a kling-video-o1 row, so its JSON (and its journal identity) is what it was.
        [JsonPropertyName("negative_prompt")]
        public string? NegativePrompt { get; set; }

        [JsonPropertyName("resolution")]
        public string? Resolution { get; set; }

        /// <summary>v3-omni: the frames and references, each with its role.</summary>
        [JsonPropertyName("image_with_roles")]
        public List<RoleImage>? ImageWithRoles { get; set; }

        /// <summary>kling-3.0-turbo: the one first frame.</summary>
        [JsonPropertyName("first_frame_image")]
        public ImageRef? FirstFrameImage { get; set; }

        /// <summary>Motion control: the character's image.</summary>
        [JsonPropertyName("image_url")]
        public ImageRef? ImageUrl { get; set; }

        /// <summary>Motion control: the motion's video.</summary>
        [JsonPropertyName("video_url")]
        public string? VideoUrl { get; set; }

        [JsonPropertyName("character_orientation")]
        public string? CharacterOrientation { get; set; }

        /// <summary>Motion control: at the top of the body (o1 and omni put it in video_list).</summary>
        [JsonPropertyName("keep_original_sound")]
        public string? KeepOriginalSound { get; set; }

        [JsonPropertyName("audio")]
        public bool? Audio { get; set; }

        [JsonPropertyName("watermark")]
        public bool? Watermark { get; set; }

        [JsonPropertyName("watermark_info")]
        public WatermarkInfo? WatermarkInfo { get; set; }

        [JsonPropertyName("multi_shot")]
        public bool? MultiShot { get; set; }

        [JsonPropertyName("shot_type")]
        public string? ShotType { get; set; }

        [JsonPropertyName("multi_prompt")]
        public List<ShotPrompt>? MultiPrompt { get; set; }

        [JsonPropertyName("element_list")]
        public List<Element>? ElementList { get; set; }

        /// <summary>A public https URL the gateway POSTs the task's status to (at &lt;url&gt;/callback) when the task ends; null: not sent, so a row without one keeps its identity.</summary>
        [JsonPropertyName("webhook")]
        public string? Webhook { get; set; }

        /// <summary>-AdditionalBody: fields the module has no parameter for, written last.</summary>
        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }

        /// <summary>image_urls' images, typed: URLs, or local files waiting for their upload (the other image fields hold <see cref="ImageRef"/>s too).</summary>
        [JsonIgnore]
        public List<ImageRef>? Images { get; set; }

        /// <summary>
        /// Every image of the body, whatever field carries it (image_urls, image_with_roles, first_frame_image, image_url,
        /// element_list), in body order.
        /// </summary>
        [JsonIgnore]
        public IEnumerable<ImageRef> AllImages
        {
            get
            {
                IEnumerable<ImageRef> all = Images ?? Enumerable.Empty<ImageRef>();
                all = all.Concat(ImageWithRoles?.Select(r => r.Url) ?? Enumerable.Empty<ImageRef>());
                all = all.Concat(new[] { FirstFrameImage, ImageUrl }.Where(i => i != null).Select(i => i!));
                return all.Concat(ElementList?.SelectMany(e => e.ElementInputUrls) ?? Enumerable.Empty<ImageRef>());
            }
        }

        /// <summary>The local files among the images, in any field, that still need an upload; null when none.</summary>
        [JsonIgnore]
        public List<LocalImage>? LocalImages
        {
            get
            {
                List<LocalImage> locals = AllImages.Where(i => i.Url == null && i.Local != null).Select(i => i.Local!).ToList();
                return locals.Count == 0 ? null : locals;
            }
        }

        /// <summary>A copy with every local image, in any field, at its uploaded URL: what is actually sent. The original is left as it was.</summary>
        public VideoRequest WithImageUrls(Func<LocalImage, string> urlOf)
        {
            ImageRef Sent(ImageRef i) => i.Url == null && i.Local != null ? i.Uploaded(urlOf(i.Local)) : i;
            var copy = (VideoRequest)MemberwiseClone();
            copy.Images = Images?.Select(Sent).ToList();
            copy.ImageWithRoles = ImageWithRoles?.Select(r => new RoleImage { Url = Sent(r.Url), Role = r.Role }).ToList();
            copy.FirstFrameImage = FirstFrameImage == null ? null : Sent(FirstFrameImage);
            copy.ImageUrl = ImageUrl == null ? null : Sent(ImageUrl);
            copy.ElementList = ElementList?.Select(e => new Element { Name = e.Name, Description = e.Description, ElementInputUrls = e.ElementInputUrls.Select(Sent).ToList() }).ToList();
            return copy;
        }

        public override string ToString() => GatewayJson.Serialize(this);
    }

    /// <summary>One element of image_with_roles.</summary>
    public sealed class RoleImage
    {
        [JsonPropertyName("url")]
        public ImageRef Url { get; set; } = ImageRef.FromUrl(string.Empty);

        /// <summary>first_frame, last_frame or reference.</summary>
        [JsonPropertyName("role")]
        public string Role { get; set; } = string.Empty;
    }

    /// <summary>watermark_info (motion control).</summary>
    public sealed class WatermarkInfo
    {
        [JsonPropertyName("enabled")]
        public bool Enabled { get; set; }
    }

    /// <summary>One element of multi_prompt.</summary>
    public sealed class ShotPrompt
    {
        [JsonPropertyName("index")]
        public int Index { get; set; }

        [JsonPropertyName("prompt")]
        public string Prompt { get; set; } = string.Empty;

        [JsonPropertyName("duration")]
        public int Duration { get; set; }
    }

    /// <summary>One element of element_list (v3-omni).</summary>
    public sealed class Element
    {
        [JsonPropertyName("name")]
        public string Name { get; set; } = string.Empty;

        [JsonPropertyName("description")]
        public string? Description { get; set; }

        [JsonPropertyName("element_input_urls")]
        public List<ImageRef> ElementInputUrls { get; set; } = new List<ImageRef>();
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
