using System.Text;
using Kling.Core.Requests;
using Kling.Core;
using Kling.Core.Media;
using Xunit;

namespace Kling.Core.Tests;

public sealed class VideoProbeTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-probe-" + Guid.NewGuid().ToString("n"));

    public VideoProbeTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Make(Mp4Writer writer, string name = "clip.mp4")
    {
        string path = Path.Combine(folder, name);
        writer.Write(path);
        return path;
    }

    [Fact]
    public void Reads_a_plain_mp4_and_passes_it()
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer()), "base");
        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.Equal("MP4", check.Container);
        Assert.Equal(5, check.Duration!.Value.TotalSeconds, 3);
        Assert.Equal(1280, check.Width);
        Assert.Equal(720, check.Height);
        Assert.Equal(30, check.FrameRate!.Value, 2);
    }

    [Fact]
    public void Tells_mov_by_its_brand_and_by_a_missing_ftyp()
    {
        Assert.Equal("MOV", VideoProbe.Check(Make(new Mp4Writer { Brand = "qt  " }, "a.mov"), "base").Container);
        Assert.Equal("MOV", VideoProbe.Check(Make(new Mp4Writer { WithFtyp = false }, "b.mov"), "base").Container);
    }

    [Fact]
    public void Skips_a_big_mdat_to_a_moov_at_the_end_without_reading_it()
    {
        // 150 MB of media data that is never written (sparse) and must never be read: only seeked over.
        string path = Make(new Mp4Writer { MoovAtEnd = true, MdatBytes = 150L * 1024 * 1024, LargeMdat = true });
        VideoCheck check = VideoProbe.Check(path, "base");
        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.Equal(1280, check.Width);
        Assert.True(check.Bytes > 150L * 1024 * 1024);
    }

    [Fact]
    public void Reads_version_1_boxes()
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { Version = 1, Width = 1920, Height = 1080, Fps = 24, Seconds = 8 }), "base");
        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.Equal(1920, check.Width);
        Assert.Equal(24, check.FrameRate!.Value, 2);
        Assert.Equal(8, check.Duration!.Value.TotalSeconds, 3);
    }

    [Fact]
    public void Finds_the_video_track_after_an_audio_track()
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { AudioTrackFirst = true, Width = 720, Height = 1280 }), "base");
        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.Equal(720, check.Width);
        Assert.Equal(1280, check.Height);
    }

    [Theory]
    [InlineData(2.4, "base", "duration 2.4 s is shorter than the 3 s minimum")]
    [InlineData(12, "base", "duration 12 s is longer than the 10 s")]
    public void Checks_the_duration(double seconds, string referType, string expected)
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { Seconds = seconds }), referType);
        Assert.False(check.IsValid);
        Assert.Contains(check.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_long_video_is_fine_as_a_feature_reference()
    {
        Assert.True(VideoProbe.Check(Make(new Mp4Writer { Seconds = 12 }), "feature").IsValid);
        Assert.False(VideoProbe.Check(Make(new Mp4Writer { Seconds = 2 }), "feature").IsValid);
    }

    [Theory]
    [InlineData(640, 360, "width 640 px is outside 720-2160 px")]
    [InlineData(4096, 2160, "width 4096 px is outside 720-2160 px")]
    [InlineData(1280, 700, "height 700 px is outside 720-2160 px")]
    public void Checks_the_resolution(int width, int height, string expected)
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { Width = width, Height = height }), "base");
        Assert.Contains(expected, check.Problems);
    }

    [Theory]
    [InlineData(15, false)]
    [InlineData(23.976, true)]
    [InlineData(60, true)]
    [InlineData(120, false)]
    public void Checks_the_frame_rate(double fps, bool valid)
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { Fps = fps }), "base");
        Assert.Equal(valid, check.IsValid);
        if (!valid)
        {
            Assert.Contains(check.Problems, p => p.StartsWith("frame rate", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Checks_the_size()
    {
        string path = Make(new Mp4Writer { MdatBytes = 201L * 1024 * 1024 });
        VideoCheck check = VideoProbe.Check(path, "base");
        Assert.Contains(check.Problems, p => p.Contains("over the 200 MB limit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_without_a_video_track_says_so()
    {
        VideoCheck check = VideoProbe.Check(Make(new Mp4Writer { VideoTrack = false, AudioTrackFirst = true }), "base");
        Assert.Contains("the file has no video track", check.Problems);
    }

    [Fact]
    public void Something_else_is_not_an_mp4()
    {
        string png = Path.Combine(folder, "frame.mp4");
        File.WriteAllBytes(png, ImageTests.Png.Concat(new byte[200]).ToArray());
        VideoCheck check = VideoProbe.Check(png, "base");
        Assert.False(check.IsValid);
        Assert.Null(check.Container);
        Assert.StartsWith("not an MP4 or MOV file", Assert.Single(check.Problems));

        string text = Path.Combine(folder, "notes.mov");
        File.WriteAllText(text, "these are not the frames you are looking for");
        Assert.StartsWith("not an MP4 or MOV file", Assert.Single(VideoProbe.Check(text, "base").Problems));
    }

    [Fact]
    public void A_file_cut_off_in_its_header_is_reported_not_crashed_on()
    {
        string path = Make(new Mp4Writer { MoovAtEnd = true });
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 40);
        }

        VideoCheck check = VideoProbe.Check(path, "base");
        Assert.False(check.IsValid);
        Assert.Contains("cut off", Assert.Single(check.Problems));

        // ... and one whose moov never comes.
        string noMoov = Make(new Mp4Writer { MoovAtEnd = true }, "nomoov.mp4");
        using (var stream = new FileStream(noMoov, FileMode.Open))
        {
            stream.SetLength(24 + 8 + 1024);
        }

        Assert.Contains("no header (moov box)", Assert.Single(VideoProbe.Check(noMoov, "base").Problems));
    }

    [Fact]
    public void Any_cut_or_corruption_is_a_problem_reported_never_a_crash()
    {
        byte[] good = File.ReadAllBytes(Make(new Mp4Writer { AudioTrackFirst = true, MdatBytes = 64 }));
        string path = Path.Combine(folder, "mangled.mp4");
        var random = new Random(20261125);
        for (int round = 0; round < good.Length + 1500; round++)
        {
            byte[] bytes;
            if (round < good.Length)
            {
                bytes = good.Take(round).ToArray(); // cut at every length
            }
            else
            {
                bytes = (byte[])good.Clone();
                for (int flips = random.Next(1, 6); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
            }

            File.WriteAllBytes(path, bytes);
            VideoCheck check = VideoProbe.Check(path, "base"); // must not throw
            Assert.NotNull(check.Problems);
        }
    }

    [Fact]
    public void An_empty_box_at_the_very_end_of_the_header_is_malformed_not_a_crash()
    {
        string path = Path.Combine(folder, "empty-mvhd.mp4");
        byte[] ftyp = { 0, 0, 0, 16, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0 };
        byte[] moov = { 0, 0, 0, 16, (byte)'m', (byte)'o', (byte)'o', (byte)'v', 0, 0, 0, 8, (byte)'m', (byte)'v', (byte)'h', (byte)'d' };
        File.WriteAllBytes(path, ftyp.Concat(moov).ToArray());
        VideoCheck check = VideoProbe.Check(path, "base");
        Assert.False(check.IsValid);
        Assert.Contains("malformed", Assert.Single(check.Problems));
    }
}
