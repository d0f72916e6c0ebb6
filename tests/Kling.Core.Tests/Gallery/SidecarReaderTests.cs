using Kling.Core.Gallery;
using Xunit;

namespace Kling.Core.Tests;

public class SidecarReaderTests
{
    [Fact]
    public void Reads_the_documented_sidecar()
    {
        const string json = """
            {
              "kind": "kling.video/1", "module": "Kling 1.4.0", "file": "clip-007.mp4", "index": 1, "taskId": "task_abc",
              "row": 7, "name": "clip-007", "model": "kling-v3", "mode": "pro", "duration": 5, "prompt": "a heron lifts off the water",
              "request": { "model": "kling-v3", "prompt": "..." }, "estimatedUsd": 0.56, "costUsd": 0.56, "credits": 5.6,
              "createdAt": "2026-12-03T06:00:00.0000000+00:00", "resultHost": "cdn.example.com", "bytes": 1234567
            }
            """;

        GalleryCard card = SidecarReader.Parse(json, "clip-007.mp4")!;

        Assert.Equal(("clip-007.mp4", "task_abc", 7, "clip-007", "kling-v3", "pro", 5, "a heron lifts off the water", 0.56, 1234567L),
            (card.File, card.TaskId, card.Row, card.Name, card.Model, card.Mode, card.Duration, card.Prompt, card.CostUsd, card.Bytes));
    }

    [Fact]
    public void Is_liberal_fields_missing_of_another_type_or_unknown_and_the_request_fills_in()
    {
        GalleryCard card = SidecarReader.Parse("""{"kind":"kling.video/1","row":"3","duration":null,"new":[1],"request":{"model":"kling-v2-6","prompt":"p","duration":10}}""", "f.mp4")!;

        Assert.Equal((3, "kling-v2-6", "p", 10), (card.Row, card.Model, card.Prompt, card.Duration));
        Assert.Null(card.CostUsd);
        Assert.Null(card.TaskId);
    }

    [Theory]
    [InlineData("""{"kind":"kling.video/2"}""")]
    [InlineData("""{"prompt":"no kind"}""")]
    [InlineData("[1,2]")]
    [InlineData("{ torn")]
    public void Is_no_sidecar_unless_it_says_its_kind(string json)
    {
        Assert.Null(SidecarReader.Parse(json, "f.mp4"));
    }
}
