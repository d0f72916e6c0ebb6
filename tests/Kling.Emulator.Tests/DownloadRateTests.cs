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

    /// <summary>Waits until <paramref name="condition"/> holds; the limit only stops a test that would otherwise hang.</summary>
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var limit = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(limit.Elapsed < TimeSpan.FromSeconds(30), $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Paces_each_connection_to_the_rate_and_not_the_host_as_a_whole()
    {
        (string id, string url) = await CompletedVideo();
        (await http.PostAsJsonAsync("/_emulator/config", new { downloadBytesPerSecond = 300_000 })).EnsureSuccessStatusCode();
        using var storage = new HttpClient();

        // The clock stands still while two downloads of 300 KB at 300 KB/s run side by side: each sends its first slice
        // and then waits for the clock, however fast or slow the machine is.
        emulator.Clock.Freeze();
        var first = new PacedRead(storage, url);
        var second = new PacedRead(storage, url);
        await WaitUntil(() => emulator.Clock.Sleepers == 2 && first.Received > 0 && second.Received > 0, "both downloads wait for the clock");
        Assert.False(first.Done.IsCompleted || second.Done.IsCompleted, "a download finished while the clock stood still: it is not paced");

        // Half a second on the clock: each connection may send half the file, whatever the other does.
        emulator.Clock.Advance(TimeSpan.FromSeconds(0.5));
        await WaitUntil(() => first.Received >= 150_000 && second.Received >= 150_000, "each download has half its file (a rate shared by the host would give each a quarter)");
        Assert.False(first.Done.IsCompleted || second.Done.IsCompleted, "a download finished after half a second of the clock: faster than the rate allows");

        // The other half second: both finish, byte for byte.
        emulator.Clock.Advance(TimeSpan.FromSeconds(0.5));
        foreach (PacedRead read in new[] { first, second })
        {
            Assert.Equal(GatewayEmulator.ExpectedVideoBytes(id, 300_000), await read.Done.WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    /// <summary>One download read as it comes, counting the bytes received so far.</summary>
    private sealed class PacedRead
    {
        private long received;

        public PacedRead(HttpClient storage, string url) => Done = ReadAsync(storage, url);

        public long Received => Interlocked.Read(ref received);

        public Task<byte[]> Done { get; }

        private async Task<byte[]> ReadAsync(HttpClient storage, string url)
        {
            using HttpResponseMessage response = await storage.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using Stream body = await response.Content.ReadAsStreamAsync();
            var bytes = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes.Write(buffer, 0, read);
                Interlocked.Add(ref received, read);
            }

            return bytes.ToArray();
        }
    }
}
