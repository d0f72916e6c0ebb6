using Kling.Core.Requests;
using Kling.Core;
using Kling.Core.Media;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Which limits a reference video is checked against, per model (API.md for video_list, MODELS.md for motion control).</summary>
public sealed class VideoRulesTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-rules-" + Guid.NewGuid().ToString("n"));

    public VideoRulesTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Make(Mp4Writer writer, string name = "clip.mp4")
    {
        string path = Path.Combine(folder, name);
        writer.Write(path);
        return path;
    }

    [Theory]
    [InlineData("image", 3, true)]
    [InlineData("image", 10, true)]
    [InlineData("image", 10.5, false)]
    [InlineData("image", 2.5, false)]
    [InlineData("video", 10.5, true)]
    [InlineData("video", 30, true)]
    [InlineData("video", 31, false)]
    [InlineData("video", 2.5, false)]
    [InlineData(null, 25, true)]
    [InlineData(null, 31, false)]
    public void Motion_control_takes_3_to_10_s_with_orientation_image_and_3_to_30_s_with_video(string? orientation, double seconds, bool valid)
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { Seconds = seconds }), VideoRules.MotionControl("kling-v3-motion-control", orientation));
        Assert.Equal(valid, check.IsValid);
        Assert.Equal("kling-v3-motion-control", check.Model);
        Assert.Equal(orientation, check.CharacterOrientation);
        Assert.Null(check.ReferType);
        if (!valid)
        {
            Assert.Contains(check.Problems, p => p.StartsWith($"duration {seconds:0.#} s is", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_motion_clip_too_long_for_orientation_image_says_what_orientation_video_allows()
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { Seconds = 12 }), VideoRules.MotionControl("kling-v2-6-motion-control", "image"));
        Assert.Equal(
            "duration 12 s is longer than the 10 s kling-v2-6-motion-control takes with character orientation image (orientation video takes up to 30 s)",
            Assert.Single(check.Problems));
    }

    [Fact]
    public void Motion_control_needs_a_file_under_100_MB_where_video_list_allows_200()
    {
        const long limit = 100L * 1024 * 1024;
        long headers = new FileInfo(Make(new Mp4Writer { MdatBytes = 0 }, "probe.mp4")).Length;
        string exactly100 = Make(new Mp4Writer { MdatBytes = limit - headers }, "hundred.mp4");
        Assert.Equal(limit, new FileInfo(exactly100).Length);
        VideoCheck motion = VideoProbe.Check(exactly100, VideoRules.MotionControl("kling-v3-motion-control", "video"));
        Assert.Equal("size 100.0 MB must be under 100 MB for kling-v3-motion-control", Assert.Single(motion.Problems));
        Assert.True(VideoProbe.Check(exactly100, "base").IsValid);

        string under = Make(new Mp4Writer { MdatBytes = 99L * 1024 * 1024 }, "under.mp4");
        Assert.True(VideoProbe.Check(under, VideoRules.MotionControl("kling-v3-motion-control", "video")).IsValid);
    }

    [Fact]
    public void Motion_control_does_not_apply_video_lists_picture_limits_but_still_needs_a_video_track()
    {
        var rules = VideoRules.MotionControl("kling-v3-motion-control", "image");
        VideoCheck small = VideoProbe.Check(Make(new Mp4Writer { Width = 640, Height = 360, Fps = 15 }), rules);
        Assert.True(small.IsValid, string.Join("; ", small.Problems));
        Assert.False(VideoProbe.Check(Make(new Mp4Writer { Width = 640, Height = 360, Fps = 15 }, "o1.mp4"), "base").IsValid);

        VideoCheck audioOnly = VideoProbe.Check(Make(new Mp4Writer { VideoTrack = false, AudioTrackFirst = true }, "audio.mp4"), rules);
        Assert.Contains("the file has no video track", audioOnly.Problems);
    }

    [Fact]
    public void A_model_the_catalog_does_not_know_gets_the_generic_checks_only()
    {
        VideoRules rules = VideoRules.For("kling-v9-future", null, null);
        Assert.True(rules.Generic);
        Assert.Equal("kling-v9-future", rules.Model);
        VideoCheck odd = VideoProbe.Check(Make(new Mp4Writer { Seconds = 1, Width = 320, Height = 240, Fps = 12 }), rules);
        Assert.True(odd.IsValid, string.Join("; ", odd.Problems));

        string text = Path.Combine(folder, "notes.mp4");
        File.WriteAllText(text, "not a video");
        Assert.False(VideoProbe.Check(text, rules).IsValid);
    }

    [Fact]
    public void The_rules_follow_the_model_from_the_catalog()
    {
        VideoRules byDefault = VideoRules.For(null, null, null);
        Assert.Equal("kling-video-o1", byDefault.Model);
        Assert.Equal("base", byDefault.ReferType);
        Assert.True(byDefault.PictureLimits);

        VideoRules omni = VideoRules.For("kling-v3-omni", "feature", null);
        Assert.Equal("feature", omni.ReferType);
        Assert.Null(omni.MaxDuration);

        VideoRules motion = VideoRules.For("KLING-V3-MOTION-CONTROL", null, "Video");
        Assert.Equal("kling-v3-motion-control", motion.Model);
        Assert.Equal("video", motion.CharacterOrientation);
        Assert.Equal(30, motion.MaxDuration);
        Assert.Equal(100L * 1024 * 1024, motion.MaxBytes);

        VideoRules byOrientation = VideoRules.For(null, null, "image");
        Assert.Null(byOrientation.Model);
        Assert.Equal(10, byOrientation.MaxDuration);
    }

    [Theory]
    [InlineData("kling-v3", null, null, "kling-v3 takes no reference video; the models that do are kling-video-o1, kling-v3-omni, kling-v2-6-motion-control, kling-v3-motion-control")]
    [InlineData("kling-3.0-turbo", null, null, "kling-3.0-turbo takes no reference video")]
    [InlineData("kling-v2-6-motion-control", "base", null, "kling-v2-6-motion-control takes no refer type")]
    [InlineData("kling-video-o1", null, "image", "kling-video-o1 takes no character orientation")]
    [InlineData(null, "feature", "video", "a refer type is for a video_list reference")]
    public void A_use_the_model_does_not_have_is_refused_with_what_does(string? model, string? referType, string? orientation, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => VideoRules.For(model, referType, orientation));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
