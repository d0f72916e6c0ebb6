using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>What a finished task cost (MODELS.md, "Money, identity and discovery"): the emulator's own price list and tier rule.</summary>
public sealed class CostTests : IAsyncLifetime
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

    private async Task<JsonElement> Get(string path) =>
        JsonDocument.Parse(await (await http.GetAsync(path)).Content.ReadAsStringAsync()).RootElement;

    private async Task<string> Submit(string json)
    {
        HttpResponseMessage response = await http.PostAsync("/v1/videos/generations", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("task_id").GetString()!;
    }

    /// <summary>A task's status once the frozen clock is past its end.</summary>
    private async Task<JsonElement> Finished(string id)
    {
        emulator.Clock.Advance(TimeSpan.FromSeconds(2));
        return (await Get($"/v1/tasks/{id}")).GetProperty("data");
    }

    [Theory]
    [InlineData("""{"model":"kling-v3","prompt":"x","duration":5}""", 0.336)] // MODELS.md's worked example
    [InlineData("""{"model":"kling-v3","prompt":"x"}""", 0.336)] // the default 5 s
    [InlineData("""{"model":"kling-v3","prompt":"x","duration":10,"mode":"pro","audio":true}""", 1.344)] // pro-sound
    [InlineData("""{"model":"kling-v3","prompt":"x","duration":4,"mode":"4k"}""", 1.71424)]
    [InlineData("""{"model":"kling-video-o1","prompt":"x","duration":5,"video_list":[{"video_url":"https://v/1.mp4"}]}""", 0.504)] // video
    [InlineData("""{"model":"kling-v2-6","prompt":"x","duration":5,"image_urls":["https://a/1"],"audio":false}""", 0.184)]
    [InlineData("""{"model":"kling-video-o1","prompt":"x","duration":5,"mode":"pro","video_list":[{"video_url":"https://v/1.mp4"}]}""", 0.672)] // pro-video
    [InlineData("""{"model":"kling-3.0-turbo","prompt":"x","duration":5,"resolution":"1080p"}""", 0.716)]
    public async Task A_completed_task_carries_its_cost_in_usd_and_credits_by_the_tier_rule(string body, double usd)
    {
        JsonElement data = await Finished(await Submit(body));
        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.Equal(usd, data.GetProperty("cost").GetDouble(), 5);
        Assert.Equal(usd * 10, data.GetProperty("credits_cost").GetDouble(), 4);
    }

    [Fact]
    public async Task A_tier_the_model_lacks_falls_back_to_the_tier_without_the_suffix()
    {
        // kling-video-o1 in std with audio would be "sound": its list has only "default" there.
        JsonElement data = await Finished(await Submit("""{"model":"kling-video-o1","prompt":"x","duration":10,"audio":true}"""));
        Assert.Equal(0.672, data.GetProperty("cost").GetDouble(), 5);
    }

    [Fact]
    public async Task Motion_control_is_charged_for_a_length_in_its_range()
    {
        JsonElement data = await Finished(await Submit("""{"model":"kling-v3-motion-control","image_url":"https://a/1","video_url":"https://v/1.mp4","character_orientation":"image"}"""));
        double seconds = data.GetProperty("cost").GetDouble() / 0.10288;
        Assert.InRange(seconds, 2.999, 10.001);
        Assert.Equal(Math.Round(seconds), seconds, 3);
    }

    [Fact]
    public async Task A_failed_task_costs_0_a_running_one_says_nothing_and_an_unpriced_model_says_nothing()
    {
        string running = await Submit("""{"model":"kling-v3","prompt":"x"}""");
        Assert.False((await Get($"/v1/tasks/{running}")).GetProperty("data").TryGetProperty("cost", out _));
        string failed = await Submit("""{"model":"kling-v3","prompt":"x [fail]"}""");
        string unknown = await Submit("""{"model":"some-new-model","prompt":"x"}""");
        JsonElement data = await Finished(failed);
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal(0, data.GetProperty("cost").GetDouble());
        Assert.Equal(0, data.GetProperty("credits_cost").GetDouble());
        Assert.False((await Get($"/v1/tasks/{unknown}")).GetProperty("data").TryGetProperty("cost", out _));
    }

    [Fact]
    public async Task Cost_can_be_left_out_or_sent_as_text()
    {
        emulator.Options.CostAsText = true;
        string id = await Submit("""{"model":"kling-v3","prompt":"x"}""");
        JsonElement data = await Finished(id);
        Assert.Equal("0.336", data.GetProperty("cost").GetString());
        emulator.Options.CostOnStatus = false;
        Assert.False((await Get($"/v1/tasks/{id}")).GetProperty("data").TryGetProperty("cost", out _));
    }

    [Fact]
    public async Task The_balance_adds_credits_used_on_finished_tasks_and_can_leave_them_out()
    {
        await Submit("""{"model":"kling-v3","prompt":"x"}""");
        await Finished(await Submit("""{"model":"kling-v3","prompt":"x","duration":10}"""));
        JsonElement balance = await Get("/v1/balance");
        Assert.Equal(-1, balance.GetProperty("remain_credits").GetDouble());
        Assert.Equal(10.08, balance.GetProperty("used_credits").GetDouble(), 4);
        emulator.Options.Balance = 4;
        emulator.Options.BalanceCurrency = "CNY";
        balance = await Get("/v1/balance");
        Assert.Equal(40, balance.GetProperty("remain_credits").GetDouble());
        Assert.Equal("CNY", balance.GetProperty("currency").GetString());
        emulator.Options.BalanceCredits = false;
        Assert.False((await Get("/v1/user/balance")).TryGetProperty("used_credits", out _));
    }
}
