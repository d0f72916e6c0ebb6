using Kling.Core.Catalog;
using Kling.Core.Wire;
using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>KlingTask's Mode and Duration: what was sent, else the row's model's default from the catalog, never o1's for every model.</summary>
public sealed class KlingTaskTests
{
    private static KlingTask TaskOf(VideoInput input)
    {
        VideoRequest? request = VideoRequestValidator.TryBuild(input, out IReadOnlyList<ValidationProblem> problems);
        Assert.True(problems.Count == 0, string.Join(" | ", problems));
        return new KlingTask("task_1") { Request = request };
    }

    [Theory]
    [InlineData(null, "std", 5)]                   // the default model, kling-video-o1 (API.md: std and 5 by default)
    [InlineData("kling-video-o1", "std", 5)]
    [InlineData("kling-v3-omni", "std", 5)]
    [InlineData("kling-v3", "std", 5)]
    [InlineData("kling-v2-6", "std", null)]        // its default length is not stated
    [InlineData("kling-3.0-turbo", null, null)]    // no mode (resolution instead); no stated default length
    [InlineData("kling-v9-preview", null, null)]   // a model the catalog does not know: nothing to fall back on
    public void A_row_without_mode_or_duration_shows_its_models_defaults(string? model, string? mode, int? duration)
    {
        KlingTask task = TaskOf(new VideoInput { Model = model, Prompt = "a fox" });
        Assert.Equal(mode, task.Mode);
        Assert.Equal(duration, task.Duration);
    }

    [Theory]
    [InlineData("kling-v2-6-motion-control")]
    [InlineData("kling-v3-motion-control")]
    public void Motion_control_has_no_duration_the_gateway_measures_the_video(string model)
    {
        KlingTask task = TaskOf(new VideoInput { Model = model, FirstFrame = "https://example.com/a.png", VideoUrl = "https://example.com/m.mp4" });
        Assert.Equal("std", task.Mode);
        Assert.Null(task.Duration);
    }

    [Fact]
    public void Turbo_shows_its_resolution_720p_by_default_and_the_other_models_none()
    {
        Assert.Equal("720p", TaskOf(new VideoInput { Model = "kling-3.0-turbo", Prompt = "a fox" }).Resolution);
        Assert.Equal("1080p", TaskOf(new VideoInput { Model = "kling-3.0-turbo", Prompt = "a fox", Resolution = "1080p" }).Resolution);
        Assert.Null(TaskOf(new VideoInput { Model = "kling-v3", Prompt = "a fox" }).Resolution);
    }

    [Fact]
    public void What_was_sent_wins_and_a_task_looked_up_by_id_shows_nothing()
    {
        KlingTask sent = TaskOf(new VideoInput { Model = "kling-v3", Prompt = "a fox", Mode = "4k", Duration = "12" });
        Assert.Equal("4k", sent.Mode);
        Assert.Equal(12, sent.Duration);

        var byId = new KlingTask("task_2");
        Assert.Null(byId.Mode);
        Assert.Null(byId.Duration);
        Assert.Null(byId.Resolution);
    }
}
