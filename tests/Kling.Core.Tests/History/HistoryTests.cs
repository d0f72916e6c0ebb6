using System.Text.Json;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.History;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The task history: its file (whole lines, torn lines, trimming), where it is, what a batch writes to it, and reading it back.</summary>
public sealed class HistoryTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"kling-history-tests-{Guid.NewGuid():n}");
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 30 });
    }

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(folder, name);

    private KlingClient Client() =>
        new(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString(emulator.ApiKey), "test"));

    private static HistoryEntry Entry(string batch, int row, DateTime? at = null, string? inDoubt = null) =>
        new() { TaskId = inDoubt == null ? $"task_{batch}_{row}" : null, Row = row, Name = $"n{row}", Model = "kling-video-o1", At = at ?? DateTime.UtcNow, BatchId = batch, InDoubt = inDoubt };

    private int MaxSubmitsInFlight() =>
        JsonDocument.Parse(JsonSerializer.Serialize(emulator.Stats)).RootElement.GetProperty("maxSubmitsInFlight").GetInt32();

    [Fact]
    public void Appends_one_whole_line_per_entry_and_reads_them_back_oldest_first()
    {
        var file = new HistoryFile(PathOf("h.jsonl"));
        var at = new DateTime(2026, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        file.Append(new HistoryEntry { TaskId = "task_1", Row = 3, Name = "日の出", Model = "kling-v3", At = at, BatchId = "b1", Journal = "/j/batch.jsonl" });
        file.Append(Entry("b1", 4, inDoubt: HistoryEntry.CutOff));

        string[] lines = File.ReadAllLines(file.Path);
        Assert.Equal(2, lines.Length);
        Assert.Equal("{\"task_id\":\"task_1\",\"row\":3,\"name\":\"日の出\",\"model\":\"kling-v3\",\"at\":\"2026-05-01T12:00:00Z\",\"batch_id\":\"b1\",\"journal\":\"/j/batch.jsonl\"}", lines[0]);
        Assert.DoesNotContain("task_id", lines[1]);

        List<HistoryEntry> read = file.Read().ToList();
        Assert.Equal(new[] { 3, 4 }, read.Select(e => e.Row));
        Assert.False(read[0].IsInDoubt);
        Assert.True(read[1].IsInDoubt);
        KlingTask task = read[0].ToTask();
        Assert.Equal(("task_1", 3, "日の出", "b1"), (task.TaskId, task.Row, task.Name, task.BatchId));
        Assert.Equal(new DateTimeOffset(at), task.SubmittedAt);
    }

    [Fact]
    public void A_torn_last_line_is_skipped_and_the_next_line_starts_on_a_line_of_its_own()
    {
        var file = new HistoryFile(PathOf("torn.jsonl"));
        file.Append(Entry("b", 1));
        File.AppendAllText(file.Path, "not json\n{\"task_id\":\"task_torn\",\"ro");
        Assert.Equal(new[] { 1 }, file.Read().Select(e => e.Row));

        file.Append(Entry("b", 2));
        Assert.Equal(new[] { 1, 2 }, file.Read().Select(e => e.Row));
        Assert.EndsWith("\n", File.ReadAllText(file.Path));
    }

    [Fact]
    public void A_missing_file_is_an_empty_history()
    {
        Assert.Empty(new HistoryFile(PathOf("none/history.jsonl")).Read());
    }

    [Fact]
    public void Trimming_keeps_the_newest_lines_and_the_file_within_its_bound()
    {
        const long max = 2048;
        var file = new HistoryFile(PathOf("trim.jsonl"), max);
        for (int row = 1; row <= 300; row++)
        {
            file.Append(Entry("b", row));
            Assert.InRange(new FileInfo(file.Path).Length, 1, max);
        }

        List<int> rows = file.Read().Select(e => e.Row).ToList();
        Assert.Equal(300, rows[^1]);
        Assert.Equal(Enumerable.Range(rows[0], rows.Count), rows);
        long lineLength = File.ReadAllLines(file.Path)[0].Length + 1;
        Assert.True(rows.Count >= (max / 2 / lineLength) - 1, $"only {rows.Count} lines were kept");
        Assert.Equal(File.ReadAllLines(file.Path).Length, rows.Count);
        Assert.False(File.Exists(file.Path + ".trim"));
    }

    [Fact]
    public void The_location_follows_KLING_HOME_else_the_local_application_data_folder_and_KLING_HISTORY_off_turns_it_off()
    {
        string? home = Environment.GetEnvironmentVariable(HistoryLocation.HomeVariable);
        string? state = Environment.GetEnvironmentVariable(HistoryLocation.SwitchVariable);
        try
        {
            Environment.SetEnvironmentVariable(HistoryLocation.SwitchVariable, null);
            Environment.SetEnvironmentVariable(HistoryLocation.HomeVariable, folder);
            Assert.Equal(Path.Combine(folder, "history.jsonl"), HistoryFile.ForCurrentUser()!.Path);

            Environment.SetEnvironmentVariable(HistoryLocation.HomeVariable, null);
            string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            Assert.Equal(Path.Combine(data, "Kling", "history.jsonl"), HistoryLocation.FilePath());

            Environment.SetEnvironmentVariable(HistoryLocation.HomeVariable, folder);
            Environment.SetEnvironmentVariable(HistoryLocation.SwitchVariable, "Off");
            Assert.Null(HistoryFile.ForCurrentUser());
            BatchHistory off = BatchHistory.ForCurrentUser(null);
            off.RecordAccepted(new KlingTask("task_off"), "kling-video-o1");
            Assert.Null(off.File);
            Assert.Equal(1, off.Accepted);
            Assert.Null(off.TakeProblem());
            Assert.False(File.Exists(Path.Combine(folder, "history.jsonl")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(HistoryLocation.HomeVariable, home);
            Environment.SetEnvironmentVariable(HistoryLocation.SwitchVariable, state);
        }
    }

    [Fact]
    public void A_history_that_cannot_be_written_is_one_problem_and_never_an_exception()
    {
        string blocker = PathOf("a-file");
        File.WriteAllText(blocker, "in the way");
        var history = new BatchHistory(new HistoryFile(Path.Combine(blocker, "history.jsonl")), null);
        history.RecordAccepted(new KlingTask("task_1") { Row = 1 }, "kling-video-o1");
        history.RecordAccepted(new KlingTask("task_2") { Row = 2 }, "kling-video-o1");
        history.RecordInDoubt(3, null, "kling-video-o1", HistoryEntry.NoAnswer);

        Assert.Equal(2, history.Accepted);
        Assert.Equal(0, history.Recorded);
        Assert.Contains("could not be written", history.TakeProblem());
        Assert.Null(history.TakeProblem());
    }

    [Fact]
    public void A_batch_notes_each_accepted_task_before_handing_it_out()
    {
        var file = new HistoryFile(PathOf("batch.jsonl"));
        var history = new BatchHistory(file, "/somewhere/journal.jsonl");
        using var submitter = new BatchSubmitter(Client(), 4, null) { History = history };
        for (int row = 1; row <= 12; row++)
        {
            submitter.Start(new SubmissionItem(row, $"r{row}", new VideoRequest { Prompt = $"row {row}", Model = "kling-v3", Duration = 5 }, null, null));
        }

        var taken = new List<KlingTask>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (submitter.Outstanding > 0 && DateTime.UtcNow < deadline)
        {
            if (submitter.TryTake(TimeSpan.FromMilliseconds(100), out SubmissionOutcome? outcome) && outcome!.Task != null)
            {
                // Already on disk when it is handed out.
                Assert.Contains(file.Read(), e => e.TaskId == outcome.Task.TaskId);
                taken.Add(outcome.Task);
            }
        }

        Assert.Equal(12, taken.Count);
        Assert.All(taken, t => Assert.Equal(history.BatchId, t.BatchId));
        List<HistoryEntry> entries = file.Read().ToList();
        Assert.Equal(taken.Select(t => t.TaskId).OrderBy(id => id), entries.Select(e => e.TaskId).OrderBy(id => id));
        Assert.All(entries, e =>
        {
            Assert.Equal($"r{e.Row}", e.Name);
            Assert.Equal("kling-v3", e.Model);
            Assert.Equal("/somewhere/journal.jsonl", e.Journal);
            Assert.Equal(history.BatchId, e.BatchId);
        });
        Assert.Equal((12, 12), (history.Accepted, history.Recorded));
        Assert.Empty(history.InDoubt);
    }

    [Fact]
    public void Shutdown_notes_the_posts_it_cut_off_as_in_doubt_without_a_task_id()
    {
        var file = new HistoryFile(PathOf("cut.jsonl"));
        var history = new BatchHistory(file, null);
        using var submitter = new BatchSubmitter(Client(), 4, null) { History = history };
        submitter.Start(new SubmissionItem(1, "first", new VideoRequest { Prompt = "first" }, null, null));
        Assert.True(submitter.TryTake(TimeSpan.FromSeconds(30), out SubmissionOutcome? first) && first!.Task != null);

        // Every later answer takes a minute: the four rows on the wire are still there when the grace is over.
        emulator.Options.LatencyMs = 60000;
        for (int row = 2; row <= 6; row++)
        {
            submitter.Start(new SubmissionItem(row, $"r{row}", new VideoRequest { Prompt = $"row {row}" }, null, null));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (MaxSubmitsInFlight() < 4 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(4, MaxSubmitsInFlight());
        Assert.Empty(submitter.Shutdown(TimeSpan.FromMilliseconds(200)));

        Assert.Equal(new[] { 2, 3, 4, 5 }, history.InDoubt.Select(e => e.Row).OrderBy(r => r));
        List<HistoryEntry> inDoubt = file.Read().Where(e => e.IsInDoubt).ToList();
        Assert.Equal(new[] { 2, 3, 4, 5 }, inDoubt.Select(e => e.Row).OrderBy(r => r));
        Assert.All(inDoubt, e =>
        {
            Assert.Null(e.TaskId);
            Assert.Equal(HistoryEntry.CutOff, e.InDoubt);
            Assert.Equal($"r{e.Row}", e.Name);
        });
        Assert.Single(file.Read(), e => !e.IsInDoubt);
    }

    [Fact]
    public void A_query_filters_by_batch_time_and_count_and_keeps_the_in_doubt_entries_of_the_batches_it_shows()
    {
        var file = new HistoryFile(PathOf("query.jsonl"));
        var t0 = new DateTime(2026, 5, 1, 10, 0, 0, DateTimeKind.Utc);
        file.Append(Entry("aaa", 1, t0));
        file.Append(Entry("aaa", 2, t0, HistoryEntry.CutOff));
        file.Append(Entry("bbb", 1, t0.AddHours(1)));
        file.Append(Entry("bbb", 2, t0.AddHours(1)));
        file.Append(Entry("ccc", 1, t0.AddHours(2)));
        file.Append(Entry("ccc", 2, t0.AddHours(2), HistoryEntry.NoAnswer));

        HistorySelection all = new HistoryQuery().Run(file);
        Assert.Equal(new[] { "task_aaa_1", "task_bbb_1", "task_bbb_2", "task_ccc_1" }, all.Tasks.Select(e => e.TaskId));
        Assert.Equal(new[] { "aaa", "ccc" }, all.InDoubt.Select(e => e.BatchId));

        HistorySelection batch = new HistoryQuery { BatchId = "AAA" }.Run(file);
        Assert.Equal(new[] { "task_aaa_1" }, batch.Tasks.Select(e => e.TaskId));
        Assert.Single(batch.InDoubt);

        HistorySelection since = new HistoryQuery { Since = new DateTimeOffset(t0.AddMinutes(30)) }.Run(file);
        Assert.Equal(new[] { "task_bbb_1", "task_bbb_2", "task_ccc_1" }, since.Tasks.Select(e => e.TaskId));
        Assert.Equal(new[] { "ccc" }, since.InDoubt.Select(e => e.BatchId));

        HistorySelection last = new HistoryQuery { Last = 2 }.Run(file);
        Assert.Equal(new[] { "task_bbb_2", "task_ccc_1" }, last.Tasks.Select(e => e.TaskId));
        Assert.Equal(new[] { "ccc" }, last.InDoubt.Select(e => e.BatchId));

        Assert.Equal(new[] { "ccc", "bbb", "aaa" }, HistoryQuery.Batches(file).Select(b => b.BatchId));
        Assert.Equal((1, 1), (HistoryQuery.Batches(file)[2].Tasks, HistoryQuery.Batches(file)[2].InDoubt));
    }
}
