using System.Text.Json.Serialization;
using System.Text.Json;
using System;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// The balance endpoints (MODELS.md, "Also on the gateway"): GET /v1/balance for the key, GET /v1/user/balance for
    /// the whole account. A reply of HTTP 200 with "success": false is a failed lookup: an error carrying the gateway's message.
    /// </summary>
    internal static class BalanceCall
    {
        public const string KeyPath = "v1/balance";
        public const string AccountPath = "v1/user/balance";

        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions();

        /// <summary>The balance in a 200 reply, or the GatewayException it stands for (success false, or no balance in it).</summary>
        public static KlingBalance Read(GatewayReply reply, bool account, GatewayTransport transport)
        {
            BalanceReply? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<BalanceReply>(reply.Body, Options);
            }
            catch (JsonException ex)
            {
                throw new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway's balance could not be read: {ex.Message}", reply.StatusCode, inner: ex);
            }

            if (parsed == null || IsFalse(parsed.Success))
            {
                string? message = parsed?.Message ?? parsed?.Msg;
                message = message == null ? null : transport.Redact(message);
                throw new GatewayException(
                    GatewayErrorKind.InvalidRequest,
                    $"The gateway could not give the {(account ? "account's" : "key's")} balance: {message ?? transport.Excerpt(reply.Body)}",
                    reply.StatusCode,
                    gatewayMessage: message)
                { Unsuccessful = true };
            }

            bool unlimited = IsTrue(parsed.Unlimited) || parsed.Remain == -1;
            return new KlingBalance
            {
                Remaining = unlimited ? null : parsed.Remain,
                Used = parsed.Used,
                Unlimited = unlimited,
                Scope = account ? "Account" : "Key",
            };
        }

        private static bool IsFalse(string? flag) => string.Equals(flag, "false", StringComparison.OrdinalIgnoreCase) || flag == "0";

        private static bool IsTrue(string? flag) => string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase) || flag == "1";

        /// <summary>{"success":true,"remain_balance":12.5,"used_balance":3.1,"unlimited_quota":false}, read tolerantly.</summary>
        private sealed class BalanceReply
        {
            [JsonPropertyName("success"), JsonConverter(typeof(TextConverter))]
            public string? Success { get; set; }

            [JsonPropertyName("remain_balance"), JsonConverter(typeof(NumberConverter))]
            public double? Remain { get; set; }

            [JsonPropertyName("used_balance"), JsonConverter(typeof(NumberConverter))]
            public double? Used { get; set; }

            [JsonPropertyName("unlimited_quota"), JsonConverter(typeof(TextConverter))]
            public string? Unlimited { get; set; }

            [JsonPropertyName("message"), JsonConverter(typeof(TextConverter))]
            public string? Message { get; set; }

            [JsonPropertyName("msg"), JsonConverter(typeof(TextConverter))]
            public string? Msg { get; set; }
        }
    }
}
