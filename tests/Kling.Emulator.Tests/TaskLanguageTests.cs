using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>
/// GET /v1/tasks/{id}?language=: the gateway takes ten codes (en zh ja ko ru fr de id pt es, in any case); the emulator
/// writes a failed task's message in a few of them and in English for the rest, and refuses a code outside the ten.
/// </summary>
public sealed class TaskLanguageTests : IAsyncLifetime
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

    /// <summary>A task that has failed: submitted on a frozen clock, which is then moved past its end.</summary>
    private async Task<string> FailedTask()
    {
        (await http.PostAsJsonAsync("/_emulator/clock", new { freeze = true })).EnsureSuccessStatusCode();
        HttpResponseMessage submitted = await http.PostAsJsonAsync("/v1/videos/generations", new { model = "kling-video-o1", prompt = "doomed [fail]" });
        submitted.EnsureSuccessStatusCode();
        string id = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("task_id").GetString()!;
        (await http.PostAsJsonAsync("/_emulator/clock", new { advanceSeconds = 5 })).EnsureSuccessStatusCode();
        return id;
    }

    private async Task<string?> MessageIn(string id, string language)
    {
        HttpResponseMessage response = await http.GetAsync($"/v1/tasks/{id}?language={language}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal("failed", data.GetProperty("status").GetString());
        return data.GetProperty("error").GetProperty("message").GetString();
    }

    [Theory]
    [InlineData("fr", "La modération du contenu a échoué")]
    [InlineData("FR", "La modération du contenu a échoué")]
    [InlineData("es", "La moderación del contenido ha fallado")]
    [InlineData("Zh", "内容审核未通过")]
    public async Task Writes_the_message_in_the_languages_it_knows_in_any_case(string language, string message) =>
        Assert.Equal(message, await MessageIn(await FailedTask(), language));

    [Theory]
    [InlineData("ru")]
    [InlineData("de")]
    [InlineData("id")]
    [InlineData("PT")]
    public async Task Falls_back_to_English_for_the_other_codes_of_the_ten(string language) =>
        Assert.Equal("Content moderation failed", await MessageIn(await FailedTask(), language));

    [Theory]
    [InlineData("xx")]
    [InlineData("zh-CN")]
    [InlineData("english")]
    public async Task Refuses_a_code_outside_the_ten_naming_them(string language)
    {
        string id = await FailedTask();
        HttpResponseMessage response = await http.GetAsync($"/v1/tasks/{id}?language={language}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("en, zh, ja, ko, ru, fr, de, id, pt, es", body, StringComparison.Ordinal);
    }
}
