using Kling.Core.Catalog;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests;

public class VideoRequestValidatorTests
{
    private static VideoRequest? Build(VideoInput input, out IReadOnlyList<ValidationProblem> problems) =>
        VideoRequestValidator.TryBuild(input, out problems);

    private static void AssertRejected(VideoInput input, string field, string fragment)
    {
        VideoRequest? request = Build(input, out var problems);
        Assert.Null(request);
        Assert.Contains(problems, p => p.Field == field && p.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Minimal_row_gets_the_default_model_and_leaves_the_rest_to_the_API()
    {
        VideoRequest? request = Build(new VideoInput { Prompt = "a cat" }, out var problems);
        Assert.Empty(problems);
        Assert.NotNull(request);
        Assert.Equal("kling-video-o1", request!.Model);
        Assert.Null(request.Mode);
        Assert.Null(request.Duration);
        Assert.Null(request.AspectRatio);
        Assert.Null(request.ImageUrls);
        Assert.Null(request.VideoList);
        Assert.Equal("{\"model\":\"kling-video-o1\",\"prompt\":\"a cat\"}", request.ToString());
    }

    [Fact]
    public void Empty_cells_mean_not_given()
    {
        VideoRequest? request = Build(new VideoInput { Prompt = "a cat", Mode = "", Duration = " ", AspectRatio = "", ImageUrls = new[] { "" }, VideoUrl = "", ReferType = "", KeepOriginalSound = "", Model = "" }, out var problems);
        Assert.Empty(problems);
        Assert.Equal("{\"model\":\"kling-video-o1\",\"prompt\":\"a cat\"}", request!.ToString());
    }

    [Fact]
    public void Every_field_is_carried_into_the_request()
    {
        VideoRequest? request = Build(new VideoInput
        {
            Prompt = "让<<<image_1>>>挥手", Mode = "PRO", Duration = "10", AspectRatio = "9:16", Model = "kling-video-o1",
            ImageUrls = new[] { "https://img.example/a.png" }, VideoUrl = "https://vid.example/v.mp4", ReferType = "feature", KeepOriginalSound = "true",
        }, out var problems);
        Assert.Empty(problems);
        Assert.Equal("pro", request!.Mode);
        Assert.Equal(10, request.Duration);
        Assert.Equal("9:16", request.AspectRatio);
        Assert.Equal(new[] { "https://img.example/a.png" }, request.ImageUrls);
        VideoReference video = Assert.Single(request.VideoList!);
        Assert.Equal("https://vid.example/v.mp4", video.VideoUrl);
        Assert.Equal("feature", video.ReferType);
        Assert.Equal("yes", video.KeepOriginalSound);
        Assert.Contains("\"prompt\":\"让<<<image_1>>>挥手\"", request.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Prompt_is_required(string? prompt) => AssertRejected(new VideoInput { Prompt = prompt }, "prompt", "required");

    [Fact]
    public void Mode_must_be_std_or_pro() => AssertRejected(new VideoInput { Prompt = "x", Mode = "ultra" }, "mode", "(std or pro)");

    [Theory]
    [InlineData("7")]
    [InlineData("five")]
    [InlineData("5.5")]
    public void Duration_must_be_5_or_10(string duration) => AssertRejected(new VideoInput { Prompt = "x", Duration = duration }, "duration", "5 or 10");

    [Fact]
    public void Aspect_ratio_must_be_listed() => AssertRejected(new VideoInput { Prompt = "x", AspectRatio = "4:3" }, "aspect_ratio", "16:9");

    [Fact]
    public void A_third_image_is_rejected() =>
        AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { "https://a.example/1.png;https://a.example/2.png", "https://a.example/3.png" } }, "image_urls", "at most 2");

    [Theory]
    [InlineData("ftp://a.example/1.png")]
    [InlineData("data:image/png;base64,AAAA")]
    public void Image_urls_must_be_http_or_local_files(string url) => AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { url } }, "image_urls", "neither an http(s) URL nor a local image file");

    [Theory]
    [InlineData("/nonexistent-kling/cat.png")]
    [InlineData("cat-that-is-not-here.png")]
    public void Local_images_must_exist(string path) => AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { path } }, "image_urls", "does not exist");

    [Fact]
    public void Semicolons_split_one_cell_into_several_urls()
    {
        VideoRequest? request = Build(new VideoInput { Prompt = "<<<image_2>>>", ImageUrls = new[] { " https://a.example/1.png ; https://a.example/2.png ;" } }, out var problems);
        Assert.Empty(problems);
        Assert.Equal(new[] { "https://a.example/1.png", "https://a.example/2.png" }, request!.ImageUrls);
    }

    [Fact]
    public void Image_reference_beyond_the_image_count_is_rejected() =>
        AssertRejected(new VideoInput { Prompt = "make <<<image_2>>> dance", ImageUrls = new[] { "https://a.example/1.png" } }, "prompt", "<<<image_2>>>");

    [Fact]
    public void Image_reference_without_images_is_rejected() =>
        AssertRejected(new VideoInput { Prompt = "make <<<image_1>>> dance" }, "prompt", "no images");

    [Fact]
    public void Image_zero_is_not_a_reference() =>
        AssertRejected(new VideoInput { Prompt = "<<<image_0>>>", ImageUrls = new[] { "https://a.example/1.png" } }, "prompt", "<<<image_0>>>");

    [Fact]
    public void Base_video_forbids_frame_images() =>
        AssertRejected(new VideoInput { Prompt = "x", VideoUrl = "https://v.example/a.mp4", ImageUrls = new[] { "https://a.example/1.png" } }, "image_urls", "base");

    [Fact]
    public void Feature_video_allows_only_the_first_frame()
    {
        Assert.NotNull(Build(new VideoInput { Prompt = "x", VideoUrl = "https://v.example/a.mp4", ReferType = "feature", ImageUrls = new[] { "https://a.example/1.png" } }, out _));
        AssertRejected(new VideoInput { Prompt = "x", VideoUrl = "https://v.example/a.mp4", ReferType = "feature", ImageUrls = new[] { "https://a.example/1.png", "https://a.example/2.png" } }, "image_urls", "first frame");
    }

    [Fact]
    public void Refer_type_must_be_base_or_feature() =>
        AssertRejected(new VideoInput { Prompt = "x", VideoUrl = "https://v.example/a.mp4", ReferType = "style" }, "refer_type", "(base or feature)");

    [Theory]
    [InlineData("yes", "yes")]
    [InlineData("No", "no")]
    [InlineData("TRUE", "yes")]
    [InlineData("false", "no")]
    public void Keep_original_sound_accepts_yes_no_true_false(string given, string sent)
    {
        VideoRequest? request = Build(new VideoInput { Prompt = "x", VideoUrl = "https://v.example/a.mp4", KeepOriginalSound = given }, out _);
        Assert.Equal(sent, request!.VideoList![0].KeepOriginalSound);
    }

    [Fact]
    public void Keep_original_sound_rejects_other_words() =>
        AssertRejected(new VideoInput { Prompt = "x", VideoUrl = "https://v.example/a.mp4", KeepOriginalSound = "maybe" }, "keep_original_sound", "yes, no");

    [Fact]
    public void Video_options_without_a_video_are_rejected()
    {
        AssertRejected(new VideoInput { Prompt = "x", ReferType = "base" }, "refer_type", "without video_url");
        AssertRejected(new VideoInput { Prompt = "x", KeepOriginalSound = "yes" }, "keep_original_sound", "without video_url");
    }

    [Fact]
    public void A_local_video_path_is_rejected_with_the_reason() =>
        AssertRejected(new VideoInput { Prompt = "x", VideoUrl = "/home/me/clip.mp4" }, "video_url", "no video upload");

    [Fact]
    public void All_problems_of_a_row_are_reported_together()
    {
        Build(new VideoInput { Prompt = "", Mode = "x", Duration = "3" }, out var problems);
        Assert.Equal(new[] { "prompt", "mode", "duration" }, problems.Select(p => p.Field));
        var error = new InvalidRowException(7, "sunset", problems);
        Assert.StartsWith("Row 7 ('sunset') was not submitted:", error.Message);
        Assert.Contains("Field 'mode'", error.Message);
    }

    [Theory]
    [InlineData("https://img.example/a.png,https://img.example/b.png", "','")]
    [InlineData("https://img.example/a.png, https://img.example/b.png", "','")]
    [InlineData("https://img.example/a.png https://img.example/b.png", "a space")]
    public void Image_urls_joined_by_the_wrong_separator_are_the_rows_error_pointing_to_semicolons(string cell, string separator)
    {
        AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { cell } }, "image_urls", separator);
        AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { cell } }, "image_urls", "separate the URLs in one cell with ';'");
        AssertRejected(new VideoInput { Prompt = "x", FirstFrame = cell }, "first_frame", "with ';'");
    }

    [Fact]
    public void A_comma_inside_one_url_is_not_a_list()
    {
        VideoRequest? request = Build(new VideoInput { Prompt = "x", ImageUrls = new[] { "https://img.example/w_100,h_100/a.png;https://img.example/b.png?u=https://c" } }, out var problems);
        Assert.Empty(problems);
        Assert.Equal(new[] { "https://img.example/w_100,h_100/a.png", "https://img.example/b.png?u=https://c" }, request!.ImageUrls);
    }

    [Fact]
    public void A_url_with_whitespace_inside_is_refused() =>
        AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { "https://img.example/my cat.png" } }, "image_urls", "whitespace");

    [Fact]
    public void A_video_url_list_is_refused() =>
        AssertRejected(new VideoInput { Prompt = "x", VideoUrl = "https://v.example/a.mp4,https://v.example/b.mp4" }, "video_url", "';'");

    [Fact]
    public void A_url_carrying_a_password_is_refused_without_echoing_it()
    {
        AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { "https://me:s3cret@img.example/a.png" } }, "image_urls", "password");
        AssertRejected(new VideoInput { Prompt = "x", VideoUrl = "https://me:s3cret@v.example/a.mp4" }, "video_url", "password");
        Build(new VideoInput { Prompt = "x", ImageUrls = new[] { "https://me:s3cret@img.example/a.png" } }, out var problems);
        Assert.DoesNotContain(problems, p => p.Message.Contains("s3cret"));
    }

    [Fact]
    public void Local_paths_joined_by_a_comma_get_a_hint_to_use_semicolons() =>
        AssertRejected(new VideoInput { Prompt = "x", ImageUrls = new[] { "a.png, b.png" } }, "image_urls", "separate them with ';'");

    [Theory]
    [InlineData("a cat\u0007 waves", "U+0007")]
    [InlineData("\u0000a cat", "U+0000")]
    [InlineData("a cat\u001b[31m", "U+001B")]
    [InlineData("a cat\u0085", "U+0085")]
    public void A_prompt_with_a_control_character_is_the_rows_error(string prompt, string code) =>
        AssertRejected(new VideoInput { Prompt = prompt }, "prompt", code);

    [Fact]
    public void Tabs_and_line_breaks_in_a_prompt_are_fine()
    {
        Build(new VideoInput { Prompt = "a cat\tsits\r\nthen\nwaves" }, out var problems);
        Assert.Empty(problems);
    }
}
