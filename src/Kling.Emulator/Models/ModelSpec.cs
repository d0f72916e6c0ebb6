using System.Text.Json.Nodes;

namespace Kling.Emulator.Models;

/// <summary>A field's check: the 400 message for <paramref name="value"/> (never null here) on <paramref name="model"/>, or null when it is fine.</summary>
internal delegate string? ValueCheck(string model, string field, JsonNode value);

/// <summary>A rule between fields of one body: the 400 message, or null.</summary>
internal delegate string? BodyRule(string model, JsonObject body);

/// <summary>One body field a model takes: its name, whether it must be there, and how its value is checked.</summary>
internal sealed class FieldRule
{
    public FieldRule(string name, ValueCheck check, bool required = false)
    {
        Name = name;
        Check = check;
        Required = required;
    }

    public string Name { get; }

    public ValueCheck Check { get; }

    public bool Required { get; }

    /// <summary>The 400 message for this field of <paramref name="body"/>; a JSON null counts as absent, as for kling-video-o1.</summary>
    public string? Apply(string model, JsonObject body)
    {
        JsonNode? value = body[Name];
        if (value == null)
        {
            return Required ? Problem.Of(Name, model, "不能为空", "is required") : null;
        }

        return Check(model, Name, value);
    }
}

/// <summary>
/// One model as the emulator reads MODELS.md: the fields it takes (checked in this order), then the rules between them.
/// Fields outside <see cref="Fields"/> are passed on, as the gateway does, and recorded on the task.
/// </summary>
internal sealed class ModelSpec
{
    public ModelSpec(string name, IReadOnlyList<FieldRule> fields, params BodyRule[] rules)
    {
        Name = name;
        Fields = fields;
        Rules = rules;
    }

    public string Name { get; }

    public IReadOnlyList<FieldRule> Fields { get; }

    public IReadOnlyList<BodyRule> Rules { get; }

    /// <summary>The first rule the body breaks, as the 400 message; null when it is valid.</summary>
    public string? Check(JsonObject body) =>
        Fields.Select(f => f.Apply(Name, body)).FirstOrDefault(p => p != null) ??
        Rules.Select(r => r(Name, body)).FirstOrDefault(p => p != null);

    /// <summary>The body's fields this model does not take (besides "model"), in body order.</summary>
    public string[] ExtraFields(JsonObject body) =>
        body.Select(p => p.Key).Where(k => k != "model" && Fields.All(f => f.Name != k)).ToArray();
}
