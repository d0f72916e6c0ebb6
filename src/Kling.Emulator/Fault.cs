using System.Text.Json.Serialization;

namespace Kling.Emulator;

/// <summary>A failure injected into the next requests of one route.</summary>
public sealed class Fault
{
    /// <summary>submit, task, upload, balance, usage, models or download.</summary>
    [JsonPropertyName("route")] public string Route { get; set; } = "submit";

    /// <summary>
    /// status (answer with Status), reset (drop the connection), truncate (200 with a cut-off body), redirect (Status 3xx to
    /// Location), unsuccessful (200 with success:false and Message), reply (200 with Body as given), hold (never answer: the
    /// request waits until the client gives up or the emulator stops).
    /// </summary>
    [JsonPropertyName("kind")] public string Kind { get; set; } = "status";

    [JsonPropertyName("status")] public int Status { get; set; } = 500;
    [JsonPropertyName("times")] public int Times { get; set; } = 1;
    [JsonPropertyName("retryAfter")] public string? RetryAfter { get; set; }
    [JsonPropertyName("location")] public string? Location { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>For kind reply: the body sent, as given (JSON or not).</summary>
    [JsonPropertyName("body")] public string? Body { get; set; }

    /// <summary>The error body's code (idempotency_in_progress, idempotency_key_reused, ...); the HTTP status when absent.</summary>
    [JsonPropertyName("code")] public string? Code { get; set; }

    /// <summary>For submit: the task is created (and billed) even though the client gets the fault: the "outcome unknown" case.</summary>
    [JsonPropertyName("accepted")] public bool Accepted { get; set; }
}
