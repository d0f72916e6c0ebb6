using Kling.Core.Catalog;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests;

/// <summary>A shot cell reads every shot it holds or is the row's error: nothing between the '|' is ever dropped.</summary>
public class ShotReaderTests
{
    private static VideoInput Row(string cell, string duration = "8") =>
        new() { Prompt = "x", Model = "kling-v3", Duration = duration, Shots = new[] { new ShotInput { Text = cell } } };

    [Theory]
    [InlineData("3: a | | 5: b", "shot 2 is empty", "between two '|'")]
    [InlineData("3: a || 5: b", "shot 2 is empty", "between two '|'")]
    [InlineData("3: a | 5: b |", "shot 3 is empty", "after the last '|'")]
    [InlineData("3: a | 5: b | ", "shot 3 is empty", "after the last '|'")]
    [InlineData("| 3: a | 5: b", "shot 1 is empty", "before the first '|'")]
    public void An_empty_shot_is_the_rows_error_naming_its_position(string cell, string position, string where) =>
        Refused(Row(cell), "shots", position, where);

    [Fact]
    public void A_cell_of_only_a_bar_is_the_rows_error() =>
        Refused(Row("|", "5"), "shots", "shot 1 is empty");

    [Fact]
    public void An_empty_shot_keeps_the_positions_of_the_shots_after_it()
    {
        // Shot 3 is '5' without a colon: it is named as shot 3, counting the empty one.
        IReadOnlyList<ValidationProblem> problems = Problems(Row("3: a | | 5"));
        Assert.Contains(problems, p => p.Field == "shots" && p.Message.Contains("shot 2 is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "shots" && p.Message.Contains("shot 3 '5' has no duration", StringComparison.Ordinal));
    }

    [Fact]
    public void Shots_separated_by_single_bars_still_read()
    {
        VideoRequest request = Build(Row(" 3: a|5: b "));
        Assert.Equal(new[] { "a", "b" }, request.MultiPrompt!.Select(s => s.Prompt.Trim()));
    }
}
