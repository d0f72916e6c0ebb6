using System.Collections;
using System.Text.Json;
using Kling.Core.Requests;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests;

/// <summary>What each model's row puts on the wire: field names and JSON types, as the module serializes them.</summary>
public class VideoMapperTests
{
    [Fact]
    public void O1_puts_frames_in_image_urls_and_the_video_in_video_list_with_numbers_for_numbers()
    {
        JsonElement body = Json(new VideoInput
        {
            Prompt = "<<<image_1>>> waves", Model = "kling-video-o1", Mode = "pro", Duration = "10", AspectRatio = "9:16",
            FirstFrame = "https://img.example/first.png", VideoUrl = "https://vid.example/v.mp4", ReferType = "feature", KeepOriginalSound = "yes",
        });
        Assert.Equal(new[] { "model", "prompt", "mode", "duration", "aspect_ratio", "image_urls", "video_list" }, Names(body));
        Assert.Equal(JsonValueKind.Number, Kind(body, "duration"));
        Assert.Equal(10, body.GetProperty("duration").GetInt32());
        Assert.Equal("https://img.example/first.png", body.GetProperty("image_urls")[0].GetString());
        Assert.Equal("yes", body.GetProperty("video_list")[0].GetProperty("keep_original_sound").GetString());
    }

    [Fact]
    public void V3_omni_puts_frames_and_references_in_image_with_roles_in_order_and_sends_booleans()
    {
        JsonElement body = Json(new VideoInput
        {
            Prompt = "<<<image_3>>> in the garden", Model = "kling-v3-omni", Mode = "4K", Duration = "8", NegativePrompt = "blur",
            FirstFrame = "https://img.example/1.png", LastFrame = "https://img.example/2.png", ReferenceImages = new[] { "https://img.example/r.png" },
            Audio = "YES", Watermark = "false",
        });
        Assert.Equal("4k", body.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Number, Kind(body, "duration"));
        Assert.Equal("blur", body.GetProperty("negative_prompt").GetString());
        Assert.Equal(JsonValueKind.Undefined, Kind(body, "image_urls"));
        JsonElement roles = body.GetProperty("image_with_roles");
        Assert.Equal(new[] { "first_frame", "last_frame", "reference" }, roles.EnumerateArray().Select(r => r.GetProperty("role").GetString()));
        Assert.Equal(new[] { "https://img.example/1.png", "https://img.example/2.png", "https://img.example/r.png" }, roles.EnumerateArray().Select(r => r.GetProperty("url").GetString()));
        Assert.Equal(JsonValueKind.True, Kind(body, "audio"));
        Assert.Equal(JsonValueKind.False, Kind(body, "watermark"));
    }

    [Fact]
    public void V3_omni_puts_images_in_image_urls_and_counts_them_for_image_references()
    {
        JsonElement body = Json(new VideoInput { Prompt = "<<<image_2>>> meets <<<image_1>>>", Model = "kling-v3-omni", Images = new[] { "https://img.example/a.png;https://img.example/b.png" }, VideoUrl = "https://vid.example/v.mp4" });
        Assert.Equal(2, body.GetProperty("image_urls").GetArrayLength());
        Assert.Equal(JsonValueKind.Undefined, Kind(body, "image_with_roles"));
        Assert.Equal("https://vid.example/v.mp4", body.GetProperty("video_list")[0].GetProperty("video_url").GetString());
    }

    [Fact]
    public void V3_omni_shots_and_elements_go_out_as_multi_prompt_and_element_list()
    {
        JsonElement body = Json(new VideoInput
        {
            Prompt = "@hero crosses the room", Model = "kling-v3-omni", Duration = "8",
            Shots = new[] { new ShotInput { Text = "3: The door opens | 5: A dog runs in" } },
            Elements = new[] { new ElementInput { Name = "hero", Description = "a red fox", Images = new[] { "https://img.example/f1.png;https://img.example/f2.png" } } },
        });
        Assert.Equal(JsonValueKind.True, Kind(body, "multi_shot"));
        Assert.Equal("customize", body.GetProperty("shot_type").GetString());
        JsonElement shots = body.GetProperty("multi_prompt");
        Assert.Equal(new[] { 1, 2 }, shots.EnumerateArray().Select(s => s.GetProperty("index").GetInt32()));
        Assert.Equal(new[] { 3, 5 }, shots.EnumerateArray().Select(s => s.GetProperty("duration").GetInt32()));
        Assert.All(shots.EnumerateArray(), s => Assert.Equal(JsonValueKind.Number, s.GetProperty("duration").ValueKind));
        Assert.Equal(new[] { "The door opens", "A dog runs in" }, shots.EnumerateArray().Select(s => s.GetProperty("prompt").GetString()));
        JsonElement element = Assert.Single(body.GetProperty("element_list").EnumerateArray());
        Assert.Equal("hero", element.GetProperty("name").GetString());
        Assert.Equal("a red fox", element.GetProperty("description").GetString());
        Assert.Equal(2, element.GetProperty("element_input_urls").GetArrayLength());
    }

    [Fact]
    public void Shots_given_one_by_one_and_elements_given_as_json_read_the_same()
    {
        JsonElement body = Json(new VideoInput
        {
            Prompt = "x", Model = "kling-v3-omni", Duration = "6",
            Shots = new[] { new ShotInput { Prompt = "one", Duration = "2" }, new ShotInput { Prompt = "two", Duration = "4" } },
            Elements = new[] { new ElementInput { Json = "[{\"Name\":\"cat\",\"images\":\"https://img.example/c1.png;https://img.example/c2.png\"}]" } },
        });
        Assert.Equal(new[] { 2, 4 }, body.GetProperty("multi_prompt").EnumerateArray().Select(s => s.GetProperty("duration").GetInt32()));
        Assert.Equal("cat", body.GetProperty("element_list")[0].GetProperty("name").GetString());
        Assert.Equal(2, body.GetProperty("element_list")[0].GetProperty("element_input_urls").GetArrayLength());
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("True")]
    public void Multi_shot_without_shots_asks_for_intelligence(string cell)
    {
        JsonElement body = Json(new VideoInput { Prompt = "x", Model = "kling-v3", MultiShot = cell });
        Assert.Equal(JsonValueKind.True, Kind(body, "multi_shot"));
        Assert.Equal("intelligence", body.GetProperty("shot_type").GetString());
        Assert.Equal(JsonValueKind.Undefined, Kind(body, "multi_prompt"));
    }

    [Fact]
    public void V3_puts_first_and_last_frame_in_image_urls_and_sends_booleans()
    {
        JsonElement body = Json(new VideoInput
        {
            Prompt = "x", Model = "kling-v3", Mode = "pro", Duration = "15", FirstFrame = "https://img.example/1.png", LastFrame = "https://img.example/2.png",
            Audio = "no", Watermark = "yes", NegativePrompt = "low quality",
        });
        Assert.Equal(new[] { "https://img.example/1.png", "https://img.example/2.png" }, body.GetProperty("image_urls").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(15, body.GetProperty("duration").GetInt32());
        Assert.Equal(JsonValueKind.False, Kind(body, "audio"));
        Assert.Equal(JsonValueKind.True, Kind(body, "watermark"));
        Assert.Equal("low quality", body.GetProperty("negative_prompt").GetString());
    }

    [Fact]
    public void V2_6_in_pro_takes_audio_with_a_first_frame()
    {
        JsonElement body = Json(new VideoInput { Prompt = "x", Model = "kling-v2-6", Mode = "pro", Duration = "5", Images = new[] { "https://img.example/1.png" }, Audio = "true", Watermark = "no" });
        Assert.Equal(new[] { "https://img.example/1.png" }, body.GetProperty("image_urls").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.True, Kind(body, "audio"));
        Assert.Equal(JsonValueKind.False, Kind(body, "watermark"));
        Assert.Equal(JsonValueKind.Number, Kind(body, "duration"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Turbo_puts_the_one_image_in_first_frame_image_and_takes_resolution_instead_of_mode(bool asFrame)
    {
        var input = new VideoInput { Model = "kling-3.0-turbo", Resolution = "1080P", Duration = "12", Watermark = "yes" };
        if (asFrame)
        {
            input.FirstFrame = "https://img.example/1.png";
        }
        else
        {
            input.Images = new[] { "https://img.example/1.png" };
        }

        JsonElement body = Json(input);
        Assert.Equal(new[] { "model", "duration", "resolution", "first_frame_image", "watermark" }, Names(body));
        Assert.Equal("https://img.example/1.png", body.GetProperty("first_frame_image").GetString());
        Assert.Equal("1080p", body.GetProperty("resolution").GetString());
        Assert.Equal(JsonValueKind.Number, Kind(body, "duration"));
        Assert.Equal(JsonValueKind.True, Kind(body, "watermark"));
    }

    [Theory]
    [InlineData("kling-v2-6-motion-control")]
    [InlineData("kling-v3-motion-control")]
    public void Motion_control_sends_image_url_video_url_and_watermark_info_and_no_length(string model)
    {
        JsonElement body = Json(new VideoInput
        {
            Model = model, Mode = "pro", FirstFrame = "https://img.example/dancer.png", VideoUrl = "https://vid.example/moves.mp4",
            CharacterOrientation = "Video", KeepOriginalSound = "false", Watermark = "no",
        });
        Assert.Equal(new[] { "model", "mode", "image_url", "video_url", "character_orientation", "keep_original_sound", "watermark_info" }, Names(body));
        Assert.Equal("https://img.example/dancer.png", body.GetProperty("image_url").GetString());
        Assert.Equal("https://vid.example/moves.mp4", body.GetProperty("video_url").GetString());
        Assert.Equal("video", body.GetProperty("character_orientation").GetString());
        Assert.Equal("no", body.GetProperty("keep_original_sound").GetString());
        Assert.Equal(JsonValueKind.False, body.GetProperty("watermark_info").GetProperty("enabled").ValueKind);
    }

    [Fact]
    public void Motion_control_takes_its_image_by_image_too_and_a_prompt_when_given()
    {
        JsonElement body = Json(new VideoInput { Model = "kling-v3-motion-control", Prompt = "dance", Images = new[] { "https://img.example/s.png" }, VideoUrl = "https://vid.example/s.mp4" });
        Assert.Equal("https://img.example/s.png", body.GetProperty("image_url").GetString());
        Assert.Equal("dance", body.GetProperty("prompt").GetString());
    }

    [Fact]
    public void A_known_model_in_other_case_is_sent_in_the_catalogs_spelling() =>
        Assert.Equal("kling-v3-omni", Json(new VideoInput { Prompt = "x", Model = " KLING-V3-Omni " }).GetProperty("model").GetString());

    [Fact]
    public void A_model_the_catalog_does_not_know_gets_every_field_under_its_generic_name_and_no_model_rules()
    {
        JsonElement body = Json(new VideoInput
        {
            Prompt = "x <<<image_9>>>", Model = "kling-v9-Preview", Mode = "ultra", Duration = "42", AspectRatio = "21:9",
            FirstFrame = "https://img.example/1.png", LastFrame = "https://img.example/2.png", VideoUrl = "https://vid.example/v.mp4", ReferType = "base",
            NegativePrompt = "n", Audio = "yes", Watermark = "no", Resolution = "8k", CharacterOrientation = "left", MultiShot = "true",
        });
        Assert.Equal("kling-v9-Preview", body.GetProperty("model").GetString());
        Assert.Equal("ultra", body.GetProperty("mode").GetString());
        Assert.Equal(42, body.GetProperty("duration").GetInt32());
        Assert.Equal(JsonValueKind.Number, Kind(body, "duration"));
        Assert.Equal("21:9", body.GetProperty("aspect_ratio").GetString());
        Assert.Equal(2, body.GetProperty("image_urls").GetArrayLength());
        Assert.Equal("base", body.GetProperty("video_list")[0].GetProperty("refer_type").GetString());
        Assert.Equal("n", body.GetProperty("negative_prompt").GetString());
        Assert.Equal(JsonValueKind.True, Kind(body, "audio"));
        Assert.Equal(JsonValueKind.False, Kind(body, "watermark"));
        Assert.Equal("8k", body.GetProperty("resolution").GetString());
        Assert.Equal("left", body.GetProperty("character_orientation").GetString());
        Assert.Equal("intelligence", body.GetProperty("shot_type").GetString());
    }

    [Fact]
    public void A_model_the_catalog_does_not_know_gets_shots_elements_and_references_under_their_known_names()
    {
        JsonElement body = Json(new VideoInput
        {
            Prompt = "x", Model = "kling-v9", Images = new[] { "https://img.example/1.png" }, ReferenceImages = new[] { "https://img.example/r.png" },
            Shots = new[] { new ShotInput { Text = "2: a | 2: b" } }, Elements = new[] { new ElementInput { Name = "e", Images = new[] { "https://img.example/e.png" } } },
        });
        Assert.Equal("https://img.example/1.png", body.GetProperty("image_urls")[0].GetString());
        Assert.Equal("reference", body.GetProperty("image_with_roles")[0].GetProperty("role").GetString());
        Assert.Equal("customize", body.GetProperty("shot_type").GetString());
        Assert.Equal(JsonValueKind.Undefined, Kind(body, "duration"));
        Assert.Equal("e", body.GetProperty("element_list")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void A_model_the_catalog_does_not_know_still_gets_the_generic_checks()
    {
        Refused(new VideoInput { Model = "kling-v9" }, "prompt", "required");
        Refused(new VideoInput { Model = "kling-v9", Prompt = "x", Duration = "8.5" }, "duration", "whole number");
        Refused(new VideoInput { Model = "kling-v9", Prompt = "x", Images = new[] { "ftp://img.example/a.png" } }, "image", "http(s)");
        Refused(new VideoInput { Model = "kling-v9", Prompt = "x", VideoUrl = "/tmp/clip.mp4" }, "video_url", "http(s)");
        Refused(new VideoInput { Model = "kling-v9", Prompt = "x\u0007" }, "prompt", "U+0007");
        Refused(new VideoInput { Model = "kling-v9", Prompt = "x", Audio = "loud" }, "audio", "yes, no, true, false");
    }

    [Fact]
    public void Additional_body_values_go_out_with_their_json_types_after_the_modules_fields()
    {
        var nested = new Hashtable { ["speed"] = 1.5, ["axes"] = new object[] { "pan", 2, false } };
        JsonElement body = Json(new VideoInput
        {
            Prompt = "x", Model = "kling-v3",
            AdditionalBody = new Dictionary<string, object?> { ["seed"] = 42, ["loop"] = true, ["camera"] = nested, ["tag"] = "a", ["none"] = null, ["big"] = 5000000000L },
        });
        Assert.Equal(new[] { "model", "prompt", "seed", "loop", "camera", "tag", "none", "big" }, Names(body));
        Assert.Equal(JsonValueKind.Number, Kind(body, "seed"));
        Assert.Equal(JsonValueKind.True, Kind(body, "loop"));
        Assert.Equal(1.5, body.GetProperty("camera").GetProperty("speed").GetDouble());
        JsonElement axes = body.GetProperty("camera").GetProperty("axes");
        Assert.Equal(new[] { JsonValueKind.String, JsonValueKind.Number, JsonValueKind.False }, axes.EnumerateArray().Select(a => a.ValueKind));
        Assert.Equal(JsonValueKind.Null, Kind(body, "none"));
        Assert.Equal(5000000000L, body.GetProperty("big").GetInt64());
    }

    [Fact]
    public void Additional_body_from_a_json_cell_is_merged_into_any_models_body()
    {
        JsonElement body = Json(new VideoInput { Model = "kling-v9-preview", Prompt = "x", AdditionalBodyJson = "{\"seed\": 7, \"camera\": {\"speed\": 1.5}, \"loop\": true}" });
        Assert.Equal(7, body.GetProperty("seed").GetInt32());
        Assert.Equal(JsonValueKind.Object, Kind(body, "camera"));
        Assert.Equal(JsonValueKind.True, Kind(body, "loop"));
        JsonElement o1 = Json(new VideoInput { Prompt = "x", AdditionalBodyJson = "{\"seed\": 7}" });
        Assert.Equal("{\"model\":\"kling-video-o1\",\"prompt\":\"x\",\"seed\":7}", o1.GetRawText());
    }
}
