using System;
using System.Linq;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// The limits a local reference video is checked against, for one model and one use of the video: video_list
    /// (kling-video-o1, kling-v3-omni; API.md), motion control's video_url (MODELS.md), or the generic checks for a model
    /// the catalog does not know.
    /// </summary>
    public sealed class VideoRules
    {
        public const long ReferenceMaxBytes = 200L * 1024 * 1024;
        public const long MotionMaxBytes = 100L * 1024 * 1024;
        public const double MinSeconds = 3;
        public const double BaseMaxSeconds = 10;
        public const double MotionImageMaxSeconds = 10;
        public const double MotionVideoMaxSeconds = 30;

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

        /// <summary>Width, height (720-2160 px) and frame rate (24-60 fps): API.md's rules for video_list only.</summary>
        public bool PictureLimits { get; private set; }

        /// <summary>True for a model the catalog does not know: only MP4/MOV with a video track is checked.</summary>
        public bool Generic { get; private set; }

        /// <summary>video_list's rules (API.md): at most 200 MB, at least 3 s (a base video at most 10 s), 720-2160 px, 24-60 fps.</summary>
        public static VideoRules Reference(string model, string? referType)
        {
            bool feature = string.Equals(referType, "feature", StringComparison.OrdinalIgnoreCase);
            return new VideoRules(model)
            {
                ReferType = feature ? "feature" : "base",
                MaxBytes = ReferenceMaxBytes,
                MinDuration = MinSeconds,
                MaxDuration = feature ? (double?)null : BaseMaxSeconds,
                PictureLimits = true,
            };
        }

        /// <summary>
        /// Motion control's video_url (MODELS.md): MP4/MOV under 100 MB, 3 to 10 s with orientation image, 3 to 30 s with
        /// orientation video. Without an orientation only what holds for both is checked (3 to 30 s): the gateway decides.
        /// </summary>
        public static VideoRules MotionControl(string? model, string? characterOrientation)
        {
            string? orientation = characterOrientation?.Trim().ToLowerInvariant();
            if (orientation != null && orientation != "image" && orientation != "video")
            {
                throw new ArgumentException($"character orientation '{characterOrientation}' is not one of image, video.");
            }

            return new VideoRules(model)
            {
                CharacterOrientation = orientation,
                MaxBytes = MotionMaxBytes,
                MaxBytesExclusive = true,
                MinDuration = MinSeconds,
                MaxDuration = orientation == "image" ? MotionImageMaxSeconds : MotionVideoMaxSeconds,
            };
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

                return Reference(VideoRequest.DefaultModel, referType);
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
                        throw new ArgumentException($"{spec.Name} takes no refer type: its video is the motion to copy; give -CharacterOrientation image or video instead.");
                    }

                    return MotionControl(spec.Name, characterOrientation);
                default:
                    string takers = string.Join(", ", ModelCatalog.All.Where(m => m.Video != VideoField.None).Select(m => m.Name));
                    throw new ArgumentException($"{spec.Name} takes no reference video; the models that do are {takers}.");
            }
        }

        private static string[] MotionControlModels() =>
            ModelCatalog.All.Where(m => m.Video == VideoField.VideoUrl).Select(m => m.Name).ToArray();
    }
}
