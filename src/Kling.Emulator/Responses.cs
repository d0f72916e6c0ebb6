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

    public static Task ErrorAsync(HttpContext context, int status, string type, string message, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter != null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return WriteJsonAsync(context, new { error = new { code = status, message, type } });
    }

    public static async Task WriteJsonAsync(HttpContext context, object value)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(value, Json), Encoding.UTF8);
    }
}
