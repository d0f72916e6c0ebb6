using Kling.Core.Wire;
using Kling.Core.Catalog;
using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The catalog as the one source of model facts: its default model, each model's defaults, the uses of its video, its shot and element limits.</summary>
public sealed class ModelSpecTests
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

    [Fact]
    public void Shot_limits_are_the_catalogs_and_the_row_checks_and_Get_KlingModel_follow_them()
    {
        foreach (ModelSpec m in ModelCatalog.All)
        {
            Assert.Equal(m.MultiShot, m.MaxShots > 0);
            Assert.Equal(m.Elements, m.MinElementImages > 0 && m.MaxElementImages >= m.MinElementImages);
            if (!m.MultiShot)
            {
                continue;
            }

            Assert.Equal(6, m.MaxShots);
            Assert.Contains($"Shots: 1 to {m.MaxShots}, whole seconds", string.Join(" ", m.Describe().Notes));
            string shots = string.Join("|", Enumerable.Range(1, m.MaxShots).Select(i => $"1: shot {i}"));
            Assert.NotNull(VideoRequestValidator.TryBuild(Row(m, m.MaxShots, shots), out _));
            Assert.Null(VideoRequestValidator.TryBuild(Row(m, m.MaxShots + 1, shots + "|1: one more"), out var problems));
            Assert.Contains(problems, p => p.Field == "shots" && p.Message.Contains($"{m.Name} takes 1 to {m.MaxShots}.", StringComparison.Ordinal));
        }

        ModelSpec omni = ModelCatalog.Find("kling-v3-omni")!;
        Assert.Equal((2, 4), (omni.MinElementImages, omni.MaxElementImages));
        Assert.Contains("Elements: each a name and 2 to 4 images", string.Join(" ", omni.Describe().Notes));
    }

    private static VideoInput Row(ModelSpec model, int seconds, string shots) => new VideoInput
    {
        Model = model.Name, Prompt = "x", Duration = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Shots = new[] { new ShotInput { Text = shots } },
    };
}
