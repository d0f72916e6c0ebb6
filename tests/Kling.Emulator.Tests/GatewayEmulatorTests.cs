using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>The emulator must be faithful to API.md, or every test built on it proves nothing.</summary>
public sealed class GatewayEmulatorTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.4, VideoBytes = 50_000 });
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private Task<HttpResponseMessage> Submit(object body) => http.PostAsJsonAsync("/v1/videos/generations", body);

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<string> SubmitOk(string prompt = "a fox")
    {
        HttpResponseMessage response = await Submit(new { model = "kling-video-o1", prompt });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await Json(response);
        Assert.Equal(200, json.GetProperty("code").GetInt32());
        JsonElement item = json.GetProperty("data")[0];
        Assert.Equal("submitted", item.GetProperty("status").GetString());
        return item.GetProperty("task_id").GetString()!;
    }

    private async Task<JsonElement> WaitFinished(string id)
    {
        for (int i = 0; i < 50; i++)
        {
            JsonElement data = (await Json(await http.GetAsync($"/v1/tasks/{id}"))).GetProperty("data");
            string status = data.GetProperty("status").GetString()!;
            if (status is "completed" or "failed")
            {
                return data;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Basic a2xpbmc=")]
    public async Task Rejects_a_missing_or_wrong_key_with_401(string? authorization)
    {
        using var anonymous = new HttpClient { BaseAddress = emulator.GatewayUri };
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos/generations") { Content = JsonContent.Create(new { model = "kling-video-o1", prompt = "x" }) };
        if (authorization != null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        HttpResponseMessage response = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", (await Json(response)).GetProperty("error").GetProperty("type").GetString());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"model":"kling-video-o1"}""", "prompt" },
        { """{"prompt":"x"}""", "model" },
        { """{"model":"kling-video-o1","prompt":"x","mode":"hd"}""", "mode" },
        { """{"model":"kling-video-o1","prompt":"x","duration":7}""", "duration" },
        { """{"model":"kling-video-o1","prompt":"x","aspect_ratio":"4:3"}""", "aspect_ratio" },
        { """{"model":"kling-video-o1","prompt":"x","image_urls":["https://a/1","https://a/2","https://a/3"]}""", "image_urls" },
        { """{"model":"kling-video-o1","prompt":"<<<image_2>>>","image_urls":["https://a/1"]}""", "prompt" },
        { """{"model":"kling-video-o1","prompt":"x","image_urls":["https://a/1"],"video_list":[{"video_url":"https://v/1.mp4"}]}""", "image_urls" },
        { """{"model":"kling-video-o1","prompt":"x","image_urls":["https://a/1","https://a/2"],"video_list":[{"video_url":"https://v/1.mp4","refer_type":"feature"}]}""", "image_urls" },
        { """{"model":"kling-video-o1","prompt":"x","video_list":[{"video_url":""}]}""", "video_list.video_url" },
        { """{"model":"kling-video-o1","prompt":"x","video_list":[{"video_url":"https://v/1.mp4","keep_original_sound":"maybe"}]}""", "video_list.keep_original_sound" },
        { """{"model":"kling-video-o1","prompt":"x","video_list":[{"video_url":"https://v/1.mp4"},{"video_url":"https://v/2.mp4"}]}""", "video_list" },
        { "{not json", "JSON" },
        { "null", "empty body" },
        { """{"model":"kling-video-o1","prompt":"x","image_urls":"https://a/1"}""", "image_urls" },
        { """{"model":"kling-video-o1","prompt":"x","image_urls":["ftp://a/1"]}""", "image_urls" },
        { """{"model":"kling-video-o1","prompt":"x","video_list":[{"video_url":"https://v/1.mp4","refer_type":"other"}]}""", "video_list.refer_type" },
        { """{"model":"kling-video-o1","prompt":"x","video_list":["https://v/1.mp4"]}""", "video_list" },
    };

    [Fact]
    public async Task Accepts_a_submission_that_uses_every_field_within_the_rules()
    {
        var body = new
        {
            model = "kling-video-o1",
            prompt = "from <<<image_1>>>",
            mode = "pro",
            duration = 10,
            aspect_ratio = "1:1",
            image_urls = new[] { "https://a/1" },
            video_list = new[] { new { video_url = "https://v/1.mp4", refer_type = "feature", keep_original_sound = "yes" } },
        };
        Assert.Equal(HttpStatusCode.OK, (await Submit(body)).StatusCode);
    }

    [Fact]
    public async Task Stats_count_what_each_host_served_under_the_names_the_suites_read_and_reset_clears_them()
    {
        string id = await SubmitOk();
        string url = (await WaitFinished(id)).GetProperty("result").GetProperty("videos")[0].GetProperty("url")[0].GetString()!;
        using var plain = new HttpClient();
        await plain.GetByteArrayAsync(url);

        string[] names = { "accepted", "statusCalls", "maxSubmitsInFlight", "tasks", "downloads", "maxDownloadsInFlight" };
        JsonElement stats = JsonDocument.Parse(await http.GetStringAsync("/_emulator/stats")).RootElement;
        Assert.Equal(names, stats.EnumerateObject().Select(p => p.Name));
        Assert.Equal(names, JsonDocument.Parse(JsonSerializer.Serialize(emulator.Stats)).RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, stats.GetProperty("accepted").GetInt32());
        Assert.True(stats.GetProperty("statusCalls").GetInt32() >= 1);
        Assert.Equal(1, stats.GetProperty("maxSubmitsInFlight").GetInt32());
        Assert.Equal(1, stats.GetProperty("tasks").GetInt32());
        Assert.Equal(1, stats.GetProperty("downloads").GetInt32());
        Assert.Equal(1, stats.GetProperty("maxDownloadsInFlight").GetInt32());

        (await http.PostAsync("/_emulator/reset", null)).EnsureSuccessStatusCode();
        Assert.Equal(new EmulatorStats(0, 0, 0, 0, 0, 0), emulator.Stats);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Rejects_bad_submissions_with_400_naming_the_field(string body, string field)
    {
        HttpResponseMessage response = await http.PostAsync("/v1/videos/generations", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = (await Json(response)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Contains(field, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_task_goes_from_pending_to_completed_with_a_result_on_the_storage_host()
    {
        string id = await SubmitOk();
        JsonElement first = (await Json(await http.GetAsync($"/v1/tasks/{id}"))).GetProperty("data");
        Assert.Contains(first.GetProperty("status").GetString(), new[] { "pending", "processing" });
        Assert.Equal(JsonValueKind.Null, first.GetProperty("result").ValueKind);
        Assert.True(first.GetProperty("estimated_time").GetInt32() >= 1);

        JsonElement done = await WaitFinished(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetInt32());
        JsonElement video = done.GetProperty("result").GetProperty("videos")[0];
        string url = video.GetProperty("url")[0].GetString()!;
        Assert.StartsWith(emulator.StorageUri.ToString().TrimEnd('/'), url);
        Assert.True(video.GetProperty("expires_at").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        using var plain = new HttpClient();
        byte[] bytes = await plain.GetByteArrayAsync(url);
        Assert.Equal(GatewayEmulator.ExpectedVideoBytes(id, 50_000), bytes);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(bytes, 4, 4));
    }

    [Fact]
    public async Task A_prompt_with_the_fail_marker_ends_failed_with_an_error()
    {
        string id = await SubmitOk("this will [fail]");
        JsonElement done = await WaitFinished(id);
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal(1301, done.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Answers_402_once_the_balance_is_spent()
    {
        emulator.Options.Balance = 1;
        await SubmitOk();
        HttpResponseMessage response = await Submit(new { model = "kling-video-o1", prompt = "one too many" });
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("payment_required", (await Json(response)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unknown_tasks_are_404()
    {
        HttpResponseMessage response = await http.GetAsync("/v1/tasks/task_nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found_error", (await Json(response)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Injected_429_carries_Retry_After_then_normal_service_resumes()
    {
        (await http.PostAsJsonAsync("/_emulator/faults", new { route = "submit", status = 429, times = 1, retryAfter = "2" })).EnsureSuccessStatusCode();
        HttpResponseMessage limited = await Submit(new { model = "kling-video-o1", prompt = "x" });
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter!.Delta);
        Assert.Equal("rate_limit_error", (await Json(limited)).GetProperty("error").GetProperty("type").GetString());
        await SubmitOk();
    }

    [Fact]
    public async Task An_accepted_500_still_creates_the_task()
    {
        (await http.PostAsJsonAsync("/_emulator/faults", new { route = "submit", status = 500, accepted = true })).EnsureSuccessStatusCode();
        HttpResponseMessage response = await Submit(new { model = "kling-video-o1", prompt = "billed anyway" });
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(emulator.Requests, r => r.Method == "POST");
        string log = await http.GetStringAsync("/_emulator/requests");
        Assert.Contains("billed anyway", log);
    }

    [Fact]
    public async Task Downloads_support_ranges_and_refuse_expired_or_forged_links()
    {
        // The clock stands still: the link stays valid, however slow the machine, until the test moves the clock on.
        emulator.Options.ResultTtl = 1;
        emulator.Clock.Freeze();
        string id = await SubmitOk();
        emulator.Clock.Advance(TimeSpan.FromSeconds(0.5));
        string url = (await WaitFinished(id)).GetProperty("result").GetProperty("videos")[0].GetProperty("url")[0].GetString()!;
        using var plain = new HttpClient();

        var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(1000, 1999);
        HttpResponseMessage partial = await plain.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes 1000-1999/50000", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(GatewayEmulator.ExpectedVideoBytes(id, 50_000).AsSpan(1000, 1000).ToArray(), await partial.Content.ReadAsByteArrayAsync());

        var beyond = new HttpRequestMessage(HttpMethod.Get, url);
        beyond.Headers.Range = new RangeHeaderValue(60_000, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await plain.SendAsync(beyond)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync(url.Replace("sig=", "sig=0"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(url)).StatusCode);
        emulator.Clock.Advance(TimeSpan.FromSeconds(2.2));
        HttpResponseMessage expired = await plain.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_download_can_be_cut_after_some_bytes()
    {
        string id = await SubmitOk();
        string url = (await WaitFinished(id)).GetProperty("result").GetProperty("videos")[0].GetProperty("url")[0].GetString()!;
        (await http.PostAsJsonAsync("/_emulator/config", new { cutAfterBytes = 10_000, cutTimes = 1 })).EnsureSuccessStatusCode();
        using var plain = new HttpClient();
        await Assert.ThrowsAnyAsync<Exception>(() => plain.GetByteArrayAsync(url));
        Assert.Equal(50_000, (await plain.GetByteArrayAsync(url)).Length);
    }

    /// <summary>A multipart body written byte for byte, with the part's Content-Disposition exactly as given.</summary>
    private static HttpContent RawForm(string disposition, byte[] bytes, string? partType = "application/octet-stream")
    {
        const string boundary = "kling-test-boundary";
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        Write($"--{boundary}\r\nContent-Disposition: {disposition}\r\n");
        if (partType != null)
        {
            Write($"Content-Type: {partType}\r\n");
        }

        Write("\r\n");
        body.Write(bytes);
        Write($"\r\n--{boundary}--\r\n");
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }

    private static readonly byte[] Png = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 1, 2, 3 };

    [Fact]
    public async Task Uploads_accept_images_by_content_and_serve_them_back()
    {
        HttpResponseMessage response = await http.PostAsync("/v1/uploads/images", RawForm("form-data; name=\"file\"; filename=\"frame.jpg\"", Png));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement json = await Json(response);
        Assert.Equal("image/png", json.GetProperty("content_type").GetString());
        Assert.Equal(Png.Length, json.GetProperty("bytes").GetInt32());
        Assert.Equal("frame.jpg", json.GetProperty("filename").GetString());
        using var plain = new HttpClient();
        Assert.Equal(Png, await plain.GetByteArrayAsync(json.GetProperty("url").GetString()));

        HttpResponseMessage text = await http.PostAsync("/v1/uploads/images", RawForm("form-data; name=\"file\"; filename=\"frame.png\"", Encoding.UTF8.GetBytes("not an image")));
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
    }

    [Theory]
    [InlineData("form-data; name=file; filename=\"frame.png\"")]
    [InlineData("form-data; name=\"file\"; filename=frame.png")]
    [InlineData("form-data; name=\"file\"")]
    [InlineData("form-data; name=\"image\"; filename=\"frame.png\"")]
    public async Task Uploads_refuse_unquoted_or_missing_parameters_as_a_strict_server_does(string disposition)
    {
        HttpResponseMessage response = await http.PostAsync("/v1/uploads/images", RawForm(disposition, Png));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multipart field file required", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Uploads_refuse_a_part_without_its_content_type_and_read_filename_star()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/v1/uploads/images", RawForm("form-data; name=\"file\"; filename=\"a.png\"", Png, partType: null))).StatusCode);
        HttpResponseMessage response = await http.PostAsync("/v1/uploads/images", RawForm("form-data; name=\"file\"; filename=\"_.png\"; filename*=UTF-8''%E8%8A%B1.png", Png));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("花.png", (await Json(response)).GetProperty("filename").GetString());
        Assert.Contains(emulator.Requests, r => r.Parts.Contains("Content-Disposition: form-data; name=\"file\"; filename=\"_.png\"; filename*=UTF-8''%E8%8A%B1.png; Content-Type: application/octet-stream"));
    }

    [Fact]
    public async Task Balance_of_the_key_and_the_account_follows_the_submissions_billed()
    {
        (await http.PostAsJsonAsync("/_emulator/config", new { balance = 3, accountBalance = 50.5 })).EnsureSuccessStatusCode();
        await SubmitOk();
        JsonElement key = await Json(await http.GetAsync("/v1/balance"));
        Assert.True(key.GetProperty("success").GetBoolean());
        Assert.Equal(2, key.GetProperty("remain_balance").GetDouble());
        Assert.Equal(1, key.GetProperty("used_balance").GetDouble());
        Assert.False(key.GetProperty("unlimited_quota").GetBoolean());
        JsonElement account = await Json(await http.GetAsync("/v1/user/balance"));
        Assert.Equal(50.5, account.GetProperty("remain_balance").GetDouble());

        (await http.PostAsJsonAsync("/_emulator/config", new { balance = -1 })).EnsureSuccessStatusCode();
        JsonElement unlimited = await Json(await http.GetAsync("/v1/balance"));
        Assert.Equal(-1, unlimited.GetProperty("remain_balance").GetDouble());
        Assert.True(unlimited.GetProperty("unlimited_quota").GetBoolean());

        emulator.AddFault(new Fault { Route = "balance", Kind = "unsuccessful", Message = "lookup failed" });
        HttpResponseMessage failed = await http.GetAsync("/v1/balance");
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        JsonElement body = await Json(failed);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("lookup failed", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("", "Content moderation failed")]
    [InlineData("?language=en", "Content moderation failed")]
    [InlineData("?language=zh", "内容审核未通过")]
    [InlineData("?language=ko", "콘텐츠 검토를 통과하지 못했습니다")]
    [InlineData("?language=ja", "コンテンツ審査に合格しませんでした")]
    public async Task A_failed_tasks_message_comes_in_the_language_asked_for(string query, string message)
    {
        string id = await SubmitOk("doomed [fail]");
        await WaitFinished(id);
        JsonElement data = (await Json(await http.GetAsync($"/v1/tasks/{id}{query}"))).GetProperty("data");
        Assert.Equal(message, data.GetProperty("error").GetProperty("message").GetString());
        Assert.EndsWith(query, emulator.Requests.Last().Path, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"/v1/tasks/{id}?language=xx")).StatusCode);
    }

    [Fact]
    public async Task Records_every_request_with_its_headers()
    {
        await SubmitOk("recorded");
        RecordedRequest post = Assert.Single(emulator.Requests);
        Assert.Equal("gateway", post.Host);
        Assert.Equal("POST", post.Method);
        Assert.Equal($"Bearer {emulator.ApiKey}", post.Headers["Authorization"]);
        Assert.Contains("recorded", post.Body);
        Assert.Equal(200, post.Status);

        (await http.PostAsync("/_emulator/reset", null)).EnsureSuccessStatusCode();
        Assert.Empty(emulator.Requests);
    }
}
