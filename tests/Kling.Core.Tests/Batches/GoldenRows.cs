using System.Text.Json;
using Kling.Core.Media;
using Kling.Core.Wire;

namespace Kling.Core.Tests.Batches;

/// <summary>
/// Fixed rows, one for every model of the catalog and one for a model it does not know, built as requests (not through
/// the row reader, so a change there cannot move them): the rows whose identities the golden tests pin, and the rows of
/// the journal fixture a version-1 journal run wrote.
/// </summary>
internal static class GoldenRows
{
    public const string UnknownModel = "kling-v9-preview";

    /// <summary>The rows by name, in the order the fixture journal was written.</summary>
    public static IReadOnlyList<(string Name, VideoRequest Request)> All() => new List<(string, VideoRequest)>
    {
        ("o1", new VideoRequest
        {
            Model = "kling-video-o1", Prompt = "让<<<image_1>>>挥手 \"quoted\"", Mode = "pro", Duration = 10, AspectRatio = "9:16",
            ImageUrls = new List<string> { "https://img.example/first.png", "https://img.example/last.png" },
        }),
        ("o1 feature video", new VideoRequest
        {
            Model = "kling-video-o1", Prompt = "like <<<image_1>>>", Mode = "std", Duration = 5, AspectRatio = "1:1",
            ImageUrls = new List<string> { "https://img.example/a.png" },
            VideoList = new List<VideoReference> { new() { VideoUrl = "https://vid.example/v.mp4", ReferType = "feature", KeepOriginalSound = "yes" } },
        }),
        ("v3-omni", new VideoRequest
        {
            Model = "kling-v3-omni", Prompt = "@hero crosses the room", Mode = "4k", Duration = 8, AspectRatio = "16:9", NegativePrompt = "blur",
            ImageWithRoles = new List<RoleImage> { new() { Url = ImageRef.FromUrl("https://img.example/1.png"), Role = "first_frame" } },
            Audio = true, Watermark = false, MultiShot = true, ShotType = "customize",
            MultiPrompt = new List<ShotPrompt> { new() { Index = 1, Prompt = "The door opens", Duration = 3 }, new() { Index = 2, Prompt = "A dog runs in", Duration = 5 } },
            ElementList = new List<Element>
            {
                new() { Name = "hero", Description = "a red fox", ElementInputUrls = new List<ImageRef> { ImageRef.FromUrl("https://img.example/f1.png"), ImageRef.FromUrl("https://img.example/f2.png") } },
            },
        }),
        ("v3", new VideoRequest
        {
            Model = "kling-v3", Prompt = "a lighthouse at night", Mode = "pro", Duration = 15, NegativePrompt = "low quality",
            ImageUrls = new List<string> { "https://img.example/1.png", "https://img.example/2.png" }, Audio = false, Watermark = true,
        }),
        ("v2-6", new VideoRequest
        {
            Model = "kling-v2-6", Prompt = "a kite in the wind", Mode = "pro", Duration = 5,
            ImageUrls = new List<string> { "https://img.example/1.png" }, Audio = true, Watermark = false,
        }),
        ("turbo", new VideoRequest
        {
            Model = "kling-3.0-turbo", Duration = 12, Resolution = "1080p", FirstFrameImage = ImageRef.FromUrl("https://img.example/1.png"), Watermark = true,
        }),
        ("v2-6 motion", new VideoRequest
        {
            Model = "kling-v2-6-motion-control", Mode = "pro", ImageUrl = ImageRef.FromUrl("https://img.example/dancer.png"), VideoUrl = "https://vid.example/moves.mp4",
            CharacterOrientation = "video", KeepOriginalSound = "no", WatermarkInfo = new WatermarkInfo { Enabled = false },
        }),
        ("v3 motion", new VideoRequest
        {
            Model = "kling-v3-motion-control", Prompt = "dance", Mode = "std", ImageUrl = ImageRef.FromUrl("https://img.example/s.png"), VideoUrl = "https://vid.example/s.mp4",
            CharacterOrientation = "image", KeepOriginalSound = "yes", WatermarkInfo = new WatermarkInfo { Enabled = true },
        }),
        ("unknown", new VideoRequest
        {
            Model = UnknownModel, Prompt = "x <<<image_1>>>", Mode = "ultra", Duration = 42, AspectRatio = "21:9",
            ImageUrls = new List<string> { "https://img.example/1.png" },
            Extra = Extra("{\"seed\":7,\"camera\":{\"speed\":1.5,\"pan\":\"left\"},\"loop\":true}"),
        }),
        ("o1 again", new VideoRequest
        {
            Model = "kling-video-o1", Prompt = "让<<<image_1>>>挥手 \"quoted\"", Mode = "pro", Duration = 10, AspectRatio = "9:16",
            ImageUrls = new List<string> { "https://img.example/first.png", "https://img.example/last.png" },
        }),
    };

    public static Dictionary<string, JsonElement> Extra(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
