using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// A kling-video-o1 row's JSON is its journal identity (a hash of it): these strings were taken from the code before
/// the model catalog and must never change, or a rerun of an old journal would send its rows again.
/// </summary>
public class O1GoldenTests
{
    private sealed class OneFileReader : IImageReader
    {
        public LocalImage? Read(string path, out string? problem)
        {
            problem = null;
            return new LocalImage("/virtual/" + path, "image/png", 10, new string('b', 64));
        }
    }

    private static string Json(VideoInput input)
    {
        VideoRequest? request = VideoRequestValidator.TryBuild(input, out var problems);
        Assert.Empty(problems);
        return request!.ToString();
    }

    [Fact]
    public void A_full_o1_row_with_frames_is_byte_identical_to_before_the_catalog() =>
        Assert.Equal(
            "{\"model\":\"kling-video-o1\",\"prompt\":\"让<<<image_1>>>挥手 \\\"quoted\\\"\",\"mode\":\"pro\",\"duration\":10,\"aspect_ratio\":\"9:16\",\"image_urls\":[\"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"https://img.example/last.png\"]}",
            Json(new VideoInput
            {
                Prompt = "让<<<image_1>>>挥手 \"quoted\"", Model = "kling-video-o1", Mode = "PRO", Duration = "10", AspectRatio = "9:16",
                FirstFrame = "first.png", LastFrame = "https://img.example/last.png", ImageReader = new OneFileReader(),
            }));

    [Fact]
    public void An_o1_row_with_a_feature_video_is_byte_identical_to_before_the_catalog() =>
        Assert.Equal(
            "{\"model\":\"kling-video-o1\",\"prompt\":\"like <<<image_1>>>\",\"mode\":\"std\",\"duration\":5,\"aspect_ratio\":\"1:1\",\"image_urls\":[\"https://img.example/a.png\"],\"video_list\":[{\"video_url\":\"https://vid.example/v.mp4\",\"refer_type\":\"feature\",\"keep_original_sound\":\"yes\"}]}",
            Json(new VideoInput
            {
                Prompt = "like <<<image_1>>>", Duration = "5", Mode = "std", AspectRatio = "1:1", ImageUrls = new[] { "https://img.example/a.png" },
                VideoUrl = "https://vid.example/v.mp4", ReferType = "feature", KeepOriginalSound = "TRUE",
            }));

    [Fact]
    public void An_o1_row_with_a_base_video_and_images_by_name_is_byte_identical_to_before_the_catalog()
    {
        Assert.Equal("{\"model\":\"kling-video-o1\",\"prompt\":\"edit it\",\"video_list\":[{\"video_url\":\"https://vid.example/v.mp4\",\"keep_original_sound\":\"no\"}]}", Json(new VideoInput { Prompt = "edit it", VideoUrl = "https://vid.example/v.mp4", KeepOriginalSound = "no" }));
        Assert.Equal("{\"model\":\"kling-video-o1\",\"prompt\":\"<<<image_2>>>\",\"image_urls\":[\"https://img.example/a.png\",\"sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"]}", Json(new VideoInput { Prompt = "<<<image_2>>>", Images = new[] { "https://img.example/a.png;b.png" }, ImageReader = new OneFileReader() }));
    }
}
