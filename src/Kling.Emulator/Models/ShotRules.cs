using System.Text.Json.Nodes;
using static Kling.Emulator.Models.Problem;

namespace Kling.Emulator.Models;

/// <summary>
/// multi_shot, shot_type and multi_prompt (kling-v3-omni and kling-v3, confirmed): 1 to 6 shots, indexes 1, 2, ...,
/// each duration an integer of at least 1, the durations adding up to the body's duration; v3 caps each shot's prompt.
/// </summary>
internal static class ShotRules
{
    public const int MaxShots = 6;

    public static readonly string[] ShotTypes = { "customize", "intelligence" };

    /// <summary>The three fields, for a model whose shot prompts are at most <paramref name="maxPromptChars"/> long (0: no cap).</summary>
    public static FieldRule[] Fields(int maxPromptChars) => new[]
    {
        Models.Fields.Boolean("multi_shot"),
        Models.Fields.OneOf("shot_type", ShotTypes),
        Models.Fields.Custom("multi_prompt", (model, field, value) => Shots(model, field, value, maxPromptChars)),
    };

    /// <summary>shot_type customize needs multi_prompt; the shots' durations add up to duration (default <paramref name="defaultDuration"/>).</summary>
    public static BodyRule Totals(int defaultDuration) => (model, body) =>
    {
        if (Text(body["shot_type"]) == "customize" && body["multi_prompt"] == null)
        {
            return Of("multi_prompt", model, "shot_type 为 customize 时不能为空", "required with shot_type customize (1 to 6 shots)");
        }

        if (body["multi_prompt"] is not JsonArray shots)
        {
            return null;
        }

        int total = shots.Sum(s => Integer(s?["duration"]) ?? 0);
        int duration = DurationOrDefault(body, defaultDuration);
        return total == duration ? null : Of("multi_prompt", model, $"分镜时长之和 {total} 不等于 duration {duration}", $"the shots' durations add up to {total}, not the duration {duration}");
    };

    private static string? Shots(string model, string field, JsonNode value, int maxPromptChars)
    {
        if (value is not JsonArray shots || shots.Count < 1 || shots.Count > MaxShots)
        {
            return Of(field, model, "分镜数量无效", $"an array of 1 to {MaxShots} shots");
        }

        for (int i = 0; i < shots.Count; i++)
        {
            string? problem = Shot(model, $"{field}[{i}]", shots[i], i + 1, maxPromptChars);
            if (problem != null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>One shot: {index, prompt, duration}, its index the next one from 1.</summary>
    private static string? Shot(string model, string field, JsonNode? node, int index, int maxPromptChars)
    {
        if (node is not JsonObject shot)
        {
            return Of(field, model, "必须是对象", "a shot is an object {index, prompt, duration}");
        }

        if (Integer(shot["index"]) != index)
        {
            return Of(field + ".index", model, $"序号必须为 {index}", $"indexes run 1, 2, ... without gaps: {index} expected");
        }

        string? prompt = Text(shot["prompt"]);
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return Of(field + ".prompt", model, "不能为空", "each shot needs a prompt");
        }

        if (maxPromptChars > 0 && prompt.Length > maxPromptChars)
        {
            return Of(field + ".prompt", model, $"超过 {maxPromptChars} 个字符", $"at most {maxPromptChars} characters per shot, not {prompt.Length}");
        }

        return Integer(shot["duration"]) is >= 1 ? null : Of(field + ".duration", model, "无效的时长", "an integer of at least 1, as a JSON number");
    }
}
