using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Kling.Core
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

        public static VideoRequest? TryBuild(VideoInput input, out IReadOnlyList<ValidationProblem> problems)
        {
            var found = new List<ValidationProblem>();
            var request = new VideoRequest();

            string? model = Given(input.Model);
            request.Model = model ?? VideoRequest.DefaultModel;

            string? prompt = Given(input.Prompt);
            if (prompt == null)
            {
                found.Add(new ValidationProblem("prompt", "is required and must not be empty."));
            }
            else
            {
                request.Prompt = input.Prompt!;
                CheckControlCharacters(found, "prompt", input.Prompt!);
            }

            string? mode = Given(input.Mode);
            if (mode != null)
            {
                request.Mode = OneOf(found, "mode", mode, Modes);
            }

            string? duration = Given(input.Duration);
            if (duration != null)
            {
                string? d = OneOf(found, "duration", duration, Durations);
                if (d != null)
                {
                    request.Duration = int.Parse(d, CultureInfo.InvariantCulture);
                }
            }

            string? aspect = Given(input.AspectRatio);
            if (aspect != null)
            {
                request.AspectRatio = OneOf(found, "aspect_ratio", aspect, AspectRatios);
            }

            List<string> images = CollectImages(input, found, out string imageField, out List<LocalImage> locals);
            if (images.Count > MaxImages)
            {
                found.Add(new ValidationProblem(imageField, $"has {images.Count} images; at most {MaxImages} are allowed (1st = first frame, 2nd = last frame)."));
            }

            if (images.Count > 0)
            {
                request.ImageUrls = images;
            }

            if (locals.Count > 0)
            {
                request.LocalImages = locals;
            }

            if (prompt != null)
            {
                foreach (Match match in ImageReference.Matches(prompt))
                {
                    bool parsed = int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n);
                    if (!parsed || n < 1 || n > images.Count)
                    {
                        string have = images.Count == 0 ? "no images are given" : $"only {images.Count} image(s) are given";
                        found.Add(new ValidationProblem("prompt", $"references {match.Value} but {have}."));
                    }
                }
            }

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
            }
            else
            {
                string? urlProblem = UrlProblem(videoUrl);
                if (urlProblem != null)
                {
                    found.Add(new ValidationProblem("video_url", urlProblem));
                }
                else if (!IsHttpUrl(videoUrl))
                {
                    found.Add(new ValidationProblem("video_url", $"'{videoUrl}' is not an absolute http(s) URL; the reference video must be publicly reachable (the gateway has no video upload). Put the file somewhere public and give its URL; Test-KlingVideoInput -Path checks a local file against the video rules first."));
                }

                var reference = new VideoReference { VideoUrl = videoUrl };
                string effectiveType = "base";
                if (referType != null)
                {
                    string? t = OneOf(found, "refer_type", referType, ReferTypes);
                    if (t != null)
                    {
                        reference.ReferType = t;
                        effectiveType = t;
                    }
                }

                if (keepSound != null)
                {
                    reference.KeepOriginalSound = ParseYesNo(found, keepSound);
                }

                if (effectiveType == "base" && images.Count > 0)
                {
                    found.Add(new ValidationProblem(imageField, "must be empty when refer_type is 'base' (the reference video is edited; first/last frame images are not allowed)."));
                }
                else if (effectiveType == "feature" && images.Count > 1)
                {
                    found.Add(new ValidationProblem(imageField, "may hold only the first frame (1 image) when refer_type is 'feature'."));
                }

                request.VideoList = new List<VideoReference> { reference };
            }

            problems = found;
            return found.Count == 0 ? request : null;
        }

        /// <summary>
        /// The row's images in API order, from exactly one of: first_frame/last_frame, image/images, image_urls. URLs
        /// pass through; anything else is a local file, checked now (type by content, size) and replaced by a
        /// "sha256:..." placeholder until it is uploaded.
        /// </summary>
        private static List<string> CollectImages(VideoInput input, List<ValidationProblem> found, out string field, out List<LocalImage> locals)
        {
            locals = new List<LocalImage>();
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
            if (given.Count > 1)
            {
                found.Add(new ValidationProblem(given[1], $"and {given[0]} are both given; give the row's images one way only (first_frame/last_frame, image, or image_urls)."));
                return new List<string>();
            }

            var entries = new List<KeyValuePair<string, string>>();
            if (first != null || last != null)
            {
                if (first == null)
                {
                    found.Add(new ValidationProblem("last_frame", "is given without first_frame; the API's 1st image is the first frame and the 2nd the last, so a last frame needs a first frame."));
                    return new List<string>();
                }

                entries.Add(new KeyValuePair<string, string>("first_frame", first));
                if (last != null)
                {
                    entries.Add(new KeyValuePair<string, string>("last_frame", last));
                }
            }
            else
            {
                foreach (string value in named.Count > 0 ? named : urls)
                {
                    entries.Add(new KeyValuePair<string, string>(field, value));
                }
            }

            var images = new List<string>();
            foreach (KeyValuePair<string, string> entry in entries)
            {
                string value = entry.Value;
                string? urlProblem = UrlProblem(value);
                if (urlProblem != null)
                {
                    found.Add(new ValidationProblem(entry.Key, urlProblem));
                    continue;
                }

                if (IsHttpUrl(value))
                {
                    images.Add(value);
                    continue;
                }

                if (LooksLikeUrl(value))
                {
                    found.Add(new ValidationProblem(entry.Key, $"'{value}' is neither an http(s) URL nor a local image file."));
                    continue;
                }

                string fullPath;
                try
                {
                    fullPath = input.ResolvePath != null ? input.ResolvePath(value) : System.IO.Path.GetFullPath(value);
                }
                catch (Exception ex) when (!(ex is OutOfMemoryException))
                {
                    found.Add(new ValidationProblem(entry.Key, $"'{value}' is not a usable path: {ex.Message}"));
                    continue;
                }

                LocalImage? image = ImageFile.Inspect(fullPath, out string? problem);
                if (image == null)
                {
                    string hint = value.IndexOf(',') >= 0 && !System.IO.File.Exists(fullPath) ? " To give several images in one cell, separate them with ';'." : string.Empty;
                    found.Add(new ValidationProblem(entry.Key, $"names '{fullPath}', which {problem}.{hint}"));
                    continue;
                }

                locals.Add(image);
                images.Add(image.Placeholder);
            }

            return images;
        }

        /// <summary>
        /// Why a cell that is meant as one URL is not one we may send, or null: several URLs joined by ',' or ' '
        /// (sent as one bogus URL, and billed), whitespace inside, or a user:password that would reach the gateway's logs.
        /// </summary>
        internal static string? UrlProblem(string value)
        {
            if (!LooksLikeUrl(value))
            {
                return null;
            }

            int second = IndexOfSecondScheme(value);
            if (second > 0)
            {
                char separator = value.Substring(0, second).TrimEnd().LastOrDefault();
                string joined = separator == ',' ? "','" : char.IsWhiteSpace(value[second - 1]) ? "a space" : $"'{separator}'";
                return $"holds several URLs joined by {joined}; separate the URLs in one cell with ';'.";
            }

            if (value.Any(char.IsWhiteSpace))
            {
                return $"'{value}' contains whitespace; a URL has none (encode a space as %20), and several URLs in one cell are separated with ';'.";
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && !string.IsNullOrEmpty(uri.UserInfo))
            {
                return "carries a user name or password before '@'; it would be sent to the gateway and kept in its logs, so it is refused. Use a URL that needs no credentials (for example a signed link).";
            }

            return null;
        }

        private static int IndexOfSecondScheme(string value)
        {
            int first = value.IndexOf("://", StringComparison.Ordinal);
            if (first < 0)
            {
                return -1;
            }

            Match next = SecondScheme.Match(value, first + 3);
            return next.Success ? next.Index : -1;
        }

        private static readonly Regex SecondScheme = new Regex(@"(?<=[\s,|])https?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

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

        private static bool LooksLikeUrl(string value)
        {
            int colon = value.IndexOf("://", StringComparison.Ordinal);
            return colon > 1 || value.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
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

        internal static bool IsHttpUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) &&
            (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
            !string.IsNullOrEmpty(uri.Host);
    }
}
