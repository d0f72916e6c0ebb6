using System.Text.Json;
using Kling.Core.Batches;
using Kling.Core.History;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>KlingTask's Model and Prompt, wherever the task comes from: its request, a journal, the task history, a refresh by id.</summary>
public sealed class KlingTaskModelPromptTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-task-mp-" + Guid.NewGuid().ToString("n"));

    public KlingTaskModelPromptTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void A_submitted_task_shows_the_model_and_prompt_of_its_request()
    {
        var task = new KlingTask("task_1") { Request = new VideoRequest { Model = "kling-v3", Prompt = "a heron lifts off" } };
        Assert.Equal("kling-v3", task.Model);
        Assert.Equal("a heron lifts off", task.Prompt);
    }

    [Fact]
    public void A_multi_shot_request_without_a_prompt_shows_its_shots_one_a_line()
    {
        var request = new VideoRequest
        {
            Model = "kling-v3",
            MultiPrompt = new List<ShotPrompt> { new() { Index = 1, Prompt = "dawn", Duration = 3 }, new() { Index = 2, Prompt = "dusk", Duration = 2 } },
        };
        Assert.Equal("dawn\ndusk", new KlingTask("task_1") { Request = request }.Prompt);
    }

    [Fact]
    public void A_journals_tasks_carry_their_rows_model_and_prompt()
    {
        string path = Path.Combine(folder, "batch.jsonl");
        var request = new VideoRequest { Model = "kling-v3", Prompt = "a fox in snow", Duration = 5 };
        using (SubmissionJournal journal = SubmissionJournal.Open(path))
        {
            string key = journal.KeyFor(request);
            journal.RecordSending(key, 7, "fox", request);
            journal.RecordSubmitted(key, 7, "fox", request, "task_fox");
        }

        KlingTask task = Assert.Single(SubmissionJournal.ReadTasks(path));
        Assert.Equal(("task_fox", 7, "fox", "kling-v3", "a fox in snow"), (task.TaskId, task.Row, task.Name, task.Model, task.Prompt));
    }

    [Fact]
    public void A_task_from_the_history_carries_its_model()
    {
        const string line = "{\"task_id\":\"task_h\",\"row\":3,\"name\":\"clip\",\"model\":\"kling-v2-6\",\"at\":\"2026-12-03T06:00:00Z\",\"batch_id\":\"b1\"}";
        KlingTask task = JsonSerializer.Deserialize<HistoryEntry>(line)!.ToTask();
        Assert.Equal(("task_h", 3, "clip", "kling-v2-6"), (task.TaskId, task.Row, task.Name, task.Model));
        Assert.Null(task.Prompt);
    }

    [Fact]
    public void A_refresh_by_id_keeps_model_prompt_row_and_name()
    {
        var task = new KlingTask("task_1") { Row = 4, Name = "n", Model = "kling-v3", Prompt = "p" };
        task.Update(new KlingTask("task_1") { Status = KlingTaskStatus.Completed, VideoUrl = new[] { "https://cdn.example/v.mp4" } });
        Assert.Equal((4, "n", "kling-v3", "p", KlingTaskStatus.Completed), (task.Row, task.Name, task.Model, task.Prompt, task.Status));
    }

    [Fact]
    public void A_task_looked_up_by_id_has_no_model_or_prompt()
    {
        var task = new KlingTask("task_1");
        Assert.Null(task.Model);
        Assert.Null(task.Prompt);
    }
}
