using System.Text.Json.Nodes;
using Kling.Emulator.Models;
using Microsoft.AspNetCore.Http;
using static Kling.Emulator.Responses;

namespace Kling.Emulator;

/// <summary>
/// GET /v1/models, the models the key may use, as MODELS.md ("Model list") describes it: the OpenAI-style
/// <c>{"object":"list","data":[{"id","object":"model","owned_by"}]}</c> (a bare array with the option modelListBare), and
/// with <c>?expand=category,parameters</c> each model's <c>category</c> and, where this emulator has one, its
/// <c>parameters</c>: a JSON Schema (draft 2020-12) of the body, here a sketch (the model's name and its required fields).
/// Listed: the models of <see cref="ModelTable"/> (kling-video-o1 without a schema: which models have one is unconfirmed),
/// <see cref="ListedOnly"/> (Kling models a client's catalog may not know yet, answered by the generic rules) and
/// <see cref="Others"/> (not Kling: a client must leave them out). The option listedModels lists only the names it gives.
/// A fault on route "models" answers in its place (kind reply: any body, to try a client's reading).
/// </summary>
internal sealed class ModelListRoute
{
    private const string SchemaDraft = "https://json-schema.org/draft/2020-12/schema";
    private const string VideoCategory = "video";

    /// <summary>Kling models the gateway lists that the emulator has no table entry for: submissions get the generic rules.</summary>
    private static readonly string[] ListedOnly = { "kling-v4" };

    /// <summary>Models of other makers (and Kuaishou's image model, which is not Kling), with their owner and category.</summary>
    private static readonly (string Id, string Owner, string Category)[] Others =
    {
        ("sora-2", "openai", VideoCategory),
        ("kolors-v2", "kuaishou", "image"),
    };

    private readonly EmulatorState state;

    public ModelListRoute(EmulatorState state) => this.state = state;

    public async Task HandleAsync(HttpContext context)
    {
        Fault? fault = state.TakeFault("models");
        if (fault != null)
        {
            await FaultInjector.ApplyFaultAsync(context, fault);
            return;
        }

        EmulatorOptions options = state.Snapshot();
        string[] expand = ((string?)context.Request.Query["expand"] ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool category = expand.Contains("category", StringComparer.OrdinalIgnoreCase);
        bool parameters = expand.Contains("parameters", StringComparer.OrdinalIgnoreCase);
        var items = new JsonArray(Names(options).Select(name => (JsonNode)Item(name, category, parameters)).ToArray());
        JsonNode answer = options.ModelListBare ? items : new JsonObject { ["object"] = "list", ["data"] = items };
        await WriteJsonTextAsync(context, answer.ToJsonString(Json));
    }

    private static IEnumerable<string> Names(EmulatorOptions options) =>
        options.ListedModels ?? ModelTable.Models.Keys.Concat(ListedOnly).Concat(Others.Select(o => o.Id));

    private static JsonObject Item(string name, bool category, bool parameters)
    {
        (string Id, string Owner, string Category) other = Others.FirstOrDefault(o => o.Id == name);
        bool kling = other.Id == null;
        var item = new JsonObject
        {
            ["id"] = name,
            ["object"] = "model",
            ["created"] = 1767225600,
            ["owned_by"] = kling ? "kling" : other.Owner,
        };
        if (category)
        {
            item["category"] = kling ? VideoCategory : other.Category;
        }

        if (parameters && kling && name != ModelTable.O1)
        {
            item["parameters"] = Schema(name);
        }

        return item;
    }

    /// <summary>The model's body as a JSON Schema: "model" fixed to its name, and the fields the table says are required.</summary>
    private static JsonObject Schema(string name)
    {
        string[] required = ModelTable.Models.TryGetValue(name, out ModelSpec? spec)
            ? spec.Fields.Where(f => f.Required).Select(f => f.Name).ToArray()
            : new[] { "prompt" };
        var properties = new JsonObject { ["model"] = new JsonObject { ["const"] = name } };
        foreach (string field in required)
        {
            properties[field] = new JsonObject();
        }

        return new JsonObject
        {
            ["$schema"] = SchemaDraft,
            ["type"] = "object",
            ["required"] = new JsonArray(new[] { "model" }.Concat(required).Select(r => (JsonNode)r).ToArray()),
            ["properties"] = properties,
        };
    }
}
