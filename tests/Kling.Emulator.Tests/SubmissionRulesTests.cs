using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>
/// The emulator's own reading of MODELS.md: each model's valid body is accepted, each confirmed rule refused with a
/// 400 that names the model and the field, unconfirmed rules and unknown models let through (as the gateway forwards them).
/// </summary>
public sealed class SubmissionRulesTests : IAsyncLifetime
{
    private const string Omni = "kling-v3-omni";
    private const string V3 = "kling-v3";
    private const string V26 = "kling-v2-6";
    private const string Turbo = "kling-3.0-turbo";
    private const string Motion26 = "kling-v2-6-motion-control";
    private const string Motion3 = "kling-v3-motion-control";

    private GatewayEmulator emulator = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.2, VideoBytes = 10_000 });
        http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.ApiKey);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await emulator.DisposeAsync();
    }

    private Task<HttpResponseMessage> Submit(string json) =>
        http.PostAsync("/v1/videos/generations", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>A body for <paramref name="model"/>: its model field, then <paramref name="rest"/> (JSON members; ' stands for " to keep the table readable).</summary>
    private static string Body(string model, string rest) => $$"""{"model":"{{model}}",{{rest.Replace('\'', '"')}}}""";

    private static string Shots(params (int Duration, string Prompt)[] shots) =>
        "[" + string.Join(",", shots.Select((s, i) => $$"""{"index":{{i + 1}},"prompt":"{{s.Prompt}}","duration":{{s.Duration}}}""")) + "]";

    private static readonly string Motion = """
        "image_url":"https://a/1.png","video_url":"https://v/1.mp4","character_orientation":"video","keep_original_sound":"no","mode":"pro","prompt":"dance","watermark_info":{"enabled":true}
        """;

    public static TheoryData<string, string> ValidBodies => new()
    {
        { Omni, """
            "prompt":"a <<<image_3>>> walks","negative_prompt":"blur","mode":"4k","duration":8,"aspect_ratio":"9:16",
            "image_with_roles":[{"url":"https://a/1","role":"first_frame"},{"url":"https://a/2","role":"last_frame"},{"url":"https://a/3","role":"reference"}],
            "audio":true,"watermark":false,"multi_shot":true,"shot_type":"customize",
            "multi_prompt":[{"index":1,"prompt":"a door","duration":3},{"index":2,"prompt":"a dog","duration":5}],
            "element_list":[{"name":"cat","description":"a cat","element_input_urls":["https://e/1","https://e/2"]}]
            """ },
        { Omni, "'prompt':'x <<<image_2>>>','image_urls':['https://a/1','https://a/2'],'video_list':[{'video_url':'https://v/1.mp4','refer_type':'feature','keep_original_sound':'yes'}]" },
        { Omni, "'prompt':'x','image_with_roles':[{'url':'https://a/1','role':'first_frame'}],'video_list':[{'video_url':'https://v/1.mp4','refer_type':'feature'}]" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'customize','multi_prompt':[{'index':1,'prompt':'all of it','duration':5}]" },
        { V3, "'prompt':'x','negative_prompt':'y','mode':'pro','duration':3,'aspect_ratio':'1:1','image_urls':['https://a/1','https://a/2'],'audio':true,'watermark':true,'multi_shot':true,'shot_type':'intelligence'" },
        { V3, $"'prompt':'x','duration':10,'multi_shot':true,'shot_type':'customize','multi_prompt':{Shots((4, new string('a', 512)), (6, "b"))}" },
        { V26, "'prompt':'x','negative_prompt':'y','mode':'pro','duration':10,'aspect_ratio':'16:9','image_urls':['https://a/1','https://a/2'],'audio':false,'watermark':false" },
        { V26, $"'prompt':'{new string('p', 2500)}','mode':'pro','image_urls':['https://a/1'],'audio':true" },
        { V26, "'prompt':'x','mode':'std','duration':5,'image_urls':['https://a/1']" },
        { Turbo, "'first_frame_image':'https://a/1','resolution':'1080p','duration':15,'watermark':true" },
        { Turbo, $"'prompt':'{new string('p', 3072)}','aspect_ratio':'9:16','resolution':'720p','duration':3" },
        { Motion26, Motion },
        { Motion3, Motion },
        { Motion3, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','character_orientation':'image','keep_original_sound':'yes','mode':'std','watermark_info':{'enabled':false}" },
    };

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public async Task Accepts_a_valid_body_for_each_model(string model, string rest)
    {
        HttpResponseMessage response = await Submit(Body(model, rest));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> BrokenRules => new()
    {
        // kling-v3-omni
        { Omni, "'prompt':'x','duration':'5'", "duration" },
        { Omni, "'prompt':'x','duration':2", "duration" },
        { Omni, "'prompt':'x','duration':16", "duration" },
        { Omni, "'prompt':'x','duration':5.5", "duration" },
        { Omni, "'prompt':'x','mode':'hd'", "mode" },
        { Omni, "'prompt':'x','aspect_ratio':'4:3'", "aspect_ratio" },
        { Omni, $"'prompt':'x','negative_prompt':'{new string('n', 2501)}'", "negative_prompt" },
        { Omni, "'duration':5", "prompt" },
        { Omni, "'prompt':'x','image_urls':['https://a/1'],'image_with_roles':[{'url':'https://a/2','role':'first_frame'}]", "image_with_roles" },
        { Omni, "'prompt':'x','image_with_roles':[{'url':'https://a/2','role':'last_frame'}]", "image_with_roles" },
        { Omni, "'prompt':'x','image_with_roles':[{'url':'https://a/2','role':'middle'}]", "image_with_roles" },
        { Omni, "'prompt':'x','image_with_roles':[{'url':'ftp://a/2','role':'reference'}]", "image_with_roles" },
        { Omni, "'prompt':'x','image_urls':['ftp://a/1']", "image_urls" },
        { Omni, "'prompt':'<<<image_3>>>','image_with_roles':[{'url':'https://a/1','role':'first_frame'},{'url':'https://a/2','role':'reference'}]", "prompt" },
        { Omni, "'prompt':'x','video_list':[{'video_url':'https://v/1.mp4'},{'video_url':'https://v/2.mp4'}]", "video_list" },
        { Omni, "'prompt':'x','video_list':[{'video_url':'ftp://v/1.mp4'}]", "video_list.video_url" },
        { Omni, "'prompt':'x','image_with_roles':[{'url':'https://a/1','role':'first_frame'}],'video_list':[{'video_url':'https://v/1.mp4','refer_type':'base'}]", "image_with_roles" },
        { Omni, "'prompt':'x','image_with_roles':[{'url':'https://a/1','role':'first_frame'},{'url':'https://a/2','role':'last_frame'}],'video_list':[{'video_url':'https://v/1.mp4','refer_type':'feature'}]", "image_with_roles" },
        { Omni, "'prompt':'x','multi_shot':'true'", "multi_shot" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'auto'", "shot_type" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'customize'", "multi_prompt" },
        { Omni, $"'prompt':'x','duration':7,'multi_shot':true,'shot_type':'customize','multi_prompt':{Shots((1, "a"), (1, "b"), (1, "c"), (1, "d"), (1, "e"), (1, "f"), (1, "g"))}", "multi_prompt" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'customize','multi_prompt':[]", "multi_prompt" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'customize','multi_prompt':[{'index':1,'prompt':'a','duration':2},{'index':3,'prompt':'b','duration':3}]", "multi_prompt" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'customize','multi_prompt':[{'index':2,'prompt':'a','duration':5}]", "multi_prompt" },
        { Omni, $"'prompt':'x','duration':5,'multi_shot':true,'shot_type':'customize','multi_prompt':{Shots((3, "a"), (3, "b"))}", "multi_prompt" },
        { Omni, $"'prompt':'x','multi_shot':true,'shot_type':'customize','multi_prompt':{Shots((3, "a"), (3, "b"))}", "multi_prompt" },
        { Omni, "'prompt':'x','duration':5,'multi_shot':true,'shot_type':'customize','multi_prompt':[{'index':1,'prompt':'a','duration':0},{'index':2,'prompt':'b','duration':5}]", "multi_prompt" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'customize','multi_prompt':[{'index':1,'prompt':'a','duration':'5'}]", "multi_prompt" },
        { Omni, "'prompt':'x','multi_shot':true,'shot_type':'customize','multi_prompt':[{'index':1,'prompt':'','duration':5}]", "multi_prompt" },
        { Omni, "'prompt':'x','element_list':[{'name':'cat','description':'a cat','element_input_urls':['https://e/1']}]", "element_list" },
        { Omni, "'prompt':'x','element_list':[{'name':'cat','description':'a cat','element_input_urls':['https://e/1','https://e/2','https://e/3','https://e/4','https://e/5']}]", "element_list" },

        // kling-v3
        { V3, "'prompt':'x','duration':'5'", "duration" },
        { V3, "'prompt':'x','duration':20", "duration" },
        { V3, "'prompt':'x','mode':'ultra'", "mode" },
        { V3, "'mode':'pro'", "prompt" },
        { V3, "'prompt':'x','image_urls':['https://a/1','https://a/2','https://a/3']", "image_urls" },
        { V3, "'prompt':'x','video_list':[{'video_url':'https://v/1.mp4'}]", "video_list" },
        { V3, $"'prompt':'x','duration':10,'multi_shot':true,'shot_type':'customize','multi_prompt':{Shots((4, new string('a', 513)), (6, "b"))}", "multi_prompt" },
        { V3, $"'prompt':'x','duration':10,'multi_shot':true,'shot_type':'customize','multi_prompt':{Shots((4, "a"), (4, "b"))}", "multi_prompt" },

        // kling-v2-6
        { V26, $"'prompt':'{new string('p', 2501)}'", "prompt" },
        { V26, "'mode':'pro'", "prompt" },
        { V26, "'prompt':'x','duration':7", "duration" },
        { V26, "'prompt':'x','mode':'4k'", "mode" },
        { V26, "'prompt':'x','mode':'std','image_urls':['https://a/1','https://a/2']", "image_urls" },
        { V26, "'prompt':'x','image_urls':['https://a/1','https://a/2']", "image_urls" },
        { V26, "'prompt':'x','mode':'pro','image_urls':['https://a/1','https://a/2','https://a/3']", "image_urls" },
        { V26, "'prompt':'x','mode':'pro','image_urls':[]", "image_urls" },
        { V26, "'prompt':'x','audio':true", "audio" },
        { V26, "'prompt':'x','mode':'pro','image_urls':['https://a/1','https://a/2'],'audio':true", "audio" },
        { V26, "'prompt':'x','mode':'pro','audio':'true'", "audio" },
        { V26, "'prompt':'x','watermark':'no'", "watermark" },

        // kling-3.0-turbo
        { Turbo, "'prompt':'x','duration':'5'", "duration" },
        { Turbo, "'prompt':'x','duration':16", "duration" },
        { Turbo, "'prompt':'x','mode':'pro'", "mode" },
        { Turbo, "'prompt':'x','negative_prompt':'y'", "negative_prompt" },
        { Turbo, "'prompt':'x','image_urls':['https://a/1']", "image_urls" },
        { Turbo, "'prompt':'x','audio':true", "audio" },
        { Turbo, $"'prompt':'{new string('p', 3073)}'", "prompt" },
        { Turbo, "'duration':5", "prompt" },
        { Turbo, "'prompt':'  ','resolution':'720p'", "prompt" },
        { Turbo, "'prompt':'x','resolution':'4k'", "resolution" },
        { Turbo, "'first_frame_image':['https://a/1','https://a/2']", "first_frame_image" },
        { Turbo, "'first_frame_image':'file:///c/a.png'", "first_frame_image" },

        // motion control, both
        { Motion26, "'video_url':'https://v/1.mp4'", "image_url" },
        { Motion3, "'image_url':'https://a/1.png'", "video_url" },
        { Motion3, "'image_url':'https://a/1.png','video_url':'ftp://v/1.mp4'", "video_url" },
        { Motion26, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','character_orientation':'left'", "character_orientation" },
        { Motion3, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','keep_original_sound':true", "keep_original_sound" },
        { Motion26, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','mode':'4k'", "mode" },
        { Motion3, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','watermark_info':{'enabled':'yes'}", "watermark_info" },
        { Motion26, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','watermark_info':true", "watermark_info" },
        { Motion3, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','duration':5", "duration" },
        { Motion26, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4','aspect_ratio':'16:9'", "aspect_ratio" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task Refuses_each_confirmed_rule_with_400_naming_model_and_field(string model, string rest, string field)
    {
        HttpResponseMessage response = await Submit(Body(model, rest));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = (await Json(response)).GetProperty("error");
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        string message = error.GetProperty("message").GetString()!;
        Assert.StartsWith(field, message, StringComparison.Ordinal);
        Assert.Contains(model, message, StringComparison.Ordinal);
        Assert.Equal(0, emulator.Stats.Accepted);
    }

    public static TheoryData<string, string> UnconfirmedRules => new()
    {
        // An older copy of v3's page: 15 s text-only and std|pro only.
        { V3, "'prompt':'x','mode':'4k','duration':15,'image_urls':['https://a/1']" },
        // A quoted duration is only said to be an error on v3, v3-omni and 3.0-turbo.
        { V26, "'prompt':'x','duration':'5'" },
        // The types of omni's and v3's audio and watermark are not confirmed.
        { Omni, "'prompt':'x','audio':'yes','watermark':'no'" },
        { V3, "'prompt':'x','audio':1,'watermark':'no'" },
        // How many image_urls omni takes is not stated.
        { Omni, "'prompt':'x','image_urls':['https://a/1','https://a/2','https://a/3','https://a/4','https://a/5','https://a/6','https://a/7','https://a/8']" },
        // Whether motion control needs character_orientation is not confirmed.
        { Motion26, "'image_url':'https://a/1.png','video_url':'https://v/1.mp4'" },
        // With an image, turbo's image decides the ratio: an aspect_ratio is ignored, not refused.
        { Turbo, "'first_frame_image':'https://a/1','aspect_ratio':'1:1'" },
    };

    [Theory]
    [MemberData(nameof(UnconfirmedRules))]
    public async Task Does_not_enforce_an_unconfirmed_rule(string model, string rest)
    {
        HttpResponseMessage response = await Submit(Body(model, rest));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"model":"kling-v4-future","prompt":"x","mode":"8k","duration":"forever","fancy":{"a":1}}""")]
    [InlineData("""{"model":"kling-v4-future","image_url":"https://a/1.png"}""")]
    public async Task Accepts_an_unknown_model_with_the_generic_checks_only(string json)
    {
        HttpResponseMessage response = await Submit(json);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"model":"kling-v4-future","mode":"pro"}""", "prompt")]
    [InlineData("""{"model":"kling-v4-future","prompt":"x","image_urls":["ftp://a/1"]}""", "image_urls")]
    [InlineData("""{"model":"kling-v4-future","prompt":"x","extra":{"start_image":"file:///a.png"}}""", "extra.start_image")]
    [InlineData("""{"prompt":"x"}""", "model")]
    [InlineData("""{"model":5,"prompt":"x"}""", "model")]
    public async Task Refuses_an_unknown_model_only_on_the_generic_checks(string json, string field)
    {
        HttpResponseMessage response = await Submit(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(field + ":", (await Json(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_unknown_fields_records_them_and_the_wire_types()
    {
        HttpResponseMessage response = await Submit(Body(V3, "'prompt':'x','duration':10,'audio':false,'camera_control':{'type':'simple'},'seed':7"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string id = (await Json(response)).GetProperty("data")[0].GetProperty("task_id").GetString()!;

        JsonElement task = JsonDocument.Parse(await http.GetStringAsync("/_emulator/tasks")).RootElement.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        Assert.Equal(V3, task.GetProperty("model").GetString());
        Assert.Equal(new[] { "camera_control", "seed" }, task.GetProperty("extraFields").EnumerateArray().Select(e => e.GetString()));

        JsonElement recorded = JsonDocument.Parse(await http.GetStringAsync("/_emulator/requests")).RootElement.EnumerateArray().Last(r => r.GetProperty("path").GetString() == "/v1/videos/generations");
        JsonElement sent = JsonDocument.Parse(recorded.GetProperty("body").GetString()!).RootElement;
        Assert.Equal(JsonValueKind.Number, sent.GetProperty("duration").ValueKind);
        Assert.Equal(JsonValueKind.False, sent.GetProperty("audio").ValueKind);
    }

    [Theory]
    [InlineData(Motion26)]
    [InlineData(Motion3)]
    [InlineData(Turbo)]
    public async Task A_task_of_any_model_completes_like_an_o1_task(string model)
    {
        string rest = model == Turbo ? "'first_frame_image':'https://a/1'" : "'image_url':'https://a/1.png','video_url':'https://v/1.mp4'";
        HttpResponseMessage response = await Submit(Body(model, rest));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        string id = (await Json(response)).GetProperty("data")[0].GetProperty("task_id").GetString()!;

        JsonElement data = default;
        for (int i = 0; i < 100 && data.ValueKind == JsonValueKind.Undefined; i++)
        {
            JsonElement read = (await Json(await http.GetAsync($"/v1/tasks/{id}"))).GetProperty("data");
            data = read.GetProperty("status").GetString() is "completed" or "failed" ? read : default;
            if (data.ValueKind == JsonValueKind.Undefined)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal("completed", data.GetProperty("status").GetString());
        Assert.StartsWith(emulator.StorageUri.ToString(), data.GetProperty("result").GetProperty("videos")[0].GetProperty("url")[0].GetString());
    }
}
