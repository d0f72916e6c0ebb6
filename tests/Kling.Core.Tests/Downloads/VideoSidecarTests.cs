using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Kling.Core.Media;
using Kling.Core.Wire;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The sidecar beside a saved video (SIDECAR.md): its fields from a real task over loopback, nothing unknown, no key, and never over a file Kling did not write.</summary>
public sealed class VideoSidecarTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-sidecar-" + Guid.NewGuid().ToString("n"));
    private readonly HttpClient control = new();
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.2, VideoBytes = 50000 });
    }

    public async Task DisposeAsync()
    {
        control.Dispose();
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private KlingClient Client() =>
        new(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString(emulator.ApiKey), "test"));

    private static JsonObject Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "a byte order mark");
        return JsonNode.Parse(bytes)!.AsObject();
    }

    private static KlingTask Done(string id = "task_abc", int videos = 1) => new(id)
    {
        Status = KlingTaskStatus.Completed,
        VideoUrl = Enumerable.Range(1, videos).Select(i => $"https://cdn.example.com/v/{i}.mp4?X-Signature=secret{i}").ToArray(),
        Completed = DateTimeOffset.UtcNow,
    };

    /// <summary>Every value of the object, however deep: a sidecar leaves out what it does not know, never writes null.</summary>
    private static IEnumerable<JsonNode?> Values(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Values(p.Value).Prepend(p.Value)),
        JsonArray a => a.SelectMany(v => Values(v).Prepend(v)),
        _ => Enumerable.Empty<JsonNode?>(),
    };

    [Fact]
    public async Task A_saved_videos_sidecar_says_what_was_sent_what_it_cost_and_where_it_came_from_without_the_key()
    {
        KlingClient client = Client();
        string png = Path.Combine(folder, "heron.png");
        File.WriteAllBytes(png, ImageTests.Png.Concat(new byte[200]).ToArray());
        LocalImage image = ImageFile.Inspect(png, out string? problem)!;
        Assert.Null(problem);
        ImageUpload upload = await client.UploadImageAsync(image, CancellationToken.None);
        var request = new VideoRequest { Model = "kling-v3", Prompt = "a heron lifts off the water — 鷺", Mode = "pro", Duration = 5, Images = new List<ImageRef> { ImageRef.FromFile(image) } };
        VideoRequest sent = request.WithImageUrls(_ => upload.Url);

        KlingTask task = await client.SubmitAsync(sent, CancellationToken.None);
        task.Row = 7;
        task.Name = "clip-007";
        task.EstimatedCost = 0.56;
        while (!task.IsFinished)
        {
            await Task.Delay(50);
            task.Update(await client.GetTaskAsync(task.TaskId, CancellationToken.None));
        }

        Assert.True(task.IsCompleted);
        var save = new SaveFolder(folder, force: false);
        SaveSlot slot = save.PickFor(task, 0);
        long bytes = await client.Downloads.DownloadResultAsync(task.TaskId, 0, new Uri(task.VideoUrl[0]), slot.Path, null, slot.Claim, CancellationToken.None);
        DateTimeOffset savedAt = DateTimeOffset.Now;

        Assert.Equal(SidecarResult.Written, VideoSidecar.Write(task, 0, slot.Path, bytes, savedAt));

        string path = Path.Combine(folder, "clip-007.mp4.json");
        JsonObject sidecar = Read(path);
        Assert.Equal("kling.video/1", (string?)sidecar["kind"]);
        Assert.Equal("Kling " + KlingClient.ModuleVersion, (string?)sidecar["module"]);
        Assert.Equal("clip-007.mp4", (string?)sidecar["file"]);
        Assert.False(sidecar.ContainsKey("index"));
        Assert.Equal(task.TaskId, (string?)sidecar["taskId"]);
        Assert.Equal(7, (int?)sidecar["row"]);
        Assert.Equal("clip-007", (string?)sidecar["name"]);
        Assert.Equal("kling-v3", (string?)sidecar["model"]);
        Assert.Equal("pro", (string?)sidecar["mode"]);
        Assert.Equal(5, (int?)sidecar["duration"]);
        Assert.Equal("a heron lifts off the water — 鷺", (string?)sidecar["prompt"]);

        // The body exactly as the gateway received it.
        string received = JsonDocument.Parse(await control.GetStringAsync(new Uri(emulator.GatewayUri, "/_emulator/requests"))).RootElement
            .EnumerateArray().Single(r => r.GetProperty("method").GetString() == "POST" && r.GetProperty("path").GetString() == "/v1/videos/generations")
            .GetProperty("body").GetString()!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(received), sidecar["request"]), sidecar["request"]!.ToJsonString());
        JsonObject img = Assert.Single(sidecar["images"]!.AsArray())!.AsObject();
        Assert.Equal((png, image.Sha256, upload.Url), ((string?)img["path"], (string?)img["sha256"], (string?)img["url"]));

        Assert.Equal(0.56, (double?)sidecar["estimatedUsd"]);
        Assert.NotNull(task.Cost);
        Assert.Equal(task.Cost, (double?)sidecar["costUsd"]);
        Assert.Equal(task.Credits, (double?)sidecar["credits"]);
        Assert.Equal(task.Created!.Value, DateTimeOffset.Parse((string)sidecar["createdAt"]!));
        Assert.Equal(task.Completed!.Value, DateTimeOffset.Parse((string)sidecar["completedAt"]!));
        Assert.Equal(savedAt.ToString("o"), (string?)sidecar["savedAt"]);
        Assert.Equal(new Uri(task.VideoUrl[0]).Host, (string?)sidecar["resultHost"]);
        Assert.Equal(new FileInfo(slot.Path).Length, (long?)sidecar["bytes"]);

        string text = File.ReadAllText(path, Encoding.UTF8);
        Assert.DoesNotContain(emulator.ApiKey, text);
        Assert.DoesNotContain(new Uri(task.VideoUrl[0]).PathAndQuery, text);
        Assert.DoesNotContain(Values(sidecar), v => v == null);
        Assert.Equal(new[] { "clip-007.mp4", "clip-007.mp4.json" }, Directory.GetFiles(folder, "clip-007*").Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void What_is_not_known_is_left_out()
    {
        string video = Path.Combine(folder, "task_abc.mp4");
        Assert.Equal(SidecarResult.Written, VideoSidecar.Write(Done(), 0, video, 10, DateTimeOffset.UtcNow));
        JsonObject sidecar = Read(video + ".json");
        Assert.Equal(
            new[] { "kind", "module", "file", "taskId", "completedAt", "savedAt", "resultHost", "bytes" },
            sidecar.Select(p => p.Key));
        Assert.Equal("cdn.example.com", (string?)sidecar["resultHost"]);
        Assert.DoesNotContain("secret", File.ReadAllText(video + ".json"));
    }

    [Fact]
    public void Several_videos_are_numbered_and_the_tasks_cost_goes_with_the_first()
    {
        KlingTask task = Done(videos: 2);
        task.Cost = 1.12;
        task.Credits = 11.2;
        task.EstimatedCost = 1.2;
        VideoSidecar.Write(task, 0, Path.Combine(folder, "a-1.mp4"), 10, DateTimeOffset.UtcNow);
        VideoSidecar.Write(task, 1, Path.Combine(folder, "a-2.mp4"), 10, DateTimeOffset.UtcNow);
        JsonObject first = Read(Path.Combine(folder, "a-1.mp4.json"));
        JsonObject second = Read(Path.Combine(folder, "a-2.mp4.json"));
        Assert.Equal((1, 1.12, 11.2, 1.2), ((int)first["index"]!, (double)first["costUsd"]!, (double)first["credits"]!, (double)first["estimatedUsd"]!));
        Assert.Equal(2, (int)second["index"]!);
        Assert.False(second.ContainsKey("costUsd") || second.ContainsKey("credits") || second.ContainsKey("estimatedUsd"));
    }

    [Fact]
    public void A_recalled_task_whose_upload_this_run_did_not_make_names_its_images_but_no_body()
    {
        string png = Path.Combine(folder, "frame.png");
        File.WriteAllBytes(png, ImageTests.Png.Concat(new byte[50]).ToArray());
        LocalImage image = ImageFile.Inspect(png, out _)!;
        KlingTask task = Done();
        task.Request = new VideoRequest { Prompt = "p", Images = new List<ImageRef> { ImageRef.FromFile(image) } };
        VideoSidecar.Write(task, 0, Path.Combine(folder, "r.mp4"), 10, DateTimeOffset.UtcNow);
        JsonObject sidecar = Read(Path.Combine(folder, "r.mp4.json"));
        Assert.False(sidecar.ContainsKey("request"));
        JsonObject img = Assert.Single(sidecar["images"]!.AsArray())!.AsObject();
        Assert.Equal(new[] { "path", "sha256" }, img.Select(p => p.Key));
        Assert.Equal("p", (string?)sidecar["prompt"]);
    }

    [Theory]
    [InlineData("{\"kind\": \"something.else/1\"}")]
    [InlineData("{\"taskId\": \"task_abc\"}")]
    [InlineData("[\"kling.video/1\"]")]
    [InlineData("my notes, not JSON")]
    [InlineData("")]
    public void A_file_Kling_did_not_write_is_never_overwritten(string content)
    {
        string video = Path.Combine(folder, "mine.mp4");
        File.WriteAllText(video + ".json", content);
        Assert.Equal(SidecarResult.Foreign, VideoSidecar.Write(Done(), 0, video, 10, DateTimeOffset.UtcNow));
        Assert.Equal(content, File.ReadAllText(video + ".json"));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_folder_under_the_name_is_left_alone()
    {
        string video = Path.Combine(folder, "dir.mp4");
        Directory.CreateDirectory(video + ".json");
        Assert.Equal(SidecarResult.Foreign, VideoSidecar.Write(Done(), 0, video, 10, DateTimeOffset.UtcNow));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_sidecar_Kling_wrote_is_replaced_whole()
    {
        string video = Path.Combine(folder, "again.mp4");
        VideoSidecar.Write(Done(), 0, video, 10, DateTimeOffset.UtcNow);
        KlingTask later = Done();
        later.Name = "renamed";
        Assert.Equal(SidecarResult.Written, VideoSidecar.Write(later, 0, video, 20, DateTimeOffset.UtcNow));
        JsonObject sidecar = Read(video + ".json");
        Assert.Equal(("renamed", 20L), ((string?)sidecar["name"], (long)sidecar["bytes"]!));

        // One an editor saved with a byte order mark is still Kling's.
        File.WriteAllBytes(video + ".json", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(File.ReadAllBytes(video + ".json")).ToArray());
        Assert.Equal(SidecarResult.Written, VideoSidecar.Write(Done(), 0, video, 30, DateTimeOffset.UtcNow));
        Assert.Equal(30L, (long)Read(video + ".json")["bytes"]!);
        Assert.Equal(new[] { "again.mp4.json" }, Directory.GetFiles(folder).Select(Path.GetFileName));
    }
}
