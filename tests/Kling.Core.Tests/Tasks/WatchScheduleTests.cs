using System;
using Kling.Core;
using Kling.Core.Tasks;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The watcher's schedule, as a pure function of the task and the clock: no watcher, no network.</summary>
public class WatchScheduleTests
{
    private static readonly DateTimeOffset Submitted = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly WatchSchedule schedule = new WatchSchedule(TimeSpan.FromSeconds(2));

    private static KlingTask Task(int? estimateSeconds) => new KlingTask("task_x")
    {
        SubmittedAt = Submitted,
        Created = Submitted.AddMilliseconds(-700),
        EstimatedSeconds = estimateSeconds,
    };

    [Fact]
    public void Without_an_estimate_polls_every_interval()
    {
        DateTimeOffset now = Submitted.AddSeconds(3);
        Assert.Equal(now.AddSeconds(2), schedule.NextPoll(Task(null), now));
    }

    [Fact]
    public void First_call_after_the_look_is_half_an_interval_before_the_expected_end()
    {
        // Expected end: submitted + 8 s (the local submission time wins over the gateway's whole-second 'created').
        Assert.Equal(Submitted.AddSeconds(7), schedule.NextPoll(Task(8), Submitted.AddSeconds(0.1)));
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
        Assert.Equal(Submitted.AddSeconds(expectedSeconds), schedule.NextPoll(Task(8), Submitted.AddSeconds(nowSeconds)));
    }

    [Fact]
    public void Uses_the_gateway_creation_time_when_the_submission_time_is_unknown()
    {
        KlingTask byId = Task(8);
        byId.SubmittedAt = null;
        Assert.Equal(Submitted.AddMilliseconds(6300), schedule.NextPoll(byId, Submitted));
    }

    [Theory]
    [InlineData(1, 2.0)]
    [InlineData(2, 4.0)]
    [InlineData(4, 16.0)]
    [InlineData(6, 60.0)]   // capped at a minute
    [InlineData(20, 60.0)]
    public void Backs_off_per_task_while_status_calls_keep_failing(int failures, double seconds)
    {
        TimeSpan wait = schedule.FailureBackoff(failures);
        Assert.InRange(wait.TotalSeconds, seconds * 0.8, seconds * 1.2);
        Assert.Equal(seconds * 0.8, schedule.FailureBackoff(failures, 0).TotalSeconds, 6);
        Assert.Equal(seconds * 1.2, schedule.FailureBackoff(failures, 1).TotalSeconds, 6);
    }

    [Theory]
    [InlineData(-4.0, true)]
    [InlineData(0.0, true)]
    [InlineData(0.005, true)]  // a hair ahead: made now, not after a 5 ms sleep
    [InlineData(0.006, false)]
    [InlineData(1.0, false)]
    public void A_call_is_due_at_its_time_or_a_hair_before(double inSeconds, bool due) =>
        Assert.Equal(due, WatchSchedule.IsDue(Submitted.AddSeconds(inSeconds), Submitted));

    [Theory]
    [InlineData(null, 30.0)]   // nothing planned: look again after the longest sleep
    [InlineData(0.25, 0.25)]
    [InlineData(45.0, 30.0)]   // never longer than the longest sleep
    [InlineData(-1.0, -1.0)]   // already due: no sleep at all
    public void Sleeps_until_the_earliest_planned_call(double? inSeconds, double sleepSeconds)
    {
        DateTimeOffset? earliest = inSeconds.HasValue ? Submitted.AddSeconds(inSeconds.Value) : null;
        Assert.Equal(TimeSpan.FromSeconds(sleepSeconds), WatchSchedule.SleepUntil(earliest, Submitted));
    }

    [Fact]
    public void A_task_is_expected_at_its_start_plus_the_estimate()
    {
        Assert.Equal(Submitted.AddSeconds(8), WatchSchedule.Expected(Task(8)));
        Assert.Null(WatchSchedule.Expected(Task(null)));
        Assert.Null(WatchSchedule.Expected(new KlingTask("task_y") { EstimatedSeconds = 8 }));
    }

    [Fact]
    public void An_interval_of_zero_or_less_becomes_50_ms() =>
        Assert.Equal(TimeSpan.FromMilliseconds(50), new WatchSchedule(TimeSpan.Zero).Interval);
}
