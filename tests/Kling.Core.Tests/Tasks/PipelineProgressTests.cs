using Kling.Core.Tasks;
using Xunit;

namespace Kling.Core.Tests.Tasks;

/// <summary>
/// The drains of one pipeline thread show each other's progress while they wait (issue 23.5: Wait-KlingTask's bar stood
/// still while Save-KlingVideo downstream waited for room among its downloads). Conditions only: each test waits for a
/// count of progress calls, bounded by <see cref="Hang"/>, never for a fixed time.
/// </summary>
public sealed class PipelineProgressTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(2);

    [Fact]
    public void A_drain_that_waits_shows_the_progress_of_the_other_drains_of_its_thread()
    {
        var fromAnother = new List<bool>();
        using var upstream = new PipelineDrain<string>(new Idle(), _ => { }, CancellationToken.None) { Progress = () => fromAnother.Add(PipelineDrain.ShowingForAnother) };
        using var downstream = new PipelineDrain<string>(new Idle(), _ => { }, CancellationToken.None);
        upstream.TakeReady(TimeSpan.Zero);
        int before = fromAnother.Count;

        // Only the downstream drain waits from now on, as Save-KlingVideo does inside Wait-KlingTask's WriteObject.
        WaitUntil(() => fromAnother.Count >= before + 2, () => downstream.TakeReady(PipelineDrain.Slice));

        Assert.All(fromAnother.Skip(before), Assert.True);
        Assert.False(PipelineDrain.ShowingForAnother);
        upstream.TakeReady(TimeSpan.Zero);
        WaitUntil(() => fromAnother.Count >= before + 3, () => upstream.TakeReady(PipelineDrain.Slice));
        Assert.False(fromAnother[^1], "A drain's own progress is not shown for another.");
    }

    [Fact]
    public void A_disposed_drain_or_one_whose_pipeline_stopped_is_shown_no_more()
    {
        int endedShown = 0, stoppedShown = 0, ownShown = 0;
        using var stop = new CancellationTokenSource();
        var ended = new PipelineDrain<string>(new Idle(), _ => { }, CancellationToken.None) { Progress = () => endedShown++ };
        using var stopped = new PipelineDrain<string>(new Idle(), _ => { }, stop.Token) { Progress = () => stoppedShown++ };
        using var waiting = new PipelineDrain<string>(new Idle(), _ => { }, CancellationToken.None) { Progress = () => ownShown++ };
        ended.TakeReady(TimeSpan.Zero);
        stopped.TakeReady(TimeSpan.Zero);
        ended.Dispose();
        stop.Cancel();
        (int endedBefore, int stoppedBefore) = (endedShown, stoppedShown);

        // Three of the waiting drain's own progress calls: long enough for the others to have been due twice.
        WaitUntil(() => ownShown >= 3, () => waiting.TakeReady(PipelineDrain.Slice));

        Assert.Equal(endedBefore, endedShown);
        Assert.Equal(stoppedBefore, stoppedShown);
    }

    private static void WaitUntil(Func<bool> condition, Action step)
    {
        var deadline = DateTime.UtcNow + Hang;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never came true.");
            step();
        }
    }

    /// <summary>An engine with nothing to give: every wait lasts its whole length.</summary>
    private sealed class Idle : IOutcomeSource<string>
    {
        public int Outstanding => 1;

        public bool TryTake(TimeSpan wait, CancellationToken stop, out string? outcome)
        {
            outcome = null;
            stop.WaitHandle.WaitOne(wait);
            return false;
        }
    }
}
