using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>The emulator's clock, which tests freeze and move instead of waiting on the wall clock.</summary>
public sealed class EmulatorClockTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 2 });
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private async Task<JsonElement> Post(string path, object body)
    {
        HttpResponseMessage response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<JsonElement> Status(string id) =>
        JsonDocument.Parse(await http.GetStringAsync($"/v1/tasks/{id}")).RootElement.GetProperty("data");

    [Fact]
    public async Task A_frozen_clock_holds_tasks_until_a_test_moves_it()
    {
        JsonElement frozen = await Post("/_emulator/clock", new { freeze = true });
        Assert.True(frozen.GetProperty("frozen").GetBoolean());
        DateTimeOffset start = frozen.GetProperty("now").GetDateTimeOffset();

        JsonElement submitted = await Post("/v1/videos/generations", new { model = "kling-video-o1", prompt = "a clock" });
        string id = submitted.GetProperty("data")[0].GetProperty("task_id").GetString()!;
        Assert.Equal("pending", (await Status(id)).GetProperty("status").GetString());

        JsonElement moved = await Post("/_emulator/clock", new { advanceSeconds = 1 });
        Assert.Equal(start.AddSeconds(1), moved.GetProperty("now").GetDateTimeOffset());
        JsonElement halfway = await Status(id);
        Assert.Equal("processing", halfway.GetProperty("status").GetString());
        Assert.Equal(50, halfway.GetProperty("progress").GetInt32());

        await Post("/_emulator/clock", new { advanceSeconds = 1 });
        JsonElement done = await Status(id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(start.AddSeconds(2).ToUnixTimeSeconds(), done.GetProperty("completed").GetInt64());
    }

    [Fact]
    public async Task A_reset_or_resume_lets_the_clock_run_again()
    {
        await Post("/_emulator/clock", new { freeze = true, advanceSeconds = 3600 });
        Assert.True(emulator.Clock.IsFrozen);
        DateTimeOffset shown = emulator.Clock.Now;
        Assert.True(shown > DateTimeOffset.UtcNow.AddMinutes(59));

        JsonElement resumed = await Post("/_emulator/clock", new { resume = true });
        Assert.False(resumed.GetProperty("frozen").GetBoolean());
        Assert.True(emulator.Clock.Now >= shown, "a resumed clock runs on from the time it showed");

        await Post("/_emulator/reset", new { });
        Assert.False(emulator.Clock.IsFrozen);
        Assert.True(emulator.Clock.Now < DateTimeOffset.UtcNow.AddMinutes(1), "a reset brings back the wall clock");
    }

    [Fact]
    public async Task An_unknown_clock_option_is_refused()
    {
        HttpResponseMessage response = await http.PostAsJsonAsync("/_emulator/clock", new { advance = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(emulator.Clock.IsFrozen);
    }

    [Fact]
    public async Task A_sleep_on_a_frozen_clock_ends_when_the_clock_reaches_its_time()
    {
        EmulatorClock clock = emulator.Clock;
        clock.Freeze();
        Task sleep = clock.SleepUntilAsync(clock.Now.AddSeconds(1), CancellationToken.None);
        Assert.Equal(1, clock.Sleepers);

        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.False(sleep.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(0.5));
        await sleep.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, clock.Sleepers);

        using var cancel = new CancellationTokenSource();
        Task cancelled = clock.SleepUntilAsync(clock.Now.AddSeconds(1), cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
