using Kling.Core.Downloads;
using Xunit;

namespace Kling.Core.Tests.Downloads;

/// <summary>How <see cref="SaveFolder.PickFor"/> names a task's videos: the one place Save-KlingVideo's file names are decided.</summary>
public sealed class SaveFolderNamingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-naming-" + Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static KlingTask Completed(string id, string? name, int results, double? cost = null) =>
        new(id)
        {
            Name = name,
            Status = KlingTaskStatus.Completed,
            VideoUrl = Enumerable.Range(1, results).Select(i => $"http://127.0.0.1/{id}/{i}.mp4").ToArray(),
            Cost = cost,
            Credits = cost == null ? null : 84,
        };

    [Fact]
    public void A_video_is_named_after_the_tasks_name_made_safe()
    {
        SaveSlot slot = new SaveFolder(folder, force: false).PickFor(Completed("task_1", "sunset: take 1/2", 1), 0);

        Assert.Equal(SafeFileName.From("sunset: take 1/2", "task_1") + ".mp4", slot.FileName);
        Assert.DoesNotContain("/", slot.FileName);
        Assert.DoesNotContain(":", slot.FileName);
    }

    [Fact]
    public void A_task_without_a_name_is_named_after_its_id()
    {
        Assert.Equal("task_7.mp4", new SaveFolder(folder, force: false).PickFor(Completed("task_7", null, 1), 0).FileName);
    }

    [Fact]
    public void Several_results_are_numbered_from_one_and_one_result_is_not()
    {
        var saveFolder = new SaveFolder(folder, force: false);
        KlingTask task = Completed("task_2", "pair", 2);

        Assert.Equal("pair-1.mp4", saveFolder.PickFor(task, 0).FileName);
        Assert.Equal("pair-2.mp4", saveFolder.PickFor(task, 1).FileName);
        Assert.Equal("single.mp4", saveFolder.PickFor(Completed("task_3", "single", 1), 0).FileName);
    }

    [Fact]
    public void Two_tasks_of_one_name_get_two_files()
    {
        var saveFolder = new SaveFolder(folder, force: false);

        Assert.Equal("same.mp4", saveFolder.PickFor(Completed("task_a", "same", 1), 0).FileName);
        Assert.Equal("same_2.mp4", saveFolder.PickFor(Completed("task_b", "same", 1), 0).FileName);
    }

    [Fact]
    public void The_tasks_charge_goes_with_its_first_file_only()
    {
        var saveFolder = new SaveFolder(folder, force: false);
        KlingTask task = Completed("task_4", "paid", 2, cost: 0.84);

        SaveSlot first = saveFolder.PickFor(task, 0);
        SaveSlot second = saveFolder.PickFor(task, 1);

        Assert.Equal(0.84, first.Cost);
        Assert.Equal(84, first.Credits);
        Assert.Null(second.Cost);
        Assert.Null(second.Credits);
    }
}
