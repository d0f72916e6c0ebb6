using System.Text.Json.Serialization;

namespace Kling.Emulator;

/// <summary>
/// Counters since the last reset, as GET /_emulator/stats and <see cref="GatewayEmulator.Stats"/> give them; the JSON names
/// (and their order) are the ones the Pester suites, the benchmarks and the C# tests read.
/// </summary>
public sealed record EmulatorStats(
    [property: JsonPropertyName("accepted")] int Accepted,
    [property: JsonPropertyName("statusCalls")] int StatusCalls,
    [property: JsonPropertyName("maxSubmitsInFlight")] int MaxSubmitsInFlight,
    [property: JsonPropertyName("tasks")] int Tasks,
    [property: JsonPropertyName("downloads")] int Downloads,
    [property: JsonPropertyName("maxDownloadsInFlight")] int MaxDownloadsInFlight);
