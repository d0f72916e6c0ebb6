using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>The storage host's per-connection rate (a distant CDN), which the scale benchmark downloads through.</summary>
public sealed class DownloadRateTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.1, VideoBytes = 300_000 });
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private async Task<(string Id, string Url)> CompletedVideo()
    {
        HttpResponseMessage submitted = await http.PostAsJsonAsync("/v1/videos/generations", new { model = "kling-video-o1", prompt = "a paced file" });
        string id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("task_id").GetString()!;
        while (true)
        {
            JsonElement data = JsonDocument.Parse(await http.GetStringAsync($"/v1/tasks/{id}")).RootElement.GetProperty("data");
            if (data.GetProperty("status").GetString() == "completed")
            {
                return (id, data.GetProperty("result").GetProperty("videos")[0].GetProperty("url")[0].GetString()!);
            }

            await Task.Delay(50);
        }
    }

    private async Task<(byte[] Bytes, TimeSpan Took)> Fetch(HttpClient storage, string url)
    {
        var clock = Stopwatch.StartNew();
        byte[] bytes = await storage.GetByteArrayAsync(url);
        return (bytes, clock.Elapsed);
    }

    [Fact]
    public async Task Paces_each_connection_to_the_rate_and_not_the_host_as_a_whole()
    {
        (string id, string url) = await CompletedVideo();
        (await http.PostAsJsonAsync("/_emulator/config", new { downloadBytesPerSecond = 300_000 })).EnsureSuccessStatusCode();
        using var storage = new HttpClient();

        // 300 KB at 300 KB/s on each of two connections at once: about a second each, not two seconds in all.
        var clock = Stopwatch.StartNew();
        (byte[] Bytes, TimeSpan Took)[] both = await Task.WhenAll(Fetch(storage, url), Fetch(storage, url));
        TimeSpan all = clock.Elapsed;

        foreach ((byte[] bytes, TimeSpan took) in both)
        {
            Assert.Equal(GatewayEmulator.ExpectedVideoBytes(id, 300_000), bytes);
            Assert.True(took >= TimeSpan.FromSeconds(0.95), $"a download took {took.TotalSeconds:0.00} s, faster than the rate allows");
        }

        Assert.True(all < TimeSpan.FromSeconds(1.8), $"two paced downloads took {all.TotalSeconds:0.00} s together: the rate is not per connection");
    }
}
