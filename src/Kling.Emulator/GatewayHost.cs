using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static Kling.Emulator.Counters;
using static Kling.Emulator.FaultInjector;
using static Kling.Emulator.Responses;

namespace Kling.Emulator;

/// <summary>
/// The gateway host (API.md §1-3): submissions (with their Idempotency-Key, see <see cref="IdempotencyStore"/>), task status and image upload behind the API key, plus the control
/// endpoints. It counts accepted submissions, status calls and the most submissions in flight at once.
/// </summary>
internal sealed class GatewayHost
{
    private readonly EmulatorState state;
    private readonly Uri storageUri;
    private readonly ControlEndpoints control;
    private readonly UploadRoute upload;
    private readonly BalanceRoute balance;
    private readonly UsageRoute usage;
    private readonly ModelListRoute models;
    private int submitsInFlight;
    private int maxSubmitsInFlight;
    private int statusCalls;
    private int acceptedSubmits;

    public GatewayHost(EmulatorState state, Uri storageUri, ControlEndpoints control)
    {
        this.state = state;
        this.storageUri = storageUri;
        this.control = control;
        upload = new UploadRoute(state, storageUri);
        balance = new BalanceRoute(state);
        usage = new UsageRoute(state);
        models = new ModelListRoute(state);
    }

    public int Accepted => Volatile.Read(ref acceptedSubmits);

    public int StatusCalls => Volatile.Read(ref statusCalls);

    public int MaxSubmitsInFlight => Volatile.Read(ref maxSubmitsInFlight);

    public Task<LoopbackHost> StartAsync(int port, CancellationToken cancellationToken) =>
        LoopbackHost.StartAsync(state, "gateway", port, MapGateway, cancellationToken);

    /// <summary>Zeroes the counters (not the submissions in flight, which are still running).</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref maxSubmitsInFlight, 0);
        Interlocked.Exchange(ref statusCalls, 0);
        Interlocked.Exchange(ref acceptedSubmits, 0);
    }

    private void MapGateway(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/_emulator"))
            {
                // Submissions take their latency inside the in-flight window (see SubmitAsync), so concurrency limits see it.
                int latency = IsSubmit(context.Request) ? 0 : state.Snapshot().LatencyMs;
                if (latency > 0)
                {
                    await Task.Delay(latency, context.RequestAborted);
                }

                if (!Authorized(context))
                {
                    await ErrorAsync(context, 401, "authentication_error", "无效的令牌 (invalid or missing API key)");
                    return;
                }
            }

            await next();
        });

        app.MapPost("/v1/videos/generations", SubmitAsync);
        app.MapGet("/v1/tasks/{id}", GetTaskAsync);
        app.MapPost("/v1/uploads/images", upload.HandleAsync);
        app.MapGet("/v1/balance", balance.KeyAsync);
        app.MapGet("/v1/user/balance", balance.AccountAsync);
        app.MapGet("/v1/usage", usage.HandleAsync);
        app.MapGet("/v1/models", models.HandleAsync);
        control.Map(app);
    }

    private static bool IsSubmit(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/v1/videos/generations", StringComparison.OrdinalIgnoreCase);

    private bool Authorized(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(state.Snapshot().ApiKey));
    }

    private async Task SubmitAsync(HttpContext context)
    {
        int inFlight = EnterInFlight(ref submitsInFlight, ref maxSubmitsInFlight);
        try
        {
            EmulatorOptions now = state.Snapshot();
            if (now.MaxConcurrentSubmits > 0 && inFlight > now.MaxConcurrentSubmits)
            {
                await ErrorAsync(context, 429, "rate_limit_error", "并发请求过多 (too many concurrent requests)", now.ConcurrencyRetryAfter.ToString(CultureInfo.InvariantCulture));
                return;
            }

            if (now.Submit429Rate > 0 && Random.Shared.NextDouble() < now.Submit429Rate)
            {
                await ErrorAsync(context, 429, "rate_limit_error", "请求过于频繁，请稍后再试 (too many requests)", Random.Shared.Next(2) == 0 ? "0.1" : null);
                return;
            }

            if (now.LatencyMs > 0)
            {
                await Task.Delay(now.LatencyMs, context.RequestAborted);
            }

            await SubmitCoreAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref submitsInFlight);
        }
    }

    private async Task SubmitCoreAsync(HttpContext context)
    {
        Fault? fault = state.TakeFault("submit");
        if (fault != null && !fault.Accepted)
        {
            await ApplyFaultAsync(context, fault);
            return;
        }

        string text = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        string? key = state.Snapshot().IgnoreIdempotencyKeys ? null : IdempotencyKeyOf(context.Request);
        if (key != null && !await ClaimAsync(context, key, text))
        {
            return;
        }

        string? answer = null;
        try
        {
            answer = await ExecuteAsync(context, text, fault);
        }
        finally
        {
            if (key != null)
            {
                if (answer != null)
                {
                    state.Idempotency.Complete(key, answer);
                }
                else
                {
                    state.Idempotency.Release(key);
                }
            }
        }
    }

    /// <summary>The Idempotency-Key header's value; null without one.</summary>
    private static string? IdempotencyKeyOf(HttpRequest request) =>
        request.Headers.TryGetValue("Idempotency-Key", out var values) ? values.ToString() : null;

    /// <summary>True when the submission is to be handled; otherwise the key's answer was written (a replay, a 409 or a 400).</summary>
    private async Task<bool> ClaimAsync(HttpContext context, string key, string body)
    {
        if (IdempotencyStore.Problem(key) is string problem)
        {
            await ErrorAsync(context, 400, "invalid_request_error", problem);
            return false;
        }

        switch (state.Idempotency.Claim(key, body, out string? first))
        {
            case IdempotencyVerdict.Replay:
                await WriteJsonTextAsync(context, first!);
                return false;
            case IdempotencyVerdict.InProgress:
                await ErrorAsync(context, 409, "invalid_request_error", IdempotencyCodes.MessageFor(IdempotencyCodes.InProgress)!, "0.2", IdempotencyCodes.InProgress);
                return false;
            case IdempotencyVerdict.Reused:
                await ErrorAsync(context, 409, "invalid_request_error", IdempotencyCodes.MessageFor(IdempotencyCodes.KeyReused)!, code: IdempotencyCodes.KeyReused);
                return false;
            default:
                return true;
        }
    }

    /// <summary>
    /// Checks, charges and creates the task, answering the client (or, with an accepted fault, not telling it): the
    /// answer the task was created with, or null when nothing was executed (a 400 or a 402).
    /// </summary>
    private async Task<string?> ExecuteAsync(HttpContext context, string text, Fault? acceptedFault)
    {
        (JsonObject? body, string? problem) = ReadSubmission(text);
        if (problem != null)
        {
            await ErrorAsync(context, 400, "invalid_request_error", problem);
            return null;
        }

        if (!state.TryCharge(out EmulatorOptions options))
        {
            await ErrorAsync(context, 402, "payment_required", "余额不足，请充值 (insufficient balance)");
            return null;
        }

        EmulatedTask task = EmulatedTask.Create(body!, options, state.Clock.Now);
        state.Tasks[task.Id] = task;
        Interlocked.Increment(ref acceptedSubmits);
        object data = options.SubmitDataAsObject
            ? new { id = task.Id, status = "pending", created = task.Created.ToUnixTimeSeconds() }
            : new[] { new { status = "submitted", task_id = task.Id } };
        string answer = JsonSerializer.Serialize(new { code = 200, data }, Json);
        if (acceptedFault != null)
        {
            // The gateway took the job (and the money) but the client never hears of it.
            await ApplyFaultAsync(context, acceptedFault);
            return answer;
        }

        await WriteJsonTextAsync(context, answer);
        return answer;
    }

    /// <summary>The submission body, or the 400 message when it is not JSON, empty, or breaks a rule.</summary>
    private static (JsonObject? Body, string? Problem) ReadSubmission(string text)
    {
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text)?.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, "请求体不是有效的 JSON (malformed JSON body)");
        }

        return (body, body == null ? "请求体不能为空 (empty body)" : SubmissionRules.Check(body));
    }

    private async Task GetTaskAsync(HttpContext context, string id)
    {
        Interlocked.Increment(ref statusCalls);
        Fault? fault = state.TakeFault("task") ?? RandomTaskFault(state.Snapshot());
        if (fault != null)
        {
            await ApplyFaultAsync(context, fault);
            return;
        }

        string? language = context.Request.Query["language"];
        if (language != null && !TaskLanguage.IsKnown(language))
        {
            await ErrorAsync(context, 400, "invalid_request_error", $"language: 不支持的语言 '{language}' (language must be one of {string.Join(", ", TaskLanguage.Codes)})");
            return;
        }

        if (!state.Tasks.TryGetValue(id, out EmulatedTask? task))
        {
            context.Response.StatusCode = 404;
            await ErrorAsync(context, 404, "not_found_error", $"任务不存在 (task '{id}' not found)");
            return;
        }

        await WriteJsonAsync(context, new { code = 200, data = TaskData(task, state.Clock.Now, () => FailureOf(context, language)) });
    }

    /// <summary>
    /// A failed task's error: code 1301 and the moderation message in the language asked for, or the failCode and
    /// failMessage options (with "{key}" in either standing for the key this call carried, echoed as a careless gateway would).
    /// </summary>
    private object FailureOf(HttpContext context, string? language)
    {
        EmulatorOptions now = state.Snapshot();
        string key = context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        string message = now.FailMessage?.Replace("{key}", key, StringComparison.Ordinal) ?? TaskLanguage.ModerationFailed(language);
        string? given = now.FailCode?.Replace("{key}", key, StringComparison.Ordinal);
        object code = given == null ? 1301 : long.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) ? number : given;
        return new { code, message };
    }

    /// <summary>The task as GET /v1/tasks/{id} reports it at <paramref name="now"/>: pending, processing, failed (with <paramref name="failure"/>'s error) or completed with its links.</summary>
    private object TaskData(EmulatedTask task, DateTimeOffset now, Func<object> failure)
    {
        double elapsed = (now - task.Created).TotalSeconds;
        long created = task.Created.ToUnixTimeSeconds();
        int estimated = (int)Math.Max(1, Math.Round(task.Estimate)); // the gateway's guess: the nominal duration, not the jittered one
        if (elapsed < task.Seconds)
        {
            bool pending = elapsed < task.Seconds * 0.1;
            int progress = pending ? 0 : (int)Math.Clamp(elapsed / task.Seconds * 100, 1, 99);
            return new { id = task.Id, status = pending ? "pending" : "processing", progress, created, completed = (long?)null, estimated_time = estimated, actual_time = (int?)null, result = (object?)null, error = (object?)null };
        }

        DateTimeOffset completedAt = task.Created.AddSeconds(task.Seconds);
        long completed = completedAt.ToUnixTimeSeconds();
        int actual = (int)Math.Max(1, Math.Round(task.Seconds));
        if (task.Fails)
        {
            return WithCost(new { id = task.Id, status = "failed", progress = 100, created, completed, estimated_time = estimated, actual_time = actual, result = (object?)null, error = failure() }, task);
        }

        // Links expire resultTtl after completion, or (freshLinks) after this very read, like a gateway that signs on read.
        DateTimeOffset signedAt = state.Snapshot().FreshLinks ? now : completedAt;
        long expires = (long)Math.Floor((signedAt.ToUnixTimeMilliseconds() / 1000.0) + task.ResultTtl);
        string[] urls = Enumerable.Range(1, task.ResultCount).Select(n => ResultLink(task, n, expires)).ToArray();
        return WithCost(new { id = task.Id, status = "completed", progress = 100, created, completed, estimated_time = estimated, actual_time = actual, result = new { videos = new[] { new { url = urls, expires_at = expires } } }, error = (object?)null }, task);
    }

    /// <summary>
    /// A finished task's data with its charge (MODELS.md): <c>cost</c> in USD and <c>credits_cost</c> (cost × 10), 0 on a
    /// failed task; left out for an unpriced model or with the option costOnStatus false; as numeric text with costAsText.
    /// </summary>
    private JsonNode WithCost(object data, EmulatedTask task)
    {
        JsonObject node = JsonSerializer.SerializeToNode(data, Json)!.AsObject();
        EmulatorOptions now = state.Snapshot();
        if (task.Billed is double usd && now.CostOnStatus)
        {
            double credits = Math.Round(usd * Models.PriceTable.CreditsPerUsd, 4);
            node["cost"] = now.CostAsText ? JsonValue.Create(usd.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(usd);
            node["credits_cost"] = now.CostAsText ? JsonValue.Create(credits.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(credits);
        }

        return node;
    }

    /// <summary>The signed storage link to result file <paramref name="n"/> (1-based) of a task.</summary>
    private string ResultLink(EmulatedTask task, int n, long expires)
    {
        string name = task.ResultCount == 1 ? task.Id + ".mp4" : $"{task.Id}-{n}.mp4";
        return new Uri(storageUri, $"/files/{name}?expires={expires}&sig={state.Sign(name, expires)}").ToString();
    }
}
