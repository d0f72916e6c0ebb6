using Kling.Core.Catalog;
using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The catalog as the one source of model facts: its default model, each model's defaults and the uses of its video.</summary>
public sealed class ModelSpecDefaultsTests
{
    [Fact]
    public void The_default_model_is_one_entry_and_what_a_row_without_a_model_is_sent_to()
    {
        Assert.Same(ModelCatalog.Find(ModelCatalog.DefaultName), ModelCatalog.Default);
        Assert.Equal(ModelCatalog.DefaultName, VideoRequest.DefaultModel);
        Assert.Equal(ModelCatalog.DefaultName, new VideoRequest().Model);
        VideoRequest? built = VideoRequestValidator.TryBuild(new VideoInput { Prompt = "a fox" }, out _);
        Assert.Equal(ModelCatalog.Default.Name, built!.Model);
    }

    [Fact]
    public void Each_default_is_one_of_the_models_own_values_and_a_model_without_the_field_has_none()
    {
        foreach (ModelSpec m in ModelCatalog.All)
        {
            Assert.True(m.Modes.Count == 0 ? m.DefaultMode == null : m.Modes.Contains(m.DefaultMode!), $"{m.Name}: DefaultMode {m.DefaultMode}");
            Assert.True(m.DefaultDuration == null || m.Durations.Contains(m.DefaultDuration.Value), $"{m.Name}: DefaultDuration {m.DefaultDuration}");
            Assert.True(m.Resolutions.Count == 0 ? m.DefaultResolution == null : m.Resolutions.Contains(m.DefaultResolution!), $"{m.Name}: DefaultResolution {m.DefaultResolution}");
            Assert.Equal(m.Video != VideoField.None, m.VideoLimits != null);
            if (m.VideoLimits?.DefaultUse != null)
            {
                Assert.Contains(m.VideoLimits.DefaultUse, m.VideoLimits.UseNames);
            }
        }
    }

    [Fact]
    public void The_defaults_per_model_family_are_the_gateways_stated_ones()
    {
        Assert.Equal(("std", 5), (ModelCatalog.Default.DefaultMode, ModelCatalog.Default.DefaultDuration!.Value));
        ModelSpec turbo = ModelCatalog.Find("kling-3.0-turbo")!;
        Assert.Null(turbo.DefaultMode);
        Assert.Equal("720p", turbo.DefaultResolution);
        Assert.All(ModelCatalog.All.Where(m => m.Video == VideoField.VideoUrl), m => Assert.Null(m.DefaultDuration));
        Assert.Empty(ModelCatalog.All.Where(m => m.Video == VideoField.VideoUrl).Select(m => m.VideoLimits).Distinct().Skip(1));
    }

    [Fact]
    public void Refer_types_and_orientations_are_the_uses_of_the_models_video()
    {
        Assert.Equal(new[] { "base", "feature" }, ModelCatalog.Default.ReferTypes);
        Assert.Empty(ModelCatalog.Default.CharacterOrientations);
        ModelSpec motion = ModelCatalog.Find("kling-v3-motion-control")!;
        Assert.Equal(new[] { "image", "video" }, motion.CharacterOrientations);
        Assert.Empty(motion.ReferTypes);
        Assert.Empty(ModelCatalog.Find("kling-v3")!.ReferTypes);
    }
}
