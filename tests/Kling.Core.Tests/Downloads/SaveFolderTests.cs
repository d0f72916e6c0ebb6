using System.Text;
using System.Text.Json;
using Kling.Core;
using Kling.Core.Downloads;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>File names cut by the file system's real limit, between characters.</summary>
public sealed class FileNameLimitTests
{
    private static int Utf8(string s) => Encoding.UTF8.GetByteCount(s);

    private static void AssertWellFormed(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                Assert.True(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]), $"a lone high surrogate at {i}");
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(s[i]), $"a lone low surrogate at {i}");
            }
        }
    }

    [Fact]
    public void Two_hundred_CJK_characters_fit_in_255_UTF8_bytes_on_Linux_and_macOS()
    {
        string label = new string('猫', 200);
        string name = SafeFileName.Clean(label, SafeFileName.MaxLength, utf16: false);
        Assert.Equal(85, name.Length); // 85 * 3 = 255 bytes
        Assert.Equal(new string('猫', 85), name);
    }

    [Fact]
    public void Three_hundred_CJK_characters_are_cut_to_255_UTF16_units_on_Windows()
    {
        string label = new string('猫', 300);
        Assert.Equal(255, SafeFileName.Clean(label, SafeFileName.MaxLength, utf16: true).Length);
    }

    [Fact]
    public void The_file_name_with_every_suffix_and_the_temporary_name_fit_on_this_platform()
    {
        string stem = SafeFileName.From(new string('猫', 200), "task_1");
        string taskId = "task_abcdefghijklmnop";
        foreach (string suffix in new[] { string.Empty, "-1", "-12" })
        {
            foreach (int n in new[] { 1, 2, 999, 12345 })
            {
                string name = SaveFolder.NameFor(stem, suffix, n, ".mp4", taskId);
                Assert.StartsWith("猫", name);
                Assert.EndsWith(suffix + (n > 1 ? "_" + n : string.Empty) + ".mp4", name);
                Assert.True(SafeFileName.Measure(name + SaveFolder.PartialSuffix(taskId)) <= 255, name);
                Assert.True(Utf8(name + SaveFolder.PartialSuffix(taskId)) <= 255 || OperatingSystem.IsWindows(), name);
            }
        }

        // The counter's room is kept, so name.mp4 and name_2.mp4 ... name_999.mp4 share one stem.
        Assert.Equal(SaveFolder.NameFor(stem, "", 1, ".mp4", taskId)[..^4], SaveFolder.NameFor(stem, "", 999, ".mp4", taskId)[..^8]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_emoji_at_the_cut_is_dropped_whole_never_split(bool utf16)
    {
        // 'a' x 250 then an emoji (2 UTF-16 units, 4 UTF-8 bytes) that crosses the limit whichever way it is counted.
        string label = new string('a', utf16 ? 252 : 250) + "😀😀";
        string cut = SafeFileName.Fit(label, 253, utf16);
        AssertWellFormed(cut);
        Assert.Equal(new string('a', utf16 ? 252 : 250), cut);

        string whole = SafeFileName.Fit(label, 254, utf16);
        AssertWellFormed(whole);
        Assert.EndsWith("😀", whole);
    }

    [Fact]
    public void A_combining_mark_stays_with_its_letter()
    {
        string label = new string('a', 252) + "e\u0301";
        Assert.Equal(new string('a', 252), SafeFileName.Fit(label, 254, utf16: false)); // é is 1 + 2 bytes
    }

    [Fact]
    public void A_lone_surrogate_becomes_an_underscore() =>
        Assert.Equal("a_b", SafeFileName.From("a\uD83Db", "t"));

    [Fact]
    public void A_cut_that_ends_in_dots_or_spaces_drops_them() =>
        Assert.Equal("abc", SafeFileName.Fit("abc. . xyz", 6, utf16: false));
}

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
