using System.Text.Json;
using Kling.Core.Catalog;
using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Rows of the model tests: built by the module's validator, read back as the JSON the module sends.</summary>
internal static class ModelRows
{
    /// <summary>Local files without a disk: each path is an image whose content hash is made of its first letter.</summary>
    internal sealed class FakeReader : IImageReader
    {
        public List<string> Asked { get; } = new();

        public LocalImage? Read(string path, out string? problem)
        {
            Asked.Add(path);
            problem = null;
            return new LocalImage("/virtual/" + path, "image/png", 10, Hash(path));
        }

        internal static string Hash(string path) => new string(path[0], 64);
    }

    internal static VideoRequest Build(VideoInput input)
    {
        VideoRequest? request = VideoRequestValidator.TryBuild(input, out var problems);
        Assert.True(problems.Count == 0, string.Join(" | ", problems));
        return request!;
    }

    /// <summary>The body as sent, parsed: what the gateway reads.</summary>
    internal static JsonElement Json(VideoInput input) => Parse(Build(input));

    internal static JsonElement Parse(VideoRequest request)
    {
        using JsonDocument document = JsonDocument.Parse(request.ToString());
        return document.RootElement.Clone();
    }

    internal static IReadOnlyList<ValidationProblem> Problems(VideoInput input)
    {
        VideoRequest? request = VideoRequestValidator.TryBuild(input, out var problems);
        Assert.Null(request);
        Assert.NotEmpty(problems);
        return problems;
    }

    /// <summary>The row is refused with a problem on the field whose message holds every fragment.</summary>
    internal static ValidationProblem Refused(VideoInput input, string field, params string[] fragments)
    {
        IReadOnlyList<ValidationProblem> problems = Problems(input);
        ValidationProblem? match = problems.FirstOrDefault(p => p.Field == field && fragments.All(f => p.Message.Contains(f, StringComparison.Ordinal)));
        Assert.True(match != null, $"no problem on '{field}' with [{string.Join("], [", fragments)}] among: {string.Join(" | ", problems)}");
        return match!;
    }

    internal static string[] Names(JsonElement body) => body.EnumerateObject().Select(p => p.Name).ToArray();

    internal static JsonValueKind Kind(JsonElement body, string name) =>
        body.TryGetProperty(name, out JsonElement value) ? value.ValueKind : JsonValueKind.Undefined;
}
