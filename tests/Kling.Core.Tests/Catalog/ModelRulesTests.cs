using Kling.Core.Catalog;
using Kling.Core.Requests;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests;

/// <summary>Each model's confirmed rules refuse the row before sending, with a message naming the model and the field; unconfirmed rules never refuse.</summary>
public class ModelRulesTests
{
    private const string Img1 = "https://img.example/1.png";
    private const string Img2 = "https://img.example/2.png";
    private const string Video = "https://vid.example/v.mp4";

    [Fact]
    public void A_duration_outside_the_models_range_names_the_model_and_the_models_that_take_it() =>
        Refused(new VideoInput { Prompt = "x", Duration = "8" }, "duration",
            "8 is not allowed for kling-video-o1 (5 or 10); kling-v3-omni, kling-v3 and kling-3.0-turbo take 3 to 15.");

    [Theory]
    [InlineData("kling-v3-omni", "2", "(3 to 15)")]
    [InlineData("kling-v3", "16", "(3 to 15)")]
    [InlineData("kling-v2-6", "8", "(5 or 10)")]
    [InlineData("kling-3.0-turbo", "20", "(3 to 15)")]
    public void Each_models_duration_range_is_checked(string model, string duration, string range) =>
        Refused(new VideoInput { Prompt = "x", Model = model, Duration = duration, FirstFrame = model == "kling-3.0-turbo" ? Img1 : null }, "duration", model, range);

    [Theory]
    [InlineData("kling-video-o1", "4k", "(std or pro); kling-v3-omni and kling-v3 take std, pro or 4k.")]
    [InlineData("kling-v2-6", "4k", "(std or pro)")]
    [InlineData("kling-v3", "ultra", "(std, pro or 4k)")]
    [InlineData("kling-v3-motion-control", "4k", "(std or pro)")]
    public void Each_models_modes_are_checked(string model, string mode, string fragment) =>
        Refused(new VideoInput { Prompt = "x", Model = model, Mode = mode }, "mode", $"'{mode}' is not allowed for {model}", fragment);

    [Fact]
    public void Aspect_ratio_and_resolution_are_checked() =>
        Assert.Equal(new[] { "aspect_ratio", "resolution" }, Problems(new VideoInput { Prompt = "x", Model = "kling-3.0-turbo", AspectRatio = "4:3", Resolution = "4k" }).Select(p => p.Field));

    [Theory]
    [InlineData("kling-video-o1", "audio", "kling-v3-omni, kling-v3 and kling-v2-6 take it")]
    [InlineData("kling-video-o1", "negative_prompt", "kling-v3-omni, kling-v3 and kling-v2-6 take it")]
    [InlineData("kling-3.0-turbo", "negative_prompt", "kling-v3-omni, kling-v3 and kling-v2-6 take it")]
    [InlineData("kling-3.0-turbo", "audio", "take it")]
    [InlineData("kling-v3", "reference_images", "kling-v3-omni takes it")]
    [InlineData("kling-v2-6", "resolution", "kling-3.0-turbo takes it")]
    [InlineData("kling-v2-6", "shots", "kling-v3-omni and kling-v3 take it")]
    [InlineData("kling-video-o1", "multi_shot", "kling-v3-omni and kling-v3 take it")]
    [InlineData("kling-v3", "elements", "kling-v3-omni takes it")]
    [InlineData("kling-video-o1", "watermark", "take it")]
    [InlineData("kling-video-o1", "character_orientation", "kling-v2-6-motion-control and kling-v3-motion-control take it")]
    [InlineData("kling-v3", "video_url", "kling-video-o1, kling-v3-omni, kling-v2-6-motion-control and kling-v3-motion-control take it")]
    public void A_field_the_model_does_not_take_is_the_rows_error_naming_the_models_that_do(string model, string field, string others)
    {
        var input = new VideoInput { Prompt = "x", Model = model };
        switch (field)
        {
            case "audio": input.Audio = "yes"; break;
            case "negative_prompt": input.NegativePrompt = "blur"; break;
            case "reference_images": input.ReferenceImages = new[] { Img1 }; break;
            case "resolution": input.Resolution = "720p"; break;
            case "shots": input.Shots = new[] { new ShotInput { Text = "5: a" } }; break;
            case "multi_shot": input.MultiShot = "yes"; break;
            case "elements": input.Elements = new[] { new ElementInput { Name = "a", Images = new[] { Img1, Img2 } } }; break;
            case "watermark": input.Watermark = "no"; break;
            case "character_orientation": input.CharacterOrientation = "image"; break;
            case "video_url": input.VideoUrl = Video; break;
        }

        Refused(input, field, $"is not taken by {model}", others);
    }

    [Fact]
    public void Turbo_refuses_mode_pointing_to_resolution_and_a_last_frame()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-3.0-turbo", Mode = "pro" }, "mode", "kling-3.0-turbo", "-Resolution 720p or 1080p");
        Refused(new VideoInput { Prompt = "x", Model = "kling-3.0-turbo", FirstFrame = Img1, LastFrame = Img2 }, "last_frame", "is not taken by kling-3.0-turbo");
        Refused(new VideoInput { Prompt = "x", Model = "kling-3.0-turbo", Images = new[] { Img1, Img2 } }, "image", "kling-3.0-turbo takes one (first_frame_image)");
        Refused(new VideoInput { Prompt = "x", Model = "kling-3.0-turbo", FirstFrame = Img1, Images = new[] { Img2 } }, "image", "one way only");
    }

    [Fact]
    public void Turbo_needs_a_prompt_only_without_an_image()
    {
        Refused(new VideoInput { Model = "kling-3.0-turbo" }, "prompt", "kling-3.0-turbo", "first frame");
        Build(new VideoInput { Model = "kling-3.0-turbo", FirstFrame = Img1 });
    }

    [Fact]
    public void Prompt_length_limits_are_the_models()
    {
        Refused(new VideoInput { Prompt = new string('a', 2501), Model = "kling-v2-6" }, "prompt", "2501 characters; kling-v2-6 takes at most 2500");
        Build(new VideoInput { Prompt = new string('a', 2500), Model = "kling-v2-6" });
        Refused(new VideoInput { Prompt = new string('a', 3073), Model = "kling-3.0-turbo" }, "prompt", "kling-3.0-turbo takes at most 3072");
        Build(new VideoInput { Prompt = new string('a', 3072), Model = "kling-3.0-turbo" });
        Refused(new VideoInput { Prompt = "x", NegativePrompt = new string('n', 2501), Model = "kling-v3-omni" }, "negative_prompt", "kling-v3-omni takes at most 2500");
        Build(new VideoInput { Prompt = new string('a', 5000), Model = "kling-video-o1" });
    }

    [Fact]
    public void V2_6_needs_pro_for_a_last_frame_and_for_audio_and_never_both_in_pro()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-v2-6", FirstFrame = Img1, LastFrame = Img2 }, "last_frame", "needs mode pro on kling-v2-6");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v2-6", Mode = "std", Audio = "yes" }, "audio", "needs mode pro on kling-v2-6");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v2-6", Mode = "pro", FirstFrame = Img1, LastFrame = Img2, Audio = "yes" }, "audio", "cannot be combined with a last frame on kling-v2-6");
        Build(new VideoInput { Prompt = "x", Model = "kling-v2-6", Mode = "pro", FirstFrame = Img1, LastFrame = Img2, Audio = "no" });
        Build(new VideoInput { Prompt = "x", Model = "kling-v2-6", Audio = "no" });
    }

    [Fact]
    public void V3_omni_never_sends_image_urls_with_image_with_roles()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", FirstFrame = Img1, Images = new[] { Img2 } }, "image", "kling-v3-omni takes one or the other");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", ReferenceImages = new[] { Img1 }, ImageUrls = new[] { Img2 } }, "image", "image_with_roles");
    }

    [Fact]
    public void V3_omni_needs_a_first_frame_for_a_last_frame() =>
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", LastFrame = Img2, ReferenceImages = new[] { Img1 } }, "last_frame", "without first_frame", "kling-v3-omni");

    [Fact]
    public void V3_omni_reference_video_rules_are_about_frames()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", FirstFrame = Img1, VideoUrl = Video }, "image_with_roles", "'base' on kling-v3-omni");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", FirstFrame = Img1, LastFrame = Img2, VideoUrl = Video, ReferType = "feature" }, "image_with_roles", "'feature' on kling-v3-omni");
        Build(new VideoInput { Prompt = "x", Model = "kling-v3-omni", FirstFrame = Img1, VideoUrl = Video, ReferType = "feature" });
        Build(new VideoInput { Prompt = "x", Model = "kling-v3-omni", ReferenceImages = new[] { Img1 }, VideoUrl = Video });
    }

    [Theory]
    [InlineData("kling-video-o1")]
    [InlineData("kling-v3-omni")]
    public void Image_references_count_the_images_given_on_o1_and_omni(string model)
    {
        Refused(new VideoInput { Prompt = "<<<image_3>>>", Model = model, ImageUrls = new[] { Img1, Img2 } }, "prompt", "<<<image_3>>>");
        Build(new VideoInput { Prompt = "<<<image_2>>>", Model = model, ImageUrls = new[] { Img1, Img2 } });
    }

    [Fact]
    public void Image_references_are_not_checked_on_models_without_the_syntax() =>
        Build(new VideoInput { Prompt = "<<<image_3>>>", Model = "kling-v3" });

    [Fact]
    public void O1_and_v3_take_at_most_two_images_omni_states_no_cap()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3", Images = new[] { Img1, Img2, Img1 } }, "image", "at most 2", "kling-v3");
        Build(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Images = Enumerable.Range(1, 9).Select(i => $"https://img.example/{i}.png").ToArray() });
    }

    [Theory]
    [InlineData("kling-v2-6-motion-control")]
    [InlineData("kling-v3-motion-control")]
    public void Motion_control_needs_an_image_and_a_video_and_takes_no_length(string model)
    {
        IReadOnlyList<ValidationProblem> problems = Problems(new VideoInput { Model = model });
        Assert.Contains(problems, p => p.Field == "image_url" && p.Message.Contains("required by " + model));
        Assert.Contains(problems, p => p.Field == "video_url" && p.Message.Contains("required by " + model));
        var complete = new VideoInput { Model = model, FirstFrame = Img1, VideoUrl = Video, Duration = "5", AspectRatio = "16:9" };
        Refused(complete, "duration", $"is not taken by {model}", "follow the reference video");
        Refused(complete, "aspect_ratio", $"is not taken by {model}", "follow the reference video");
        Refused(new VideoInput { Model = model, FirstFrame = Img1, VideoUrl = Video, CharacterOrientation = "side" }, "character_orientation", "(image or video)");
        Refused(new VideoInput { Model = model, FirstFrame = Img1, LastFrame = Img2, VideoUrl = Video }, "last_frame", $"is not taken by {model}");
        Refused(new VideoInput { Model = model, FirstFrame = Img1, VideoUrl = Video, ReferType = "base" }, "refer_type", $"is not taken by {model}");
    }

    [Fact]
    public void Motion_controls_unconfirmed_orientation_requirement_never_refuses() =>
        Build(new VideoInput { Model = "kling-v3-motion-control", Images = new[] { Img1 }, VideoUrl = Video });

    [Fact]
    public void Unconfirmed_rules_never_refuse_a_row()
    {
        // v3's duration: an older page says 5, 10 or 15 (15 text-only, no 4k): 3 to 15 is accepted, with frames and 4k.
        Build(new VideoInput { Prompt = "x", Model = "kling-v3", Duration = "7", Mode = "4k", FirstFrame = Img1 });
        Build(new VideoInput { Prompt = "x", Model = "kling-v3", Duration = "15", Mode = "4k", FirstFrame = Img1 });
        // omni: watermark (unconfirmed field), audio with a reference video (ignored by the gateway), no image cap.
        Build(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Watermark = "yes", Audio = "yes", VideoUrl = Video });
    }

    [Fact]
    public void Shots_are_1_to_6_adding_up_to_the_duration()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3", Duration = "7", Shots = new[] { new ShotInput { Text = "1: a|1: b|1: c|1: d|1: e|1: f|1: g" } } }, "shots", "7 shots; kling-v3 takes 1 to 6");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Duration = "10", Shots = new[] { new ShotInput { Text = "3: a | 5: b" } } }, "shots", "add up to 8 s", "duration is 10", "kling-v3-omni");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3", Shots = new[] { new ShotInput { Text = "3: a | 5: b" } } }, "shots", "add up to 8 s", "makes 5 s", "-Duration 8");
        Build(new VideoInput { Prompt = "x", Model = "kling-v3", Shots = new[] { new ShotInput { Text = "2: a | 3: b" } } });
        Build(new VideoInput { Prompt = "x", Model = "kling-v3", Duration = "6", Shots = new[] { new ShotInput { Text = "1: a|1: b|1: c|1: d|1: e|1: f" } } });
    }

    [Theory]
    [InlineData("a door opens", "has no duration")]
    [InlineData("0: a door opens", "at least 1")]
    [InlineData("2.5: a door opens", "whole number")]
    [InlineData("3:", "no prompt")]
    public void A_shot_that_does_not_read_is_the_rows_error(string cell, string fragment) =>
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Duration = "3", Shots = new[] { new ShotInput { Text = cell } } }, "shots", fragment);

    [Fact]
    public void V3_shot_prompts_are_at_most_512_characters()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3", Duration = "5", Shots = new[] { new ShotInput { Prompt = new string('a', 513), Duration = "5" } } }, "shots", "513 characters; kling-v3 takes at most 512");
        Build(new VideoInput { Prompt = "x", Model = "kling-v3", Duration = "5", Shots = new[] { new ShotInput { Prompt = new string('a', 512), Duration = "5" } } });
        Build(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Duration = "5", Shots = new[] { new ShotInput { Prompt = new string('a', 513), Duration = "5" } } });
    }

    [Fact]
    public void Shots_with_multi_shot_false_are_the_rows_error() =>
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3", Duration = "5", MultiShot = "no", Shots = new[] { new ShotInput { Text = "5: a" } } }, "shots", "multi_shot is false");

    [Theory]
    [InlineData("audio")]
    [InlineData("watermark")]
    [InlineData("multi_shot")]
    public void Booleans_other_than_yes_no_true_false_are_the_rows_error(string field)
    {
        var input = new VideoInput { Prompt = "x", Model = "kling-v3" };
        switch (field)
        {
            case "audio": input.Audio = "2"; break;
            case "watermark": input.Watermark = "on"; break;
            default: input.MultiShot = "maybe"; break;
        }

        Refused(input, field, "is not one of yes, no, true, false");
    }

    [Fact]
    public void Elements_need_a_name_and_2_to_4_images()
    {
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Images = new[] { Img1, Img2 } } } }, "elements", "no name");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Name = "cat", Images = new[] { Img1 } } } }, "elements", "'cat'", "1 image(s); kling-v3-omni takes 2 to 4");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Name = "cat", Images = new[] { $"{Img1};{Img2};{Img1};{Img2};{Img1}" } } } }, "elements", "5 image(s)");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Json = "{\"name\":" } } }, "elements", "not valid JSON");
        Build(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Name = "cat", Images = new[] { Img1, Img2, Img1, Img2 } } } });
    }

    [Theory]
    [InlineData("prompt")]
    [InlineData("model")]
    [InlineData("duration")]
    [InlineData("image_urls")]
    [InlineData("first_frame")]
    [InlineData("Negative_Prompt")]
    [InlineData("multi_prompt")]
    public void Additional_body_colliding_with_a_modules_field_is_the_rows_error(string key)
    {
        Refused(new VideoInput { Prompt = "x", AdditionalBody = new Dictionary<string, object?> { [key] = 1 } }, "extra", $"'{key}'", "own parameters");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v9", AdditionalBodyJson = $"{{\"{key}\": 1}}" }, "extra", $"'{key}'");
    }

    [Theory]
    [InlineData("[1, 2]", "array, not an object")]
    [InlineData("42", "not an object")]
    [InlineData("{seed: 1}", "not a JSON object")]
    public void Additional_body_cell_that_is_not_a_json_object_is_the_rows_error(string cell, string fragment) =>
        Refused(new VideoInput { Prompt = "x", AdditionalBodyJson = cell }, "extra", fragment);

    [Fact]
    public void Additional_body_values_json_cannot_hold_are_the_rows_error()
    {
        Refused(new VideoInput { Prompt = "x", AdditionalBody = new Dictionary<string, object?> { ["cfg"] = double.NaN } }, "extra", "'cfg'", "NaN");
        var loop = new System.Collections.Hashtable();
        loop["self"] = loop;
        Refused(new VideoInput { Prompt = "x", AdditionalBody = new Dictionary<string, object?> { ["loop"] = loop } }, "extra", "'loop'", "deeper");
    }

    [Fact]
    public void Every_problem_names_the_row_through_InvalidRowException()
    {
        var error = new InvalidRowException(3, "omni", Problems(new VideoInput { Prompt = "x", Model = "kling-video-o1", Duration = "8" }));
        Assert.Equal("Row 3 ('omni') was not submitted: Field 'duration' 8 is not allowed for kling-video-o1 (5 or 10); kling-v3-omni, kling-v3 and kling-3.0-turbo take 3 to 15.", error.Message);
    }

    [Fact]
    public void The_model_is_named_once_also_when_the_problem_is_a_cell_that_does_not_read()
    {
        var cell = new InvalidRowException(4, "shots", Problems(new VideoInput { Prompt = "x", Model = "kling-v3", Audio = "maybe" }), "kling-v3");
        Assert.StartsWith("Row 4 ('shots') (kling-v3) was not submitted: Field 'audio' ", cell.Message);

        var rule = new InvalidRowException(3, "omni", Problems(new VideoInput { Prompt = "x", Model = "kling-video-o1", Duration = "8" }), "kling-video-o1");
        Assert.StartsWith("Row 3 ('omni') was not submitted: Field 'duration' 8 is not allowed for kling-video-o1", rule.Message);
    }
}
