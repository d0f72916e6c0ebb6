using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Kling.Emulator.Responses;

namespace Kling.Emulator;

/// <summary>How an injected or random <see cref="Fault"/> answers a request in place of the normal handling.</summary>
internal static class FaultInjector
{
    /// <summary>Answers with the fault: an error status, a dropped connection, a cut-off 200, a redirect, a given body, or never.</summary>
    public static async Task ApplyFaultAsync(HttpContext context, Fault fault)
    {
        switch (fault.Kind.ToLowerInvariant())
        {
            case "hold":
                await HoldAsync(context);
                return;
            case "reply":
                // Whatever a gateway may answer with a 200 (a balance of "N/A", a shape no document shows), byte for byte.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(fault.Body ?? string.Empty);
                return;
            case "reset":
                context.Abort();
                return;
            case "redirect":
                // A gateway that sends the client elsewhere (another host): the client must not carry its key there.
                context.Response.StatusCode = fault.Status is >= 300 and < 400 ? fault.Status : 302;
                context.Response.Headers.Location = fault.Location ?? "/";
                return;
            case "unsuccessful":
                // A lookup that failed but says so only in the body, as the gateway's balance endpoints can.
                await WriteJsonAsync(context, new { success = false, message = fault.Message ?? "查询失败 (lookup failed)" });
                return;
            case "truncate":
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"code\":200,\"data\":{\"id\":\"task_");
                return;
            default:
                string type = fault.Type ?? TypeFor(fault.Status);
                await ErrorAsync(context, fault.Status, type, fault.Message ?? DefaultMessage(fault.Status, fault.Code), fault.RetryAfter, fault.Code);
                return;
        }
    }

    /// <summary>A gateway that never answers: the request is held until the client hangs up or the emulator stops.</summary>
    private static async Task HoldAsync(HttpContext context)
    {
        CancellationToken stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }

    /// <summary>The chaos knobs for status calls (task500Rate, taskResetRate, taskTruncateRate): one roll picks at most one fault.</summary>
    public static Fault? RandomTaskFault(EmulatorOptions o)
    {
        double roll = Random.Shared.NextDouble();
        if (roll < o.Task500Rate)
        {
            return new Fault { Route = "task", Status = 500 };
        }

        roll -= o.Task500Rate;
        if (roll < o.TaskResetRate)
        {
            return new Fault { Route = "task", Kind = "reset" };
        }

        roll -= o.TaskResetRate;
        return roll < o.TaskTruncateRate ? new Fault { Route = "task", Kind = "truncate" } : null;
    }

    private static string TypeFor(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "payment_required",
        404 => "not_found_error",
        403 => "permission_error",
        409 => "invalid_request_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        502 => "bad_gateway",
        _ => "server_error",
    };

    private static string DefaultMessage(int status, string? code) =>
        code == null ? DefaultMessage(status) : IdempotencyCodes.MessageFor(code) ?? code;

    private static string DefaultMessage(int status) => status switch
    {
        429 => "请求过于频繁，请稍后再试 (too many requests)",
        402 => "余额不足，请充值 (insufficient balance)",
        403 => "无权访问 (permission denied)",
        502 => "上游服务错误 (bad gateway)",
        _ when status >= 500 => "服务器内部错误 (internal server error)",
        _ => "request failed",
    };
}
