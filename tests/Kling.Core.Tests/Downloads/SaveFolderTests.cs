using System.Text;
using System.Text.Json;
using Kling.Core;
using Kling.Core.Downloads;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Names claimed atomically and noted in the index, by savers that do not know of each other.</summary>
public sealed class SaveFolderTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-save-" + Guid.NewGuid().ToString("n"));

    public SaveFolderTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Partial(SaveSlot slot, byte fill)
    {
        File.WriteAllBytes(slot.PartialPath, Enumerable.Repeat(fill, 10 + fill).ToArray());
        return slot.PartialPath;
    }

    private List<JsonElement> IndexLines() =>
        File.ReadAllLines(Path.Combine(folder, SavedFileIndex.FileName)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void Two_savers_that_picked_one_name_both_keep_their_video_under_distinct_names()
    {
        // Two savers, as two processes would be: each picks before the other claims.
        var first = new SaveFolder(folder, force: false);
        var second = new SaveFolder(folder, force: false);
        SaveSlot a = first.Pick("same", "", ".mp4", "task_a", 0);
        SaveSlot b = second.Pick("same", "", ".mp4", "task_b", 0);
        Assert.Equal("same.mp4", a.FileName);
        Assert.Equal("same.mp4", b.FileName);

        string pathA = a.Claim(Partial(a, 1), 11);
        string pathB = b.Claim(Partial(b, 2), 12);

        Assert.Equal(Path.Combine(folder, "same.mp4"), pathA);
        Assert.Equal(Path.Combine(folder, "same_2.mp4"), pathB);
        Assert.Null(a.TakenMeanwhile);
        Assert.Equal("same.mp4", b.TakenMeanwhile);
        Assert.Equal(11, new FileInfo(pathA).Length);
        Assert.Equal(12, new FileInfo(pathB).Length);
        List<JsonElement> lines = IndexLines();
        Assert.Equal(new[] { "same.mp4", "same_2.mp4" }, lines.Select(l => l.GetProperty("file").GetString()));
        Assert.Equal(new[] { "task_a", "task_b" }, lines.Select(l => l.GetProperty("taskId").GetString()));

        // A third saver sees both claims and finds each task's own file.
        var third = new SaveFolder(folder, force: false);
        Assert.True(third.Pick("same", "", ".mp4", "task_b", 0).AlreadySaved);
        Assert.Equal("same_2.mp4", new SaveFolder(folder, false).Pick("same", "", ".mp4", "task_b", 0).FileName);
    }

    [Fact]
    public void Force_overwrites_the_file_it_picked_but_not_one_another_saver_claimed_since()
    {
        File.WriteAllText(Path.Combine(folder, "clip.mp4"), "stale");
        var first = new SaveFolder(folder, force: true);
        var second = new SaveFolder(folder, force: true);
        SaveSlot a = first.Pick("clip", "", ".mp4", "task_a", 0);
        SaveSlot b = second.Pick("clip", "", ".mp4", "task_b", 0);
        Assert.True(a.Existed);

        Assert.Equal(Path.Combine(folder, "clip.mp4"), b.Claim(Partial(b, 2), 12));
        Assert.Equal(Path.Combine(folder, "clip_2.mp4"), a.Claim(Partial(a, 1), 11));
        Assert.Equal(12, new FileInfo(Path.Combine(folder, "clip.mp4")).Length);
        Assert.Equal(11, new FileInfo(Path.Combine(folder, "clip_2.mp4")).Length);
    }

    [Fact]
    public void A_file_created_under_the_name_while_downloading_is_kept()
    {
        SaveSlot slot = new SaveFolder(folder, force: false).Pick("late", "", ".mp4", "task_a", 0);
        File.WriteAllText(Path.Combine(folder, "late.mp4"), "someone else's");
        string path = slot.Claim(Partial(slot, 1), 11);
        Assert.Equal(Path.Combine(folder, "late_2.mp4"), path);
        Assert.Equal("someone else's", File.ReadAllText(Path.Combine(folder, "late.mp4")));
    }

    [Fact]
    public void A_rerun_whose_name_was_taken_meanwhile_takes_its_bytes_along_to_the_new_name()
    {
        // A stopped run left task_b's bytes beside same.mp4; task_a has saved same.mp4 since.
        File.WriteAllBytes(Path.Combine(folder, "same.mp4") + SaveFolder.PartialSuffix("task_b"), new byte[7]);
        File.WriteAllBytes(Path.Combine(folder, "same.mp4"), new byte[3]);
        SaveSlot slot = new SaveFolder(folder, force: false).Pick("same", "", ".mp4", "task_b", 0);
        Assert.Equal("same_2.mp4", slot.FileName);
        slot.TakeOverPartial();
        Assert.Equal(7, new FileInfo(slot.PartialPath).Length);
        Assert.False(File.Exists(Path.Combine(folder, "same.mp4") + SaveFolder.PartialSuffix("task_b")));
    }

    [Fact]
    public void An_append_after_a_torn_line_starts_a_line_of_its_own()
    {
        string index = Path.Combine(folder, SavedFileIndex.FileName);
        File.WriteAllText(index, "{\"file\":\"torn.mp4\",\"tas");
        SaveSlot slot = new SaveFolder(folder, force: false).Pick("next", "", ".mp4", "task_a", 0);
        slot.Claim(Partial(slot, 1), 11);
        string[] lines = File.ReadAllLines(index);
        Assert.Equal(2, lines.Length);
        Assert.Equal("next.mp4", JsonDocument.Parse(lines[1]).RootElement.GetProperty("file").GetString());
        Assert.True(new SaveFolder(folder, force: false).Pick("next", "", ".mp4", "task_a", 0).AlreadySaved);
    }

    [Fact]
    public void A_missing_temporary_file_is_a_local_file_error_naming_it()
    {
        SaveSlot slot = new SaveFolder(folder, force: false).Pick("gone", "", ".mp4", "task_a", 0);
        var error = Assert.Throws<LocalFileException>(() => slot.Claim(slot.PartialPath, 10));
        Assert.Equal(slot.PartialPath, error.Path);
        Assert.Contains(slot.PartialPath, error.Message);
    }
}
