using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// Reads GET /v1/usage's answer, <c>{"code":200,"data":{"total":{...},"items":[{"model","date","amount_usd",
    /// "credits","requests"}]}}</c>, and adds the answers of a range read in pieces. Figures are numbers or plain numeric
    /// text; an answer without a readable amount is an error quoting it, never a spend of 0 (MODELS.md: an unavailable
    /// report must never read as zero spend).
    /// </summary>
    internal static class UsageCall
    {
        private const NumberStyles PlainNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

        /// <summary>The figures of one answer: the total and the items as the grouping gives them.</summary>
        public static (KlingUsage Total, List<KlingUsage> Items) Read(GatewayReply reply, GatewayTransport transport)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(reply.Body);
                JsonElement root = document.RootElement;
                JsonElement data = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out JsonElement d) && d.ValueKind == JsonValueKind.Object ? d : root;
                var items = new List<KlingUsage>();
                if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("items", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
                {
                    items.AddRange(list.EnumerateArray().Select(Figures));
                }

                KlingUsage total = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("total", out JsonElement t) && t.ValueKind == JsonValueKind.Object
                    ? Figures(t)
                    : Sum(items, null, null) ?? throw new FormatException("it has neither a total nor items");
                return (total, items);
            }
            catch (Exception ex) when (ex is JsonException || ex is FormatException)
            {
                throw new GatewayException(
                    GatewayErrorKind.InvalidResponse,
                    $"The gateway's usage report could not be read ({ex.Message}); it is not taken as zero spend. The answer: {transport.Excerpt(reply.Body)}",
                    reply.StatusCode,
                    inner: ex);
            }
        }

        /// <summary>
        /// The usage of a query read in pieces, added up: one object for the whole range without grouping, else one per
        /// model and/or day (a day cut by a piece's edge is one object), in day and model order.
        /// </summary>
        public static List<KlingUsage> Combine(UsageQuery query, IReadOnlyList<(KlingUsage Total, List<KlingUsage> Items)> answers)
        {
            string scope = query.Account ? "Account" : "Key";
            List<KlingUsage> result;
            if (query.GroupBy == UsageGrouping.None)
            {
                result = new List<KlingUsage> { Sum(answers.Select(a => a.Total), null, null) ?? new KlingUsage() };
            }
            else
            {
                bool byModel = query.GroupBy != UsageGrouping.Date, byDate = query.GroupBy != UsageGrouping.Model;
                result = answers.SelectMany(a => a.Items)
                    .GroupBy(i => (Model: byModel ? i.Model : null, Date: byDate ? i.Date : null))
                    .OrderBy(g => g.Key.Date, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
                    .Select(g => Sum(g, g.Key.Model, g.Key.Date)!)
                    .ToList();
            }

            foreach (KlingUsage usage in result)
            {
                usage.Start = query.Start;
                usage.End = query.End;
                usage.Scope = scope;
            }

            return result;
        }

        private static KlingUsage? Sum(IEnumerable<KlingUsage> parts, string? model, string? date)
        {
            KlingUsage? sum = null;
            foreach (KlingUsage part in parts)
            {
                sum ??= new KlingUsage { Model = model, Date = date };
                sum.AmountUsd = Math.Round(sum.AmountUsd + part.AmountUsd, 6);
                sum.Credits = Math.Round(sum.Credits + part.Credits, 4);
                sum.Requests += part.Requests;
            }

            return sum;
        }

        /// <summary>One item or the total: amount_usd is required; credits default to amount × 10, requests to 0.</summary>
        private static KlingUsage Figures(JsonElement item)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"an item is {item.ValueKind}, not an object");
            }

            double usd = Number(item, "amount_usd") ?? throw new FormatException("an item has no readable amount_usd");
            return new KlingUsage
            {
                Model = Text(item, "model"),
                Date = Text(item, "date"),
                AmountUsd = usd,
                Credits = Number(item, "credits") ?? Math.Round(usd * 10, 4),
                Requests = (long)(Number(item, "requests") ?? 0),
            };
        }

        private static double? Number(JsonElement item, string name)
        {
            if (!item.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            double number = double.NaN;
            bool read = value.ValueKind == JsonValueKind.Number ? value.TryGetDouble(out number) :
                        value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString()!.Trim(), PlainNumber, CultureInfo.InvariantCulture, out number);
            return read && !double.IsNaN(number) && !double.IsInfinity(number) ? number : (double?)null;
        }

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out JsonElement value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null : null;
    }
}
