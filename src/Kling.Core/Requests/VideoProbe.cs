using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Kling.Core.Catalog;
using Kling.Core.Media;

namespace Kling.Core.Requests
{
    /// <summary>Checks a local reference video against a model's rules (<see cref="VideoRules"/>), from its MP4/MOV header (<see cref="Mp4Header"/>).</summary>
    public static class VideoProbe
    {
        /// <summary>Checks a file against the default model's video_list rules for a base or feature reference.</summary>
        public static VideoCheck Check(string path, string? referType) =>
            Check(path, VideoRules.Reference(Catalog.ModelCatalog.DefaultName, referType));

        /// <summary>Checks a file against the given rules; a file that is not MP4/MOV is a check with that problem.</summary>
        public static VideoCheck Check(string path, VideoRules rules)
        {
            var check = new VideoCheck
            {
                Path = path,
                Model = rules.Model,
                ReferType = rules.ReferType,
                CharacterOrientation = rules.CharacterOrientation,
            };
            var problems = new List<string>();
            VideoInfo info;
            try
            {
                info = Read(path);
            }
            catch (InvalidDataException ex)
            {
                check.Bytes = new FileInfo(path).Length;
                check.Problems = new[] { ex.Message };
                return check;
            }

            check.Container = info.Container;
            check.Duration = info.Duration;
            check.Width = info.Width;
            check.Height = info.Height;
            check.FrameRate = info.FrameRate;
            check.Bytes = info.Bytes;

            AddSizeProblem(info, rules, problems);
            AddDurationProblem(info, rules, problems);
            AddPictureProblems(info, rules, problems);
            check.Problems = problems.ToArray();
            return check;
        }

        private static void AddSizeProblem(VideoInfo info, VideoRules rules, List<string> problems)
        {
            if (rules.MaxBytes is long max && (info.Bytes > max || (rules.MaxBytesExclusive && info.Bytes == max)))
            {
                string limit = rules.MaxBytesExclusive
                    ? $"must be under {max / 1048576} MB for {rules.Label}"
                    : $"is over the {max / 1048576} MB limit";
                problems.Add($"size {info.Bytes / 1048576.0:0.0} MB {limit}");
            }
        }

        private static void AddDurationProblem(VideoInfo info, VideoRules rules, List<string> problems)
        {
            if (rules.MinDuration == null && rules.MaxDuration == null)
            {
                return;
            }

            if (info.Duration == null)
            {
                problems.Add("the duration could not be read from the header");
            }
            else if (rules.MinDuration is double min && info.Duration.Value.TotalSeconds < min)
            {
                problems.Add($"duration {Seconds(info.Duration.Value)} s is shorter than the {min:0} s minimum");
            }
            else if (rules.MaxDuration is double max && info.Duration.Value.TotalSeconds > max)
            {
                problems.Add($"duration {Seconds(info.Duration.Value)} s is longer than the {max:0} s {LongestFor(rules)}");
            }
        }

        /// <summary>Completes "longer than the N s ...": which use of the video allows N, and what allows more.</summary>
        private static string LongestFor(VideoRules rules)
        {
            IReadOnlyList<VideoUse> uses = rules.Limits?.Uses ?? Array.Empty<VideoUse>();
            VideoUse? longer = uses.FirstOrDefault(u => u.MaxSeconds == null || u.MaxSeconds > rules.MaxDuration);
            if (rules.ReferType != null)
            {
                string more = longer == null ? string.Empty : longer.MaxSeconds == null
                    ? $" (a {longer.Name} reference may be longer)"
                    : $" (a {longer.Name} reference up to {longer.MaxSeconds} s)";
                return $"a {rules.ReferType} reference video may last{more}";
            }

            string use = rules.CharacterOrientation ?? uses.LastOrDefault(u => u.MaxSeconds == rules.MaxDuration)?.Name ?? "any";
            string takes = longer?.MaxSeconds == null ? string.Empty : $" (orientation {longer.Name} takes up to {longer.MaxSeconds} s)";
            return $"{rules.Label} takes with character orientation {use}{takes}";
        }

        private static void AddPictureProblems(VideoInfo info, VideoRules rules, List<string> problems)
        {
            if (info.Width == null || info.Height == null)
            {
                problems.Add("the file has no video track");
            }
            else if (rules.Picture is PictureLimits picture)
            {
                foreach (var side in new[] { ("width", info.Width.Value), ("height", info.Height.Value) })
                {
                    if (side.Item2 < picture.MinPixels || side.Item2 > picture.MaxPixels)
                    {
                        problems.Add($"{side.Item1} {side.Item2} px is outside {picture.MinPixels}-{picture.MaxPixels} px");
                    }
                }
            }

            if (!(rules.Picture is PictureLimits limits))
            {
                return;
            }

            if (info.FrameRate == null)
            {
                if (info.Width != null)
                {
                    problems.Add("the frame rate could not be read from the header");
                }
            }
            else if (Math.Round(info.FrameRate.Value, 2) < limits.MinFrameRate - 0.03 || Math.Round(info.FrameRate.Value, 2) > limits.MaxFrameRate + 0.03)
            {
                problems.Add($"frame rate {info.FrameRate.Value.ToString("0.##", CultureInfo.InvariantCulture)} fps is outside {limits.MinFrameRate}-{limits.MaxFrameRate} fps");
            }
        }

        /// <summary>Reads the header; throws InvalidDataException (plain words) for anything that is not a readable MP4/MOV.</summary>
        public static VideoInfo Read(string path) => Mp4Header.Read(path);

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
