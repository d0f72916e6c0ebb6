using System.Text.Json.Nodes;

namespace Kling.Emulator;

/// <summary>
/// A submission's top-level <c>webhook</c> (MODELS.md: an https base URL the gateway POSTs the task's status to, at
/// &lt;url&gt;/callback, when the task completes or fails): on any model, a string holding an absolute https URL. The
/// emulator keeps it in the recorded request and never calls it.
/// </summary>
internal static class WebhookRule
{
    /// <summary>The 400 message when the body's webhook is not an https URL; null when it is, or when there is none.</summary>
    public static string? Check(JsonObject body)
    {
        if (!body.ContainsKey("webhook"))
        {
            return null;
        }

        string? url = body["webhook"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (url == null)
        {
            return $"webhook: 必须是字符串 (must be a string; got {body["webhook"]?.ToJsonString() ?? "null"})";
        }

        return Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0
            ? null
            : $"webhook: 无效的 URL '{url}' (an absolute https URL required)";
    }
}
