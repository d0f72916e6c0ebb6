using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Kling.Core.Media;

namespace Kling.Core.Requests
{
    /// <summary>A rule of the API broken by one field of one row.</summary>
    public sealed class ValidationProblem
    {
        public ValidationProblem(string field, string message)
        {
            Field = field;
            Message = message;
        }

        /// <summary>The API's name of the field (prompt, mode, image_urls, ...).</summary>
        public string Field { get; }

        public string Message { get; }

        public override string ToString() => $"{Field}: {Message}";
    }

    /// <summary>
    /// Turns a row of user input into the request the gateway expects, enforcing every rule of API.md §1
    /// before any money is spent. Empty strings mean "not given".
    /// </summary>
    public static class VideoRequestValidator
    {
        public static readonly string[] Modes = { "std", "pro" };
        public static readonly string[] Durations = { "5", "10" };
        public static readonly string[] AspectRatios = { "16:9", "9:16", "1:1" };
        public static readonly string[] ReferTypes = { "base", "feature" };
        public const int MaxImages = 2;

        private static readonly Regex ImageReference = new Regex(@"<<<\s*image_(\d+)\s*>>>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Splits cells like "a.png;b.png" and drops empty entries.</summary>
        public static List<string> SplitList(IEnumerable<string?>? values)
        {
            var result = new List<string>();
            if (values == null)
            {
                return result;
            }

            foreach (string? value in values)
            {
                if (value == null)
                {
                    continue;
                }

                foreach (string part in value.Split(';'))
                {
                    string trimmed = part.Trim();
                    if (trimmed.Length > 0)
                    {
                        result.Add(trimmed);
                    }
                }
            }

            return result;
        }

        /// <summary>
        /// The request for a row, or null with every problem of the row. Pure but for the images: local files are read
        /// through <see cref="VideoInput.ImageReader"/>, the only file I/O on the way.
        /// </summary>
        public static VideoRequest? TryBuild(VideoInput input, out IReadOnlyList<ValidationProblem> problems)
        {
            var found = new List<ValidationProblem>();
            var request = new VideoRequest { Model = Given(input.Model) ?? VideoRequest.DefaultModel };
            string? prompt = ReadPrompt(input, request, found);
            ReadSettings(input, request, found);

            List<ImageRef> images = CollectImages(input, found, out string imageField);
            if (images.Count > MaxImages)
            {
                found.Add(new ValidationProblem(imageField, $"has {images.Count} images; at most {MaxImages} are allowed (1st = first frame, 2nd = last frame)."));
            }

            request.Images = images.Count > 0 ? images : null;
            CheckImageReferences(prompt, images.Count, found);
            ReadVideo(input, request, images.Count, imageField, found);
            problems = found;
            return found.Count == 0 ? request : null;
        }

        private static string? ReadPrompt(VideoInput input, VideoRequest request, List<ValidationProblem> found)
        {
            string? prompt = Given(input.Prompt);
            if (prompt == null)
            {
                found.Add(new ValidationProblem("prompt", "is required and must not be empty."));
                return null;
            }

            request.Prompt = input.Prompt!;
            CheckControlCharacters(found, "prompt", input.Prompt!);
            return prompt;
        }

        private static void ReadSettings(VideoInput input, VideoRequest request, List<ValidationProblem> found)
        {
            string? mode = Given(input.Mode);
            if (mode != null)
            {
                request.Mode = OneOf(found, "mode", mode, Modes);
            }

            string? duration = Given(input.Duration);
            string? d = duration == null ? null : OneOf(found, "duration", duration, Durations);
            if (d != null)
            {
                request.Duration = int.Parse(d, CultureInfo.InvariantCulture);
            }

            string? aspect = Given(input.AspectRatio);
            if (aspect != null)
            {
                request.AspectRatio = OneOf(found, "aspect_ratio", aspect, AspectRatios);
            }
        }

        /// <summary>Every &lt;&lt;&lt;image_N&gt;&gt;&gt; in the prompt must point at one of the images given.</summary>
        private static void CheckImageReferences(string? prompt, int imageCount, List<ValidationProblem> found)
        {
            if (prompt == null)
            {
                return;
            }

            foreach (Match match in ImageReference.Matches(prompt))
            {
                bool parsed = int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n);
                if (!parsed || n < 1 || n > imageCount)
                {
                    string have = imageCount == 0 ? "no images are given" : $"only {imageCount} image(s) are given";
                    found.Add(new ValidationProblem("prompt", $"references {match.Value} but {have}."));
                }
            }
        }

        /// <summary>video_list from video_url, refer_type and keep_original_sound, and the rules between them and the images.</summary>
        private static void ReadVideo(VideoInput input, VideoRequest request, int imageCount, string imageField, List<ValidationProblem> found)
        {
            string? videoUrl = Given(input.VideoUrl);
            string? referType = Given(input.ReferType);
            string? keepSound = Given(input.KeepOriginalSound);
            if (videoUrl == null)
            {
                if (referType != null)
                {
                    found.Add(new ValidationProblem("refer_type", "is given without video_url; it only applies to a reference video."));
                }

                if (keepSound != null)
                {
                    found.Add(new ValidationProblem("keep_original_sound", "is given without video_url; it only applies to a reference video."));
                }

                return;
            }

            string? urlProblem = UrlRules.UrlProblem(videoUrl);
            if (urlProblem != null)
            {
                found.Add(new ValidationProblem("video_url", urlProblem));
            }
            else if (!UrlRules.IsHttpUrl(videoUrl))
            {
                found.Add(new ValidationProblem("video_url", $"'{videoUrl}' is not an absolute http(s) URL; the reference video must be publicly reachable (the gateway has no video upload). Put the file somewhere public and give its URL; Test-KlingVideoInput -Path checks a local file against the video rules first."));
            }

            var reference = new VideoReference { VideoUrl = videoUrl };
            string? type = referType == null ? null : OneOf(found, "refer_type", referType, ReferTypes);
            reference.ReferType = type;
            if (keepSound != null)
            {
                reference.KeepOriginalSound = ParseYesNo(found, keepSound);
            }

            if ((type ?? "base") == "base" && imageCount > 0)
            {
                found.Add(new ValidationProblem(imageField, "must be empty when refer_type is 'base' (the reference video is edited; first/last frame images are not allowed)."));
            }
            else if (type == "feature" && imageCount > 1)
            {
                found.Add(new ValidationProblem(imageField, "may hold only the first frame (1 image) when refer_type is 'feature'."));
            }

            request.VideoList = new List<VideoReference> { reference };
        }

        /// <summary>
        /// The row's images in API order, from exactly one of: first_frame/last_frame, image/images, image_urls. URLs
        /// pass through; anything else is a local file, read by the input's <see cref="IImageReader"/>.
        /// </summary>
        private static List<ImageRef> CollectImages(VideoInput input, List<ValidationProblem> found, out string field)
        {
            var images = new List<ImageRef>();
            foreach (KeyValuePair<string, string> entry in ImageEntries(input, found, out field))
            {
                ImageRef? image = ReadImage(input.ImageReader, entry.Key, entry.Value, found);
                if (image != null)
                {
                    images.Add(image);
                }
            }

            return images;
        }

        /// <summary>The (field, value) pairs of the one way the row gives its images; a second way or a lone last frame is a problem.</summary>
        private static List<KeyValuePair<string, string>> ImageEntries(VideoInput input, List<ValidationProblem> found, out string field)
        {
            string? first = Given(input.FirstFrame);
            string? last = Given(input.LastFrame);
            List<string> named = SplitList(input.Images);
            List<string> urls = SplitList(input.ImageUrls);
            var given = new List<string>();
            if (first != null || last != null)
            {
                given.Add(first != null ? "first_frame" : "last_frame");
            }

            if (named.Count > 0)
            {
                given.Add("image");
            }

            if (urls.Count > 0)
            {
                given.Add("image_urls");
            }

            field = given.Count > 0 ? given[0] : "image_urls";
            var entries = new List<KeyValuePair<string, string>>();
            if (given.Count > 1)
            {
                found.Add(new ValidationProblem(given[1], $"and {given[0]} are both given; give the row's images one way only (first_frame/last_frame, image, or image_urls)."));
            }
            else if (first == null && last != null)
            {
                found.Add(new ValidationProblem("last_frame", "is given without first_frame; the API's 1st image is the first frame and the 2nd the last, so a last frame needs a first frame."));
            }
            else if (first != null)
            {
                entries.Add(new KeyValuePair<string, string>("first_frame", first));
                if (last != null)
                {
                    entries.Add(new KeyValuePair<string, string>("last_frame", last));
                }
            }
            else
            {
                string name = field;
                entries.AddRange((named.Count > 0 ? named : urls).Select(value => new KeyValuePair<string, string>(name, value)));
            }

            return entries;
        }

        private static ImageRef? ReadImage(IImageReader reader, string field, string value, List<ValidationProblem> found)
        {
            string? urlProblem = UrlRules.UrlProblem(value);
            if (urlProblem != null)
            {
                found.Add(new ValidationProblem(field, urlProblem));
                return null;
            }

            if (UrlRules.IsHttpUrl(value))
            {
                return ImageRef.FromUrl(value);
            }

            if (UrlRules.LooksLikeUrl(value))
            {
                found.Add(new ValidationProblem(field, $"'{value}' is neither an http(s) URL nor a local image file."));
                return null;
            }

            LocalImage? image = reader.Read(value, out string? problem);
            if (image == null)
            {
                found.Add(new ValidationProblem(field, problem ?? $"'{value}' could not be read."));
                return null;
            }

            return ImageRef.FromFile(image);
        }

        /// <summary>Control characters (other than tab and line breaks) are invisible in a CSV and garble a prompt: the row's error.</summary>
        private static void CheckControlCharacters(List<ValidationProblem> found, string field, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsControl(c) && c != '\t' && c != '\n' && c != '\r')
                {
                    found.Add(new ValidationProblem(field, $"contains the control character U+{(int)c:X4} at position {i + 1}; only tab and line breaks are allowed. Remove it (it often comes from copying text out of another program)."));
                    return;
                }
            }
        }

        private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        private static string? OneOf(List<ValidationProblem> found, string field, string value, string[] allowed)
        {
            string? match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
            if (match == null)
            {
                found.Add(new ValidationProblem(field, $"'{value}' is not one of {string.Join(", ", allowed)}."));
            }

            return match;
        }

        private static string? ParseYesNo(List<ValidationProblem> found, string value)
        {
            switch (value.ToLowerInvariant())
            {
                case "yes":
                case "true":
                    return "yes";
                case "no":
                case "false":
                    return "no";
                default:
                    found.Add(new ValidationProblem("keep_original_sound", $"'{value}' is not one of yes, no, true, false."));
                    return null;
            }
        }

    }
}
