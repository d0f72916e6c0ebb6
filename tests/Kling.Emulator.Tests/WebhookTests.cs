using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>
/// The top-level <c>webhook</c> of a submission (MODELS.md): an https base URL the gateway calls when the task ends. The
/// emulator accepts it and keeps it in the recorded request; it never calls out; anything but an https URL is a 400.
/// </summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 1 });
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private Task<HttpResponseMessage> Submit(string webhook) =>
        http.PostAsync("/v1/videos/generations", new StringContent(
            $$"""{"model":"kling-video-o1","prompt":"a fox","webhook":{{webhook}}}""", Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("kling-video-o1")]
    [InlineData("kling-v3")]
    [InlineData("some-new-model")]
    public async Task Accepts_an_https_webhook_on_any_model_and_records_it(string model)
    {
        HttpResponseMessage response = await http.PostAsync("/v1/videos/generations", new StringContent(
            $$"""{"model":"{{model}}","prompt":"a fox","webhook":"https://hooks.example.com/kling"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest post = Assert.Single(emulator.Requests);
        Assert.Equal("https://hooks.example.com/kling", JsonDocument.Parse(post.Body!).RootElement.GetProperty("webhook").GetString());
    }

    [Theory]
    [InlineData("\"http://hooks.example.com/kling\"")]
    [InlineData("\"hooks.example.com/kling\"")]
    [InlineData("\"\"")]
    [InlineData("42")]
    [InlineData("{\"url\":\"https://hooks.example.com\"}")]
    public async Task Refuses_a_webhook_that_is_not_an_https_URL(string webhook)
    {
        HttpResponseMessage response = await Submit(webhook);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.StartsWith("webhook:", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
