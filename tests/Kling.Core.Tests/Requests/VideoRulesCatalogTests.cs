using Kling.Core.Wire;
using Kling.Core.Catalog;
using Kling.Core.Media;
using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Test-KlingVideoInput's limits, the row checks and the cost rule read a model's reference-video limits from its catalog entry.</summary>
public sealed class VideoRulesCatalogTests
{
    public static TheoryData<string, string?> EveryModelAndUse()
    {
        var data = new TheoryData<string, string?>();
        foreach (ModelSpec m in ModelCatalog.All.Where(m => m.VideoLimits != null))
        {
            data.Add(m.Name, null);
            foreach (string use in m.VideoLimits!.UseNames)
            {
                data.Add(m.Name, use);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryModelAndUse))]
    public void The_rules_for_each_model_and_use_are_its_catalog_entrys_limits(string model, string? use)
    {
        ModelSpec spec = ModelCatalog.Find(model)!;
        VideoLimits limits = spec.VideoLimits!;
        bool motion = spec.Video == VideoField.VideoUrl;
        VideoRules rules = VideoRules.For(model, motion ? null : use, motion ? use : null);

        Assert.Same(limits, rules.Limits);
        Assert.Equal(limits.MaxBytes, rules.MaxBytes);
        Assert.Equal(limits.MaxBytesExclusive, rules.MaxBytesExclusive);
        Assert.Equal(limits.MinSeconds, rules.MinDuration);
        Assert.Equal(limits.MaxSecondsFor(use), rules.MaxDuration);
        Assert.Same(limits.Picture, rules.Picture);
        Assert.Equal(use ?? limits.DefaultUse, motion ? rules.CharacterOrientation : rules.ReferType);
    }

    [Fact]
    public void The_catalog_states_api_mds_and_models_mds_figures()
    {
        VideoLimits list = ModelCatalog.Default.VideoLimits!;
        Assert.Equal((200L * 1024 * 1024, false, 3), (list.MaxBytes, list.MaxBytesExclusive, list.MinSeconds));
        Assert.Equal((10, (int?)null), (list.MaxSecondsFor("base"), list.MaxSecondsFor("feature")));
        Assert.Equal(10, list.MaxSecondsFor(null)); // base, the default
        Assert.Equal((720, 2160, 24, 60), (list.Picture!.MinPixels, list.Picture.MaxPixels, list.Picture.MinFrameRate, list.Picture.MaxFrameRate));

        VideoLimits motion = ModelCatalog.Find("kling-v2-6-motion-control")!.VideoLimits!;
        Assert.Equal((100L * 1024 * 1024, true, 3), (motion.MaxBytes, motion.MaxBytesExclusive, motion.MinSeconds));
        Assert.Equal((10, 30, 30), (motion.MaxSecondsFor("image"), motion.MaxSecondsFor("video"), motion.MaxSecondsFor(null)));
        Assert.Null(motion.Picture);
    }

    [Theory]
    [InlineData(null, "style", null, "refer type 'style' is not one of base, feature.")]
    [InlineData("kling-v3-omni", "style", null, "refer type 'style' is not one of base, feature.")]
    [InlineData("kling-v3-motion-control", null, "sideways", "character orientation 'sideways' is not one of image, video.")]
    [InlineData(null, null, "sideways", "character orientation 'sideways' is not one of image, video.")]
    public void A_use_the_catalog_does_not_list_is_refused_naming_the_ones_it_does(string? model, string? referType, string? orientation, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => VideoRules.For(model, referType, orientation));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("image")]
    [InlineData("video")]
    [InlineData(null)]
    public void Motion_controls_cost_range_is_the_length_its_video_may_have(string? orientation)
    {
        VideoRequest? request = VideoRequestValidator.TryBuild(new VideoInput
        {
            Model = "kling-v3-motion-control", FirstFrame = "https://example.com/a.png", VideoUrl = "https://example.com/m.mp4", CharacterOrientation = orientation,
        }, out _);
        ModelSpec spec = ModelCatalog.Find(request!.Model)!;
        Assert.Equal((spec.VideoLimits!.MinSeconds, spec.VideoLimits.MaxSecondsFor(orientation)), CostRule.Seconds(request, spec));
    }

    [Fact]
    public void A_motion_row_without_its_video_is_told_the_catalogs_file_limits()
    {
        Assert.Null(VideoRequestValidator.TryBuild(new VideoInput { Model = "kling-v3-motion-control", FirstFrame = "https://example.com/a.png" }, out var problems));
        Assert.Contains(problems, p => p.Field == "video_url" && p.Message.EndsWith("-VideoUrl (MP4/MOV, under 100 MB).", StringComparison.Ordinal));
    }
}
