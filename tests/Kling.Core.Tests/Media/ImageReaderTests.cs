using Kling.Core.Wire;
using System.Net.Http.Json;
using System.Text.Json;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Emulator;
using Kling.Core.Catalog;
using Xunit;

namespace Kling.Core.Tests;

public sealed class ImageReaderTests
{
    private sealed class FakeReader : IImageReader
    {
        public List<string> Asked { get; } = new();

        public LocalImage? Read(string path, out string? problem)
        {
            Asked.Add(path);
            problem = path == "missing.png" ? "does not exist" : null;
            return problem == null ? new LocalImage("/virtual/" + path, "image/png", 10, new string('a', 64)) : null;
        }
    }

    [Fact]
    public void Validation_reads_local_images_only_through_the_inputs_reader_and_types_them()
    {
        var reader = new FakeReader();
        VideoRequest? request = VideoRequestValidator.TryBuild(new VideoInput { Prompt = "x", FirstFrame = "first.png", LastFrame = "https://img.example/last.png", ImageReader = reader }, out var problems);
        Assert.Empty(problems);
        Assert.Equal(new[] { "first.png" }, reader.Asked);
        Assert.Equal("/virtual/first.png", request!.Images![0].Local!.Path);
        Assert.Null(request.Images[0].Url);
        Assert.Equal("https://img.example/last.png", request.Images[1].Url);
        // Identity (journal, -WhatIf) by content; what is sent, by URL once uploaded.
        Assert.Equal(new[] { "sha256:" + new string('a', 64), "https://img.example/last.png" }, request.ImageUrls);
        Assert.Equal(new[] { "https://cdn.example/up.png", "https://img.example/last.png" }, request.WithImageUrls(_ => "https://cdn.example/up.png").ImageUrls);
        Assert.Null(request.WithImageUrls(_ => "https://cdn.example/up.png").LocalImages);
    }

    [Fact]
    public void A_file_the_reader_cannot_read_is_the_rows_problem_naming_the_field() =>
        Assert.Contains(
            Problems(new VideoInput { Prompt = "x", FirstFrame = "missing.png", ImageReader = new FakeReader() }),
            p => p.Field == "first_frame" && p.Message.Contains("does not exist"));

    private static IReadOnlyList<ValidationProblem> Problems(VideoInput input)
    {
        VideoRequestValidator.TryBuild(input, out var problems);
        return problems;
    }
}
