using System.Globalization;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Xunit;

namespace Kling.Core.Tests;

public class GatewayRepliesTests
{
    [Fact]
    public void Reads_a_completed_video_task()
    {
        const string body = """
        {"code":200,"data":{"id":"task_1","status":"completed","progress":100,"created":1732440000,"completed":1732440100,
         "estimated_time":120,"actual_time":100,"result":{"videos":[{"url":["https://s.example/a.mp4","https://s.example/b.mp4"],"expires_at":1732526400}]},"error":null}}
        """;
        KlingTask task = GatewayReplies.ReadTask(body, "task_1");
        Assert.Equal("task_1", task.TaskId);
        Assert.Equal("completed", task.Status);
        Assert.True(task.IsCompleted);
        Assert.Equal(100, task.Progress);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732440000), task.Created);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732440100), task.Completed);
        Assert.Equal(TimeSpan.FromSeconds(120), task.EstimatedTime);
        Assert.Equal(TimeSpan.FromSeconds(100), task.ActualTime);
        Assert.Equal(new[] { "https://s.example/a.mp4", "https://s.example/b.mp4" }, task.VideoUrl);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732526400), task.ExpiresAt);
    }

    [Fact]
    public void Url_may_be_a_single_string_and_images_are_read_too()
    {
        KlingTask task = GatewayReplies.ReadTask("""{"data":{"id":"t","status":"completed","result":{"images":[{"url":"https://s.example/x.png","expires_at":5}]}}}""", "t");
        Assert.Equal(new[] { "https://s.example/x.png" }, task.VideoUrl);
    }

    [Fact]
    public void Error_may_be_an_object_or_a_string()
    {
        KlingTask a = GatewayReplies.ReadTask("""{"data":{"id":"t","status":"failed","error":{"code":1301,"message":"内容审核未通过"}}}""", "t");
        Assert.Equal("内容审核未通过", a.Error);
        Assert.Equal("1301", a.ErrorCode);
        Assert.True(a.IsFinished);
        Assert.False(a.IsCompleted);

        KlingTask b = GatewayReplies.ReadTask("""{"data":{"id":"t","status":"failed","error":"boom"}}""", "t");
        Assert.Equal("boom", b.Error);
    }

    [Theory]
    [InlineData("submitted", false)]
    [InlineData("pending", false)]
    [InlineData("processing", false)]
    [InlineData("something_new", false)]
    [InlineData("cancelled", true)]
    [InlineData("failed", true)]
    [InlineData("completed", true)]
    public void Unknown_statuses_count_as_still_running(string status, bool finished)
    {
        KlingTask task = GatewayReplies.ReadTask("{\"data\":{\"id\":\"t\",\"status\":\"" + status + "\"}}", "t");
        Assert.Equal(finished, task.IsFinished);
    }

    [Fact]
    public void Reads_the_submitted_task_id() =>
        Assert.Equal("task_abc", GatewayReplies.ReadSubmittedTaskId("""{"code":200,"data":[{"status":"submitted","task_id":"task_abc"}]}"""));

    [Fact]
    public void Reads_gateway_error_bodies()
    {
        var (code, message, type) = GatewayReplies.ReadError("""{"error":{"code":402,"message":"余额不足","type":"payment_required"}}""");
        Assert.Equal("402", code);
        Assert.Equal("余额不足", message);
        Assert.Equal("payment_required", type);
        Assert.Equal((null, null, null), GatewayReplies.ReadError("<html>bad gateway</html>"));
    }
}

public class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2", 2)]
    [InlineData("0.5", 0.5)]
    [InlineData("-3", 0)]
    [InlineData("Tue, 24 Nov 2026 12:00:30 GMT", 30)]
    [InlineData("Tue, 24 Nov 2026 11:59:00 GMT", 0)]
    public void Parses_seconds_and_http_dates(string header, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(header, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void Gives_null_when_absent_or_unreadable(string? header) => Assert.Null(RetryAfter.Parse(header, Now));
}

public class SafeFileNameTests
{
    [Theory]
    [InlineData("sunrise", "sunrise")]
    [InlineData("conin$", "_conin$")]
    [InlineData("COM\u00B9", "_COM\u00B9")]
    [InlineData("lpt1.clip", "_lpt1.clip")]
    [InlineData("nul .x", "_nul .x")]
    [InlineData("../../etc/passwd", "_.._etc_passwd")]
    [InlineData("..\\..\\Windows\\win.ini", "_.._Windows_win.ini")]
    [InlineData("a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h")]
    [InlineData("CON", "_CON")]
    [InlineData("lpt1.txt", "_lpt1.txt")]
    [InlineData("name. ", "name")]
    [InlineData("猫 挥手", "猫 挥手")]
    [InlineData("tab\there", "tab_here")]
    public void Makes_labels_safe(string label, string expected) => Assert.Equal(expected, SafeFileName.From(label, "task_1"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(" . ")]
    public void Falls_back_to_the_task_id(string? label) => Assert.Equal("task_1", SafeFileName.From(label, "task_1"));

    [Fact]
    public void Long_labels_are_cut() => Assert.Equal(SafeFileName.MaxLength, SafeFileName.From(new string('x', 500), "t").Length);
}

public class GatewaySettingsTests
{
    [Theory]
    [InlineData("https://xcompute.us", "https://xcompute.us/")]
    [InlineData("https://gw.example/base/", "https://gw.example/base/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://localhost:8080", "http://localhost:8080/")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080/")]
    [InlineData("http://127.0.0.2:8080", "http://127.0.0.2:8080/")]
    public void Accepts_https_and_loopback_http(string given, string expected) =>
        Assert.Equal(expected, GatewaySettings.ParseBaseUri(given).ToString());

    [Theory]
    [InlineData("http://xcompute.us")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://xcompute.us")]
    [InlineData("xcompute.us")]
    [InlineData("")]
    public void Refuses_plain_http_to_other_hosts_and_non_urls(string given)
    {
        var error = Assert.Throws<ArgumentException>(() => GatewaySettings.ParseBaseUri(given));
        if (given.StartsWith("http://", StringComparison.Ordinal))
        {
            Assert.Contains("loopback", error.Message);
        }
    }
}

public class SavedFileIndexTests
{
    [Fact]
    public void Knows_only_complete_files_of_the_same_task_and_skips_torn_lines()
    {
        string folder = Path.Combine(Path.GetTempPath(), "kling-index-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "a.mp4"), new byte[10]);
            File.WriteAllBytes(Path.Combine(folder, "b.mp4"), new byte[10]);
            SavedFileIndex index = SavedFileIndex.Load(folder);
            index.Record("a.mp4", "task_a", 0, 10);
            index.Record("b.mp4", "task_b", 0, 7);
            File.AppendAllText(Path.Combine(folder, SavedFileIndex.FileName), "{\"file\":\"c.mp4\",\"tas");

            SavedFileIndex reread = SavedFileIndex.Load(folder);
            Assert.True(reread.Holds("a.mp4", "task_a", 0));
            Assert.False(reread.Holds("a.mp4", "task_other", 0));
            Assert.False(reread.Holds("a.mp4", "task_a", 1));
            Assert.False(reread.Holds("b.mp4", "task_b", 0)); // the file on disk is not the length that was saved
            Assert.False(reread.Holds("c.mp4", "task_c", 0));
            File.Delete(Path.Combine(folder, "a.mp4"));
            Assert.False(reread.Holds("a.mp4", "task_a", 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
