using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>The storage host's download barrier, which lets tests make downloads of separate processes overlap.</summary>
public sealed class DownloadBarrierTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.1, VideoBytes = 10_000 });
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private async Task<string> CompletedVideoUrl()
    {
        HttpResponseMessage submitted = await http.PostAsJsonAsync("/v1/videos/generations", new { model = "kling-video-o1", prompt = "a barrier" });
        string id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("task_id").GetString()!;
        while (true)
        {
            JsonElement data = JsonDocument.Parse(await http.GetStringAsync($"/v1/tasks/{id}")).RootElement.GetProperty("data");
            if (data.GetProperty("status").GetString() == "completed")
            {
                return data.GetProperty("result").GetProperty("videos")[0].GetProperty("url")[0].GetString()!;
            }

            await Task.Delay(50);
        }
    }

    private async Task<int> Downloads() =>
        JsonDocument.Parse(await http.GetStringAsync("/_emulator/stats")).RootElement.GetProperty("downloads").GetInt32();

    [Fact]
    public async Task Holds_each_download_until_all_of_them_have_arrived()
    {
        string url = await CompletedVideoUrl();
        using var storage = new HttpClient();
        (await storage.PostAsync(new Uri(emulator.StorageUri, "/_emulator/download-barrier?count=2"), null)).EnsureSuccessStatusCode();

        Task<HttpResponseMessage> first = storage.GetAsync(url);
        while (await Downloads() < 1)
        {
            await Task.Delay(20);
        }

        Assert.False(first.IsCompleted, "the first download must wait for the second");
        HttpResponseMessage second = await storage.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);

        // The barrier is spent: the next download is served at once.
        Assert.Equal(HttpStatusCode.OK, (await storage.GetAsync(url)).StatusCode);
    }
}
