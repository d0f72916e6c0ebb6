using System.Net.Http.Json;
using System.Text.Json;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// A partial file belongs to one download at a time, and a saved video always to the index: what lets two processes
/// save the same tasks into one folder, and a run whose index write failed be finished by the next. (Two real
/// processes: tests/Pester/Save-KlingVideo.Race.Tests.ps1; a disk that fills up: Save-KlingVideo.Files.Tests.ps1.)
/// </summary>
public sealed class PartialFileTests : IAsyncLifetime
{
    private const int VideoBytes = 200000;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-partial-" + Guid.NewGuid().ToString("n"));
    private readonly List<string> trace = new();
    private readonly HttpClient control = new();
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.2, VideoBytes = VideoBytes });
    }

    public async Task DisposeAsync()
    {
        control.Dispose();
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private KlingClient Client() =>
        new KlingClient(new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(emulator.ApiKey), "test"), line => { lock (trace) { trace.Add(line); } });

    private async Task<int> Downloads() =>
        JsonDocument.Parse(await control.GetStringAsync(new Uri(emulator.GatewayUri, "/_emulator/stats"))).RootElement.GetProperty("downloads").GetInt32();

    private async Task<KlingTask> CompletedTask(KlingClient client)
    {
        KlingTask submitted = await client.SubmitAsync(new VideoRequest { Prompt = "a heron" }, CancellationToken.None);
        KlingTask task;
        do
        {
            await Task.Delay(50);
            task = await client.GetTaskAsync(submitted.TaskId, CancellationToken.None);
        }
        while (!task.IsFinished);

        return task;
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "Timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    private string Partial(SaveSlot slot, int length)
    {
        File.WriteAllBytes(slot.PartialPath, new byte[length]);
        return slot.PartialPath;
    }

    [Fact]
    public void A_partial_file_is_held_by_one_download_at_a_time()
    {
        string path = Path.Combine(folder, "one.mp4.task_1.partial");
        using (PartialFile? first = PartialFile.TryOwn(path))
        {
            Assert.NotNull(first);
            Assert.Null(PartialFile.TryOwn(path));
        }

        using PartialFile? next = PartialFile.TryOwn(path);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task A_download_waits_while_another_holds_its_partial_file_and_takes_the_copy_saved_meanwhile()
    {
        KlingClient client = Client();
        KlingTask task = await CompletedTask(client);
        string target = Path.Combine(folder, "waits.mp4");
        string partialPath = ResultDownloader.PartialPathFor(target, task.TaskId);
        string? savedByOther = null;
        PartialFile other = PartialFile.TryOwn(partialPath)!;
        other.Write(new byte[] { 1, 2, 3 }, 3);

        var options = new DownloadOptions { SavedMeanwhile = () => Volatile.Read(ref savedByOther) };
        Task<long> download = client.Downloads.DownloadResultAsync(task.TaskId, 0, new Uri(task.VideoUrl[0]), target, options, CancellationToken.None);
        await Until(() => { lock (trace) { return trace.Any(l => l.Contains("being written by another download")); } }, "the download to wait");
        Assert.False(download.IsCompleted);
        Assert.Equal(3, new FileInfo(partialPath).Length); // neither truncated nor written to

        // The other download completes and saves the video under another name, then lets go of the partial file.
        string saved = Path.Combine(folder, "waits-other.mp4");
        File.WriteAllBytes(saved, new byte[VideoBytes]);
        Volatile.Write(ref savedByOther, saved);
        other.Discard();
        other.Dispose();

        Assert.Equal(VideoBytes, await download);
        Assert.Equal(0, await Downloads());
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(partialPath));
    }

    [Fact]
    public async Task A_download_that_finds_its_partial_file_let_go_unsaved_resumes_from_its_bytes()
    {
        KlingClient client = Client();
        KlingTask task = await CompletedTask(client);
        string target = Path.Combine(folder, "resumes.mp4");
        string partialPath = ResultDownloader.PartialPathFor(target, task.TaskId);
        byte[] expected = GatewayEmulator.ExpectedVideoBytes(task.TaskId, VideoBytes);
        PartialFile other = PartialFile.TryOwn(partialPath)!;
        other.Write(expected, 50000);

        Task<long> download = client.Downloads.DownloadResultAsync(task.TaskId, 0, new Uri(task.VideoUrl[0]), target, new DownloadOptions { SavedMeanwhile = () => null }, CancellationToken.None);
        await Until(() => { lock (trace) { return trace.Any(l => l.Contains("being written by another download")); } }, "the download to wait");

        // The other download stopped (a process killed, a link that failed): its bytes are this one's to finish.
        other.Dispose();
        Assert.Equal(VideoBytes, await download);
        Assert.Equal(expected, File.ReadAllBytes(target));
        lock (trace)
        {
            Assert.Contains(trace, l => l.Contains("from byte 50000"));
        }
    }

    [Fact]
    public void A_result_another_saver_saved_meanwhile_is_this_one_s_file_not_a_second_copy()
    {
        // Two savers, as two processes would be, save the same task: each picks before the other claims.
        var first = new SaveFolder(folder, force: false);
        var second = new SaveFolder(folder, force: false);
        SaveSlot a = first.Pick("same", "", ".mp4", "task_a", 0);
        SaveSlot b = second.Pick("same", "", ".mp4", "task_a", 0);
        Assert.Null(b.SavedMeanwhile());

        string saved = a.Claim(Partial(a, 11), 11);
        Assert.Equal(Path.Combine(folder, "same.mp4"), saved);
        Assert.Equal(saved, b.SavedMeanwhile());
        Assert.True(b.SavedByOther);

        // Had the second downloaded it too, its claim drops its copy and takes the first's file.
        string secondCopy = Partial(b, 11);
        Assert.Equal(saved, b.Claim(secondCopy, 11));
        Assert.False(File.Exists(secondCopy));
        Assert.Null(b.TakenMeanwhile);
        Assert.Equal(new[] { "same.mp4" }, Directory.GetFiles(folder, "*.mp4").Select(Path.GetFileName));
    }

    [Fact]
    public void A_video_saved_under_another_name_is_found_whatever_its_name()
    {
        File.WriteAllText(Path.Combine(folder, "clip.mp4"), "someone else's");
        SaveSlot slot = new SaveFolder(folder, force: false).Pick("clip", "", ".mp4", "task_a", 0);
        Assert.Equal("clip_2.mp4", slot.FileName);
        slot.Claim(Partial(slot, 11), 11);

        // The stranger's file is gone; the next run still finds the video where it is, and saves no copy to clip.mp4.
        File.Delete(Path.Combine(folder, "clip.mp4"));
        SaveSlot again = new SaveFolder(folder, force: false).Pick("clip", "", ".mp4", "task_a", 0);
        Assert.True(again.AlreadySaved);
        Assert.Equal("clip_2.mp4", again.FileName);
    }

    [Fact]
    public void An_index_that_cannot_be_written_leaves_the_complete_video_under_its_temporary_name_for_the_rerun()
    {
        // A folder where the index file would be: it cannot be opened for writing, also by root.
        string index = Path.Combine(folder, SavedFileIndex.FileName);
        Directory.CreateDirectory(index);
        SaveSlot slot = new SaveFolder(folder, force: false).Pick("noted", "", ".mp4", "task_a", 0);
        string partial = Partial(slot, 11);

        LocalFileException error = Assert.Throws<LocalFileException>(() => slot.Claim(partial, 11));
        Assert.True(error.NotIndexedVideo);
        Assert.Equal(index, error.Path);
        Assert.Contains(index, error.Message);
        Assert.Contains(partial, error.Message);
        Assert.Equal(11, new FileInfo(partial).Length);
        Assert.False(File.Exists(slot.Path));

        // Once the index can be written, the rerun picks the same name and takes it, noted.
        Directory.Delete(index);
        SaveSlot rerun = new SaveFolder(folder, force: false).Pick("noted", "", ".mp4", "task_a", 0);
        Assert.Equal("noted.mp4", rerun.FileName);
        Assert.Equal(slot.Path, rerun.Claim(partial, 11));
        Assert.True(new SaveFolder(folder, force: false).Pick("noted", "", ".mp4", "task_a", 0).AlreadySaved);
    }
}
