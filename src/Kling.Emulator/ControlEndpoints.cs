using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static Kling.Emulator.Responses;

namespace Kling.Emulator;

/// <summary>The /_emulator/* routes on the gateway host (no key): what tests read back and the knobs they turn.</summary>
internal sealed class ControlEndpoints
{
    private readonly GatewayEmulator emulator;
    private readonly EmulatorState state;

    public ControlEndpoints(GatewayEmulator emulator, EmulatorState state)
    {
        this.emulator = emulator;
        this.state = state;
    }

    public void Map(WebApplication app)
    {
        app.MapGet("/_emulator/requests", (HttpContext context) => WriteJsonAsync(context, state.Requests));
        app.MapGet("/_emulator/stats", (HttpContext context) => WriteJsonAsync(context, emulator.Stats));
        app.MapGet("/_emulator/tasks", (HttpContext context) => WriteJsonAsync(context, Tasks()));
        app.MapPost("/_emulator/reset", (HttpContext context) =>
        {
            emulator.Reset();
            return WriteJsonAsync(context, new { ok = true });
        });
        app.MapPost("/_emulator/config", async (HttpContext context) =>
        {
            JsonObject patch = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? new JsonObject();
            await WriteJsonAsync(context, state.Configure(patch));
        });
        app.MapPost("/_emulator/faults", async (HttpContext context) =>
        {
            Fault fault = (await JsonSerializer.DeserializeAsync<Fault>(context.Request.Body, Json))!;
            state.AddFault(fault);
            await WriteJsonAsync(context, fault);
        });
        app.MapGet("/_emulator/clock", (HttpContext context) => WriteJsonAsync(context, Clock()));
        app.MapPost("/_emulator/clock", async (HttpContext context) =>
        {
            JsonObject body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? new JsonObject();
            MoveClock(body);
            await WriteJsonAsync(context, Clock());
        });
    }

    /// <summary>POST /_emulator/clock: <c>freeze</c> (true), then <c>advanceSeconds</c>, then <c>resume</c> (true), as given.</summary>
    private void MoveClock(JsonObject body)
    {
        foreach (string name in body.Select(p => p.Key))
        {
            if (!new[] { "freeze", "advanceSeconds", "resume" }.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new BadHttpRequestException($"unknown clock option '{name}' (freeze, advanceSeconds, resume)");
            }
        }

        if (Flag(body, "freeze"))
        {
            state.Clock.Freeze();
        }

        if (Value(body, "advanceSeconds") is JsonValue advance)
        {
            state.Clock.Advance(TimeSpan.FromSeconds(advance.GetValue<double>()));
        }

        if (Flag(body, "resume"))
        {
            state.Clock.Resume();
        }
    }

    private static JsonNode? Value(JsonObject body, string name) =>
        body.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool Flag(JsonObject body, string name) => Value(body, name) is JsonValue flag && flag.GetValue<bool>();

    private object Clock() => new { now = state.Clock.Now, frozen = state.Clock.IsFrozen, sleepers = state.Clock.Sleepers };

    private object[] Tasks() =>
        state.Tasks.Values.Select(t => (object)new { id = t.Id, model = t.Request["model"]?.ToString(), prompt = t.Request["prompt"]?.ToString(), extraFields = t.ExtraFields, created = t.Created, finishesAt = t.FinishesAt, fails = t.Fails, cost = t.Billed }).ToArray();
}
