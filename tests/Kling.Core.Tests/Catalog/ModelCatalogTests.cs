using System.Text.Json;
using Kling.Core.Catalog;
using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests;

/// <summary>The catalog as data (seven models, found by name in any case, described for Get-KlingModel) and the images of every field (uploaded through LocalImages / WithImageUrls).</summary>
public class ModelCatalogTests
{
    private static readonly string[] Seven =
    {
        "kling-video-o1", "kling-v3-omni", "kling-v3", "kling-v2-6", "kling-3.0-turbo", "kling-v2-6-motion-control", "kling-v3-motion-control",
    };

    [Fact]
    public void The_catalog_holds_the_seven_models_of_the_gateway() =>
        Assert.Equal(Seven, ModelCatalog.All.Select(m => m.Name));

    [Fact]
    public void Find_ignores_case_and_spaces_and_returns_null_for_a_model_it_does_not_know()
    {
        Assert.Equal("kling-v3-omni", ModelCatalog.Find(" Kling-V3-OMNI ")!.Name);
        Assert.Null(ModelCatalog.Find("kling-v9"));
        Assert.Null(ModelCatalog.Find(null));
    }

    [Fact]
    public void Get_KlingModel_sees_each_models_values_in_words()
    {
        KlingModel o1 = ModelCatalog.Find("kling-video-o1")!.Describe();
        Assert.Equal("5, 10", o1.Durations);
        Assert.Equal(new[] { "std", "pro" }, o1.Modes);
        Assert.Equal(2, o1.MaxImages);
        Assert.False(o1.Audio);

        KlingModel omni = ModelCatalog.Find("kling-v3-omni")!.Describe();
        Assert.Equal("3-15", omni.Durations);
        Assert.Null(omni.MaxImages);
        Assert.True(omni.Audio);
        Assert.True(omni.MultiShot);
        Assert.Contains("reference images", omni.Inputs);
        Assert.Contains(omni.Notes, n => n.Contains("does not say"));
        Assert.Contains(omni.Notes, n => n.Contains("never both"));

        Assert.Contains(omni.Notes, n => n.StartsWith("watermark", StringComparison.Ordinal) && n.Contains("does not say"));
        Assert.DoesNotContain(ModelCatalog.Find("kling-v2-6")!.Describe().Notes, n => n.Contains("does not say"));

        KlingModel turbo = ModelCatalog.Find("kling-3.0-turbo")!.Describe();
        Assert.Empty(turbo.Modes);
        Assert.Contains("resolution (720p, 1080p)", turbo.Inputs);

        KlingModel motion = ModelCatalog.Find("kling-v3-motion-control")!.Describe();
        Assert.Equal(string.Empty, motion.Durations);
        Assert.Empty(motion.AspectRatios);
        Assert.Contains(motion.Notes, n => n.Contains("length and price follow the reference video"));
        Assert.Contains(motion.Notes, n => n.Contains("keep_original_sound defaults to yes"));
    }

    [Fact]
    public void Every_model_has_a_summary_and_its_rules_in_words()
    {
        foreach (ModelSpec spec in ModelCatalog.All)
        {
            KlingModel model = spec.Describe();
            Assert.False(string.IsNullOrWhiteSpace(model.Summary), spec.Name);
            Assert.NotEmpty(model.Inputs);
            Assert.All(spec.Rules, rule => Assert.Contains(model.Notes, n => n.StartsWith(rule.Description, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Words_for_messages()
    {
        Assert.Equal("5 or 10", CatalogWords.Durations(new[] { 5, 10 }));
        Assert.Equal("3 to 15", CatalogWords.Durations(Enumerable.Range(3, 13).ToList()));
        Assert.Equal("std, pro or 4k", CatalogWords.Alternatives(new[] { "std", "pro", "4k" }));
        Assert.Equal("a, b and c", CatalogWords.Names(new[] { "a", "b", "c" }));
    }

    [Fact]
    public void Local_files_in_every_image_field_are_uploaded_and_replaced()
    {
        var reader = new FakeReader();
        (string Model, VideoInput Input, string Field)[] rows =
        {
            ("kling-v3", new VideoInput { Prompt = "x", Model = "kling-v3", FirstFrame = "f.png", LastFrame = "l.png" }, "image_urls"),
            ("kling-v3-omni", new VideoInput { Prompt = "x", Model = "kling-v3-omni", FirstFrame = "f.png", LastFrame = "l.png", ReferenceImages = new[] { "r.png" } }, "image_with_roles"),
            ("kling-v3-omni", new VideoInput { Prompt = "x", Model = "kling-v3-omni", Images = new[] { "i.png" } }, "image_urls"),
            ("kling-v3-omni", new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Name = "e", Images = new[] { "e.png", "g.png" } } } }, "element_list"),
            ("kling-3.0-turbo", new VideoInput { Model = "kling-3.0-turbo", FirstFrame = "t.png" }, "first_frame_image"),
            ("kling-v2-6-motion-control", new VideoInput { Model = "kling-v2-6-motion-control", Images = new[] { "m.png" }, VideoUrl = "https://vid.example/v.mp4" }, "image_url"),
        };

        foreach ((string model, VideoInput input, string field) in rows)
        {
            input.ImageReader = reader;
            VideoRequest request = Build(input);
            List<LocalImage> locals = request.LocalImages!;
            Assert.NotNull(locals);
            string before = request.ToString();
            Assert.All(locals, l => Assert.Contains("sha256:" + l.Sha256, before));

            VideoRequest sent = request.WithImageUrls(l => "https://cdn.example/" + l.Path.Substring("/virtual/".Length));
            Assert.Null(sent.LocalImages);
            string json = sent.ToString();
            Assert.DoesNotContain("sha256:", json);
            Assert.All(locals, l => Assert.Contains("https://cdn.example/" + l.Path.Substring("/virtual/".Length), json));
            Assert.True(Parse(sent).TryGetProperty(field, out _), $"{model}: {field} in {json}");
            Assert.Equal(before, request.ToString());
            Assert.Equal(locals.Count, request.LocalImages!.Count);
        }

        Assert.Equal(new[] { "f.png", "l.png", "f.png", "l.png", "r.png", "i.png", "e.png", "g.png", "t.png", "m.png" }, reader.Asked);
    }

    [Fact]
    public void A_local_file_the_reader_cannot_read_is_the_rows_problem_in_any_field()
    {
        var missing = new MissingReader();
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", ReferenceImages = new[] { "gone.png" }, ImageReader = missing }, "reference_images", "does not exist");
        Refused(new VideoInput { Model = "kling-v3-motion-control", FirstFrame = "gone.png", VideoUrl = "https://vid.example/v.mp4", ImageReader = missing }, "first_frame", "does not exist");
        Refused(new VideoInput { Prompt = "x", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Name = "e", Images = new[] { "gone.png", "https://img.example/a.png" } } }, ImageReader = missing }, "elements", "does not exist");
    }

    private sealed class MissingReader : IImageReader
    {
        public LocalImage? Read(string path, out string? problem)
        {
            problem = "does not exist";
            return null;
        }
    }
}
