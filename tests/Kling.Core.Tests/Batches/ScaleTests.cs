using System.Runtime.CompilerServices;
using Kling.Core.Downloads;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// Memory that must not grow with the batch: waits, journal entries, download buffers. They measure the heap, so
/// they run alone (after the parallel tests).
/// </summary>
[Collection(nameof(PoolThreadCounting))]
public sealed class ScaleTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"kling-scale-tests-{Guid.NewGuid():n}");

    public ScaleTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> FinishedWait(AdaptiveConcurrency gate, CancellationToken token)
    {
        // The gate is full, so this wait queues (and registers with the token) until the holder releases.
        Task wait = gate.WaitAsync(token);
        Assert.False(wait.IsCompleted);
        gate.Release();
        await wait;
        gate.Release();
        return new WeakReference(wait);
    }

    [Fact]
    public async Task A_finished_wait_is_not_held_by_the_batch_token()
    {
        using var cancellation = new CancellationTokenSource();
        var gate = new AdaptiveConcurrency(1);
        await gate.WaitAsync(cancellation.Token);
        WeakReference finished = await FinishedWait(gate, cancellation.Token);

        Collect();

        Assert.False(finished.IsAlive, "the token still holds a finished wait (its registration was never disposed)");
        GC.KeepAlive(cancellation);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference JournalRow(SubmissionJournal journal, int row) => JournalRow(journal, row, out _);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference JournalRow(SubmissionJournal journal, int row, out string key)
    {
        var request = new VideoRequest { Prompt = "row " + row + new string('x', 1000) };
        key = journal.KeyFor(request);
        journal.RecordSending(key, row, "r" + row, request);
        journal.RecordSubmitted(key, row, "r" + row, request, "task_" + row);
        return new WeakReference(request);
    }

    [Fact]
    public void The_journal_keeps_no_request_in_memory_and_still_recalls_the_row()
    {
        string path = Path.Combine(folder, "slim.jsonl");
        string key;
        using (var journal = SubmissionJournal.Open(path))
        {
            WeakReference request = JournalRow(journal, 1, out key);
            Collect();
            Assert.False(request.IsAlive, "the journal holds the whole request of a row it journaled");
        }

        using (var reader = SubmissionJournal.OpenReadOnly(path))
        {
            Assert.Equal(JournalState.Submitted, reader.StateOf(key, out JournalRecord? record));
            Assert.Equal("task_1", record!.TaskId);
        }

        // A rerun maps the row to the same line: same task, same name, not sent again.
        using var rerun = SubmissionJournal.Open(path);
        JournalRecall recall = rerun.Recall(new VideoRequest { Prompt = "row 1" + new string('x', 1000) }, 1, null);
        Assert.False(recall.MustSend);
        Assert.Equal("task_1", recall.Earlier!.TaskId);
        Assert.Equal("r1", recall.Earlier.Name);
    }

    [Fact]
    public void Opening_a_big_journal_keeps_only_what_resuming_needs()
    {
        const int rows = 4000;
        string path = Path.Combine(folder, "big.jsonl");
        using (var writer = SubmissionJournal.Open(path))
        {
            for (int i = 1; i <= rows; i++)
            {
                JournalRow(writer, i);
            }
        }

        Collect();
        long before = GC.GetTotalMemory(true);
        using var journal = SubmissionJournal.Open(path);
        Collect();
        long held = GC.GetTotalMemory(true) - before;

        // Each row's request is over 1 KB (4 MB in all); identity, state, task id, row, name and time are about a quarter of that.
        Assert.True(held < 2_000_000, $"an open journal of {rows} rows holds {held / 1e6:0.0} MB");
        Assert.Equal(JournalState.Submitted, journal.StateOf(journal.KeyFor(new VideoRequest { Prompt = "row 7" + new string('x', 1000) }), out JournalRecord? seventh));
        Assert.Equal("task_7", seventh!.TaskId);
        Assert.Equal(rows, SubmissionJournal.ReadTasks(path).Count());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RecallEveryRow(SubmissionJournal journal, int rows)
    {
        int recalled = 0;
        for (int i = 1; i <= rows; i++)
        {
            JournalRecall recall = journal.Recall(new VideoRequest { Prompt = "row " + i + new string('x', 1000) }, i, null);
            recalled += recall.Earlier?.TaskId == "task_" + i && recall.Earlier.Name == "r" + i ? 1 : 0;
        }

        return recalled;
    }

    [Fact]
    public void A_rerun_on_a_big_journal_holds_under_200_bytes_a_row()
    {
        const int rows = 5000;
        string path = Path.Combine(folder, "rerun.jsonl");
        using (var writer = SubmissionJournal.Open(path))
        {
            for (int i = 1; i <= rows; i++)
            {
                JournalRow(writer, i);
            }
        }

        Collect();
        long before = GC.GetTotalMemory(true);
        using var journal = SubmissionJournal.Open(path);
        int recalled = RecallEveryRow(journal, rows);
        Collect();
        long held = GC.GetTotalMemory(true) - before;

        // The rerun of the whole batch, every row found in the journal: each row's identity and where its latest line is.
        Assert.Equal(rows, recalled);
        Assert.True(held < 200L * rows, $"a rerun on a journal of {rows} rows holds {held / rows} bytes a row ({held / 1e3:0} KB)");
    }

    [Fact]
    public void Listing_a_big_journal_holds_a_few_dozen_bytes_per_row()
    {
        const int rows = 4000;
        string path = Path.Combine(folder, "listed.jsonl");
        using (var writer = SubmissionJournal.Open(path))
        {
            for (int i = 1; i <= rows; i++)
            {
                JournalRow(writer, i);
            }
        }

        Collect();
        long before = GC.GetTotalMemory(true);
        using IEnumerator<KlingTask> tasks = SubmissionJournal.StreamTasks(path).GetEnumerator();
        Assert.True(tasks.MoveNext());
        Collect();
        long held = GC.GetTotalMemory(true) - before;

        // Each row's identity text, task id and name alone would be about 200 bytes (800 KB); the listing keeps where lines are.
        Assert.True(held < 500_000, $"listing a journal of {rows} rows holds {held / 1e3:0} KB");
        Assert.Equal("task_1", tasks.Current.TaskId);
        int count = 1;
        while (tasks.MoveNext())
        {
            count++;
            Assert.Equal("task_" + count, tasks.Current.TaskId);
            Assert.Equal("r" + count, tasks.Current.Name);
        }

        Assert.Equal(rows, count);
    }

    [Fact]
    public async Task Downloads_share_their_copy_buffers()
    {
        await using GatewayEmulator emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.05, VideoBytes = 2000 });
        var settings = new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(emulator.ApiKey), "test");
        var client = new KlingClient(settings);
        KlingTask task = await client.SubmitAsync(new VideoRequest { Prompt = "a heron" }, CancellationToken.None);
        do
        {
            await Task.Delay(50);
            task = await client.GetTaskAsync(task.TaskId, CancellationToken.None);
        }
        while (!task.IsFinished);

        var url = new Uri(task.VideoUrl[0]);
        await client.Downloads.DownloadResultAsync(task.TaskId, 0, url, Path.Combine(folder, "warm.mp4"), null, null, CancellationToken.None);
        const int files = 20;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < files; i++)
        {
            await client.Downloads.DownloadResultAsync(task.TaskId, 0, url, Path.Combine(folder, $"v{i}.mp4"), null, null, CancellationToken.None);
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // A fresh 256 KB buffer per file would be 5 MB for these 20 files of 2 KB.
        Assert.True(allocated < files * 256 * 1024 / 2, $"{files} small downloads allocated {allocated / 1e6:0.0} MB");
    }
}
