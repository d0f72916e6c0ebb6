using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core
{
    /// <summary>The outcome of watching one task: finished (completed, failed, cancelled) or given up on.</summary>
    public sealed class PollOutcome
    {
        public PollOutcome(KlingTask task, GatewayException? error)
        {
            Task = task;
            Error = error;
        }

        public KlingTask Task { get; }

        /// <summary>Set when the task cannot be watched any more (unknown id, bad key).</summary>
        public GatewayException? Error { get; }

        internal static bool IsTransient(GatewayException error) =>
            error.Kind != GatewayErrorKind.NotFound &&
            error.Kind != GatewayErrorKind.Authentication &&
            error.Kind != GatewayErrorKind.PaymentRequired &&
            error.Kind != GatewayErrorKind.InvalidRequest;
    }

    /// <summary>
    /// One scheduler for many tasks. Each task is looked at once to learn its estimate, then around
    /// created + estimated_time (see <see cref="NextPoll"/>), then every <see cref="Interval"/> until it finishes; status calls run in the
    /// background with a bounded number in flight, and finished tasks are queued for the caller's thread the
    /// moment they are seen. Tasks may be added while others are being watched.
    /// </summary>
    public sealed class TaskWatcher : IDisposable
    {
        private static readonly TimeSpan LongestSleep = TimeSpan.FromSeconds(30);

        private readonly KlingClient client;
        private readonly object gate = new object();
        private readonly Dictionary<string, Entry> watched = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<PollOutcome> finished = new ConcurrentQueue<PollOutcome>();
        private readonly SemaphoreSlim finishedSignal = new SemaphoreSlim(0);
        private readonly SemaphoreSlim requestSlots;
        private readonly AutoResetEvent wake = new AutoResetEvent(false);
        private readonly CancellationTokenSource stop;
        private readonly Task loop;
        private int statusCalls;

        public TaskWatcher(KlingClient client, TimeSpan interval, int maxConcurrentRequests, CancellationToken cancellationToken)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
            Interval = interval <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : interval;
            requestSlots = new SemaphoreSlim(Math.Max(1, maxConcurrentRequests));
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            loop = Task.Run(RunAsync);
        }

        public TimeSpan Interval { get; }

        /// <summary>Status calls made so far (for progress and benchmarks).</summary>
        public int StatusCalls => Volatile.Read(ref statusCalls);

        public int Total { get; private set; }

        /// <summary>Tasks added and not finished yet.</summary>
        public int Pending
        {
            get
            {
                lock (gate)
                {
                    return watched.Count;
                }
            }
        }

        /// <summary>The latest known state of the tasks still watched.</summary>
        public IReadOnlyList<KlingTask> Unfinished()
        {
            lock (gate)
            {
                return watched.Values.Select(e => e.Task).ToList();
            }
        }

        /// <summary>When the last still-running task is expected to finish, when the gateway gave estimates.</summary>
        public DateTimeOffset? ExpectedEnd()
        {
            lock (gate)
            {
                DateTimeOffset? end = null;
                foreach (Entry e in watched.Values)
                {
                    DateTimeOffset? expected = Expected(e.Task);
                    if (expected.HasValue && (!end.HasValue || expected > end))
                    {
                        end = expected;
                    }
                }

                return end;
            }
        }

        /// <summary>Starts watching a task; false when it is already watched.</summary>
        public bool Add(KlingTask task)
        {
            lock (gate)
            {
                if (watched.ContainsKey(task.TaskId))
                {
                    return false;
                }

                watched.Add(task.TaskId, new Entry(task));
                Total++;
            }

            wake.Set();
            return true;
        }

        /// <summary>Takes the next finished task, waiting up to <paramref name="wait"/>.</summary>
        public bool TryTake(TimeSpan wait, out PollOutcome? outcome)
        {
            outcome = null;
            if (!finishedSignal.Wait(wait))
            {
                return false;
            }

            return finished.TryDequeue(out outcome);
        }

        private async Task RunAsync()
        {
            CancellationToken token = stop.Token;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    DateTimeOffset now = DateTimeOffset.UtcNow;
                    List<Entry> due;
                    TimeSpan sleep;
                    lock (gate)
                    {
                        due = watched.Values.Where(e => !e.Busy && e.NextPoll <= now.AddMilliseconds(5)).OrderBy(e => e.NextPoll).ToList();
                        foreach (Entry e in due)
                        {
                            e.Busy = true;
                        }

                        DateTimeOffset? next = watched.Values.Where(e => !e.Busy).Select(e => (DateTimeOffset?)e.NextPoll).Min();
                        sleep = next.HasValue ? next.Value - now : LongestSleep;
                    }

                    foreach (Entry entry in due)
                    {
                        await requestSlots.WaitAsync(token).ConfigureAwait(false);
                        _ = PollAsync(entry, token);
                    }

                    if (due.Count == 0)
                    {
                        if (sleep > LongestSleep)
                        {
                            sleep = LongestSleep;
                        }

                        if (sleep > TimeSpan.Zero)
                        {
                            WaitHandle.WaitAny(new[] { wake, token.WaitHandle }, sleep);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task PollAsync(Entry entry, CancellationToken token)
        {
            PollOutcome? done = null;
            bool failedCall = false;
            try
            {
                Interlocked.Increment(ref statusCalls);
                KlingTask fresh = await client.GetTaskAsync(entry.Task.TaskId, token).ConfigureAwait(false);
                entry.Task.Update(fresh);
                if (entry.Task.IsFinished)
                {
                    done = new PollOutcome(entry.Task, null);
                }
            }
            catch (GatewayException ex)
            {
                if (!PollOutcome.IsTransient(ex))
                {
                    done = new PollOutcome(entry.Task, ex);
                }
                else
                {
                    failedCall = true;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                requestSlots.Release();
            }

            lock (gate)
            {
                entry.Busy = false;
                if (done != null)
                {
                    watched.Remove(entry.Task.TaskId);
                }
                else if (failedCall)
                {
                    // The client already retried this call; while the gateway keeps failing, back off per task.
                    entry.Failures++;
                    entry.NextPoll = DateTimeOffset.UtcNow + FailureBackoff(entry.Failures);
                }
                else
                {
                    entry.Failures = 0;
                    entry.NextPoll = NextPoll(entry.Task, DateTimeOffset.UtcNow);
                }
            }

            if (done != null)
            {
                finished.Enqueue(done);
                finishedSignal.Release();
            }

            wake.Set();
        }

        /// <summary>
        /// The next status call. With an estimate the calls sit on a grid centred on the expected end: half an
        /// interval before it, half an interval after, then every interval. A task that ends anywhere from half an
        /// interval early on is noticed within one interval, and one that ends on time costs two calls after the
        /// first look. Without an estimate, every interval.
        /// </summary>
        internal DateTimeOffset NextPoll(KlingTask task, DateTimeOffset now)
        {
            DateTimeOffset? expected = Expected(task);
            if (!expected.HasValue)
            {
                return now + Interval;
            }

            // The first grid point at least a quarter interval away, so two calls never come back to back
            // (a call made a hair before its grid point, as the scheduler allows, moves on to the next one).
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
        internal TimeSpan FailureBackoff(int failures)
        {
            double factor = Math.Pow(2, Math.Min(Math.Max(failures, 1) - 1, 5));
            double jitter = 0.8 + (ThreadSafeRandom.NextDouble() * 0.4);
            double ms = Math.Min(Interval.TotalMilliseconds * factor, Math.Max(Interval.TotalMilliseconds, 60000));
            return TimeSpan.FromMilliseconds(ms * jitter);
        }

        /// <summary>When the task should end: its start plus the gateway's estimate.</summary>
        internal static DateTimeOffset? Expected(KlingTask task)
        {
            // The local submission time is finer than the gateway's whole-second 'created' and free of clock skew.
            DateTimeOffset? start = task.SubmittedAt ?? task.Created;
            return start.HasValue && task.EstimatedTime.HasValue ? start + task.EstimatedTime : null;
        }

        public void Dispose()
        {
            stop.Cancel();
            try
            {
                loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            stop.Dispose();
            wake.Dispose();
        }

        private sealed class Entry
        {
            public Entry(KlingTask task)
            {
                Task = task;
                NextPoll = DateTimeOffset.MinValue;
            }

            public KlingTask Task { get; }

            public DateTimeOffset NextPoll { get; set; }

            public bool Busy { get; set; }

            /// <summary>Status calls in a row that failed for a transient reason.</summary>
            public int Failures { get; set; }
        }
    }
}
