using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kling.Emulator.Models;

namespace Kling.Emulator;

/// <summary>
/// The gateway's 400 for a submission body: the model first, then that model's rules (Models/ModelTable.cs, read from
/// MODELS.md), or the generic checks for a model the emulator does not know. kling-video-o1 keeps the rules of API.md §1
/// below, checked in the gateway's order, each failure naming its field.
/// </summary>
internal static partial class SubmissionRules
{
    private static readonly string[] Modes = { "std", "pro" };
    private static readonly string[] AspectRatios = { "16:9", "9:16", "1:1" };

    /// <summary>The first rule the body breaks, as the 400 message; null when it is valid.</summary>
    public static string? Check(JsonObject body)
    {
        string? model = Text(body, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            return $"model: 不能为空 (model is required, a string; got {body["model"]?.ToJsonString() ?? "none"})";
        }

        return WebhookRule.Check(body) ?? (ModelTable.Models.TryGetValue(model, out ModelSpec? spec) ? spec.Check(body) : GenericRules.Check(model, body));
    }

    /// <summary>kling-video-o1's rules (API.md §1), with the messages the suites assert.</summary>
    public static string? CheckO1(JsonObject body)
    {
        string? problem = Prompt(body) ?? Mode(body) ?? Duration(body) ?? AspectRatio(body);
        if (problem != null)
        {
            return problem;
        }

        return ImageUrls(body, out List<string> images) ?? ImageReferences(Text(body, "prompt")!, images.Count) ?? VideoList(body, images.Count);
    }

    private static string? Text(JsonObject body, string name) => body[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static bool IsHttpUrl(string? url) =>
        url != null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == "http" || uri.Scheme == "https");

    private static string? Prompt(JsonObject body) =>
        string.IsNullOrWhiteSpace(Text(body, "prompt")) ? "prompt: 不能为空 (prompt is required)" : null;

    private static string? Mode(JsonObject body) =>
        body["mode"] != null && !Modes.Contains(Text(body, "mode")) ? $"mode: 无效的值 '{body["mode"]}' (std or pro)" : null;

    private static string? Duration(JsonObject body) =>
        body["duration"] != null && !(body["duration"] is JsonValue d && d.TryGetValue(out int duration) && (duration == 5 || duration == 10))
            ? $"duration: 无效的值 '{body["duration"]}' (5 or 10)"
            : null;

    private static string? AspectRatio(JsonObject body) =>
        body["aspect_ratio"] != null && !AspectRatios.Contains(Text(body, "aspect_ratio"))
            ? $"aspect_ratio: 无效的值 '{body["aspect_ratio"]}' (16:9, 9:16 or 1:1)"
            : null;

    /// <summary>image_urls: an array of at most 2 absolute http(s) URLs, every one checked before the count; they come out in <paramref name="images"/>.</summary>
    private static string? ImageUrls(JsonObject body, out List<string> images)
    {
        images = new List<string>();
        if (body["image_urls"] == null)
        {
            return null;
        }

        if (body["image_urls"] is not JsonArray array)
        {
            return "image_urls: 必须是数组 (must be an array)";
        }

        foreach (JsonNode? item in array)
        {
            string? url = item is JsonValue v && v.TryGetValue(out string? s) ? s : null;
            if (!IsHttpUrl(url))
            {
                return $"image_urls: 无效的 URL '{item}' (absolute http(s) URL required)";
            }

            images.Add(url!);
        }

        return images.Count > 2 ? "image_urls: 最多 2 张图片 (at most 2 images)" : null;
    }

    /// <summary>Every &lt;&lt;&lt;image_N&gt;&gt;&gt; in the prompt must name one of the images given (1-based).</summary>
    private static string? ImageReferences(string prompt, int imageCount)
    {
        foreach (Match m in ImageReference().Matches(prompt))
        {
            if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > imageCount)
            {
                return $"prompt: 引用的图片 {m.Value} 不存在 (image reference beyond the {imageCount} image(s) given)";
            }
        }

        return null;
    }

    /// <summary>video_list: at most one element, checked with the frame images it allows.</summary>
    private static string? VideoList(JsonObject body, int imageCount)
    {
        if (body["video_list"] == null)
        {
            return null;
        }

        if (body["video_list"] is not JsonArray videos || videos.Count > 1)
        {
            return "video_list: 最多 1 个视频 (at most 1 element)";
        }

        return videos.Count == 1 ? Video(videos[0], imageCount) : null;
    }

    /// <summary>A reference video: an http(s) video_url, refer_type base (no frame images) or feature (a first frame at most), keep_original_sound yes or no.</summary>
    private static string? Video(JsonNode? element, int imageCount)
    {
        if (element is not JsonObject video)
        {
            return "video_list: 元素必须是对象 (element must be an object)";
        }

        string? videoUrl = video["video_url"] is JsonValue vu && vu.TryGetValue(out string? s) ? s : null;
        if (string.IsNullOrWhiteSpace(videoUrl) || !IsHttpUrl(videoUrl))
        {
            return "video_list.video_url: 不能为空且必须是 http(s) URL (required, http(s))";
        }

        string referType = video["refer_type"] is JsonValue rt && rt.TryGetValue(out string? r) ? r : "base";
        if (referType != "base" && referType != "feature")
        {
            return $"video_list.refer_type: 无效的值 '{referType}' (base or feature)";
        }

        if (video["keep_original_sound"] != null &&
            !(video["keep_original_sound"] is JsonValue ks && ks.TryGetValue(out string? k) && (k == "yes" || k == "no")))
        {
            return "video_list.keep_original_sound: 无效的值 (yes or no)";
        }

        return (referType, imageCount) switch
        {
            ("base", > 0) => "image_urls: refer_type 为 base 时不能设置首尾帧 (no frame images with a base video)",
            ("feature", > 1) => "image_urls: refer_type 为 feature 时只能设置首帧 (first frame only with a feature video)",
            _ => null,
        };
    }

    [GeneratedRegex(@"<<<\s*image_(\d+)\s*>>>", RegexOptions.IgnoreCase)]
    private static partial Regex ImageReference();
}
