using System;
using Kling.Core.Gateway;

namespace Kling.Core.Tasks
{
    /// <summary>
    /// When to look at a watched task next: a pure function of the task, the clock and the interval. Each task is
    /// looked at once to learn its estimate, then around its expected end (see <see cref="NextPoll"/>), then every
    /// <see cref="Interval"/> until it finishes; while status calls keep failing, it backs off per task.
    /// </summary>
    internal sealed class WatchSchedule
    {
        /// <summary>The longest the watcher sleeps without looking at its list again.</summary>
        public static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(30);

        // A call this close to its time is made now rather than after one more short sleep.
        private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(5);

        public WatchSchedule(TimeSpan interval)
        {
            Interval = interval <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : interval;
        }

        public TimeSpan Interval { get; }

        /// <summary>Whether a call planned for <paramref name="nextPoll"/> is made now.</summary>
        public static bool IsDue(DateTimeOffset nextPoll, DateTimeOffset now) => nextPoll <= now + Slack;

        /// <summary>How long to sleep until the earliest planned call (<see cref="LongestSleep"/> at most, or when none is planned).</summary>
        public static TimeSpan SleepUntil(DateTimeOffset? earliest, DateTimeOffset now)
        {
            TimeSpan sleep = earliest.HasValue ? earliest.Value - now : LongestSleep;
            return sleep > LongestSleep ? LongestSleep : sleep;
        }

        /// <summary>
        /// The next status call. With an estimate the calls sit on a grid centred on the expected end: half an
        /// interval before it, half an interval after, then every interval. A task that ends anywhere from half an
        /// interval early on is noticed within one interval, and one that ends on time costs two calls after the
        /// first look. Without an estimate, every interval.
        /// </summary>
        public DateTimeOffset NextPoll(KlingTask task, DateTimeOffset now)
        {
            DateTimeOffset? expected = Expected(task);
            if (!expected.HasValue)
            {
                return now + Interval;
            }

            // The first grid point at least a quarter interval away, so two calls never come back to back
            // (a call made a hair before its grid point, as IsDue allows, moves on to the next one).
            DateTimeOffset first = expected.Value - TimeSpan.FromTicks(Interval.Ticks / 2);
            DateTimeOffset earliest = now + TimeSpan.FromTicks(Interval.Ticks / 4);
            if (first >= earliest)
            {
                return first;
            }

            long steps = ((earliest - first).Ticks + Interval.Ticks - 1) / Interval.Ticks;
            return first + TimeSpan.FromTicks(steps * Interval.Ticks);
        }

        /// <summary>One interval after the first failure, doubling up to 32 intervals (at most a minute), with jitter.</summary>
        public TimeSpan FailureBackoff(int failures) => FailureBackoff(failures, ThreadSafeRandom.NextDouble());

        /// <summary>As <see cref="FailureBackoff(int)"/>, with the jitter drawn from <paramref name="sample"/> (0 to 1: -20 % to +20 %).</summary>
        public TimeSpan FailureBackoff(int failures, double sample)
        {
            TimeSpan cap = Interval > TimeSpan.FromMinutes(1) ? Interval : TimeSpan.FromMinutes(1);
            return RetryPolicy.Backoff(failures, Interval, cap, sample);
        }

        /// <summary>When the task should end: its start plus the gateway's estimate.</summary>
        public static DateTimeOffset? Expected(KlingTask task)
        {
            // The local submission time is finer than the gateway's whole-second 'created' and free of clock skew.
            DateTimeOffset? start = task.SubmittedAt ?? task.Created;
            return start.HasValue && task.EstimatedTime.HasValue ? start + task.EstimatedTime : null;
        }
    }
}
