using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kling.Emulator;

/// <summary>How the gateway writes JSON and its standard error body (API.md: {"error":{"code","message","type"}}).</summary>
internal static class Responses
{
    /// <summary>Chinese text stays readable in bodies, as the real gateway sends it.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = true,
    };

    /// <summary>The standard error body; its code is <paramref name="code"/> when given (idempotency_in_progress, ...), else the HTTP status.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string type, string message, string? retryAfter = null, string? code = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter != null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return WriteJsonAsync(context, new { error = new { code = (object?)code ?? status, message, type } });
    }

    public static Task WriteJsonAsync(HttpContext context, object value) => WriteJsonTextAsync(context, JsonSerializer.Serialize(value, Json));

    /// <summary>A JSON body already written (an answer replayed for its Idempotency-Key).</summary>
    public static async Task WriteJsonTextAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, Encoding.UTF8);
    }
}
