using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Tasks;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The watcher's engine against the emulator over real loopback HTTP.</summary>
[Collection(nameof(PoolThreadCounting))]
public sealed class TaskWatcherTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        // Tasks run for a minute, so a watcher has nothing to do between its first look and the estimate.
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 60 });
    }

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
    }

    private KlingClient Client()
    {
        var settings = new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(emulator.ApiKey), "test");
        return new KlingClient(settings) { Retry = { BaseDelay = TimeSpan.FromMilliseconds(20) } };
    }

    private static int BusyPoolThreads()
    {
        ThreadPool.GetMaxThreads(out int max, out _);
        ThreadPool.GetAvailableThreads(out int available, out _);
        return max - available;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        DateTime deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true in time.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Watchers_waiting_for_an_estimate_hold_no_pool_thread()
    {
        const int Watchers = 24;
        KlingClient client = Client();
        var tasks = new List<KlingTask>();
        for (int i = 0; i < Watchers; i++)
        {
            tasks.Add(await client.SubmitAsync(new VideoRequest { Prompt = $"clip {i}" }, CancellationToken.None));
        }

        int before = BusyPoolThreads();
        var watchers = new List<TaskWatcher>();
        try
        {
            foreach (KlingTask task in tasks)
            {
                var watcher = new TaskWatcher(client, TimeSpan.FromSeconds(2), 1, CancellationToken.None);
                watchers.Add(watcher);
                watcher.Add(task);
            }

            // Every watcher has had its first look and now waits a minute for the estimate.
            await WaitUntil(() => watchers.All(w => w.Unfinished().All(t => t.LastChecked.HasValue)), TimeSpan.FromSeconds(20));
            Assert.InRange(BusyPoolThreads() - before, int.MinValue, Watchers / 4);
            Assert.All(watchers, w => Assert.Equal(1, w.StatusCalls));
        }
        finally
        {
            watchers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task A_watcher_counts_the_tasks_it_has_not_looked_at_yet()
    {
        KlingClient client = Client();
        var tasks = new List<KlingTask>();
        for (int i = 0; i < 3; i++)
        {
            tasks.Add(await client.SubmitAsync(new VideoRequest { Prompt = $"unpolled {i}" }, CancellationToken.None));
        }

        // A stopped watcher never looks: every task added is counted, once.
        using (var stopped = new TaskWatcher(client, TimeSpan.FromSeconds(1), 1, new CancellationToken(canceled: true)))
        {
            foreach (KlingTask task in tasks)
            {
                Assert.True(stopped.Add(task));
            }

            Assert.False(stopped.Add(tasks[1]));
            Assert.Equal(3, stopped.Unpolled);
        }

        using var watcher = new TaskWatcher(client, TimeSpan.FromSeconds(1), 1, CancellationToken.None);
        Assert.Equal(0, watcher.Unpolled);
        foreach (KlingTask task in tasks)
        {
            watcher.Add(task);
        }

        // Each task gets its first look (they run for a minute, so all stay watched), and none is counted twice.
        await WaitUntil(() => watcher.StatusCalls >= 3 && watcher.Unpolled == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(3, watcher.Pending);
        Assert.False(watcher.Add(tasks[0]));
        Assert.Equal(0, watcher.Unpolled);
    }

    [Fact]
    public async Task A_task_that_no_longer_counts_as_pending_is_ready_to_take()
    {
        KlingClient client = Client();
        emulator.Options.TaskSeconds = 0.05;
        KlingTask submitted = await client.SubmitAsync(new VideoRequest { Prompt = "the last of a batch" }, CancellationToken.None);
        await WaitUntilAsync(async () => (await client.GetTaskAsync(submitted.TaskId, CancellationToken.None)).IsCompleted, TimeSpan.FromSeconds(10));

        using var left = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();
        using var watcher = new TaskWatcher(client, TimeSpan.FromSeconds(1), 1, CancellationToken.None);

        // The status call's thread stops right after the finished task left the watch list, as a busy machine may stop it.
        watcher.LeftWatchList = _ =>
        {
            left.Set();
            resume.Wait(TimeSpan.FromSeconds(10));
        };
        watcher.Add(new KlingTask(submitted.TaskId));
        try
        {
            Assert.True(left.Wait(TimeSpan.FromSeconds(10)), "The watcher never finished the task.");

            // Wait-KlingTask stops waiting once nothing is pending and takes what is ready: the task must be there.
            Assert.Equal(0, watcher.Pending);
            Assert.True(watcher.TryTake(TimeSpan.Zero, out PollOutcome? outcome), "Nothing was pending, yet the finished task was not ready to take: it would be lost.");
            Assert.Equal(submitted.TaskId, outcome!.Task.TaskId);
            Assert.Equal(0, watcher.Outstanding);
        }
        finally
        {
            resume.Set();
        }
    }

    [Fact]
    public async Task A_task_given_up_on_while_its_status_call_is_answered_is_handed_back_only()
    {
        KlingClient client = Client();
        emulator.Options.TaskSeconds = 0.05;
        KlingTask submitted = await client.SubmitAsync(new VideoRequest { Prompt = "finishes as the wait times out" }, CancellationToken.None);
        await WaitUntilAsync(async () => (await client.GetTaskAsync(submitted.TaskId, CancellationToken.None)).IsCompleted, TimeSpan.FromSeconds(10));

        var answered = new TaskCompletionSource<KlingTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<KlingTask>();
        var gateway = new RoutedStatusCalls(client, async (id, ct) =>
        {
            answered.SetResult(await client.GetTaskAsync(id, ct));

            // Held until the test releases it; the watcher then goes on synchronously on the releasing thread.
            return await release.Task;
        });
        using var watcher = new TaskWatcher(gateway, TimeSpan.FromSeconds(1), 1, CancellationToken.None);
        watcher.Add(new KlingTask(submitted.TaskId));
        KlingTask answer = await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(answer.IsCompleted);

        // The wait times out while the answer "completed" is on its way to the watcher.
        var givenUp = watcher.GiveUp();
        Assert.Equal(new[] { submitted.TaskId }, givenUp.Select(t => t.Task.TaskId));
        Assert.Equal(0, watcher.Pending);
        Assert.Equal(0, watcher.Outstanding);

        // The watcher finishes the call on this thread: the task was handed back, so it is not handed out as well.
        release.SetResult(answer);
        Assert.False(watcher.TryTake(TimeSpan.Zero, out _));
        Assert.Equal(0, watcher.Outstanding);
        Assert.Equal(1, watcher.StatusCalls);
    }

    [Fact]
    public void A_status_call_that_fails_in_an_unforeseen_way_ends_the_task_with_an_error()
    {
        var gateway = new RoutedStatusCalls(Client(), (id, ct) => Task.FromException<KlingTask>(new InvalidOperationException("an unforeseen failure")));
        using var watcher = new TaskWatcher(gateway, TimeSpan.FromMilliseconds(50), 1, CancellationToken.None);
        watcher.Add(new KlingTask("task_broken"));

        // The limit only stops a failing run: the task would otherwise stay watched, never looked at again, until -Timeout.
        Assert.True(watcher.TryTake(TimeSpan.FromSeconds(30), out PollOutcome? outcome), "The task was neither finished nor looked at again.");
        Assert.Equal("task_broken", outcome!.Task.TaskId);
        Assert.Equal(GatewayErrorKind.InvalidResponse, outcome.Error!.Kind);
        Assert.Contains("an unforeseen failure", outcome.Error.Message);
        Assert.Equal(0, watcher.Pending);
        Assert.Equal(0, watcher.Outstanding);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        DateTime deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true in time.");
            await Task.Delay(20);
        }
    }

    /// <summary>The client, with its status calls made by the test (to hold an answer, or to fail as nothing foreseen does).</summary>
    private sealed class RoutedStatusCalls : IKlingGateway
    {
        private readonly KlingClient client;
        private readonly Func<string, CancellationToken, Task<KlingTask>> statusCall;

        public RoutedStatusCalls(KlingClient client, Func<string, CancellationToken, Task<KlingTask>> statusCall)
        {
            this.client = client;
            this.statusCall = statusCall;
        }

        public GatewaySettings Settings => client.Settings;

        public RetryPolicy Retry => client.Retry;

        public Task<SubmitAttempt> SubmitOnceAsync(VideoRequest request, string idempotencyKey, CancellationToken cancellationToken) => client.SubmitOnceAsync(request, idempotencyKey, cancellationToken);

        public Task<ImageUpload> UploadImageAsync(Kling.Core.Media.LocalImage image, CancellationToken cancellationToken) => client.UploadImageAsync(image, cancellationToken);

        public Task<KlingTask> GetTaskAsync(string taskId, CancellationToken cancellationToken) => statusCall(taskId, cancellationToken);
    }
}
