using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Tasks;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Counts busy pool threads, so its tests run alone (after the parallel ones).</summary>
[CollectionDefinition(nameof(PoolThreadCounting), DisableParallelization = true)]
public sealed class PoolThreadCounting
{
}

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
}
