using System;
using System.Threading;
using Kling.Core;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The watcher's schedule, as a pure function of the task and the clock.</summary>
public class WatchScheduleTests : IDisposable
{
    private static readonly DateTimeOffset Submitted = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly TaskWatcher watcher;

    public WatchScheduleTests()
    {
        // Never polls anything: no task is added. Only its schedule is asked.
        var settings = new GatewaySettings(GatewaySettings.ParseBaseUri("http://127.0.0.1:9"), null, "test");
        watcher = new TaskWatcher(new KlingClient(settings), TimeSpan.FromSeconds(2), 1, CancellationToken.None);
    }

    public void Dispose() => watcher.Dispose();

    private static KlingTask Task(int? estimateSeconds) => new KlingTask("task_x")
    {
        SubmittedAt = Submitted,
        Created = Submitted.AddMilliseconds(-700),
        EstimatedTime = estimateSeconds.HasValue ? TimeSpan.FromSeconds(estimateSeconds.Value) : null,
    };

    [Fact]
    public void Without_an_estimate_polls_every_interval()
    {
        DateTimeOffset now = Submitted.AddSeconds(3);
        Assert.Equal(now.AddSeconds(2), watcher.NextPoll(Task(null), now));
    }

    [Fact]
    public void First_call_after_the_look_is_half_an_interval_before_the_expected_end()
    {
        // Expected end: submitted + 8 s (the local submission time wins over the gateway's whole-second 'created').
        Assert.Equal(Submitted.AddSeconds(7), watcher.NextPoll(Task(8), Submitted.AddSeconds(0.1)));
    }

    [Theory]
    [InlineData(6.995, 9.0)]  // a call made a hair before its grid point counts as that point's
    [InlineData(7.0, 9.0)]    // at the first grid point: the next one
    [InlineData(7.2, 9.0)]
    [InlineData(8.6, 11.0)]   // closer than a quarter interval to 9: skip to 11, never two calls back to back
    [InlineData(9.0, 11.0)]
    [InlineData(30.0, 31.0)]  // long overdue: still on the grid
    public void Afterwards_stays_on_a_grid_one_interval_apart(double nowSeconds, double expectedSeconds)
    {
        Assert.Equal(Submitted.AddSeconds(expectedSeconds), watcher.NextPoll(Task(8), Submitted.AddSeconds(nowSeconds)));
    }

    [Fact]
    public void Uses_the_gateway_creation_time_when_the_submission_time_is_unknown()
    {
        KlingTask byId = Task(8);
        byId.SubmittedAt = null;
        Assert.Equal(Submitted.AddMilliseconds(6300), watcher.NextPoll(byId, Submitted));
    }

    [Theory]
    [InlineData(1, 2.0)]
    [InlineData(2, 4.0)]
    [InlineData(4, 16.0)]
    [InlineData(6, 60.0)]   // capped at a minute
    [InlineData(20, 60.0)]
    public void Backs_off_per_task_while_status_calls_keep_failing(int failures, double seconds)
    {
        TimeSpan wait = watcher.FailureBackoff(failures);
        Assert.InRange(wait.TotalSeconds, seconds * 0.8, seconds * 1.2);
    }
}
