using Kling.Core.Downloads;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Saved names show what they are: no invisible character makes a name read as another.</summary>
public sealed class HiddenCharacterNameTests
{
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
}
