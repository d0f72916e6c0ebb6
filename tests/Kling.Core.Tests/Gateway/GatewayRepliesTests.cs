using System.Globalization;
using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.Media;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// Reading the gateway's replies: the documented shapes, and what the real gateway sends beside them (numbers as
/// strings, a URL as a string, fields and values nobody documented, shapes that vary). None of it may break reading a reply.
/// </summary>
public sealed class GatewayRepliesTests
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
        Assert.Equal(120, task.EstimatedSeconds);
        Assert.Equal(100, task.ActualSeconds);
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

    private static KlingTask Task(string data) => GatewayReplies.ReadTask("{\"code\":200,\"data\":" + data + "}", "task_asked");

    [Fact]
    public void Numbers_may_come_as_strings()
    {
        KlingTask task = Task("""{"id":"t","status":"processing","progress":"39.6","created":"1732440000","estimated_time":"120.5","actual_time":" 7 "}""");
        Assert.Equal(40, task.Progress);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732440000), task.Created);
        Assert.Equal(120.5, task.EstimatedSeconds);
        Assert.Equal(7, task.ActualSeconds);
    }

    [Fact]
    public void Unreadable_numbers_are_unknown_not_errors()
    {
        KlingTask task = Task("""{"id":"t","status":"processing","progress":"soon","created":{"s":1},"completed":[1],"estimated_time":true,"actual_time":null}""");
        Assert.Null(task.Progress);
        Assert.Null(task.Created);
        Assert.Null(task.Completed);
        Assert.Null(task.EstimatedSeconds);
        Assert.Null(task.ActualSeconds);
    }

    [Fact]
    public void Times_may_be_milliseconds_and_zero_means_unknown()
    {
        KlingTask task = Task("""{"id":"t","status":"completed","created":1732440000123,"completed":0}""");
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1732440000123), task.Created);
        Assert.Null(task.Completed);
    }

    [Theory]
    [InlineData("""{"id":"task_a","task_id":"task_b","status":"pending"}""", "task_a")]
    [InlineData("""{"task_id":"task_b","status":"pending"}""", "task_b")]
    [InlineData("""{"task_id":12345,"status":"pending"}""", "12345")]
    [InlineData("""{"id":{"x":1},"status":"pending"}""", "task_asked")]
    [InlineData("""{"status":"pending"}""", "task_asked")]
    public void The_id_is_read_from_id_or_task_id_or_taken_from_the_question(string data, string id) =>
        Assert.Equal(id, Task(data).TaskId);

    [Theory]
    [InlineData("""{"id":"t"}""", "unknown")]
    [InlineData("""{"id":"t","status":null}""", "unknown")]
    [InlineData("""{"id":"t","status":7}""", "7")]
    public void A_missing_status_is_unknown_and_still_running(string data, string status)
    {
        KlingTask task = Task(data);
        Assert.Equal(status, task.Status);
        Assert.False(task.IsFinished);
    }

    [Fact]
    public void Unknown_fields_and_values_are_ignored()
    {
        KlingTask task = GatewayReplies.ReadTask(
            """{"code":200,"type":"something_new","extra":{"a":[1,{"b":null}]},"data":{"id":"t","status":"processing","type":"video_new","new_field":[{"x":1}],"progress":5}}""",
            "t");
        Assert.Equal("processing", task.Status);
        Assert.Equal(5, task.Progress);
    }

    [Fact]
    public void Result_urls_come_from_every_group_in_any_shape()
    {
        KlingTask task = Task("""
            {"id":"t","status":"completed","result":{"note":"x","count":2,"images":{"url":"https://s.example/ignored.png"},
             "videos":["https://s.example/a.mp4",{"url":["https://s.example/b.mp4",7,null],"expires_at":200},42,null,
                       {"url":"https://s.example/c.mp4","expires_at":"100"},{"expires_at":50},{"url":{"href":"x"}}],
             "audio":[{"url":"https://s.example/d.m4a","type":"new_kind"}]}}
            """);
        Assert.Equal(new[] { "https://s.example/a.mp4", "https://s.example/b.mp4", "https://s.example/c.mp4", "https://s.example/d.m4a" }, task.VideoUrl);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(50), task.ExpiresAt);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"pending\"")]
    [InlineData("[\"https://s.example/a.mp4\"]")]
    public void A_result_that_is_not_an_object_has_no_urls(string result)
    {
        KlingTask task = Task("{\"id\":\"t\",\"status\":\"completed\",\"result\":" + result + "}");
        Assert.Empty(task.VideoUrl);
        Assert.Null(task.ExpiresAt);
    }

    [Fact]
    public void An_error_without_a_message_is_kept_as_given()
    {
        KlingTask task = Task("""{"id":"t","status":"failed","error":{"code":"E_1","detail":"odd"}}""");
        Assert.Equal("""{"code":"E_1","detail":"odd"}""", task.Error);
        Assert.Equal("E_1", task.ErrorCode);

        KlingTask other = Task("""{"id":"t","status":"failed","error":1301}""");
        Assert.Null(other.Error);
        Assert.Null(other.ErrorCode);
    }

    [Fact]
    public void The_reply_may_be_the_task_itself_without_data()
    {
        KlingTask task = GatewayReplies.ReadTask("""{"id":"t","status":"completed","progress":100}""", "t");
        Assert.True(task.IsCompleted);
        Assert.Equal(100, task.Progress);
    }

    [Fact]
    public void Data_may_be_an_array_holding_the_task()
    {
        KlingTask task = Task("""[{"id":"task_1","status":"completed","result":{"videos":[{"url":"https://s.example/a.mp4"}]}}]""");
        Assert.Equal("task_1", task.TaskId);
        Assert.True(task.IsCompleted);
        Assert.Equal(new[] { "https://s.example/a.mp4" }, task.VideoUrl);
    }

    [Theory]
    [InlineData("""{"code":200,"data":null}""")]
    [InlineData("""{"code":200,"data":"pending"}""")]
    [InlineData("""{"code":200,"data":[]}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"code":200,"data":{"id":"t",""")]
    public void A_status_reply_without_a_task_is_an_unreadable_reply(string body) =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => GatewayReplies.ReadTask(body, "t"));

    [Theory]
    [InlineData("""{"code":200,"data":[{"status":"submitted","task_id":"task_abc"}]}""", "task_abc")]
    [InlineData("""{"code":200,"data":{"id":"task_obj","status":"pending"}}""", "task_obj")]
    [InlineData("""{"code":200,"data":["x",{"task_id":""},{"id":"task_2"}]}""", "task_2")]
    [InlineData("""{"code":200,"data":[{"task_id":123}]}""", "123")]
    [InlineData("""{"task_id":"task_bare"}""", "task_bare")]
    [InlineData("""{"code":200,"data":{"task_id":"","id":"task_x"}}""", "")]
    [InlineData("""{"code":200,"data":[]}""", null)]
    [InlineData("""{"code":200,"data":"task_str"}""", null)]
    [InlineData("""{"code":200,"data":[{"status":"submitted"}]}""", null)]
    public void The_submitted_task_id_is_found_in_any_shape(string body, string? id) =>
        Assert.Equal(id, GatewayReplies.ReadSubmittedTaskId(body));

    [Theory]
    [InlineData("""{"error":{"code":"E1","message":"m","type":"bad_gateway","param":null}}""", "E1", "m", "bad_gateway")]
    [InlineData("""{"error":"boom"}""", null, "boom", null)]
    [InlineData("""{"error":null,"code":500,"msg":"内部错误"}""", "500", "内部错误", null)]
    [InlineData("""{"success":false,"message":"no key","type":"apimart_error"}""", null, "no key", "apimart_error")]
    [InlineData("""{"error":{"message":"only"}}""", null, "only", null)]
    [InlineData("""{"code":401,"message":"a","msg":"b"}""", "401", "a", null)]
    [InlineData("""[1,2]""", null, null, null)]
    [InlineData("""  """, null, null, null)]
    [InlineData(null, null, null, null)]
    [InlineData("""{"error":""", null, null, null)]
    public void Error_bodies_are_read_in_any_shape(string? body, string? code, string? message, string? type) =>
        Assert.Equal((code, message, type), GatewayReplies.ReadError(body));

    [Fact]
    public void An_upload_reply_may_be_wrapped_and_its_fields_partial()
    {
        var image = new LocalImage("/tmp/cat.png", "image/png", 99, "abc");
        ImageUpload? upload = GatewayReplies.ReadUpload("""{"code":200,"data":{"url":"https://cdn.example/u/1.png","bytes":"12345","created_at":"1732440000","kind":"new"}}""", image, TimeSpan.FromHours(72));
        Assert.NotNull(upload);
        Assert.Equal("https://cdn.example/u/1.png", upload!.Url);
        Assert.Equal(12345, upload.Bytes);
        Assert.Equal("cat.png", upload.FileName);
        Assert.Equal("image/png", upload.ContentType);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732440000), upload.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1732440000).AddHours(72), upload.ExpiresAt);
        Assert.Equal("abc", upload.Sha256);

        ImageUpload? bare = GatewayReplies.ReadUpload("""{"url":"https://cdn.example/u/2.png","filename":"x.png","content_type":"image/webp","bytes":7}""", image, TimeSpan.FromHours(72));
        Assert.Equal(("x.png", "image/webp", 7L), (bare!.FileName, bare.ContentType, bare.Bytes));
    }

    [Theory]
    [InlineData("""{"url":"not a url"}""")]
    [InlineData("""{"url":12345}""")]
    [InlineData("""{"url":["https://cdn.example/u/1.png"]}""")]
    [InlineData("""{"data":{"filename":"x.png"}}""")]
    [InlineData("""[{"url":"https://cdn.example/u/1.png"}]""")]
    [InlineData("""<html>bad gateway</html>""")]
    public void An_upload_reply_without_a_usable_url_is_none(string body) =>
        Assert.Null(GatewayReplies.ReadUpload(body, new LocalImage("/tmp/cat.png", "image/png", 99, "abc"), TimeSpan.FromHours(72)));
}
