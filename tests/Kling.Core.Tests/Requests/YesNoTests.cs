using Kling.Core.Requests;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests.Requests;

/// <summary>
/// One yes/no reader (<see cref="YesNo"/>) for every yes/no field: -Audio, -Watermark and -KeepOriginalSound here, and
/// -MultiShot's cell, which the cmdlet reads through SwitchCellAttribute with the same reader (RowFields.Tests.ps1).
/// </summary>
public class YesNoTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("TRUE", true)]
    [InlineData(" 1 ", true)]
    [InlineData("No", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("2", null)]
    [InlineData("on", null)]
    [InlineData("$true", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Reads_yes_no_true_false_1_and_0_in_any_case_and_nothing_else(string? cell, bool? expected) =>
        Assert.Equal(expected, YesNo.Read(cell));

    [Theory]
    [InlineData("1", "true")]
    [InlineData("0", "false")]
    public void A_cell_1_or_0_is_read_alike_by_every_yes_no_field(string cell, string json)
    {
        string v3 = Build(new VideoInput { Prompt = "x", Model = "kling-v3", Audio = cell, Watermark = cell }).ToString();
        Assert.Contains("\"audio\":" + json, v3);
        Assert.Contains("\"watermark\":" + json, v3);
        string multi = Build(new VideoInput { Prompt = "x", Model = "kling-v3", MultiShot = cell }).ToString();
        Assert.Contains("\"multi_shot\":" + json, multi);
        string motion = Build(new VideoInput { Model = "kling-v3-motion-control", Images = new[] { "https://img.example/a.png" }, VideoUrl = "https://vid.example/a.mp4", KeepOriginalSound = cell }).ToString();
        Assert.Contains("\"keep_original_sound\":\"" + (cell == "1" ? "yes" : "no") + "\"", motion);
    }

    [Theory]
    [InlineData("audio")]
    [InlineData("watermark")]
    [InlineData("multi_shot")]
    [InlineData("keep_original_sound")]
    public void Any_other_cell_is_the_rows_error_listing_the_words_read(string field)
    {
        var input = new VideoInput { Prompt = "x", Model = "kling-v3-omni" };
        switch (field)
        {
            case "audio": input.Audio = "2"; break;
            case "watermark": input.Watermark = "on"; break;
            case "multi_shot": input.MultiShot = "maybe"; break;
            default: input.VideoUrl = "https://vid.example/a.mp4"; input.KeepOriginalSound = "sure"; break;
        }

        Refused(input, field, "is not one of yes, no, true, false, 1, 0");
    }
}
