using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>GET /v1/models as MODELS.md describes it: the models the key may use, with category and parameters on request.</summary>
public sealed class ModelListTests : IAsyncLifetime
{
    private static readonly string[] Emulated =
    {
        "kling-video-o1", "kling-v3-omni", "kling-v3", "kling-v2-6", "kling-3.0-turbo", "kling-v2-6-motion-control", "kling-v3-motion-control",
    };

    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions());
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private async Task<JsonElement> Models(string query = "")
    {
        HttpResponseMessage response = await http.GetAsync("/v1/models" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static Dictionary<string, JsonElement> ById(JsonElement list) =>
        list.EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m);

    [Fact]
    public async Task Lists_the_emulated_models_a_listed_only_Kling_model_and_others_in_the_OpenAI_shape()
    {
        JsonElement root = await Models();
        Assert.Equal("list", root.GetProperty("object").GetString());
        Dictionary<string, JsonElement> models = ById(root.GetProperty("data"));
        Assert.Subset(models.Keys.ToHashSet(), Emulated.ToHashSet());
        Assert.Contains("kling-v4", models.Keys); // listed, but in no table: a client's catalog may not know it
        Assert.Contains(models.Values, m => !m.GetProperty("id").GetString()!.StartsWith("kling", StringComparison.Ordinal));
        foreach (JsonElement model in models.Values)
        {
            Assert.Equal("model", model.GetProperty("object").GetString());
            Assert.False(string.IsNullOrEmpty(model.GetProperty("owned_by").GetString()));
            Assert.False(model.TryGetProperty("category", out _), "category only with expand");
            Assert.False(model.TryGetProperty("parameters", out _), "parameters only with expand");
        }
    }

    [Fact]
    public async Task Expand_adds_each_category_and_the_schemas_the_emulator_has()
    {
        Dictionary<string, JsonElement> models = ById((await Models("?expand=category,parameters")).GetProperty("data"));
        Assert.Equal("video", models["kling-v3"].GetProperty("category").GetString());
        Assert.Equal("image", models["kolors-v2"].GetProperty("category").GetString());
        JsonElement schema = models["kling-v3"].GetProperty("parameters");
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.Equal("kling-v3", schema.GetProperty("properties").GetProperty("model").GetProperty("const").GetString());
        Assert.Contains("prompt", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(models["kling-v4"].TryGetProperty("parameters", out _));
        Assert.False(models["kling-video-o1"].TryGetProperty("parameters", out _), "the seed's model has no schema here");
        Assert.False(models["sora-2"].TryGetProperty("parameters", out _));

        Dictionary<string, JsonElement> categoryOnly = ById((await Models("?expand=category")).GetProperty("data"));
        Assert.True(categoryOnly["kling-v3"].TryGetProperty("category", out _));
        Assert.False(categoryOnly["kling-v3"].TryGetProperty("parameters", out _));
    }

    [Fact]
    public async Task Options_list_only_the_names_given_and_as_a_bare_array()
    {
        (await http.PostAsJsonAsync("/_emulator/config", new { listedModels = new[] { "kling-v3", "kling-v9-next" }, modelListBare = true })).EnsureSuccessStatusCode();
        JsonElement root = await Models("?expand=category");
        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        Assert.Equal(new[] { "kling-v3", "kling-v9-next" }, root.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("video", root[1].GetProperty("category").GetString());
    }

    [Fact]
    public async Task Refuses_a_call_without_the_key_with_401()
    {
        using var anonymous = new HttpClient { BaseAddress = emulator.GatewayUri };
        HttpResponseMessage response = await anonymous.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_fault_on_route_models_answers_in_its_place()
    {
        emulator.AddFault(new Fault { Route = "models", Kind = "reply", Body = """[{"id":"kling-x"}]""" });
        Assert.Equal("kling-x", (await Models())[0].GetProperty("id").GetString());
        Assert.Equal("list", (await Models()).GetProperty("object").GetString());
    }
}
