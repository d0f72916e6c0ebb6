using System;
using System.Globalization;
using System.Text.Json;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// The balance endpoints (MODELS.md, "Also on the gateway"): GET /v1/balance for the key, GET /v1/user/balance for
    /// the whole account. The fields are read at the top of the answer or nested under "data", as numbers or as plain
    /// numeric text in invariant form ("12.5", "-1", "1e3"). Anything else is an error quoting what came back, never a
    /// balance of nothing: a script's <c>if ($b.Remaining -gt 100)</c> must not go the wrong way on an answer it cannot
    /// read. HTTP 200 with "success": false is a failed lookup: an error carrying the gateway's message. The unit is the
    /// answer's "currency" or "unit" text (USD when absent: MODELS.md, "Balance units"); remain_credits and used_credits
    /// are read when sent, under the same rule (present and not a number is an error, not a missing figure).
    /// </summary>
    internal static class BalanceCall
    {
        public const string KeyPath = "v1/balance";
        public const string AccountPath = "v1/user/balance";

        private const int MaxQuoted = 100;

        /// <summary>
        /// Digits, one decimal point, a sign and an exponent: no thousands separator. "1,234.50" is refused rather than
        /// guessed at: a comma is a thousands separator in some locales and the decimal mark in others ("1,234" is
        /// 1234 or 1.234), and a balance read a thousand times too big or too small is worse than an error.
        /// </summary>
        private const NumberStyles PlainNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

        /// <summary>The balance in a 200 reply, or the GatewayException it stands for (success false, or no readable balance in it).</summary>
        public static KlingBalance Read(GatewayReply reply, bool account, GatewayTransport transport)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(reply.Body);
            }
            catch (JsonException ex)
            {
                throw new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway's balance could not be read: {ex.Message}", reply.StatusCode, inner: ex);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                string whose = account ? "account's" : "key's";
                if (Flag(Field(root, "success")) == false)
                {
                    string? message = Text(Field(root, "message")) ?? Text(Field(root, "msg"));
                    message = message == null ? null : transport.Redact(message);
                    throw new GatewayException(
                        GatewayErrorKind.InvalidRequest,
                        $"The gateway could not give the {whose} balance: {message ?? transport.Excerpt(reply.Body)}",
                        reply.StatusCode,
                        gatewayMessage: message)
                    { Unsuccessful = true };
                }

                JsonElement? remainCredits = Field(root, "remain_credits");
                JsonElement? usedCredits = Field(root, "used_credits");
                JsonElement? remain = Field(root, "remain_balance");
                JsonElement? used = Field(root, "used_balance");
                double? remaining = Number(remain);
                double? spent = Number(used);
                bool unlimited = Flag(Field(root, "unlimited_quota")) == true || remaining == -1;
                string? problem =
                    remain == null && !unlimited ? "it has no remain_balance" :
                    remain != null && remaining == null && !unlimited ? $"remain_balance {Quoted(remain.Value)} is not a number" :
                    used != null && used.Value.ValueKind != JsonValueKind.Null && spent == null ? $"used_balance {Quoted(used.Value)} is not a number" :
                    Unreadable(remainCredits) ? $"remain_credits {Quoted(remainCredits!.Value)} is not a number" :
                    Unreadable(usedCredits) ? $"used_credits {Quoted(usedCredits!.Value)} is not a number" :
                    null;
                if (problem != null)
                {
                    throw new GatewayException(
                        GatewayErrorKind.InvalidRequest,
                        $"The {whose} balance could not be read from the gateway's answer: {problem} (Kling reads a number, or plain numeric text such as \"12.5\": " +
                        $"no thousands separators, whose meaning differs between locales). The answer: {transport.Excerpt(reply.Body)}",
                        reply.StatusCode)
                    { Unsuccessful = true };
                }

                return new KlingBalance
                {
                    Remaining = unlimited ? null : remaining,
                    Used = spent,
                    Unlimited = unlimited,
                    Unit = UnitOf(root),
                    RemainingCredits = unlimited || Number(remainCredits) == -1 ? null : Number(remainCredits),
                    UsedCredits = Number(usedCredits),
                    Scope = account ? "Account" : "Key",
                };
            }
        }

        /// <summary>A field present with a value (not JSON null) that is no number.</summary>
        private static bool Unreadable(JsonElement? value) =>
            value != null && value.Value.ValueKind != JsonValueKind.Null && Number(value) == null;

        /// <summary>The unit the answer names ("currency", else "unit", trimmed and upper-cased when short), else USD.</summary>
        private static string UnitOf(JsonElement root)
        {
            string? unit = (Text(Field(root, "currency")) ?? Text(Field(root, "unit")))?.Trim();
            return string.IsNullOrEmpty(unit) || unit!.Length > 16 ? "USD" : unit.ToUpperInvariant();
        }

        /// <summary>A field at the top of the answer or, when it is not there, in its "data" object; null when in neither.</summary>
        private static JsonElement? Field(JsonElement root, string name)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty(name, out JsonElement value))
            {
                return value;
            }

            return root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out value)
                ? value
                : (JsonElement?)null;
        }

        /// <summary>A finite number, or plain numeric text in invariant form; null for anything else (JSON null, "N/A", "1,234.50", "NaN").</summary>
        private static double? Number(JsonElement? value)
        {
            if (value is JsonElement element)
            {
                if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double number))
                {
                    return Finite(number);
                }

                if (element.ValueKind == JsonValueKind.String && double.TryParse(element.GetString()!.Trim(), PlainNumber, CultureInfo.InvariantCulture, out double parsed))
                {
                    return Finite(parsed);
                }
            }

            return null;
        }

        private static double? Finite(double number) => double.IsNaN(number) || double.IsInfinity(number) ? (double?)null : number;

        /// <summary>true, false, "true", "false", 1, 0, "1" or "0"; null for anything else.</summary>
        private static bool? Flag(JsonElement? value)
        {
            string? text = value?.ValueKind == JsonValueKind.True ? "true" : value?.ValueKind == JsonValueKind.False ? "false" : Text(value);
            return string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) || text == "1" ? true :
                   string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) || text == "0" ? false :
                   (bool?)null;
        }

        private static string? Text(JsonElement? value) =>
            value?.ValueKind == JsonValueKind.String ? value.Value.GetString() :
            value?.ValueKind == JsonValueKind.Number ? value.Value.GetRawText() :
            null;

        /// <summary>A value as the gateway wrote it (from the redacted body), cut short.</summary>
        private static string Quoted(JsonElement value)
        {
            string raw = value.GetRawText();
            return raw.Length <= MaxQuoted ? raw : raw.Substring(0, MaxQuoted) + "…";
        }
    }
}
