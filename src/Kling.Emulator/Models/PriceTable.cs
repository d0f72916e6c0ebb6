using System.Globalization;
using System.Text.Json.Nodes;

namespace Kling.Emulator.Models;

/// <summary>
/// The emulator's own reading of MODELS.md's price list ("Money, identity and discovery", USD per second, 10 credits =
/// 1 USD) and of its tier and seconds rules, kept apart from the client's catalog on purpose: a client that prices
/// wrongly must disagree with it. The charge of a task is fixed when it is accepted (motion control: a length picked
/// in its range, as the gateway measures the motion video).
/// </summary>
internal static class PriceTable
{
    /// <summary>Credits per USD.</summary>
    public const double CreditsPerUsd = 10;

    private const int DefaultSeconds = 5;

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Prices =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)
        {
            ["kling-video-o1"] = Tiers("default 0.0672", "pro 0.0896", "video 0.1008", "pro-video 0.1344"),
            ["kling-v3-omni"] = Tiers("default 0.0672", "sound 0.0896", "video 0.1008", "pro 0.0896", "pro-sound 0.112", "pro-video 0.1344", "4k 0.42856", "4k-sound 0.42856"),
            ["kling-v3"] = Tiers("default 0.0672", "sound 0.1008", "pro 0.0896", "pro-sound 0.1344", "4k 0.42856", "4k-sound 0.42856"),
            ["kling-v2-6"] = Tiers("default 0.0368", "pro 0.0625", "pro-sound 0.125", "pro-sound-voice 0.15"),
            ["kling-3.0-turbo"] = Tiers("720p 0.1144", "1080p 0.1432"),
            ["kling-v2-6-motion-control"] = Tiers("default 0.05712", "pro 0.09144"),
            ["kling-v3-motion-control"] = Tiers("default 0.10288", "pro 0.13712"),
        };

    /// <summary>What a task of this body is charged in USD (rounded to 1/100000), or null for a model without a price (the gateway then says nothing).</summary>
    public static double? CostOf(JsonObject body)
    {
        string? model = body["model"] is JsonValue v && v.TryGetValue(out string? name) ? name : null;
        if (model == null || !Prices.TryGetValue(model, out IReadOnlyDictionary<string, double>? tiers))
        {
            return null;
        }

        string tier = TierOf(model, body);
        double perSecond = tiers.TryGetValue(tier, out double price) ? price : tiers.TryGetValue(WithoutSuffix(tier), out price) ? price : tiers.Values.First();
        return Math.Round(perSecond * SecondsOf(model, body), 5);
    }

    /// <summary>The tier rule: std → default, pro → pro, 4k → 4k (turbo: its resolution); then -sound when audio is on, otherwise -video with a reference video.</summary>
    public static string TierOf(string model, JsonObject body)
    {
        if (model == "kling-3.0-turbo")
        {
            return TextOf(body["resolution"]) ?? "720p";
        }

        string mode = TextOf(body["mode"])?.ToLowerInvariant() ?? "std";
        string tier = mode == "std" ? "default" : mode;
        if (IsOn(body["audio"]))
        {
            return tier == "default" ? "sound" : tier + "-sound";
        }

        bool video = body["video_list"] is JsonArray list && list.Count > 0;
        return !video ? tier : tier == "default" ? "video" : tier + "-video";
    }

    /// <summary>The seconds billed: the row's duration (default 5); motion control: a length the emulator picks in the gateway's range (3–10 s with orientation image, 3–30 s with video).</summary>
    private static int SecondsOf(string model, JsonObject body)
    {
        if (model.EndsWith("-motion-control", StringComparison.Ordinal))
        {
            int longest = TextOf(body["character_orientation"]) == "video" ? 30 : 10;
            return Random.Shared.Next(3, longest + 1);
        }

        string? text = TextOf(body["duration"]);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) && seconds > 0 ? seconds : DefaultSeconds;
    }

    /// <summary>"pro-sound" → "pro", "sound" → "default", "video" → "default".</summary>
    private static string WithoutSuffix(string tier)
    {
        int dash = tier.LastIndexOf('-');
        return dash > 0 ? tier.Substring(0, dash) : tier is "sound" or "video" ? "default" : tier;
    }

    private static bool IsOn(JsonNode? value) => TextOf(value)?.ToLowerInvariant() is "true" or "on" or "1" or "yes";

    private static string? TextOf(JsonNode? value) =>
        value is JsonValue v ? (v.TryGetValue(out string? s) ? s : v.ToJsonString()) : null;

    private static IReadOnlyDictionary<string, double> Tiers(params string[] pairs) =>
        pairs.Select(p => p.Split(' ')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
