using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Kling.Core.Media
{
    /// <summary>Checks a local reference video against the API's rules for video_url, from its MP4/MOV header (<see cref="Mp4Header"/>).</summary>
    public static class VideoProbe
    {
        public const long MaxBytes = 200L * 1024 * 1024;
        public const double MinSeconds = 3;
        public const double MaxBaseSeconds = 10;
        public const int MinPixels = 720;
        public const int MaxPixels = 2160;
        public const double MinFrameRate = 24;
        public const double MaxFrameRate = 60;

        /// <summary>Checks a file against the reference-video rules; a file that is not MP4/MOV is a check with that problem.</summary>
        public static VideoCheck Check(string path, string? referType)
        {
            string type = string.Equals(referType, "feature", StringComparison.OrdinalIgnoreCase) ? "feature" : "base";
            var check = new VideoCheck { Path = path, ReferType = type };
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

            AddSizeProblem(info, problems);
            AddDurationProblem(info, type, problems);
            AddPictureProblems(info, problems);
            check.Problems = problems.ToArray();
            return check;
        }

        private static void AddSizeProblem(VideoInfo info, List<string> problems)
        {
            if (info.Bytes > MaxBytes)
            {
                problems.Add($"size {info.Bytes / 1048576.0:0.0} MB is over the 200 MB limit");
            }
        }

        private static void AddDurationProblem(VideoInfo info, string type, List<string> problems)
        {
            if (info.Duration == null)
            {
                problems.Add("the duration could not be read from the header");
            }
            else if (info.Duration.Value.TotalSeconds < MinSeconds)
            {
                problems.Add($"duration {Seconds(info.Duration.Value)} s is shorter than the {MinSeconds:0} s minimum");
            }
            else if (type == "base" && info.Duration.Value.TotalSeconds > MaxBaseSeconds)
            {
                problems.Add($"duration {Seconds(info.Duration.Value)} s is longer than the {MaxBaseSeconds:0} s a base reference video may last (a feature reference may be longer)");
            }
        }

        private static void AddPictureProblems(VideoInfo info, List<string> problems)
        {
            if (info.Width == null || info.Height == null)
            {
                problems.Add("the file has no video track");
            }
            else
            {
                foreach (var side in new[] { ("width", info.Width.Value), ("height", info.Height.Value) })
                {
                    if (side.Item2 < MinPixels || side.Item2 > MaxPixels)
                    {
                        problems.Add($"{side.Item1} {side.Item2} px is outside {MinPixels}-{MaxPixels} px");
                    }
                }
            }

            if (info.FrameRate == null)
            {
                if (info.Width != null)
                {
                    problems.Add("the frame rate could not be read from the header");
                }
            }
            else if (Math.Round(info.FrameRate.Value, 2) < MinFrameRate - 0.03 || Math.Round(info.FrameRate.Value, 2) > MaxFrameRate + 0.03)
            {
                problems.Add($"frame rate {info.FrameRate.Value.ToString("0.##", CultureInfo.InvariantCulture)} fps is outside {MinFrameRate:0}-{MaxFrameRate:0} fps");
            }
        }

        /// <summary>Reads the header; throws InvalidDataException (plain words) for anything that is not a readable MP4/MOV.</summary>
        public static VideoInfo Read(string path) => Mp4Header.Read(path);

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
