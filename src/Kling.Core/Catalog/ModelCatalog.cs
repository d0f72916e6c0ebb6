using System;
using System.Collections.Generic;
using System.Linq;
using Kling.Core.Wire;

namespace Kling.Core.Catalog
{
    /// <summary>
    /// The Kling models the module knows, as data (our reading of MODELS.md; the emulator keeps its own). A model not
    /// listed here is still sent, with the generic checks only. Adding a model is adding an entry (and its tests).
    /// </summary>
    public static class ModelCatalog
    {
        /// <summary>The model a row without one is sent to.</summary>
        public const string DefaultName = VideoRequest.DefaultModel;

        private const string Std = "std";
        private const long MB = 1024 * 1024;
        private const int MaxShots = 6;
        private static readonly string[] Ratios = { "16:9", "9:16", "1:1" };
        private static readonly int[] FiveOrTen = { 5, 10 };
        private static readonly int[] ThreeToFifteen = Enumerable.Range(3, 13).ToArray();

        /// <summary>video_list's reference video (API.md): MP4/MOV, at most 200 MB, at least 3 s (base at most 10 s), 720-2160 px, 24-60 fps.</summary>
        private static readonly VideoLimits VideoListVideo = new VideoLimits
        {
            MaxBytes = 200 * MB,
            MinSeconds = 3,
            Uses = new[] { new VideoUse("base", 10), new VideoUse("feature", null) },
            DefaultUse = "base",
            Picture = new PictureLimits { MinPixels = 720, MaxPixels = 2160, MinFrameRate = 24, MaxFrameRate = 60 },
        };

        /// <summary>Motion control's video (MODELS.md): MP4/MOV under 100 MB, 3 to 10 s with orientation image, 3 to 30 s with video.</summary>
        private static readonly VideoLimits MotionVideo = new VideoLimits
        {
            MaxBytes = 100 * MB,
            MaxBytesExclusive = true,
            MinSeconds = 3,
            Uses = new[] { new VideoUse("image", 10), new VideoUse("video", 30) },
        };

        public static IReadOnlyList<ModelSpec> All { get; } = new List<ModelSpec>
        {
            new ModelSpec
            {
                Name = DefaultName,
                Summary = "Text, first/last frame or reference video to video (the module's default).",
                ImageReferences = true,
                Modes = new[] { Std, "pro" },
                DefaultMode = Std,
                Durations = FiveOrTen,
                DefaultDuration = 5,
                AspectRatios = Ratios,
                MaxImages = 2,
                Video = VideoField.VideoList,
                VideoLimits = VideoListVideo,
                Rules = new[] { ModelRules.BaseVideoForbidsFrames(framesHaveRoles: false), ModelRules.FeatureVideoFirstFrameOnly(framesHaveRoles: false) },
            },
            new ModelSpec
            {
                Name = "kling-v3-omni",
                Summary = "The newest omni model: frames, reference images, a reference video, elements and shots.",
                ImageReferences = true,
                NegativePrompt = true,
                NegativePromptMaxLength = 2500,
                Modes = new[] { Std, "pro", "4k" },
                DefaultMode = Std,
                Durations = ThreeToFifteen,
                DefaultDuration = 5,
                AspectRatios = Ratios,
                Frames = FrameField.ImageWithRoles,
                ReferenceImages = true,
                Video = VideoField.VideoList,
                VideoLimits = VideoListVideo,
                Audio = true,
                Watermark = WatermarkField.Boolean,
                MultiShot = true,
                MaxShots = MaxShots,
                Elements = true,
                MinElementImages = 2,
                MaxElementImages = 4,
                Rules = new[]
                {
                    ModelRules.RolesOrImageUrls(), ModelRules.LastFrameNeedsFirstFrame(),
                    ModelRules.BaseVideoForbidsFrames(framesHaveRoles: true), ModelRules.FeatureVideoFirstFrameOnly(framesHaveRoles: true),
                },
                Notes = new[]
                {
                    "How many images image_urls takes is not stated (no cap is checked).",
                    "The gateway ignores audio when a reference video is given.",
                    "Elements go out as element_list: the gateway's page does not name the field.",
                },
            },
            new ModelSpec
            {
                Name = "kling-v3",
                Summary = "Text or first/last frame to video, with sound and shots.",
                NegativePrompt = true,
                Modes = new[] { Std, "pro", "4k" },
                DefaultMode = Std,
                Durations = ThreeToFifteen,
                DefaultDuration = 5,
                AspectRatios = Ratios,
                MaxImages = 2,
                Audio = true,
                Watermark = WatermarkField.Boolean,
                MultiShot = true,
                MaxShots = MaxShots,
                ShotPromptMaxLength = 512,
                Notes = new[]
                {
                    "Duration 3 to 15 is accepted, as the gateway's page says; an older copy of it said 5, 10 or 15 (15 text-only, std or pro), which Kling does not check.",
                },
            },
            new ModelSpec
            {
                Name = "kling-v2-6",
                Summary = "Text or first/last frame to video; sound in pro.",
                PromptMaxLength = 2500,
                NegativePrompt = true,
                Modes = new[] { Std, "pro" },
                DefaultMode = Std,
                Durations = FiveOrTen,
                AspectRatios = Ratios,
                MaxImages = 2,
                Audio = true,
                AudioTypeConfirmed = true,
                Watermark = WatermarkField.Boolean,
                WatermarkConfirmed = true,
                Rules = new[] { ModelRules.LastFrameNeedsPro(), ModelRules.AudioNeedsPro(), ModelRules.NoLastFrameWithAudio() },
                Notes = new[] { "std is 720p and silent, pro 1080p; a \"voice\" option is mentioned but its field is unknown (use -AdditionalBody)." },
            },
            new ModelSpec
            {
                Name = "kling-3.0-turbo",
                Summary = "Fast text or first-frame to video, by resolution instead of mode.",
                Prompt = PromptRule.RequiredWithoutImage,
                PromptMaxLength = 3072,
                Durations = ThreeToFifteen,
                AspectRatios = Ratios,
                Resolutions = new[] { "720p", "1080p" },
                DefaultResolution = "720p",
                Frames = FrameField.FirstFrameImage,
                MaxImages = 1,
                LastFrame = false,
                Watermark = WatermarkField.Boolean,
                WatermarkConfirmed = true,
                Notes = new[] { "With a first frame the image decides the aspect ratio." },
            },
            MotionControl("kling-v2-6-motion-control", "Animates the character of one image with the motion of one video (v2.6)."),
            MotionControl("kling-v3-motion-control", "Animates the character of one image with the motion of one video (v3)."),
        };

        /// <summary>The default model's entry: the model a row without one is sent to.</summary>
        public static ModelSpec Default { get; } = Find(DefaultName) ?? throw new InvalidOperationException($"The catalog has no entry for its default model {DefaultName}.");

        /// <summary>The entry for a model name (case-insensitive), or null for a model the module does not know.</summary>
        public static ModelSpec? Find(string? name) =>
            name == null ? null : All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

        private static ModelSpec MotionControl(string name, string summary) => new ModelSpec
        {
            Name = name,
            Summary = summary,
            Prompt = PromptRule.Optional,
            Modes = new[] { Std, "pro" },
            DefaultMode = Std,
            Frames = FrameField.ImageUrl,
            MaxImages = 1,
            LastFrame = false,
            Video = VideoField.VideoUrl,
            VideoLimits = MotionVideo,
            ImageAndVideoRequired = true,
            KeepOriginalSoundDefault = "yes",
            Watermark = WatermarkField.Info,
            WatermarkConfirmed = true,
            Notes = new[]
            {
                "No duration or aspect ratio: length and price follow the reference video (" + CatalogWords.VideoFile(MotionVideo) + ").",
                "character_orientation " + CatalogWords.VideoLengths(MotionVideo) + ". The gateway's page does not say whether it is required: it is sent when given, and a row without it is not refused.",
            },
        };
    }
}
