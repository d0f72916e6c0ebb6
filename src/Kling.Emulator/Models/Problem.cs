using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kling.Emulator.Models;

/// <summary>How a model rule's 400 message reads, and the small JSON reads the rules share.</summary>
internal static class Problem
{
    /// <summary>"field: 中文 (model: English)": the field first, as kling-video-o1's messages, then the model it is about.</summary>
    public static string Of(string field, string model, string chinese, string english) => $"{field}: {chinese} ({model}: {english})";

    public static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A JSON number that is a whole int; a quoted "5" or a 5.5 is not.</summary>
    public static int? Integer(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i) ? i : null;

    public static bool? Boolean(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static bool IsHttpUrl(string? url) =>
        url != null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == "http" || uri.Scheme == "https");

    /// <summary>The body's duration as the model reads it: the number given, else the default.</summary>
    public static int DurationOrDefault(JsonObject body, int fallback) => Integer(body["duration"]) ?? fallback;
}
