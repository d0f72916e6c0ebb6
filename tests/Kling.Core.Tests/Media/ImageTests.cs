using System.Net.Http.Json;
using System.Text.Json;
using Kling.Core.Catalog;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Local images: checks by content and size, how rows name them, and the upload cache against the emulator.</summary>
public sealed class ImageTests : IAsyncLifetime
{
    internal static readonly byte[] Png = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
    internal static readonly byte[] Jpeg = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16 };
    internal static readonly byte[] Webp = { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 1, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' };
    internal static readonly byte[] Gif = { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' };

    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-img-" + Guid.NewGuid().ToString("n"));
    private readonly HttpClient control = new();
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.2 });
    }

    public async Task DisposeAsync()
    {
        control.Dispose();
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private string Write(string name, byte[] head, int extra = 64)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, head.Concat(Enumerable.Range(0, extra).Select(i => (byte)(i ^ name.Length))).ToArray());
        return path;
    }

    private KlingClient Client() =>
        new KlingClient(new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(emulator.ApiKey), "test"))
        {
            Retry = { BaseDelay = TimeSpan.FromMilliseconds(20) },
        };

    private async Task<int> UploadRequests()
    {
        string json = await control.GetStringAsync(new Uri(emulator.GatewayUri, "/_emulator/requests"));
        return JsonDocument.Parse(json).RootElement.EnumerateArray().Count(r => r.GetProperty("path").GetString()!.StartsWith("/v1/uploads/images", StringComparison.Ordinal));
    }

    private async Task Fault(object fault) =>
        (await control.PostAsJsonAsync(new Uri(emulator.GatewayUri, "/_emulator/faults"), fault)).EnsureSuccessStatusCode();

    [Theory]
    [InlineData("a.jpg", "image/jpeg")]
    [InlineData("a.png", "image/png")]
    [InlineData("a.webp", "image/webp")]
    [InlineData("a.gif", "image/gif")]
    public void Recognises_the_four_types_by_content(string name, string expected)
    {
        byte[] head = expected switch { "image/jpeg" => Jpeg, "image/png" => Png, "image/webp" => Webp, _ => Gif };
        // The name lies on purpose: the content decides.
        LocalImage? image = ImageFile.Inspect(Write(name + ".txt", head), out string? problem);
        Assert.Null(problem);
        Assert.Equal(expected, image!.ContentType);
        Assert.Matches("^[0-9a-f]{64}$", image.Sha256);
        Assert.Equal("sha256:" + image.Sha256, image.Placeholder);
    }

    [Fact]
    public void Refuses_text_named_png_empty_files_folders_and_missing_files()
    {
        string text = Path.Combine(folder, "text.png");
        File.WriteAllText(text, "just some text, not an image");
        Assert.Null(ImageFile.Inspect(text, out string? problem));
        Assert.Contains("not a JPEG, PNG, WebP or GIF", problem);

        string empty = Path.Combine(folder, "empty.png");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        Assert.Null(ImageFile.Inspect(empty, out problem));
        Assert.Equal("is empty", problem);

        Assert.Null(ImageFile.Inspect(folder, out problem));
        Assert.Contains("folder", problem);

        Assert.Null(ImageFile.Inspect(Path.Combine(folder, "nope.png"), out problem));
        Assert.Equal("does not exist", problem);
    }

    [Fact]
    public void Refuses_images_over_20_MB_without_reading_them()
    {
        string big = Path.Combine(folder, "big.png");
        using (var stream = new FileStream(big, FileMode.Create))
        {
            stream.Write(Png);
            stream.SetLength(ImageFile.MaxBytes + 1); // sparse: no 20 MB written
        }

        Assert.Null(ImageFile.Inspect(big, out string? problem));
        Assert.Contains("at most 20 MB", problem);

        using (var stream = new FileStream(big, FileMode.Open))
        {
            stream.SetLength(ImageFile.MaxBytes);
        }

        Assert.NotNull(ImageFile.Inspect(big, out problem));
    }

    [Fact]
    public void First_and_last_frames_become_placeholders_in_order_resolved_by_the_caller()
    {
        Write("first.png", Png);
        Write("last.jpg", Jpeg);
        var input = new VideoInput { Prompt = "bloom", FirstFrame = "first.png", LastFrame = "last.jpg", ImageReader = new DiskImageReader(p => Path.Combine(folder, p)) };
        VideoRequest? request = VideoRequestValidator.TryBuild(input, out var problems);
        Assert.Empty(problems);
        Assert.Equal(2, request!.LocalImages!.Count);
        Assert.Equal(request.LocalImages.Select(i => i.Placeholder), request.ImageUrls);
        Assert.Equal(Path.Combine(folder, "first.png"), request.LocalImages[0].Path);
        Assert.DoesNotContain("sha256", GatewayJson.Serialize(request.WithImageUrls(i => "https://cdn.example/" + i.Sha256)));
        Assert.Equal("https://cdn.example/" + request.LocalImages[1].Sha256, request.WithImageUrls(i => "https://cdn.example/" + i.Sha256).ImageUrls![1]);
    }

    [Fact]
    public void A_url_and_a_file_mix_in_one_cell()
    {
        Write("b.gif", Gif);
        var input = new VideoInput { Prompt = "x", Images = new[] { "https://cdn.example/a.png; b.gif" }, ImageReader = new DiskImageReader(p => Path.Combine(folder, p)) };
        VideoRequest? request = VideoRequestValidator.TryBuild(input, out var problems);
        Assert.Empty(problems);
        Assert.Equal("https://cdn.example/a.png", request!.ImageUrls![0]);
        Assert.StartsWith("sha256:", request.ImageUrls[1]);
        Assert.Single(request.LocalImages!);
    }

    [Theory]
    [InlineData("first_frame", "image")]
    [InlineData("image", "image_urls")]
    public void Images_given_two_ways_are_rejected(string one, string other)
    {
        var input = new VideoInput { Prompt = "x" };
        foreach (string field in new[] { one, other })
        {
            switch (field)
            {
                case "first_frame": input.FirstFrame = "https://cdn.example/1.png"; break;
                case "image": input.Images = new[] { "https://cdn.example/2.png" }; break;
                default: input.ImageUrls = new[] { "https://cdn.example/3.png" }; break;
            }
        }

        Assert.Null(VideoRequestValidator.TryBuild(input, out var problems));
        Assert.Contains(problems, p => p.Field == other && p.Message.Contains("one way only", StringComparison.Ordinal));
    }

    [Fact]
    public void A_last_frame_needs_a_first_frame()
    {
        Assert.Null(VideoRequestValidator.TryBuild(new VideoInput { Prompt = "x", LastFrame = "https://cdn.example/1.png" }, out var problems));
        Assert.Contains(problems, p => p.Field == "last_frame" && p.Message.Contains("first_frame", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_file_names_its_field_and_path()
    {
        File.WriteAllText(Path.Combine(folder, "fake.png"), "hello");
        Assert.Null(VideoRequestValidator.TryBuild(new VideoInput { Prompt = "x", FirstFrame = "fake.png", ImageReader = new DiskImageReader(p => Path.Combine(folder, p)) }, out var problems));
        ValidationProblem problem = Assert.Single(problems);
        Assert.Equal("first_frame", problem.Field);
        Assert.Contains(Path.Combine(folder, "fake.png"), problem.Message);
    }

    [Fact]
    public void The_journal_identity_of_a_row_with_local_images_is_its_content_not_the_upload()
    {
        Write("frame.png", Png);
        VideoRequest Build() => VideoRequestValidator.TryBuild(new VideoInput { Prompt = "x", FirstFrame = "frame.png", ImageReader = new DiskImageReader(p => Path.Combine(folder, p)) }, out _)!;
        string journalPath = Path.Combine(folder, "j.jsonl");
        string firstKey;
        using (SubmissionJournal journal = SubmissionJournal.Open(journalPath))
        {
            firstKey = journal.KeyFor(Build());
        }

        using (SubmissionJournal journal = SubmissionJournal.Open(journalPath))
        {
            Assert.Equal(firstKey, journal.KeyFor(Build()));
        }

        // Another image content is another row.
        Write("frame.png", Png, extra: 65);
        using (SubmissionJournal journal = SubmissionJournal.Open(journalPath))
        {
            Assert.NotEqual(firstKey, journal.KeyFor(Build()));
        }
    }

    [Fact]
    public async Task Concurrent_rows_with_one_image_make_one_upload()
    {
        LocalImage image = ImageFile.Inspect(Write("shared.png", Png), out _)!;
        var cache = new ImageUploadCache();
        KlingClient client = Client();
        ImageUpload[] uploads = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() => cache.GetOrUploadAsync(client, image, false, CancellationToken.None))));
        Assert.Equal(1, await UploadRequests());
        Assert.Single(uploads.Select(u => u.Url).Distinct());
        Assert.Equal(29, uploads.Count(u => u.FromCache));
        Assert.StartsWith(emulator.StorageUri.ToString(), uploads[0].Url);
        Assert.Equal(uploads[0].CreatedAt + TimeSpan.FromHours(72), uploads[0].ExpiresAt);

        // The URL serves the very bytes uploaded.
        Assert.Equal(File.ReadAllBytes(image.Path), await control.GetByteArrayAsync(uploads[0].Url));
    }

    [Fact]
    public async Task An_upload_near_the_end_of_its_72_hours_is_made_again()
    {
        LocalImage image = ImageFile.Inspect(Write("aging.png", Png), out _)!;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var cache = new ImageUploadCache { Clock = () => now };
        KlingClient client = Client();
        ImageUpload first = await cache.GetOrUploadAsync(client, image, false, CancellationToken.None);
        now = now.AddHours(69);
        ImageUpload second = await cache.GetOrUploadAsync(client, image, false, CancellationToken.None);
        Assert.Equal(first.Url, second.Url);
        Assert.Equal(1, await UploadRequests());

        now = now.AddHours(2); // 71 h: within the 2 h margin
        ImageUpload third = await cache.GetOrUploadAsync(client, image, false, CancellationToken.None);
        Assert.NotEqual(first.Url, third.Url);
        Assert.Equal(2, await UploadRequests());
    }

    [Fact]
    public async Task A_failed_upload_is_not_cached_and_force_uploads_again()
    {
        LocalImage image = ImageFile.Inspect(Write("flaky.png", Png), out _)!;
        var cache = new ImageUploadCache();
        KlingClient client = Client();
        await Fault(new { route = "upload", kind = "status", status = 400, times = 1 });
        var error = await Assert.ThrowsAsync<GatewayException>(() => cache.GetOrUploadAsync(client, image, false, CancellationToken.None));
        Assert.True(error.DuringUpload);
        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.Contains(image.Path, error.Message);

        ImageUpload upload = await cache.GetOrUploadAsync(client, image, false, CancellationToken.None);
        Assert.False(upload.FromCache);
        ImageUpload again = await cache.GetOrUploadAsync(client, image, true, CancellationToken.None);
        Assert.NotEqual(upload.Url, again.Url);
        Assert.Equal(3, await UploadRequests());
    }

    [Fact]
    public async Task Uploads_are_retried_on_5xx_and_429()
    {
        LocalImage image = ImageFile.Inspect(Write("retry.webp", Webp), out _)!;
        await Fault(new { route = "upload", kind = "status", status = 503, times = 1 });
        await Fault(new { route = "upload", kind = "status", status = 429, times = 1, retryAfter = "0" });
        ImageUpload upload = await Client().UploadImageAsync(image, CancellationToken.None);
        Assert.Equal("image/webp", upload.ContentType);
        Assert.Equal(3, await UploadRequests());
    }
}
