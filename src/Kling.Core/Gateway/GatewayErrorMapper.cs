using System;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// Maps a gateway reply that is not a success to a <see cref="GatewayException"/>: the kind by HTTP status, the
    /// gateway's own type, code and message kept as detail, and a sentence saying what to do.
    /// </summary>
    internal static class GatewayErrorMapper
    {
        public static GatewayException From(GatewayReply exchange, GatewayTransport transport)
        {
            (string? code, string? message, string? type) = GatewayReplies.ReadError(exchange.Body);
            message = message == null ? null : transport.Redact(message);
            int status = exchange.Status;
            GatewayErrorKind kind;
            if (status == 400 || status == 413 || status == 422)
            {
                kind = GatewayErrorKind.InvalidRequest;
            }
            else if (status == 401 || status == 403 || status == 407)
            {
                kind = GatewayErrorKind.Authentication;
            }
            else if (status == 402)
            {
                kind = GatewayErrorKind.PaymentRequired;
            }
            else if (status == 404)
            {
                kind = GatewayErrorKind.NotFound;
            }
            else if (status == 429)
            {
                kind = GatewayErrorKind.RateLimited;
            }
            else if (status >= 500)
            {
                kind = GatewayErrorKind.ServerError;
            }
            else if (status >= 300 && status < 400)
            {
                // Not followed (and not retried): the key goes to the configured gateway only.
                kind = GatewayErrorKind.InvalidRequest;
            }
            else
            {
                kind = GatewayErrorKind.InvalidResponse;
            }

            string detail = message ?? (string.IsNullOrWhiteSpace(exchange.Body) ? exchange.StatusCode.ToString() : transport.Excerpt(exchange.Body));
            string text = $"The gateway answered HTTP {status}";
            if (type != null || code != null)
            {
                text += $" ({type ?? "error"}{(code != null ? ", code " + code : string.Empty)})";
            }

            text += ": " + detail;
            if (status == 407)
            {
                text = "The proxy answered HTTP 407 (proxy authentication required): give its credentials with Connect-Kling -Proxy <url> -ProxyCredential <credential>.";
            }
            else if (status >= 300 && status < 400)
            {
                text += " Kling does not follow redirects from the gateway, so the key never leaves the configured gateway; check the base URL (Connect-Kling -BaseUrl or $env:" + GatewaySettings.BaseUrlVariable + ").";
            }
            else if (status == 403)
            {
                // The key was read but is not allowed this call (a model or endpoint outside its permissions): every later call fails alike.
                text += " The key is not allowed to do this (permission denied): check the key's permissions and model access in the gateway's console, or use another key (Connect-Kling or $env:" + GatewaySettings.ApiKeyVariable + ").";
            }
            else if (kind == GatewayErrorKind.Authentication)
            {
                text += $" Check the API key (Connect-Kling or ${GatewaySettings.ApiKeyVariable}).";
            }
            else if (kind == GatewayErrorKind.PaymentRequired)
            {
                text += " The account balance is exhausted; top it up before submitting more.";
            }

            return new GatewayException(kind, text, exchange.StatusCode, code, type, message) { RetryAfter = exchange.RetryAfter };
        }
    }
}
