using System;
using System.Collections.Generic;

namespace Kling.Core.Catalog
{
    /// <summary>Where a model takes the row's frames (first/last frame, images).</summary>
    public enum FrameField
    {
        /// <summary>image_urls: [first, last] or the -Image list (o1, v3, v2-6, models not in the catalog).</summary>
        ImageUrls,

        /// <summary>image_with_roles (frames and references, with roles) or image_urls (-Image), never both (v3-omni).</summary>
        ImageWithRoles,

        /// <summary>first_frame_image: one image, no last frame (3.0-turbo).</summary>
        FirstFrameImage,

        /// <summary>image_url: the one character image (motion control).</summary>
        ImageUrl,
    }

    /// <summary>Where a model takes a reference video.</summary>
    public enum VideoField
    {
        None,

        /// <summary>video_list: [{video_url, refer_type, keep_original_sound}] (o1, v3-omni).</summary>
        VideoList,

        /// <summary>video_url and keep_original_sound at the top of the body (motion control).</summary>
        VideoUrl,
    }

    /// <summary>How a model takes -Watermark.</summary>
    public enum WatermarkField
    {
        None,

        /// <summary>watermark: a JSON boolean.</summary>
        Boolean,

        /// <summary>watermark_info: {"enabled": boolean} (motion control).</summary>
        Info,
    }

    /// <summary>When a model needs a prompt.</summary>
    public enum PromptRule
    {
        Required,

        /// <summary>Required unless the row has an image (3.0-turbo).</summary>
        RequiredWithoutImage,

        Optional,
    }

    /// <summary>
    /// A rule between fields of one model that the per-field data cannot say (v2-6: a last frame needs pro, ...).
    /// <see cref="Check"/> sees the built request and returns the problem, or null.
    /// </summary>
    public sealed class ModelRule
    {
        public ModelRule(string description, bool confirmed, Func<Wire.VideoRequest, ValidationProblem?> check)
        {
            Description = description;
            Confirmed = confirmed;
            Check = check;
        }

        /// <summary>The rule in words, for Get-KlingModel and help.</summary>
        public string Description { get; }

        /// <summary>False when only an unconfirmed source states it: such a rule never refuses a row (MODELS.md).</summary>
        public bool Confirmed { get; }

        public Func<Wire.VideoRequest, ValidationProblem?> Check { get; }
    }

    /// <summary>
    /// One model of the catalog as data: its fields, their values and ranges, and its cross-field rules. The generic
    /// validator and body builder work from it; adding a model is adding one of these (and its tests).
    /// </summary>
    public sealed class ModelSpec
    {
        public string Name { get; set; } = string.Empty;

        /// <summary>One line: what the model does.</summary>
        public string Summary { get; set; } = string.Empty;

        public PromptRule Prompt { get; set; } = PromptRule.Required;

        /// <summary>Characters allowed in prompt; null when no limit is stated.</summary>
        public int? PromptMaxLength { get; set; }

        /// <summary>Whether &lt;&lt;&lt;image_N&gt;&gt;&gt; in the prompt must point at a given image.</summary>
        public bool ImageReferences { get; set; }

        public bool NegativePrompt { get; set; }

        public int? NegativePromptMaxLength { get; set; }

        /// <summary>mode values; empty when the model has no mode (3.0-turbo: resolution instead).</summary>
        public IReadOnlyList<string> Modes { get; set; } = Array.Empty<string>();

        /// <summary>The mode the gateway uses when none is sent (std; API.md states it for o1, the tier rule reads it so for all); null when the model has no mode.</summary>
        public string? DefaultMode { get; set; }

        /// <summary>Allowed durations in seconds, each listed (5, 10 or 3..15); empty when no duration is sent.</summary>
        public IReadOnlyList<int> Durations { get; set; } = Array.Empty<int>();

        /// <summary>
        /// The duration the gateway uses when none is sent (what shot durations must add up to then; KlingTask.Duration's
        /// fallback); null when not stated or when the gateway decides (motion control: the length follows the video).
        /// </summary>
        public int? DefaultDuration { get; set; }

        /// <summary>aspect_ratio values; empty when no aspect ratio is sent (motion control).</summary>
        public IReadOnlyList<string> AspectRatios { get; set; } = Array.Empty<string>();

        /// <summary>resolution values (3.0-turbo); empty when the model has none.</summary>
        public IReadOnlyList<string> Resolutions { get; set; } = Array.Empty<string>();

        /// <summary>The resolution the gateway uses when none is sent (3.0-turbo: 720p); null when the model has none.</summary>
        public string? DefaultResolution { get; set; }

        public FrameField Frames { get; set; } = FrameField.ImageUrls;

        /// <summary>Images at most (frames, -Image and references together); null when not stated.</summary>
        public int? MaxImages { get; set; }

        /// <summary>Whether a last frame may be given.</summary>
        public bool LastFrame { get; set; } = true;

        /// <summary>-ReferenceImage (v3-omni: image_with_roles, role reference).</summary>
        public bool ReferenceImages { get; set; }

        public VideoField Video { get; set; } = VideoField.None;

        /// <summary>What the reference video must be (size, length by use, picture); null when the model takes none.</summary>
        public VideoLimits? VideoLimits { get; set; }

        /// <summary>refer_type values: the uses of a video_list model's reference video (base, feature); empty otherwise.</summary>
        public IReadOnlyList<string> ReferTypes => Video == VideoField.VideoList ? UseNames : Array.Empty<string>();

        /// <summary>Motion control: an image and a video are required.</summary>
        public bool ImageAndVideoRequired { get; set; }

        /// <summary>character_orientation values: the uses of motion control's video (image, video); empty when the model has none.</summary>
        public IReadOnlyList<string> CharacterOrientations => Video == VideoField.VideoUrl ? UseNames : Array.Empty<string>();

        /// <summary>The default the gateway applies to keep_original_sound (motion control: yes), for help.</summary>
        public string? KeepOriginalSoundDefault { get; set; }

        /// <summary>audio (a JSON boolean).</summary>
        public bool Audio { get; set; }

        /// <summary>Whether the audio field's type (boolean) is the gateway's word; MODELS.md: unconfirmed on v3/v3-omni.</summary>
        public bool AudioTypeConfirmed { get; set; }

        public WatermarkField Watermark { get; set; } = WatermarkField.None;

        /// <summary>Whether the watermark field itself (and its type) is the gateway's word.</summary>
        public bool WatermarkConfirmed { get; set; }

        /// <summary>multi_shot / shot_type / multi_prompt.</summary>
        public bool MultiShot { get; set; }

        /// <summary>Shots in multi_prompt at most (MODELS.md: 1 to 6); 0 when the model takes no shots.</summary>
        public int MaxShots { get; set; }

        /// <summary>Characters per shot prompt (v3: 512); null when not stated.</summary>
        public int? ShotPromptMaxLength { get; set; }

        /// <summary>element_list (v3-omni; the field's name is unconfirmed).</summary>
        public bool Elements { get; set; }

        /// <summary>Images per element, at least (MODELS.md: 2); 0 when the model takes no elements.</summary>
        public int MinElementImages { get; set; }

        /// <summary>Images per element, at most (MODELS.md: 4); 0 when the model takes no elements.</summary>
        public int MaxElementImages { get; set; }

        /// <summary>Rules between fields; see <see cref="ModelRule"/>.</summary>
        public IReadOnlyList<ModelRule> Rules { get; set; } = Array.Empty<ModelRule>();

        /// <summary>What help and Get-KlingModel should say besides the fields (unconfirmed points, defaults).</summary>
        public IReadOnlyList<string> Notes { get; set; } = Array.Empty<string>();

        public override string ToString() => Name;

        private IReadOnlyList<string> UseNames => VideoLimits?.UseNames ?? Array.Empty<string>();
    }
}
