using System.Text.Json.Nodes;
using static Kling.Emulator.Models.Problem;

namespace Kling.Emulator.Models;

/// <summary>
/// A model the emulator does not know is forwarded, as the gateway would, with the generic checks only: a prompt unless
/// an image is given, and every URL-like field (a name ending in url(s) or image(s), at any depth) an absolute http(s) URL.
/// </summary>
internal static class GenericRules
{
    private static readonly string[] ImageFields = { "image_urls", "image_url", "first_frame_image", "image_with_roles", "image" };

    public static string? Check(string model, JsonObject body)
    {
        if (!ImageFields.Any(f => body[f] != null) && string.IsNullOrWhiteSpace(Text(body["prompt"])))
        {
            return Of("prompt", model, "不能为空", "is required without an image (model not known to the emulator: generic checks only)");
        }

        return Urls(model, "", body);
    }

    /// <summary>The first URL-like string under <paramref name="node"/> that is not http(s), by its dotted path.</summary>
    private static string? Urls(string model, string path, JsonNode? node) => node switch
    {
        JsonObject obj => obj.Select(p => Urls(model, path.Length == 0 ? p.Key : $"{path}.{p.Key}", p.Value)).FirstOrDefault(p => p != null),
        JsonArray array => array.Select(item => Urls(model, path, item)).FirstOrDefault(p => p != null),
        JsonValue value when IsUrlName(path) && Text(value) is string url && !IsHttpUrl(url) =>
            Of(path, model, $"无效的 URL '{url}'", "an absolute http(s) URL"),
        _ => null,
    };

    private static bool IsUrlName(string path)
    {
        string name = path[(path.LastIndexOf('.') + 1)..];
        return name.EndsWith("url", StringComparison.OrdinalIgnoreCase) || name.EndsWith("urls", StringComparison.OrdinalIgnoreCase) ||
               name.EndsWith("image", StringComparison.OrdinalIgnoreCase) || name.EndsWith("images", StringComparison.OrdinalIgnoreCase);
    }
}
