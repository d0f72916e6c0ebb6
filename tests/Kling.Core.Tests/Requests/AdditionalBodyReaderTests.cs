using System.Collections;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests;

/// <summary>
/// -AdditionalBody and an element's JSON cell say each key once: a key given twice, at any depth, is the row's error naming
/// it, never "the last one wins".
/// </summary>
public class AdditionalBodyReaderTests
{
    [Theory]
    [InlineData("""{"seed": 1, "seed": 2}""", "'seed'")]
    [InlineData("""{"seed": 1, "Seed": 2}""", "'Seed'")]
    [InlineData("""{"camera": {"speed": 1, "type": "orbit", "speed": 2}}""", "'camera.speed'")]
    [InlineData("""{"shots": [{"a": 1}, {"b": 1, "b": 2}]}""", "'shots[1].b'")]
    public void A_json_cell_with_a_key_given_twice_is_the_rows_error_naming_the_key(string cell, string key) =>
        Refused(new VideoInput { Prompt = "x", Model = "kling-v9", AdditionalBodyJson = cell }, "extra", key, "twice");

    [Fact]
    public void A_dictionary_whose_keys_read_as_the_same_text_is_the_rows_error()
    {
        var nested = new Hashtable { [1] = "a", ["1"] = "b" };
        Refused(new VideoInput { Prompt = "x", AdditionalBody = new Dictionary<string, object?> { ["cfg"] = nested } }, "extra", "'cfg'", "'1'", "twice");
    }

    [Fact]
    public void A_body_whose_keys_differ_only_in_case_is_the_rows_error() =>
        Refused(new VideoInput { Prompt = "x", AdditionalBody = new Dictionary<string, object?>(StringComparer.Ordinal) { ["seed"] = 1, ["Seed"] = 2 } }, "extra", "'Seed' twice", "'seed'");

    [Fact]
    public void The_same_key_in_two_different_objects_is_fine()
    {
        VideoRequest request = Build(new VideoInput { Prompt = "x", Model = "kling-v9", AdditionalBodyJson = """{"a": {"id": 1}, "b": {"id": 2}, "list": [{"id": 1}, {"id": 2}]}""" });
        Assert.Equal(3, request.Extra!.Count);
    }

    [Theory]
    [InlineData("""{"name": "cat", "Name": "dog", "images": "https://img.example/c1.png;https://img.example/c2.png"}""", "'Name'")]
    [InlineData("""[{"name": "cat", "images": "https://img.example/c1.png;https://img.example/c2.png", "images": "https://img.example/d.png"}]""", "'[0].images'")]
    public void An_element_cell_with_a_key_given_twice_is_the_rows_error_naming_the_key(string cell, string key) =>
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Json = cell } } }, "elements", key, "twice");
}
