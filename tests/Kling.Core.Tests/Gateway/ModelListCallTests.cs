using System.Text.Json;
using Kling.Core.Gateway;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// GET /v1/models read liberally (MODELS.md: the endpoint is confirmed, its shape is not), over loopback HTTP against the
/// emulator: its own list, and answers of other shapes given byte for byte (a fault of kind reply on route models).
/// </summary>
public sealed class ModelListCallTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await GatewayEmulator.StartAsync(new EmulatorOptions());

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private KlingClient Client(string? key = null) =>
        new(new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(key ?? emulator.ApiKey), "test"))
        { Retry = { BaseDelay = TimeSpan.FromMilliseconds(20) } };

    private async Task<IReadOnlyList<KlingOnlineModel>> Answered(string body)
    {
        emulator.AddFault(new Fault { Route = "models", Kind = "reply", Body = body });
        return await Client().GetModelsAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Reads_the_emulators_list_with_expand_keeping_only_Kling_video_models()
    {
        IReadOnlyList<KlingOnlineModel> models = await Client().GetModelsAsync(CancellationToken.None);
        Assert.Equal(
            new[] { "kling-video-o1", "kling-v3-omni", "kling-v3", "kling-v2-6", "kling-3.0-turbo", "kling-v2-6-motion-control", "kling-v3-motion-control", "kling-v4" },
            models.Select(m => m.Name));
        Assert.All(models, m => Assert.Equal("video", m.Category));
        Assert.All(models, m => Assert.Equal("kling", m.Owner));
        Assert.All(models, m => Assert.False(m.Known)); // the gateway wing does not know the catalog: the cmdlet says
        KlingOnlineModel v3 = models.Single(m => m.Name == "kling-v3");
        Assert.True(v3.HasSchema);
        Assert.Equal("kling-v3", JsonDocument.Parse(v3.Schema!).RootElement.GetProperty("properties").GetProperty("model").GetProperty("const").GetString());
        KlingOnlineModel o1 = models.Single(m => m.Name == "kling-video-o1");
        Assert.False(o1.HasSchema);
        Assert.Null(o1.Schema);

        RecordedRequest sent = Assert.Single(emulator.Requests, r => r.Path.StartsWith("/v1/models", StringComparison.Ordinal));
        Assert.Equal("GET", sent.Method);
        Assert.Equal("/v1/models?expand=category,parameters", Uri.UnescapeDataString(sent.Path));
        Assert.Equal("Bearer " + emulator.ApiKey, sent.Headers["Authorization"]);
    }

    [Fact]
    public async Task Reads_the_emulators_list_as_a_bare_array()
    {
        await using GatewayEmulator bare = await GatewayEmulator.StartAsync(new EmulatorOptions { ModelListBare = true, ListedModels = new[] { "sora-2", "kling-v3" } });
        var client = new KlingClient(new GatewaySettings(GatewaySettings.ParseBaseUri(bare.GatewayUri.ToString()), GatewaySettings.ToSecureString(bare.ApiKey), "test"));
        KlingOnlineModel only = Assert.Single(await client.GetModelsAsync(CancellationToken.None));
        Assert.Equal("kling-v3", only.Name);
        Assert.True(only.HasSchema);
    }

    [Theory]
    [InlineData("""{"object":"list","data":[{"id":"kling-a","object":"model","owned_by":"kling"}]}""")]
    [InlineData("""[{"id":"kling-a","object":"model","owned_by":"kling"}]""")]
    [InlineData("""{"code":200,"data":{"data":[{"id":"kling-a","owned_by":"kling"}],"has_more":false}}""")]
    [InlineData("""{"success":true,"models":[{"name":"kling-a","owner":"kling"}]}""")]
    [InlineData("""{"data":[{"model":" kling-a ","owned_by":"kling"}]}""")]
    public async Task Finds_the_list_wrapped_in_data_nested_under_models_or_bare(string body)
    {
        KlingOnlineModel model = Assert.Single(await Answered(body));
        Assert.Equal("kling-a", model.Name);
        Assert.Equal("kling", model.Owner);
    }

    [Fact]
    public async Task Takes_missing_fields_as_unknown_and_a_plain_name_as_a_model()
    {
        IReadOnlyList<KlingOnlineModel> models = await Answered("""{"data":[{"id":"kling-a"},"kling-b",{"id":"kling-c","category":null,"owned_by":null,"parameters":null}]}""");
        Assert.Equal(new[] { "kling-a", "kling-b", "kling-c" }, models.Select(m => m.Name));
        Assert.All(models, m =>
        {
            Assert.Null(m.Category);
            Assert.Null(m.Owner);
            Assert.False(m.HasSchema);
            Assert.Null(m.Schema);
        });
    }

    [Fact]
    public async Task Ignores_fields_it_does_not_know_and_reads_the_shapes_of_those_it_does()
    {
        IReadOnlyList<KlingOnlineModel> models = await Answered("""
            {"object":"list","has_more":false,"next":{"cursor":1},"data":[
              {"id":"kling-a","pricing":[1,2],"created":"yesterday","permission":[{"x":1}],"category":["video","text-to-video"],"parameters":{"type":"object"}},
              {"id":"kling-b","category":{"name":"video","id":3},"parameters":"{\"type\":\"object\",\"required\":[\"prompt\"]}"},
              {"id":"kling-c","category":7,"parameters":{}},
              {"id":"kling-d","parameters":"not json"}
            ]}
            """);
        Assert.Equal(new[] { "kling-a", "kling-b", "kling-c", "kling-d" }, models.Select(m => m.Name));
        Assert.Equal("video, text-to-video", models[0].Category);
        Assert.True(models[0].HasSchema);
        Assert.Equal("video", models[1].Category);
        Assert.True(models[1].HasSchema);
        Assert.Equal("prompt", JsonDocument.Parse(models[1].Schema!).RootElement.GetProperty("required")[0].GetString());
        Assert.Null(models[2].Category);
        Assert.False(models[2].HasSchema); // an empty schema says nothing
        Assert.False(models[3].HasSchema);
    }

    [Fact]
    public async Task Leaves_out_models_that_are_not_Kling_video_models_those_without_a_name_and_repeats()
    {
        IReadOnlyList<KlingOnlineModel> models = await Answered("""
            {"data":[
              {"id":"gpt-4o","owned_by":"openai","category":"chat"},
              {"id":"sora-2","owned_by":"openai","category":"video"},
              {"id":"kolors-v2","owned_by":"kuaishou","category":"image"},
              {"id":"kling-image-o1","owned_by":"kling","category":"image"},
              {"id":"Kling-V9","category":"image-to-video"},
              {"owned_by":"kling","category":"video"},
              {"id":""},
              42,
              {"id":"kling-v3","category":"video"},
              {"id":"KLING-V3","category":"video"}
            ]}
            """);
        Assert.Equal(new[] { "Kling-V9", "kling-v3" }, models.Select(m => m.Name));
    }

    [Fact]
    public async Task An_empty_list_is_no_models_not_an_error()
    {
        Assert.Empty(await Answered("""{"object":"list","data":[]}"""));
    }

    [Theory]
    [InlineData("""{"success":true,"message":"ok"}""")]
    [InlineData("""<html>maintenance</html>""")]
    [InlineData("""{"data":{"id":"kling-a"}}""")]
    public async Task An_answer_without_a_list_is_an_error_quoting_it(string body)
    {
        emulator.AddFault(new Fault { Route = "models", Kind = "reply", Body = body, Times = 10 });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().GetModelsAsync(CancellationToken.None));
        Assert.Equal(GatewayErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("model list", error.Message);
        Assert.Contains(body.Substring(0, 10), error.Message);
    }

    [Fact]
    public async Task A_wrong_key_is_an_authentication_error_without_the_key_and_a_5xx_is_tried_again()
    {
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client("sk-wrong-key-123456").GetModelsAsync(CancellationToken.None));
        Assert.Equal(GatewayErrorKind.Authentication, error.Kind);
        Assert.DoesNotContain("sk-wrong-key-123456", error.Message);

        emulator.AddFault(new Fault { Route = "models", Status = 502, Times = 1 });
        Assert.NotEmpty(await Client().GetModelsAsync(CancellationToken.None));
    }
}
