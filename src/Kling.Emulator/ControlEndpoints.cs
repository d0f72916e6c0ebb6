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
    }

    private object[] Tasks() =>
        state.Tasks.Values.Select(t => (object)new { id = t.Id, model = t.Request["model"]?.ToString(), prompt = t.Request["prompt"]?.ToString(), extraFields = t.ExtraFields, created = t.Created, finishesAt = t.FinishesAt, fails = t.Fails }).ToArray();
}
