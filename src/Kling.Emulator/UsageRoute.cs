using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static Kling.Emulator.Responses;

namespace Kling.Emulator;

/// <summary>
/// GET /v1/usage, the spend report as MODELS.md ("Money, identity and discovery") describes it: <c>start</c> (inclusive)
/// and <c>end</c> (exclusive) as Unix seconds or RFC 3339, at most 31 days apart (the last 24 hours when both are
/// absent); <c>model</c> (comma list, up to 50); <c>group_by</c> none|model|date|model,date; <c>tz</c> (default
/// Asia/Shanghai, the day boundaries of date); <c>scope</c> key|account (one key here: the same figures). Only billed
/// tasks count: completed, priced, finished inside the range. 400s with the documented codes, 503 usage_unavailable
/// with the option usageUnavailable (or a fault on route "usage"), 429 past usagePerMinute calls in a minute.
/// </summary>
internal sealed class UsageRoute
{
    private const int MaxModels = 50;
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);
    private static readonly string[] Groupings = { "none", "model", "date", "model,date" };

    private readonly EmulatorState state;

    public UsageRoute(EmulatorState state) => this.state = state;

    public async Task HandleAsync(HttpContext context)
    {
        Fault? fault = state.TakeFault("usage");
        if (fault != null)
        {
            await FaultInjector.ApplyFaultAsync(context, fault);
            return;
        }

        EmulatorOptions options = state.Snapshot();
        DateTimeOffset now = state.Clock.Now;
        if (state.CountUsageCall(now, options.UsagePerMinute) is double wait)
        {
            await ErrorAsync(context, 429, "rate_limit_error", "请求过于频繁，请稍后再试 (usage: 60 calls a minute per key)", Math.Max(0.1, wait).ToString("0.###", CultureInfo.InvariantCulture));
            return;
        }

        if (options.UsageUnavailable)
        {
            await ErrorAsync(context, 503, "server_error", "usage_unavailable: 用量统计暂不可用 (usage is unavailable)", "0.1", "usage_unavailable");
            return;
        }

        IQueryCollection query = context.Request.Query;
        DateTimeOffset? end = query.ContainsKey("end") ? Instant(query["end"]) : now;
        DateTimeOffset? start = query.ContainsKey("start") ? Instant(query["start"]) : end?.AddDays(-1);
        string groupBy = ((string?)query["group_by"] ?? "none").Trim().ToLowerInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
        string scope = ((string?)query["scope"] ?? "key").Trim().ToLowerInvariant();
        string[] models = ((string?)query["model"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        TimeZoneInfo? zone = Zone((string?)query["tz"] ?? "Asia/Shanghai");
        (string Code, string Message)? problem =
            start == null ? ("invalid_start", "start: 无效的时间 (Unix seconds or RFC 3339)") :
            end == null ? ("invalid_end", "end: 无效的时间 (Unix seconds or RFC 3339)") :
            end <= start ? ("invalid_range", "end 必须晚于 start (end must be after start)") :
            end - start > MaxRange ? ("range_too_large", "时间范围不能超过 31 天 (at most 31 days between start and end)") :
            zone == null ? ("invalid_tz", $"tz: 未知的时区 '{query["tz"]}' (unknown IANA time zone)") :
            !Groupings.Contains(groupBy) ? ("invalid_group_by", "group_by: none, model, date or model,date") :
            scope is not ("key" or "account") ? ("invalid_scope", "scope: key or account") :
            models.Length > MaxModels ? ("too_many_models", $"model: 最多 {MaxModels} 个 (at most {MaxModels} models)") :
            ((string, string)?)null;
        if (problem is (string code, string text))
        {
            await ErrorAsync(context, 400, "invalid_request_error", text, code: code);
            return;
        }

        await WriteJsonAsync(context, new JsonObject { ["code"] = 200, ["data"] = Report(start!.Value, end!.Value, models, groupBy, zone!, now) });
    }

    /// <summary>The total and the items of the billed tasks finished in [start, end), grouped as asked.</summary>
    private JsonObject Report(DateTimeOffset start, DateTimeOffset end, string[] models, string groupBy, TimeZoneInfo zone, DateTimeOffset now)
    {
        var billed = state.Tasks.Values
            .Where(t => !t.Fails && t.Cost != null && t.FinishesAt <= now && t.FinishesAt >= start && t.FinishesAt < end)
            .Select(t => (Model: t.Request["model"]?.ToString() ?? string.Empty, Date: TimeZoneInfo.ConvertTime(t.FinishesAt, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Usd: t.Cost!.Value))
            .Where(t => models.Length == 0 || models.Contains(t.Model, StringComparer.Ordinal))
            .ToList();
        bool byModel = groupBy.Contains("model", StringComparison.Ordinal);
        bool byDate = groupBy.Contains("date", StringComparison.Ordinal);
        var items = new JsonArray();
        foreach (var group in billed.GroupBy(t => (Model: byModel ? t.Model : null, Date: byDate ? t.Date : null)).OrderBy(g => g.Key.Date).ThenBy(g => g.Key.Model, StringComparer.Ordinal))
        {
            JsonObject item = Figures(group.Sum(t => t.Usd), group.Count());
            if (byModel)
            {
                item.Insert(0, "model", group.Key.Model);
            }

            if (byDate)
            {
                item.Insert(byModel ? 1 : 0, "date", group.Key.Date);
            }

            items.Add(item);
        }

        return new JsonObject { ["total"] = Figures(billed.Sum(t => t.Usd), billed.Count), ["items"] = items };
    }

    private static JsonObject Figures(double usd, int requests) => new()
    {
        ["amount_usd"] = Math.Round(usd, 5),
        ["credits"] = Math.Round(usd * Models.PriceTable.CreditsPerUsd, 4),
        ["requests"] = requests,
    };

    /// <summary>Unix seconds or RFC 3339 (an offset or Z required); null for anything else.</summary>
    private static DateTimeOffset? Instant(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds is >= 0 and < 253402300800 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null;
        }

        bool hasOffset = text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:\d\d$");
        return hasOffset && text.Contains('T', StringComparison.OrdinalIgnoreCase) &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset instant) ? instant : null;
    }

    private static TimeZoneInfo? Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
