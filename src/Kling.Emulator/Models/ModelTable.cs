using System.Text.Json.Nodes;
using static Kling.Emulator.Models.Fields;

namespace Kling.Emulator.Models;

/// <summary>
/// The emulator's own reading of ../shared/MODELS.md, kept apart from the client's catalog on purpose: a catalog mistake
/// must fail against it. Only confirmed rules refuse; a field whose type is unconfirmed is <see cref="Fields.Unchecked"/>.
/// </summary>
internal static class ModelTable
{
    public const string O1 = "kling-video-o1";

    private const int DefaultDuration = 5;

    public static readonly IReadOnlyDictionary<string, ModelSpec> Models = new[]
    {
        VideoO1(), V3Omni(), V3(), V26(), Turbo(), MotionControl("kling-v2-6-motion-control"), MotionControl("kling-v3-motion-control"),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>Every field some model takes: for a model the emulator does not know, the rest are recorded as extras.</summary>
    public static readonly IReadOnlySet<string> AllFields = Models.Values.SelectMany(m => m.Fields).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The seed's model keeps the original rules and messages of <see cref="SubmissionRules"/> (the suites assert them).</summary>
    private static ModelSpec VideoO1() => new(
        O1,
        new[] { "prompt", "mode", "duration", "aspect_ratio", "image_urls", "video_list" }.Select(Unchecked).ToArray(),
        (_, body) => SubmissionRules.CheckO1(body));

    private static ModelSpec V3Omni() => new(
        "kling-v3-omni",
        new[]
        {
            Text("prompt", required: true),
            Text("negative_prompt", maxLength: 2500),
            OneOf("mode", StdPro4K),
            Integer("duration", 3, 15),
            OneOf("aspect_ratio", AspectRatios),
            UrlList("image_urls", 0, 0), // images referenced by <<<image_N>>>; no cap is stated
            OmniRules.ImageWithRoles(),
            OmniRules.VideoList(),
            Unchecked("audio"), // the field is confirmed, its type is not
            OmniRules.Elements(),
            Unchecked("watermark"),
        }.Concat(ShotRules.Fields(0)).ToArray(),
        OmniRules.Frames,
        OmniRules.ImageReferences,
        OmniRules.VideoFrames,
        ShotRules.Totals(DefaultDuration));

    /// <summary>kling-v3: the current page's 3 to 15 s and 4k (an older copy's 5|10|15, text-only 15 and std|pro are unconfirmed).</summary>
    private static ModelSpec V3() => new(
        "kling-v3",
        new[]
        {
            Text("prompt", required: true),
            Text("negative_prompt"),
            OneOf("mode", StdPro4K),
            Integer("duration", 3, 15),
            OneOf("aspect_ratio", AspectRatios),
            UrlList("image_urls", 0, 2),
            Unchecked("audio"),
            Unchecked("watermark"),
            Forbidden("video_list", "; kling-v3 has no reference video"),
        }.Concat(ShotRules.Fields(512)).ToArray(),
        ShotRules.Totals(DefaultDuration));

    private static ModelSpec V26() => new(
        "kling-v2-6",
        new[]
        {
            Text("prompt", maxLength: 2500, required: true),
            Text("negative_prompt"),
            OneOf("mode", StdPro),
            IntegerIn("duration", new[] { 5, 10 }, quotedToo: true), // a quoted duration is an error on v3, omni and turbo only
            OneOf("aspect_ratio", AspectRatios),
            UrlList("image_urls", 1, 2),
            Boolean("audio"),
            Boolean("watermark"),
        },
        CrossRules.V26ProOnly);

    private static ModelSpec Turbo() => new(
        "kling-3.0-turbo",
        new[]
        {
            Text("prompt", maxLength: 3072),
            Url("first_frame_image"),
            OneOf("resolution", "720p", "1080p"),
            Forbidden("mode", "; kling-3.0-turbo takes resolution 720p or 1080p instead"),
            Integer("duration", 3, 15),
            OneOf("aspect_ratio", AspectRatios), // with an image the image decides; not refused
            Unchecked("watermark"), // listed, its type is not stated
            Forbidden("negative_prompt", ""),
            Forbidden("image_urls", "; one image goes in first_frame_image"),
            Forbidden("audio", ""),
        },
        CrossRules.TurboPromptWithoutImage);

    /// <summary>Both motion-control models: length and price follow the reference video, so no duration or aspect_ratio.</summary>
    private static ModelSpec MotionControl(string name) => new(
        name,
        new[]
        {
            Url("image_url", required: true),
            Url("video_url", required: true),
            OneOf("character_orientation", "image", "video"), // whether it is required is unconfirmed
            OneOf("keep_original_sound", "yes", "no"),
            OneOf("mode", StdPro),
            Text("prompt"),
            CrossRules.WatermarkInfo(),
            Forbidden("duration", "; the length follows the reference video"),
            Forbidden("aspect_ratio", "; the frame follows the image and the video"),
        });

    /// <summary>The fields of <paramref name="body"/> its model does not take (any model's fields, for a model not in the table).</summary>
    public static string[] ExtraFields(JsonObject body) =>
        body["model"] is JsonValue v && v.TryGetValue(out string? name) && Models.TryGetValue(name, out ModelSpec? spec)
            ? spec.ExtraFields(body)
            : body.Select(p => p.Key).Where(k => k != "model" && !AllFields.Contains(k)).ToArray();
}
