using System.Net.Http.Json;
using System.Text.Json;
using Kling.Core.Downloads;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Tasks;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The core client against the emulator over real loopback HTTP.</summary>
public sealed class KlingClientTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private readonly HttpClient control = new();
    private readonly List<string> trace = new();

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.3 });
    }

    public async Task DisposeAsync()
    {
        control.Dispose();
        await emulator.DisposeAsync();
    }

    private KlingClient Client(string? key = null, TimeSpan? timeout = null)
    {
        var settings = new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(key ?? emulator.ApiKey), "test");
        if (timeout.HasValue)
        {
            settings.RequestTimeout = timeout.Value;
        }

        return new KlingClient(settings, line => { lock (trace) { trace.Add(line); } }) { Retry = { BaseDelay = TimeSpan.FromMilliseconds(20) } };
    }

    private async Task Fault(object fault) =>
        (await control.PostAsJsonAsync(new Uri(emulator.GatewayUri, "/_emulator/faults"), fault)).EnsureSuccessStatusCode();

    private async Task Configure(object config) =>
        (await control.PostAsJsonAsync(new Uri(emulator.GatewayUri, "/_emulator/config"), config)).EnsureSuccessStatusCode();

    private async Task<JsonElement[]> Requests()
    {
        string json = await control.GetStringAsync(new Uri(emulator.GatewayUri, "/_emulator/requests"));
        return JsonDocument.Parse(json).RootElement.EnumerateArray().ToArray();
    }

    private async Task<int> SubmitCount() =>
        (await Requests()).Count(r => r.GetProperty("method").GetString() == "POST" && r.GetProperty("path").GetString()!.StartsWith("/v1/videos/generations", StringComparison.Ordinal));

    private static VideoRequest Request(string prompt = "a fox in the snow") => new() { Prompt = prompt };

    [Fact]
    public async Task Submits_polls_and_downloads_a_video()
    {
        KlingClient client = Client();
        KlingTask submitted = await client.SubmitAsync(Request(), CancellationToken.None);
        Assert.StartsWith("task_", submitted.TaskId);
        Assert.Equal("submitted", submitted.Status);

        KlingTask task;
        do
        {
            await Task.Delay(100);
            task = await client.GetTaskAsync(submitted.TaskId, CancellationToken.None);
        }
        while (!task.IsFinished);

        Assert.True(task.IsCompleted);
        Assert.Single(task.VideoUrl);
        string target = Path.Combine(Path.GetTempPath(), $"kling-{Guid.NewGuid():n}.mp4");
        try
        {
            long bytes = await client.Downloads.DownloadAsync(new Uri(task.VideoUrl[0]), target, null, CancellationToken.None);
            Assert.Equal(new FileInfo(target).Length, bytes);
            Assert.True(bytes > 0);
            Assert.False(File.Exists(target + ".partial"));
        }
        finally
        {
            File.Delete(target);
        }

        JsonElement download = (await Requests()).Single(r => r.GetProperty("host").GetString() == "storage");
        Assert.DoesNotContain("authorization", download.GetProperty("headers").EnumerateObject().Select(h => h.Name.ToLowerInvariant()));
        Assert.DoesNotContain(trace, line => line.Contains(emulator.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sends_the_key_only_as_a_bearer_header_and_a_user_agent()
    {
        await Client().SubmitAsync(Request(), CancellationToken.None);
        JsonElement post = (await Requests()).Single();
        var headers = post.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name.ToLowerInvariant(), h => h.Value.ToString());
        Assert.Contains($"Bearer {emulator.ApiKey}", headers["authorization"]);
        Assert.Contains("Kling-PowerShell/", headers["user-agent"]);
    }

    [Fact]
    public async Task Maps_401_and_keeps_the_wrong_key_out_of_the_message()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client("sk-not-the-key-123").SubmitAsync(Request(), CancellationToken.None));
        Assert.Equal(GatewayErrorKind.Authentication, error.Kind);
        Assert.True(error.StopsBatch);
        Assert.Equal("authentication_error", error.ErrorType);
        Assert.DoesNotContain("sk-not-the-key-123", error.ToString());
    }

    [Fact]
    public async Task Retries_429_after_Retry_After_and_submits_once_accepted()
    {
        await Fault(new { route = "submit", status = 429, times = 2, retryAfter = "0.2" });
        using var submitter = new BatchSubmitter(Client(), 1, null);
        submitter.Start(new SubmissionItem(1, null, Request(), null, null));
        Assert.True(submitter.TryTake(TimeSpan.FromSeconds(30), out SubmissionOutcome? outcome));
        Assert.StartsWith("task_", outcome!.Task!.TaskId);
        Assert.Equal(3, await SubmitCount());
    }

    [Fact]
    public async Task Never_resends_after_a_500()
    {
        await Fault(new { route = "submit", status = 500, times = 1 });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().SubmitAsync(Request(), CancellationToken.None));
        Assert.Equal(GatewayErrorKind.ServerError, error.Kind);
        Assert.True(error.OutcomeUnknown);
        Assert.Equal(1, await SubmitCount());
    }

    [Fact]
    public async Task Never_resends_after_a_reset_connection()
    {
        await Fault(new { route = "submit", kind = "reset", times = 1 });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().SubmitAsync(Request(), CancellationToken.None));
        Assert.True(error.OutcomeUnknown);
        Assert.Equal(1, await SubmitCount());
    }

    [Fact]
    public async Task Never_resends_after_a_timeout()
    {
        await Configure(new { latencyMs = 1500 });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client(timeout: TimeSpan.FromMilliseconds(400)).SubmitAsync(Request(), CancellationToken.None));
        Assert.Equal(GatewayErrorKind.Timeout, error.Kind);
        Assert.True(error.OutcomeUnknown);

        // The client wrote the POST once (its own trace says what it sent); the gateway, once it has read it, holds one.
        Assert.Single(Trace(), line => line.StartsWith("POST ", StringComparison.Ordinal));
        await Until(async () => await SubmitCount() >= 1);
        Assert.Equal(1, await SubmitCount());
    }

    private string[] Trace()
    {
        lock (trace)
        {
            return trace.ToArray();
        }
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }

    [Fact]
    public async Task A_refused_connection_is_known_not_to_have_been_sent()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = new KlingClient(new GatewaySettings(new Uri($"http://127.0.0.1:{port}/"), GatewaySettings.ToSecureString("k"), "test")) { Retry = { BaseDelay = TimeSpan.FromMilliseconds(10) } };
        var error = await Assert.ThrowsAsync<GatewayException>(() => client.SubmitAsync(Request(), CancellationToken.None));
        Assert.Equal(GatewayErrorKind.Network, error.Kind);
        Assert.False(error.OutcomeUnknown);
    }

    [Theory]
    [InlineData("kling-emulator-key\n")]
    [InlineData("kling-emulator-key\u00e9")]
    [InlineData("kling emulator key")]
    public async Task A_key_that_cannot_go_into_a_header_is_known_not_to_have_been_sent_and_stops_the_batch(string key)
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client(key).SubmitOnceAsync(Request(), IdempotencyKey.NewRandom(), CancellationToken.None));
        Assert.False(error.OutcomeUnknown);
        Assert.True(error.StopsBatch);
        Assert.Contains("nothing was sent", error.Message);
        Assert.DoesNotContain("kling-emulator-key", error.Message);
        Assert.DoesNotContain("emulator key", error.Message);
        Assert.Empty(await Requests());
    }

    [Theory]
    [InlineData("https://kling:hunter2@gateway.example/")]
    [InlineData("http://kling:hunter2@127.0.0.1:9/")]
    [InlineData("https://hunter2@gateway.example")]
    public void A_base_url_with_user_info_is_refused_without_echoing_it(string url)
    {
        var error = Assert.Throws<ArgumentException>(() => GatewaySettings.ParseBaseUri(url));
        Assert.Contains("user name or password", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain("hunter2", GatewaySettings.WithoutUserInfo(url));
    }

    [Fact]
    public void An_unparsable_base_url_is_echoed_without_its_user_info()
    {
        var error = Assert.Throws<ArgumentException>(() => GatewaySettings.ParseBaseUri("ht tp://kling:hunter2@gateway.example/v1"));
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.Contains("gateway.example", error.Message);
    }

    [Fact]
    public async Task Maps_402_with_the_gateway_message()
    {
        await Configure(new { balance = 0 });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().SubmitAsync(Request(), CancellationToken.None));
        Assert.Equal(GatewayErrorKind.PaymentRequired, error.Kind);
        Assert.Equal("payment_required", error.ErrorType);
        Assert.False(string.IsNullOrEmpty(error.GatewayMessage));
        Assert.Contains(error.GatewayMessage!, error.Message);
    }

    [Fact]
    public async Task Status_calls_ride_out_5xx_and_resets_but_not_404()
    {
        KlingClient client = Client();
        KlingTask submitted = await client.SubmitAsync(Request(), CancellationToken.None);
        await Fault(new { route = "task", status = 503, times = 1 });
        await Fault(new { route = "task", kind = "reset", times = 1 });
        KlingTask task = await client.GetTaskAsync(submitted.TaskId, CancellationToken.None);
        Assert.Equal(submitted.TaskId, task.TaskId);

        var missing = await Assert.ThrowsAsync<GatewayException>(() => client.GetTaskAsync("task_nope", CancellationToken.None));
        Assert.Equal(GatewayErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Watcher_watches_many_tasks_together_and_polls_near_the_estimate()
    {
        await Configure(new { taskSeconds = 1.5 });
        KlingClient client = Client();
        using var watcher = new TaskWatcher(client, TimeSpan.FromMilliseconds(300), maxConcurrentRequests: 4, CancellationToken.None);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(watcher.Add(await client.SubmitAsync(Request($"clip {i}"), CancellationToken.None)));
        }

        var done = new List<PollOutcome>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (done.Count < 10 && DateTimeOffset.UtcNow < deadline)
        {
            if (watcher.TryTake(TimeSpan.FromMilliseconds(200), out PollOutcome? outcome))
            {
                done.Add(outcome!);
            }
        }

        Assert.Equal(10, done.Count);
        Assert.All(done, o => Assert.True(o.Task.IsCompleted));
        Assert.Equal(0, watcher.Pending);
        // One look to learn the estimate, one just after it (plus at most one more when the second is a hair early).
        int statusCalls = (await Requests()).Count(r => r.GetProperty("method").GetString() == "GET");
        Assert.Equal(statusCalls, watcher.StatusCalls);
        Assert.InRange(statusCalls, 20, 30);
    }

    [Fact]
    public async Task Watcher_gives_up_on_unknown_ids_but_rides_out_transient_errors()
    {
        KlingClient client = Client();
        KlingTask real = await client.SubmitAsync(Request(), CancellationToken.None);
        await Fault(new { route = "task", status = 500, times = 2 });
        using var watcher = new TaskWatcher(client, TimeSpan.FromMilliseconds(100), 4, CancellationToken.None);
        watcher.Add(new KlingTask("task_unknown"));
        watcher.Add(real);
        var outcomes = new List<PollOutcome>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(15);
        while (outcomes.Count < 2 && DateTimeOffset.UtcNow < deadline)
        {
            if (watcher.TryTake(TimeSpan.FromMilliseconds(200), out PollOutcome? o))
            {
                outcomes.Add(o!);
            }
        }

        Assert.Equal(GatewayErrorKind.NotFound, outcomes.Single(o => o.Task.TaskId == "task_unknown").Error!.Kind);
        Assert.True(outcomes.Single(o => o.Task.TaskId == real.TaskId).Task.IsCompleted);
    }

    [Fact]
    public async Task A_download_refused_as_expired_leaves_no_file()
    {
        // The emulator's clock stands still and is moved by the test: past the task's 0.3 s, then past its link's expiry.
        await Configure(new { resultTtl = 0 });
        emulator.Clock.Freeze();
        KlingClient client = Client();
        KlingTask submitted = await client.SubmitAsync(Request(), CancellationToken.None);
        emulator.Clock.Advance(TimeSpan.FromSeconds(0.5));
        KlingTask task = await client.GetTaskAsync(submitted.TaskId, CancellationToken.None);
        Assert.True(task.IsCompleted);
        emulator.Clock.Advance(TimeSpan.FromSeconds(1.1));
        string target = Path.Combine(Path.GetTempPath(), $"kling-{Guid.NewGuid():n}.mp4");
        var error = await Assert.ThrowsAsync<GatewayException>(() => client.Downloads.DownloadAsync(new Uri(task.VideoUrl[0]), target, null, CancellationToken.None));
        Assert.Equal(GatewayErrorKind.DownloadFailed, error.Kind);
        Assert.Contains("expired", error.Message);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
    }
}
