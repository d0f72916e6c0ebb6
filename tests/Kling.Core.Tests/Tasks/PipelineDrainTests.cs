using Kling.Core.Tasks;
using Xunit;

namespace Kling.Core.Tests.Tasks;

/// <summary>
/// The one drain the pipeline cmdlets take a background engine's outcomes through: every ready outcome written in
/// order, room made below twice the throttle limit, waits ended at once by the pipeline's stop, a deadline kept.
/// Conditions only: a test waits for the drain to be waiting, never for time to pass.
/// </summary>
public sealed class PipelineDrainTests
{
    /// <summary>A failure would otherwise hang the test; a passing test never comes near it.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    [Fact]
    public void Writes_every_ready_outcome_in_order_and_says_whether_any_came()
    {
        var engine = new Engine();
        var written = new List<string>();
        var drain = new PipelineDrain<string>(engine, written.Add, CancellationToken.None);

        Assert.False(drain.TakeReady(TimeSpan.Zero));
        engine.Finish("a", "b", "c");
        Assert.True(drain.TakeReady(TimeSpan.Zero));

        Assert.Equal(new[] { "a", "b", "c" }, written);
        Assert.Equal(0, engine.Outstanding);
    }

    [Fact]
    public void A_stopped_pipeline_takes_nothing_and_throws_the_callers_exception()
    {
        var engine = new Engine();
        engine.Finish("ready");
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var written = new List<string>();
        var drain = new PipelineDrain<string>(engine, written.Add, stop.Token, () => new StoppedException());

        Assert.Throws<StoppedException>(() => drain.TakeReady(TimeSpan.Zero));
        Assert.Throws<StoppedException>(() => drain.TakeAll());
        Assert.Empty(written);
        Assert.Equal(1, engine.Outstanding);
    }

    [Fact]
    public async Task The_pipelines_stop_ends_a_long_wait_at_once()
    {
        var engine = new Engine();
        engine.Start(1);
        using var stop = new CancellationTokenSource();
        var drain = new PipelineDrain<string>(engine, _ => { }, stop.Token, () => new StoppedException());

        // Far longer than the test may take: only the stop can end it.
        Task waiting = Task.Run(() => drain.TakeReady(TimeSpan.FromHours(1)));
        Assert.True(await engine.Waiting.WaitAsync(Hang), "The drain never waited for an outcome.");
        stop.Cancel();

        await Assert.ThrowsAsync<StoppedException>(() => waiting.WaitAsync(Hang));
    }

    [Fact]
    public void Without_a_stop_exception_the_stop_is_an_OperationCanceledException()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var drain = new PipelineDrain<string>(new Engine(), _ => { }, stop.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => drain.TakeReady(TimeSpan.Zero));
    }

    [Fact]
    public void At_most_twice_the_throttle_limit_is_outstanding()
    {
        Assert.Equal(8, PipelineDrain.MostOutstanding(4));
        Assert.Equal(2, PipelineDrain.MostOutstanding(1));
        Assert.Equal(2, PipelineDrain.MostOutstanding(0));
    }

    [Fact]
    public void Makes_room_without_waiting_while_there_is_room()
    {
        var engine = new Engine();
        engine.Start(PipelineDrain.MostOutstanding(4) - 1);
        var drain = new PipelineDrain<string>(engine, _ => { }, CancellationToken.None);

        drain.MakeRoom(4);

        Assert.Equal(0, engine.Takes);
    }

    [Fact]
    public async Task Makes_room_by_waiting_for_the_next_outcome_when_full()
    {
        var engine = new Engine();
        engine.Start(PipelineDrain.MostOutstanding(4));
        var written = new List<string>();
        var drain = new PipelineDrain<string>(engine, written.Add, CancellationToken.None);

        Task making = Task.Run(() => drain.MakeRoom(4));
        Assert.True(await engine.Waiting.WaitAsync(Hang), "The drain never waited for an outcome.");
        Assert.False(making.IsCompleted, "The drain made room with no outcome taken.");
        engine.Add("first done");
        await making.WaitAsync(Hang);

        Assert.Equal(new[] { "first done" }, written);
        Assert.Equal(PipelineDrain.MostOutstanding(4) - 1, engine.Outstanding);
    }

    [Fact]
    public void Stops_making_room_once_the_caller_starts_nothing_more()
    {
        var engine = new Engine();
        engine.Start(PipelineDrain.MostOutstanding(2));
        var drain = new PipelineDrain<string>(engine, _ => { }, CancellationToken.None);

        drain.MakeRoom(2, until: () => true);

        Assert.Equal(0, engine.Takes);
        Assert.Equal(PipelineDrain.MostOutstanding(2), engine.Outstanding);
    }

    [Fact]
    public void Takes_while_the_condition_holds_and_no_longer()
    {
        var engine = new Engine();
        engine.Finish("a", "b");
        var written = new List<string>();
        var drain = new PipelineDrain<string>(engine, written.Add, CancellationToken.None);

        drain.TakeWhile(() => written.Count == 0);

        Assert.Equal(new[] { "a", "b" }, written);
        int takes = engine.Takes;
        drain.TakeWhile(() => false);
        Assert.Equal(takes, engine.Takes);
    }

    [Fact]
    public async Task Takes_all_until_none_is_outstanding()
    {
        var engine = new Engine();
        engine.Start(2);
        var written = new List<string>();
        var drain = new PipelineDrain<string>(engine, written.Add, CancellationToken.None);

        Task<bool> all = Task.Run(() => drain.TakeAll());
        engine.Add("one");
        Assert.True(await engine.Waiting.WaitAsync(Hang));
        engine.Add("two");

        Assert.True(await all.WaitAsync(Hang));
        Assert.Equal(new[] { "one", "two" }, written);
        Assert.Equal(0, engine.Outstanding);
    }

    [Fact]
    public void Takes_all_gives_up_once_no_time_is_left_and_leaves_the_rest_outstanding()
    {
        var engine = new Engine();
        engine.Finish("in time");
        engine.Start(2);
        var written = new List<string>();
        var drain = new PipelineDrain<string>(engine, written.Add, CancellationToken.None);
        var left = new Queue<TimeSpan>(new[] { TimeSpan.FromTicks(1), TimeSpan.Zero });

        Assert.False(drain.TakeAll(() => left.Dequeue()));

        Assert.Equal(new[] { "in time" }, written);
        Assert.Equal(2, engine.Outstanding);
        Assert.Empty(left);
    }

    [Fact]
    public void Takes_all_waits_no_longer_than_the_time_left()
    {
        var engine = new Engine();
        engine.Start(1);
        var drain = new PipelineDrain<string>(engine, _ => { }, CancellationToken.None);
        TimeSpan tiny = TimeSpan.FromTicks(1);
        var left = new Queue<TimeSpan>(new[] { tiny, TimeSpan.Zero });

        Assert.False(drain.TakeAll(() => left.Dequeue()));

        Assert.Equal(new[] { tiny }, engine.Waits);
    }

    [Fact]
    public void Runs_its_after_wait_step_after_every_wait_even_when_nothing_came()
    {
        var engine = new Engine();
        int after = 0;
        var drain = new PipelineDrain<string>(engine, _ => { }, CancellationToken.None) { AfterWait = () => after++ };

        drain.TakeReady(TimeSpan.Zero);
        Assert.Equal(1, after);

        engine.Finish("a");
        drain.TakeReady(TimeSpan.Zero);
        Assert.Equal(3, after);
    }

    private sealed class StoppedException : Exception
    {
    }

    /// <summary>A background engine of the real shape: outcomes in an <see cref="OutcomeQueue{T}"/>; it says when the drain waits.</summary>
    private sealed class Engine : IOutcomeSource<string>
    {
        private readonly OutcomeQueue<string> queue = new();
        private int takes;

        /// <summary>Released each time the drain asks for an outcome.</summary>
        public SemaphoreSlim Waiting { get; } = new(0);

        public List<TimeSpan> Waits { get; } = new();

        public int Takes => Volatile.Read(ref takes);

        public int Outstanding => queue.Outstanding;

        public void Start(int count)
        {
            for (int i = 0; i < count; i++)
            {
                queue.Started();
            }
        }

        /// <summary>The outcome of work already started.</summary>
        public void Add(string outcome) => queue.Add(outcome);

        /// <summary>Work started and finished at once.</summary>
        public void Finish(params string[] outcomes)
        {
            foreach (string outcome in outcomes)
            {
                queue.Started();
                queue.Add(outcome);
            }
        }

        public bool TryTake(TimeSpan wait, CancellationToken stop, out string? outcome)
        {
            Interlocked.Increment(ref takes);
            lock (Waits)
            {
                Waits.Add(wait);
            }

            Waiting.Release();
            return queue.TryTake(wait, stop, out outcome);
        }
    }
}
