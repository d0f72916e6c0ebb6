using System;
using System.Linq;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// The limits a local reference video is checked against, for one model and one use of the video: video_list
    /// (kling-video-o1, kling-v3-omni; API.md), motion control's video_url (MODELS.md), or the generic checks for a model
    /// the catalog does not know. The figures are the catalog entry's (<see cref="ModelSpec.VideoLimits"/>).
    /// </summary>
    public sealed class VideoRules
    {
        private VideoRules(string? model)
        {
            Model = model;
        }

        /// <summary>The model whose rules these are; null for motion control chosen by an orientation alone (both models' rules are the same).</summary>
        public string? Model { get; }

        /// <summary>The model, or "motion control", for messages.</summary>
        public string Label => Model ?? "motion control";

        /// <summary>base or feature for a video_list reference; null otherwise.</summary>
        public string? ReferType { get; private set; }

        /// <summary>image or video for motion control when given; null otherwise.</summary>
        public string? CharacterOrientation { get; private set; }

        /// <summary>The largest file allowed, in bytes; null when no limit is checked.</summary>
        public long? MaxBytes { get; private set; }

        /// <summary>True when the limit is "under" (motion control), false when "at most" (API.md).</summary>
        public bool MaxBytesExclusive { get; private set; }

        /// <summary>The shortest video allowed, in seconds; null when no length is checked.</summary>
        public double? MinDuration { get; private set; }

        /// <summary>The longest video allowed, in seconds; null when not limited.</summary>
        public double? MaxDuration { get; private set; }

        /// <summary>Whether width, height and frame rate are checked (<see cref="Picture"/>): API.md's rules for video_list only.</summary>
        public bool PictureLimits => Picture != null;

        /// <summary>Width, height (720-2160 px) and frame rate (24-60 fps); null when not checked.</summary>
        public PictureLimits? Picture { get; private set; }

        /// <summary>The catalog's limits these rules come from (every use and its length); null for a model the catalog does not know.</summary>
        public VideoLimits? Limits { get; private set; }

        /// <summary>True for a model the catalog does not know: only MP4/MOV with a video track is checked.</summary>
        public bool Generic { get; private set; }

        /// <summary>
        /// video_list's rules (API.md; from the catalog entry of <paramref name="model"/>, or of the default model when the
        /// catalog has no video_list entry by that name): at most 200 MB, at least 3 s (a base video at most 10 s), 720-2160
        /// px, 24-60 fps. Throws ArgumentException for a refer type the model does not take.
        /// </summary>
        public static VideoRules Reference(string model, string? referType)
        {
            VideoLimits limits = LimitsOf(model, VideoField.VideoList) ?? ModelCatalog.Default.VideoLimits!;
            VideoUse use = limits.Use(referType ?? limits.DefaultUse)
                ?? throw new ArgumentException($"refer type '{referType}' is not one of {string.Join(", ", limits.UseNames)}.");
            VideoRules rules = FromLimits(model, limits);
            rules.ReferType = use.Name;
            rules.MaxDuration = use.MaxSeconds;
            return rules;
        }

        /// <summary>
        /// Motion control's video_url (MODELS.md; from the catalog entry of <paramref name="model"/>, or of the catalog's
        /// motion-control models, whose rules are the same, when none is named): MP4/MOV under 100 MB, 3 to 10 s with
        /// orientation image, 3 to 30 s with orientation video. Without an orientation only what holds for both is
        /// checked (3 to 30 s): the gateway decides.
        /// </summary>
        public static VideoRules MotionControl(string? model, string? characterOrientation)
        {
            VideoLimits limits = LimitsOf(model, VideoField.VideoUrl)
                ?? ModelCatalog.All.First(m => m.Video == VideoField.VideoUrl).VideoLimits!;
            VideoUse? use = limits.Use(characterOrientation);
            if (characterOrientation != null && use == null)
            {
                throw new ArgumentException($"character orientation '{characterOrientation}' is not one of {string.Join(", ", limits.UseNames)}.");
            }

            VideoRules rules = FromLimits(model, limits);
            rules.CharacterOrientation = use?.Name;
            rules.MaxDuration = limits.MaxSecondsFor(use?.Name);
            return rules;
        }

        /// <summary>A model the catalog does not know: MP4/MOV with a video track, no limits (its rules are not known).</summary>
        public static VideoRules Unknown(string model) => new VideoRules(model) { Generic = true };

        /// <summary>
        /// The rules for a model and a use of the video: the default model's video_list when no model is given; motion
        /// control when the model takes video_url, or when only an orientation is given. Throws ArgumentException for a
        /// known model that takes no reference video, or a -ReferType/-CharacterOrientation the model does not take.
        /// </summary>
        public static VideoRules For(string? model, string? referType, string? characterOrientation)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                if (characterOrientation != null)
                {
                    if (referType != null)
                    {
                        throw new ArgumentException("a refer type is for a video_list reference and a character orientation for motion control: give one of them.");
                    }

                    return MotionControl(null, characterOrientation);
                }

                return Reference(ModelCatalog.DefaultName, referType);
            }

            string name = model!.Trim();
            ModelSpec? spec = ModelCatalog.Find(name);
            if (spec == null)
            {
                return Unknown(name);
            }

            switch (spec.Video)
            {
                case VideoField.VideoList:
                    if (characterOrientation != null)
                    {
                        throw new ArgumentException($"{spec.Name} takes no character orientation (the motion-control models do: {string.Join(", ", MotionControlModels())}).");
                    }

                    return Reference(spec.Name, referType);
                case VideoField.VideoUrl:
                    if (referType != null)
                    {
                        throw new ArgumentException($"{spec.Name} takes no refer type: its video is the motion to copy; give -CharacterOrientation {CatalogWords.Alternatives(spec.CharacterOrientations)} instead.");
                    }

                    return MotionControl(spec.Name, characterOrientation);
                default:
                    string takers = string.Join(", ", ModelCatalog.All.Where(m => m.Video != VideoField.None).Select(m => m.Name));
                    throw new ArgumentException($"{spec.Name} takes no reference video; the models that do are {takers}.");
            }
        }

        private static VideoLimits? LimitsOf(string? model, VideoField field)
        {
            ModelSpec? spec = ModelCatalog.Find(model);
            return spec != null && spec.Video == field ? spec.VideoLimits : null;
        }

        private static VideoRules FromLimits(string? model, VideoLimits limits) => new VideoRules(model)
        {
            Limits = limits,
            MaxBytes = limits.MaxBytes,
            MaxBytesExclusive = limits.MaxBytesExclusive,
            MinDuration = limits.MinSeconds,
            Picture = limits.Picture,
        };

        private static string[] MotionControlModels() =>
            ModelCatalog.All.Where(m => m.Video == VideoField.VideoUrl).Select(m => m.Name).ToArray();
    }
}
