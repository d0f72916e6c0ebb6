using System.Text;
using Kling.Core.Downloads;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// The name a task's file is saved under: labels made safe (reserved names, separators, nothing left), no invisible
/// character making a name read as another, and names cut by the file system's real limit, between characters.
/// </summary>
public sealed class SafeFileNameTests
{
    [Theory]
    [InlineData("sunrise", "sunrise")]
    [InlineData("conin$", "_conin$")]
    [InlineData("COM\u00B9", "_COM\u00B9")]
    [InlineData("lpt1.clip", "_lpt1.clip")]
    [InlineData("nul .x", "_nul .x")]
    [InlineData("../../etc/passwd", "_.._etc_passwd")]
    [InlineData("..\\..\\Windows\\win.ini", "_.._Windows_win.ini")]
    [InlineData("a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h")]
    [InlineData("CON", "_CON")]
    [InlineData("lpt1.txt", "_lpt1.txt")]
    [InlineData("name. ", "name")]
    [InlineData("猫 挥手", "猫 挥手")]
    [InlineData("tab\there", "tab_here")]
    public void Makes_labels_safe(string label, string expected) => Assert.Equal(expected, SafeFileName.From(label, "task_1"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("..")]
    [InlineData(" . ")]
    public void Falls_back_to_the_task_id(string? label) => Assert.Equal("task_1", SafeFileName.From(label, "task_1"));

    [Fact]
    public void Long_labels_are_cut() => Assert.Equal(SafeFileName.MaxLength, SafeFileName.From(new string('x', 500), "t").Length);

    [Theory]
    [InlineData("clip\u202E4pm.exe", "clip4pm.exe")] // right-to-left override: would read "clipexe.mp4"
    [InlineData("\u202Asunset\u202C", "sunset")]
    [InlineData("a\u202Bb\u202Dc", "abc")]
    [InlineData("\u2066left\u2069 \u2067right\u2069 \u2068first\u2069", "left right first")]
    [InlineData("x\u200Ey\u200Fz\u061C", "xyz")]
    [InlineData("zero\u200Bwidth\u2060joined\uFEFF", "zerowidthjoined")]
    [InlineData("soft\u00ADhyphen", "softhyphen")]
    public void Bidirectional_controls_and_other_invisible_format_characters_are_removed(string label, string expected) =>
        Assert.Equal(expected, SafeFileName.From(label, "task_1"));

    [Fact]
    public void A_name_of_nothing_but_format_characters_falls_back_to_the_task_id() =>
        Assert.Equal("task_1", SafeFileName.From("\u202E\u200F\u2066", "task_1"));

    [Theory]
    [InlineData("👨\u200D👩\u200D👧")] // a family emoji: joined by ZWJ
    [InlineData("می\u200Cخواهم")] // Persian with a zero-width non-joiner
    [InlineData("🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F")] // the flag of Scotland: tag characters
    [InlineData("\u0600123")] // the Arabic number sign is visible
    public void Joiners_emoji_tags_and_visible_marks_are_kept(string label) =>
        Assert.Equal(label, SafeFileName.From(label, "task_1"));

    [Fact]
    public void A_supplementary_format_character_is_removed_whole_without_leaving_half_a_pair() =>
        Assert.Equal("ab", SafeFileName.From("a\U000E0001b", "task_1")); // LANGUAGE TAG, deprecated and invisible

    [Fact]
    public void A_lone_surrogate_still_becomes_an_underscore_beside_a_removed_control() =>
        Assert.Equal("a_b", SafeFileName.From("a\u202E\uD83Db", "task_1"));

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
