using System.Text.Json.Nodes;

namespace Kling.Emulator;

/// <summary>One accepted submission: when it was made, how long it runs, and how it ends.</summary>
internal sealed class EmulatedTask
{
    public required string Id { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required double Seconds { get; init; }

    /// <summary>What the gateway tells clients to expect (estimated_time): the nominal duration, without jitter.</summary>
    public double Estimate { get; init; }
    public required bool Fails { get; init; }
    public required JsonObject Request { get; init; }

    /// <summary>The body's fields its model does not take: passed on as the gateway does, and listed for the tests.</summary>
    public string[] ExtraFields { get; init; } = Array.Empty<string>();
    public double ResultTtl { get; init; }
    public int ResultCount { get; init; } = 1;

    /// <summary>What the task is charged (USD) if it completes, fixed when accepted; null for a model without a price. A failed task costs 0.</summary>
    public double? Cost { get; init; }

    /// <summary>The charge as billed: <see cref="Cost"/> when it completed, 0 when it failed (refunded), null when unpriced.</summary>
    public double? Billed => Cost == null ? null : Fails ? 0 : Cost;
    public DateTimeOffset FinishesAt => Created.AddSeconds(Seconds);

    /// <summary>A task for a valid submission body made at <paramref name="now"/>, timed and doomed (or not) by the options of the moment.</summary>
    public static EmulatedTask Create(JsonObject body, EmulatorOptions options, DateTimeOffset now)
    {
        string prompt = body["prompt"] is JsonValue p && p.TryGetValue(out string? text) ? text : ""; // optional on motion control and turbo
        double seconds = options.TaskSeconds + (options.TaskJitter * ((Random.Shared.NextDouble() * 2) - 1));
        return new EmulatedTask
        {
            Id = "task_" + RandomId(16),
            Created = now,
            Seconds = Math.Max(0.05, seconds),
            Estimate = options.TaskSeconds,
            Fails = (!string.IsNullOrEmpty(options.FailMarker) && prompt.Contains(options.FailMarker, StringComparison.Ordinal)) ||
                    (options.TaskFailRate > 0 && Random.Shared.NextDouble() < options.TaskFailRate),
            Request = body,
            ExtraFields = Models.ModelTable.ExtraFields(body),
            ResultTtl = options.ResultTtl,
            ResultCount = Math.Max(1, options.ResultCount),
            Cost = Models.PriceTable.CostOf(body),
        };
    }

    /// <summary>Lower-case letters and digits, as the gateway's task and upload ids.</summary>
    public static string RandomId(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }
}
