using System.Text.Json.Nodes;
using static Kling.Emulator.Models.Problem;

namespace Kling.Emulator.Models;

/// <summary>The small rules between fields of kling-v2-6, kling-3.0-turbo and motion control (MODELS.md, confirmed).</summary>
internal static class CrossRules
{
    /// <summary>kling-v2-6: a second image (the last frame) and audio need pro (std is the default), and pro cannot have both.</summary>
    public static string? V26ProOnly(string model, JsonObject body)
    {
        bool pro = Text(body["mode"]) == "pro";
        bool lastFrame = body["image_urls"] is JsonArray { Count: >= 2 };
        bool audio = Boolean(body["audio"]) == true;
        if (lastFrame && !pro)
        {
            return Of("image_urls", model, "尾帧仅支持 pro 模式", "a last frame (second image) needs mode pro");
        }

        if (audio && !pro)
        {
            return Of("audio", model, "音频仅支持 pro 模式", "audio needs mode pro");
        }

        return audio && lastFrame ? Of("audio", model, "pro 模式下音频与尾帧不能同时使用", "audio and a last frame cannot be combined in pro") : null;
    }

    /// <summary>kling-3.0-turbo: without first_frame_image it is text-to-video, so the prompt is required.</summary>
    public static string? TurboPromptWithoutImage(string model, JsonObject body) =>
        body["first_frame_image"] == null && string.IsNullOrWhiteSpace(Text(body["prompt"]))
            ? Of("prompt", model, "不能为空", "is required without first_frame_image")
            : null;

    /// <summary>Motion control's watermark_info: an object {enabled: JSON boolean}.</summary>
    public static FieldRule WatermarkInfo() => Fields.Custom("watermark_info", (model, field, value) =>
        value is JsonObject info && Boolean(info["enabled"]) != null
            ? null
            : Of(field, model, $"无效的值 {value.ToJsonString()}", "an object {\"enabled\": true|false}"));
}
