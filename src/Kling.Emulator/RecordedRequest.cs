using System.Text.Json.Serialization;

namespace Kling.Emulator;

/// <summary>One request either host received, as the tests read it back from GET /_emulator/requests.</summary>
public sealed class RecordedRequest
{
    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }
    [JsonPropertyName("host")] public string Host { get; init; } = "";
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    [JsonPropertyName("path")] public string Path { get; init; } = "";
    [JsonPropertyName("headers")] public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("status")] public int Status { get; set; }
}
