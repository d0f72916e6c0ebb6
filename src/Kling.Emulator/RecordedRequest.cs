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
    /// <summary>The headers of each multipart part, one line each ("Content-Disposition: ...; Content-Type: ..."), as the upload route read them.</summary>
    [JsonPropertyName("parts")] public List<string> Parts { get; init; } = new();
    [JsonPropertyName("status")] public int Status { get; set; }
}
