using System.Globalization;
using Kling.Core.Downloads;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>-NameTemplate: placeholders with .NET formats, errors that name the placeholder, and names made safe and never overwriting.</summary>
public sealed class NameTemplateTests : IDisposable
{
    private static readonly DateTimeOffset Completed = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-template-" + Guid.NewGuid().ToString("n"));

    public NameTemplateTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static KlingTask Task(int row = 7, string? name = "heron", int videos = 1, string id = "task_abc") => new(id)
    {
        Row = row,
        Name = name,
        Status = KlingTaskStatus.Completed,
        Completed = Completed,
        VideoUrl = Enumerable.Range(1, videos).Select(i => $"https://cdn.example/{id}/{i}.mp4").ToArray(),
        Request = new VideoRequest { Model = "kling-v3", Prompt = "a heron", Mode = "pro", Duration = 10 },
    };

    [Theory]
    [InlineData("{Row:000}-{Name}", "007-heron")]
    [InlineData("{Row}", "7")]
    [InlineData("{row:00}_{NAME}", "07_heron")]
    [InlineData("{TaskId}", "task_abc")]
    [InlineData("{Model}-{Mode}-{Duration}s", "kling-v3-pro-10s")]
    [InlineData("{Duration:000}", "010")]
    [InlineData("{Date:yyyy-MM}", "2026-12")]
    [InlineData("{Index:00} of {TaskId}", "01 of task_abc")]
    [InlineData("{{{Row}}}", "{7}")]
    [InlineData("a}}b{{c {Name}", "a}b{c heron")]
    public void A_template_gives_the_tasks_values_in_their_formats(string template, string expected)
    {
        Assert.Equal(expected, NameTemplate.Parse(template).Render(Task(), 1));
    }

    [Fact]
    public void Date_is_the_completion_day_in_local_time_yyyyMMdd_by_default()
    {
        string day = Completed.ToLocalTime().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        Assert.Equal(day + "-heron", NameTemplate.Parse("{Date}-{Name}").Render(Task(), 1));
    }

    [Theory]
    [InlineData("{Foo}-{Name}", "{Foo}")]
    [InlineData("{Row:000}-{Prompt}", "{Prompt}")]
    [InlineData("{Row:Q}", "{Row:Q}")]
    [InlineData("{Date:%}", "{Date:%}")]
    [InlineData("{Date:yyyy'}", "{Date:yyyy'}")]
    [InlineData("{Name:000}", "{Name}")]
    [InlineData("{Row:}", "{Row:}")]
    [InlineData("{Row", "'{'")]
    [InlineData("Row}", "'}'")]
    [InlineData("{}", "{}")]
    [InlineData(" ", "empty")]
    public void A_bad_template_is_refused_naming_what_is_wrong(string template, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => NameTemplate.Parse(template));
        Assert.Contains(named, error.Message);
        Assert.Null(error.ParamName);
    }

    [Fact]
    public void An_unknown_placeholder_lists_the_known_ones()
    {
        string message = Assert.Throws<ArgumentException>(() => NameTemplate.Parse("{Rwo}")).Message;
        foreach (string placeholder in NameTemplate.Placeholders)
        {
            Assert.Contains("{" + placeholder + "}", message);
        }
    }

    [Fact]
    public void What_a_task_does_not_know_is_empty_and_an_empty_stem_is_the_task_id()
    {
        var byId = new KlingTask("task_bare") { Status = KlingTaskStatus.Completed, VideoUrl = new[] { "https://cdn.example/v.mp4" } };
        NameTemplate template = NameTemplate.Parse("{Row:000}-{Model}-{Name}-{Mode}-{Duration}-{Date}");
        Assert.Equal("-----", template.Render(byId, 1));
        Assert.Equal("task_bare", template.StemFor(byId, 1));
        Assert.Equal("x", NameTemplate.Parse("{Row:000}x").StemFor(byId, 1));
    }

    [Fact]
    public void Names_from_a_template_are_made_safe_and_never_overwrite()
    {
        File.WriteAllText(Path.Combine(folder, "007-a_b.mp4"), "not Kling's");
        var save = new SaveFolder(folder, force: false, NameTemplate.Parse("{Row:000}-{Name}"));
        SaveSlot slot = save.PickFor(Task(name: "a/b"), 0);
        Assert.Equal("007-a_b_2.mp4", slot.FileName);
        Assert.Equal("007-a_b.mp4", slot.PassedOver);
        Assert.Equal("not Kling's", File.ReadAllText(Path.Combine(folder, "007-a_b.mp4")));

        // Two tasks of the same row and name: distinct files.
        Assert.Equal("007-a_b_3.mp4", save.PickFor(Task(name: "a/b", id: "task_other"), 0).FileName);
    }

    [Fact]
    public void Several_videos_of_a_task_are_numbered_unless_the_template_numbers_them()
    {
        var plain = new SaveFolder(folder, force: false, NameTemplate.Parse("{Row:000}"));
        Assert.Equal(new[] { "007-1.mp4", "007-2.mp4" }, new[] { plain.PickFor(Task(videos: 2), 0).FileName, plain.PickFor(Task(videos: 2), 1).FileName });

        var indexed = new SaveFolder(folder, force: false, NameTemplate.Parse("{Row:000}_v{Index}"));
        KlingTask task = Task(videos: 2, id: "task_two");
        Assert.Equal(new[] { "007_v1.mp4", "007_v2.mp4" }, new[] { indexed.PickFor(task, 0).FileName, indexed.PickFor(task, 1).FileName });
    }

    [Fact]
    public void Without_a_template_names_are_as_before()
    {
        var save = new SaveFolder(folder, force: false, null);
        Assert.Equal("heron.mp4", save.PickFor(Task(), 0).FileName);
        Assert.Equal("task_none.mp4", save.PickFor(Task(name: null, id: "task_none"), 0).FileName);
    }
}
