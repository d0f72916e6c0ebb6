using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>The emulator honours Idempotency-Key as MODELS.md says ("Money, identity and discovery").</summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private const string Fox = "{\"model\":\"kling-video-o1\",\"prompt\":\"a fox\"}";
    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 5 });
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private Task<HttpResponseMessage> Submit(string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos/generations") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key != null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return http.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<string> TaskId(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json(response)).GetProperty("data")[0].GetProperty("task_id").GetString()!;
    }

    private static async Task<string?> ErrorCode(HttpResponseMessage response) =>
        (await Json(response)).GetProperty("error").GetProperty("code").ToString();

    private async Task<double> Used() =>
        (await Json(await http.GetAsync("/v1/balance"))).GetProperty("used_balance").GetDouble();

    [Fact]
    public async Task The_same_key_and_body_replay_the_first_answer_without_a_second_task_or_charge()
    {
        string first = await TaskId(await Submit(Fox, "row-1"));
        string again = await TaskId(await Submit(Fox, "row-1"));

        Assert.Equal(first, again);
        Assert.Equal(1, emulator.Stats.Accepted);
        Assert.Equal(1, emulator.Stats.Tasks);
        Assert.Equal(1, await Used());
        Assert.All(emulator.Requests.Where(r => r.Method == "POST"), r => Assert.Equal("row-1", r.Headers["Idempotency-Key"]));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_409_idempotency_key_reused_and_executes_nothing()
    {
        await TaskId(await Submit(Fox, "row-1"));
        HttpResponseMessage reused = await Submit("{\"model\":\"kling-video-o1\",\"prompt\":\"a wolf\"}", "row-1");

        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal("idempotency_key_reused", await ErrorCode(reused));
        Assert.Equal(1, emulator.Stats.Accepted);
    }

    [Fact]
    public async Task Other_keys_and_no_key_are_separate_submissions()
    {
        var ids = new[] { await TaskId(await Submit(Fox, "a")), await TaskId(await Submit(Fox, "b")), await TaskId(await Submit(Fox, null)), await TaskId(await Submit(Fox, null)) };

        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(4, emulator.Stats.Accepted);
    }

    [Fact]
    public async Task A_submission_that_executed_nothing_leaves_its_key_free()
    {
        HttpResponseMessage refused = await Submit("{\"model\":\"kling-video-o1\",\"prompt\":\"\"}", "row-1");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        emulator.AddFault(new Fault { Route = "submit", Status = 429, RetryAfter = "0.1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Submit(Fox, "row-1")).StatusCode);

        await TaskId(await Submit(Fox, "row-1"));
        Assert.Equal(1, emulator.Stats.Accepted);
    }

    [Fact]
    public async Task A_submission_accepted_behind_a_fault_is_replayed_to_the_same_key()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 500, Accepted = true });
        Assert.Equal(HttpStatusCode.InternalServerError, (await Submit(Fox, "row-1")).StatusCode);

        string replayed = await TaskId(await Submit(Fox, "row-1"));
        Assert.Equal(1, emulator.Stats.Tasks);
        Assert.Equal(1, emulator.Stats.Accepted);
        Assert.Equal(replayed, JsonDocument.Parse((await http.GetStringAsync("/_emulator/tasks"))).RootElement[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_fault_answers_idempotency_in_progress_for_the_next_submissions_with_Retry_After()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 409, Code = "idempotency_in_progress", RetryAfter = "0.2", Times = 2 });

        for (int i = 0; i < 2; i++)
        {
            HttpResponseMessage busy = await Submit(Fox, "row-1");
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
            Assert.Equal("idempotency_in_progress", await ErrorCode(busy));
            Assert.StartsWith("idempotency_in_progress", (await Json(busy)).GetProperty("error").GetProperty("message").GetString());
            Assert.Equal(TimeSpan.FromSeconds(0.2), busy.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(double.Parse(busy.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture)));
        }

        await TaskId(await Submit(Fox, "row-1"));
        Assert.Equal(1, emulator.Stats.Accepted);
    }

    [Fact]
    public async Task A_fault_answers_a_500_build_request_failed_with_its_message()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 500, Message = "build_request_failed: invalid size: 3:5, allowed: 16:9, 9:16, 1:1" });

        HttpResponseMessage refused = await Submit(Fox, "row-1");
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.StartsWith("build_request_failed:", (await Json(refused)).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, emulator.Stats.Accepted);
        await TaskId(await Submit(Fox, "row-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\tb")]
    [InlineData("k\u0001")]
    public async Task A_key_that_is_not_1_to_64_printable_ASCII_characters_is_a_400(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/videos/generations") { Content = new StringContent(Fox, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        HttpResponseMessage response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", (await Json(response)).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, emulator.Stats.Accepted);
    }

    [Fact]
    public async Task A_key_of_65_characters_is_a_400_and_one_of_64_is_taken()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Submit(Fox, new string('k', 65))).StatusCode);
        await TaskId(await Submit(Fox, new string('k', 64)));
    }

    [Fact]
    public async Task Told_to_ignore_keys_it_executes_every_submission()
    {
        emulator.Options.IgnoreIdempotencyKeys = true;
        string first = await TaskId(await Submit(Fox, "row-1"));
        string second = await TaskId(await Submit(Fox, "row-1"));

        Assert.NotEqual(first, second);
        Assert.Equal(2, emulator.Stats.Accepted);
    }

    [Fact]
    public async Task Reset_forgets_the_keys()
    {
        string first = await TaskId(await Submit(Fox, "row-1"));
        emulator.Reset();

        Assert.NotEqual(first, await TaskId(await Submit(Fox, "row-1")));
    }
}
