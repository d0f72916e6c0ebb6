using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Kling.Emulator.Models.Problem;

namespace Kling.Emulator.Models;

/// <summary>kling-v3-omni's image, video and element rules (MODELS.md, confirmed).</summary>
internal static partial class OmniRules
{
    public static readonly string[] Roles = { "first_frame", "last_frame", "reference" };

    /// <summary>image_with_roles: an array of {url: http(s), role: first_frame | last_frame | reference}.</summary>
    public static FieldRule ImageWithRoles() => Fields.Custom("image_with_roles", (model, field, value) =>
    {
        if (value is not JsonArray images)
        {
            return Of(field, model, "必须是数组", "an array of {url, role}");
        }

        foreach (JsonNode? image in images)
        {
            if (!IsHttpUrl(Text(image?["url"])))
            {
                return Of(field, model, $"无效的 URL {image?["url"]?.ToJsonString() ?? "null"}", "each item's url is an absolute http(s) URL");
            }

            string? role = Text(image?["role"]);
            if (role == null || !Roles.Contains(role))
            {
                return Of(field, model, $"无效的 role '{role}'", "role is one of " + string.Join(", ", Roles));
            }
        }

        return null;
    });

    /// <summary>Never image_urls and image_with_roles together; a last_frame needs a first_frame.</summary>
    public static string? Frames(string model, JsonObject body)
    {
        if (body["image_with_roles"] == null)
        {
            return null;
        }

        if (body["image_urls"] != null)
        {
            return Of("image_with_roles", model, "不能与 image_urls 同时使用", "never together with image_urls");
        }

        string[] roles = RolesOf(body);
        return roles.Contains("last_frame") && !roles.Contains("first_frame")
            ? Of("image_with_roles", model, "设置尾帧时必须设置首帧", "a last_frame needs a first_frame")
            : null;
    }

    /// <summary>Every &lt;&lt;&lt;image_N&gt;&gt;&gt; names one of the images given, by image_urls or image_with_roles.</summary>
    public static string? ImageReferences(string model, JsonObject body)
    {
        int count = (body["image_urls"] as JsonArray ?? body["image_with_roles"] as JsonArray)?.Count ?? 0;
        foreach (Match m in ImageReference().Matches(Text(body["prompt"]) ?? ""))
        {
            if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > count)
            {
                return Of("prompt", model, $"引用的图片 {m.Value} 不存在", $"image reference beyond the {count} image(s) given");
            }
        }

        return null;
    }

    /// <summary>video_list as o1's: at most one {video_url, refer_type, keep_original_sound}; base takes no frame, feature a first frame only.</summary>
    public static FieldRule VideoList() => Fields.Custom("video_list", (model, field, value) =>
    {
        if (value is not JsonArray videos || videos.Count > 1)
        {
            return Of(field, model, "最多 1 个视频", "an array of at most 1 element");
        }

        return videos.Count == 0 ? null : Video(model, field, videos[0]);
    });

    /// <summary>The frames image_with_roles gives, checked against the reference video's refer_type.</summary>
    public static string? VideoFrames(string model, JsonObject body)
    {
        if (body["video_list"] is not JsonArray { Count: 1 } videos)
        {
            return null;
        }

        string referType = Text(videos[0]?["refer_type"]) ?? "base";
        string[] roles = RolesOf(body);
        if (referType == "base" && (roles.Contains("first_frame") || roles.Contains("last_frame")))
        {
            return Of("image_with_roles", model, "refer_type 为 base 时不能设置首尾帧", "no first or last frame with a base video");
        }

        return referType == "feature" && roles.Contains("last_frame")
            ? Of("image_with_roles", model, "refer_type 为 feature 时只能设置首帧", "a first frame only with a feature video")
            : null;
    }

    /// <summary>element_list (the field's name is unconfirmed; its rules are not): {name, description, element_input_urls: 2 to 4 URLs}.</summary>
    public static FieldRule Elements() => Fields.Custom("element_list", (model, field, value) =>
    {
        if (value is not JsonArray elements)
        {
            return Of(field, model, "必须是数组", "an array of {name, description, element_input_urls}");
        }

        foreach (JsonNode? element in elements)
        {
            if (string.IsNullOrWhiteSpace(Text(element?["name"])))
            {
                return Of(field + ".name", model, "不能为空", "each element has a name");
            }

            JsonNode urls = element!["element_input_urls"] ?? new JsonObject();
            string? problem = Fields.UrlListProblem(model, field + ".element_input_urls", urls, 2, 4);
            if (problem != null)
            {
                return problem;
            }
        }

        return null;
    });

    private static string? Video(string model, string field, JsonNode? node)
    {
        if (node is not JsonObject video)
        {
            return Of(field, model, "元素必须是对象", "the element is an object");
        }

        if (!IsHttpUrl(Text(video["video_url"])))
        {
            return Of(field + ".video_url", model, "不能为空且必须是 http(s) URL", "required, an absolute http(s) URL");
        }

        string? referType = video["refer_type"] == null ? "base" : Text(video["refer_type"]);
        if (referType is not ("base" or "feature"))
        {
            return Of(field + ".refer_type", model, $"无效的值 {video["refer_type"]!.ToJsonString()}", "base or feature");
        }

        return video["keep_original_sound"] == null || Text(video["keep_original_sound"]) is "yes" or "no"
            ? null
            : Of(field + ".keep_original_sound", model, "无效的值", "yes or no");
    }

    private static string[] RolesOf(JsonObject body) =>
        (body["image_with_roles"] as JsonArray)?.Select(i => Text(i?["role"]) ?? "").ToArray() ?? Array.Empty<string>();

    [GeneratedRegex(@"<<<\s*image_(\d+)\s*>>>", RegexOptions.IgnoreCase)]
    private static partial Regex ImageReference();
}
