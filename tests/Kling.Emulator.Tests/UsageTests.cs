using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>GET /v1/usage as MODELS.md describes it: only billed tasks, grouped as asked, and every documented error.</summary>
public sealed class UsageTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 1 });
        emulator.Clock.Freeze();
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private async Task Submit(string json) =>
        (await http.PostAsync("/v1/videos/generations", new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Usage(string query)
    {
        HttpResponseMessage response = await http.GetAsync("/v1/usage" + query);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private long Now => emulator.Clock.Now.ToUnixTimeSeconds();

    [Fact]
    public async Task Counts_only_billed_finished_tasks_grouped_by_model()
    {
        await Submit("""{"model":"kling-v3","prompt":"a","duration":5}""");
        await Submit("""{"model":"kling-v3","prompt":"b","duration":10}""");
        await Submit("""{"model":"kling-video-o1","prompt":"c","duration":5}""");
        await Submit("""{"model":"kling-v3","prompt":"d [fail]"}"""); // refunded: not counted
        (HttpStatusCode status, JsonElement body) = await Usage($"?start={Now - 10}&end={Now + 10}");
        Assert.Equal(0, body.GetProperty("data").GetProperty("total").GetProperty("requests").GetInt32()); // none finished yet
        emulator.Clock.Advance(TimeSpan.FromSeconds(2));
        await Submit("""{"model":"kling-v3","prompt":"e"}"""); // still running: not counted

        (status, body) = await Usage($"?start={Now - 60}&end={Now + 60}&group_by=model");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, body.GetProperty("code").GetInt32());
        JsonElement data = body.GetProperty("data");
        Assert.Equal(3, data.GetProperty("total").GetProperty("requests").GetInt32());
        Assert.Equal(1.344, data.GetProperty("total").GetProperty("amount_usd").GetDouble(), 5);
        Assert.Equal(13.44, data.GetProperty("total").GetProperty("credits").GetDouble(), 4);
        JsonElement[] items = data.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(new[] { "kling-v3", "kling-video-o1" }, items.Select(i => i.GetProperty("model").GetString()));
        Assert.Equal(1.008, items[0].GetProperty("amount_usd").GetDouble(), 5);
        Assert.Equal(2, items[0].GetProperty("requests").GetInt32());
        Assert.False(items[0].TryGetProperty("date", out _));

        (_, body) = await Usage($"?start={Now - 60}&end={Now + 60}&group_by=model,date&model=kling-video-o1&tz=UTC");
        JsonElement only = Assert.Single(body.GetProperty("data").GetProperty("items").EnumerateArray());
        Assert.Equal(emulator.Clock.Now.UtcDateTime.ToString("yyyy-MM-dd"), only.GetProperty("date").GetString());
        Assert.Equal(0.336, only.GetProperty("amount_usd").GetDouble(), 5);

        string from = emulator.Clock.Now.AddSeconds(-60).ToString("yyyy-MM-ddTHH:mm:ssZ"), to = emulator.Clock.Now.AddSeconds(-30).ToString("yyyy-MM-ddTHH:mm:ssZ");
        (status, body) = await Usage($"?start={from}&end={to}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("data").GetProperty("total").GetProperty("requests").GetInt32()); // end is exclusive of later tasks
    }

    [Theory]
    [InlineData("?start=yesterday", "invalid_start")]
    [InlineData("?start=1700000000&end=2023-11-15", "invalid_end")]
    [InlineData("?start=1700000000&end=1700000000", "invalid_range")]
    [InlineData("?start=1700000000&end=1702678401", "range_too_large")]
    [InlineData("?tz=Mars/Olympus", "invalid_tz")]
    [InlineData("?group_by=week", "invalid_group_by")]
    [InlineData("?scope=team", "invalid_scope")]
    public async Task Answers_400_with_the_documented_codes(string query, string code)
    {
        (HttpStatusCode status, JsonElement body) = await Usage(query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Refuses_more_than_50_models()
    {
        string models = string.Join(",", Enumerable.Range(1, 51).Select(n => "m" + n));
        Assert.Equal("too_many_models", (await Usage("?model=" + models)).Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Usage("?model=" + string.Join(",", Enumerable.Range(1, 50).Select(n => "m" + n)))).Status);
    }

    [Fact]
    public async Task Answers_503_usage_unavailable_on_request_and_429_past_60_calls_a_minute()
    {
        emulator.Options.UsageUnavailable = true;
        (HttpStatusCode status, JsonElement body) = await Usage(string.Empty);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("usage_unavailable", body.GetProperty("error").GetProperty("code").GetString());
        emulator.Options.UsageUnavailable = false;
        emulator.Options.UsagePerMinute = 3;
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Usage(string.Empty)).Status);
        }

        HttpResponseMessage refused = await http.GetAsync("/v1/usage");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        emulator.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.OK, (await Usage(string.Empty)).Status);
    }
}
