using System.Text.Json.Nodes;
using static Kling.Emulator.Models.Problem;

namespace Kling.Emulator.Models;

/// <summary>The kinds of field the models take, as <see cref="FieldRule"/> factories; each message names the model and the field.</summary>
internal static class Fields
{
    public static readonly string[] StdPro = { "std", "pro" };
    public static readonly string[] StdPro4K = { "std", "pro", "4k" };
    public static readonly string[] AspectRatios = { "16:9", "9:16", "1:1" };

    /// <summary>A JSON string; with <paramref name="maxLength"/> > 0 at most that long, with <paramref name="values"/> one of them.</summary>
    public static FieldRule Text(string name, int maxLength = 0, string[]? values = null, bool required = false) =>
        new(name, (model, field, value) =>
        {
            string? text = Problem.Text(value);
            if (text == null)
            {
                return Of(field, model, "必须是字符串", "a JSON string");
            }

            if (values != null && !values.Contains(text))
            {
                return Of(field, model, $"无效的值 '{text}'", "one of " + string.Join(", ", values));
            }

            if (required && string.IsNullOrWhiteSpace(text))
            {
                return Of(field, model, "不能为空", "is required");
            }

            return maxLength > 0 && text.Length > maxLength ? Of(field, model, $"超过 {maxLength} 个字符", $"at most {maxLength} characters, not {text.Length}") : null;
        }, required);

    public static FieldRule OneOf(string name, params string[] values) => Text(name, values: values);

    /// <summary>An integer as a bare JSON number (a quoted "5" is refused) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static FieldRule Integer(string name, int min, int max) =>
        new(name, (model, field, value) => Problem.Integer(value) is int n && n >= min && n <= max
            ? null
            : Of(field, model, $"无效的值 {value.ToJsonString()}", $"an integer from {min} to {max}, as a JSON number"));

    /// <summary>
    /// One of <paramref name="values"/>; as a JSON number, or also as a quoted number where no page says a quoted one is an
    /// error (<paramref name="quotedToo"/>): that rule is unconfirmed there, so it must not refuse.
    /// </summary>
    public static FieldRule IntegerIn(string name, int[] values, bool quotedToo) =>
        new(name, (model, field, value) =>
        {
            int? n = Problem.Integer(value) ?? (quotedToo && int.TryParse(Problem.Text(value), out int q) ? q : null);
            return n is int given && values.Contains(given)
                ? null
                : Of(field, model, $"无效的值 {value.ToJsonString()}", "one of " + string.Join(", ", values));
        });

    /// <summary>A JSON true or false (a quoted "true" is refused).</summary>
    public static FieldRule Boolean(string name) =>
        new(name, (model, field, value) => Problem.Boolean(value) != null ? null : Of(field, model, $"无效的值 {value.ToJsonString()}", "a JSON boolean"));

    /// <summary>A field the model takes whose type no page confirms: accepted as sent, never refused.</summary>
    public static FieldRule Unchecked(string name) => new(name, (_, _, _) => null);

    /// <summary>A field the model's page says it does not take.</summary>
    public static FieldRule Forbidden(string name, string instead) =>
        new(name, (model, field, _) => Of(field, model, "不支持该参数", "not taken" + instead));

    /// <summary>One absolute http(s) URL as a JSON string.</summary>
    public static FieldRule Url(string name, bool required = false) =>
        new(name, (model, field, value) => IsHttpUrl(Problem.Text(value)) ? null : Of(field, model, $"无效的 URL {value.ToJsonString()}", "one absolute http(s) URL"), required);

    /// <summary>An array of <paramref name="min"/> to <paramref name="max"/> absolute http(s) URLs (<paramref name="max"/> 0: no cap stated).</summary>
    public static FieldRule UrlList(string name, int min, int max) =>
        new(name, (model, field, value) => UrlListProblem(model, field, value, min, max));

    public static FieldRule Custom(string name, ValueCheck check) => new(name, check);

    /// <summary>The message for an array of URLs that is not one, holds a non-http(s) item, or is too short or too long.</summary>
    public static string? UrlListProblem(string model, string field, JsonNode value, int min, int max)
    {
        if (value is not JsonArray array)
        {
            return Of(field, model, "必须是数组", "an array of URLs");
        }

        JsonNode? bad = array.FirstOrDefault(item => !IsHttpUrl(Problem.Text(item)));
        if (bad != null || array.Any(item => item == null))
        {
            return Of(field, model, $"无效的 URL {bad?.ToJsonString() ?? "null"}", "absolute http(s) URLs");
        }

        if (array.Count < min || (max > 0 && array.Count > max))
        {
            string range = max > 0 ? $"{min} to {max}" : $"at least {min}";
            return Of(field, model, $"图片数量 {array.Count} 无效", $"{range} URLs, not {array.Count}");
        }

        return null;
    }
}
