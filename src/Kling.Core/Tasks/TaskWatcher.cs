using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Gateway;

namespace Kling.Core.Tasks
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

    }

    /// <summary>
    /// One scheduler for many tasks, looking at each when its <see cref="WatchSchedule"/> says. Status calls run in
    /// the background with a bounded number in flight, and finished tasks are queued for the caller's thread the
    /// moment they are seen. Tasks may be added while others are being watched. Nothing runs until
    /// <see cref="Start"/> or the first <see cref="Add"/>.
    /// </summary>
    public sealed class TaskWatcher : IOutcomeSource<PollOutcome>, IDisposable
    {
        /// <summary>Tasks watched at once while more wait in a list (a journal): more are added as these finish, so memory stays flat in its size.</summary>
        public const int MostWatchedFromList = 1000;

        private readonly IKlingGateway client;
        private readonly WatchSchedule schedule;
        private readonly int throttleLimit;
        private readonly object gate = new object();
        private readonly Dictionary<string, Entry> watched = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private readonly OutcomeQueue<PollOutcome> outcomes = new OutcomeQueue<PollOutcome>();
        private readonly SemaphoreSlim requestSlots;
        private readonly WakeSignal wake = new WakeSignal();
        private readonly CancellationTokenSource stop;
        private Task? loop;
        private int statusCalls;
        private int unpolled;

        public TaskWatcher(IKlingGateway client, TimeSpan interval, int maxConcurrentRequests, CancellationToken cancellationToken)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
            schedule = new WatchSchedule(interval);
            throttleLimit = Math.Max(1, maxConcurrentRequests);
            requestSlots = new SemaphoreSlim(Math.Max(1, maxConcurrentRequests));
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public TimeSpan Interval => schedule.Interval;

        /// <summary>Status calls made so far (for progress and benchmarks).</summary>
        public int StatusCalls => Volatile.Read(ref statusCalls);

        public int Total { get; private set; }

        /// <summary>
        /// Tasks added and not finished yet. A finished task leaves this count in the same step as its outcome is queued,
        /// so once it reads 0 every outcome is ready to take.
        /// </summary>
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

        /// <summary>
        /// Tasks added and not looked at yet. A caller reading tasks from a big list adds more only while this is small, so
        /// each task is read shortly before its first status call instead of waiting in memory behind a thousand others.
        /// </summary>
        public int Unpolled
        {
            get
            {
                lock (gate)
                {
                    return unpolled;
                }
            }
        }

        /// <summary>
        /// True while a caller reading tasks from a big list (a journal) should add the next: fewer than
        /// <see cref="MostWatchedFromList"/> are watched, and fewer than <see cref="PipelineDrain.MostOutstanding"/> of the
        /// throttle limit wait for their first look, so each task is read shortly before its first status call.
        /// </summary>
        public bool HasRoom
        {
            get
            {
                lock (gate)
                {
                    return watched.Count < MostWatchedFromList && unpolled < PipelineDrain.MostOutstanding(throttleLimit);
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

        /// <summary>
        /// Stops watching the tasks still watched and hands them back (a wait that timed out): a status call under way for
        /// one of them queues nothing, so each task added is either taken or handed back here, never both. They no longer
        /// count as <see cref="Outstanding"/>. Each comes with its latest failed status checks in a row (how many, the last
        /// failure; null when its latest check read its status).
        /// </summary>
        public IReadOnlyList<(KlingTask Task, (int InARow, GatewayException Last)? FailedChecks)> GiveUp()
        {
            lock (gate)
            {
                var left = watched.Values
                    .Select(e => (e.Task, e.Failures > 0 && e.LastFailure != null ? (e.Failures, e.LastFailure) : ((int, GatewayException)?)null))
                    .ToList();
                outcomes.Abandoned(left.Count);
                watched.Clear();
                unpolled = 0;
                return left;
            }
        }

        /// <summary>When the last still-running task is expected to finish, when the gateway gave estimates.</summary>
        public DateTimeOffset? ExpectedEnd()
        {
            lock (gate)
            {
                return watched.Values.Select(e => WatchSchedule.Expected(e.Task)).Max();
            }
        }

        /// <summary>Starts the background loop (once; later calls do nothing). <see cref="Add"/> calls it too.</summary>
        public TaskWatcher Start()
        {
            lock (gate)
            {
                loop ??= Task.Run(RunAsync);
            }

            return this;
        }

        /// <summary>Starts watching a task (and the watcher, if not yet started); false when it is already watched.</summary>
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
                unpolled++;
                outcomes.Started();
            }

            Start();
            wake.Set();
            return true;
        }

        /// <summary>Tasks added whose outcome has not been taken yet.</summary>
        public int Outstanding => outcomes.Outstanding;

        /// <summary>Takes the next finished task, waiting up to <paramref name="wait"/>.</summary>
        public bool TryTake(TimeSpan wait, out PollOutcome? outcome) => TryTake(wait, CancellationToken.None, out outcome);

        /// <summary>The same, ended at once by <paramref name="stop"/> (<see cref="OperationCanceledException"/>).</summary>
        public bool TryTake(TimeSpan wait, CancellationToken stop, out PollOutcome? outcome) => outcomes.TryTake(wait, stop, out outcome);

        /// <summary>Runs on the status call's thread right after a finished task left the watch list (tests pause there).</summary>
        internal Action<KlingTask>? LeftWatchList { get; set; }

        private async Task RunAsync()
        {
            CancellationToken token = stop.Token;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    List<Entry> due = TakeDue(DateTimeOffset.UtcNow, out TimeSpan sleep);
                    foreach (Entry entry in due)
                    {
                        await requestSlots.WaitAsync(token).ConfigureAwait(false);
                        _ = PollAsync(entry, token);
                    }

                    if (due.Count == 0 && sleep > TimeSpan.Zero)
                    {
                        // Awaited, not blocked on: an idle watcher holds no thread. A finished call or an Add wakes it.
                        await wake.WaitAsync(sleep, token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>Marks the tasks due now as busy and returns them, earliest first; <paramref name="sleep"/> is the time to the next one not busy.</summary>
        private List<Entry> TakeDue(DateTimeOffset now, out TimeSpan sleep)
        {
            lock (gate)
            {
                List<Entry> due = watched.Values.Where(e => !e.Busy && WatchSchedule.IsDue(e.NextPoll, now)).OrderBy(e => e.NextPoll).ToList();
                foreach (Entry e in due)
                {
                    e.Busy = true;
                    if (!e.Polled)
                    {
                        e.Polled = true;
                        unpolled--;
                    }
                }

                DateTimeOffset? next = watched.Values.Where(e => !e.Busy).Select(e => (DateTimeOffset?)e.NextPoll).Min();
                sleep = WatchSchedule.SleepUntil(next, now);
                return due;
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
                failedCall = ex.IsTransient;
                done = failedCall ? null : new PollOutcome(entry.Task, ex);
                entry.LastFailure = ex;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failure nothing foresaw (a bug, a reply the client could not take apart): the task ends with it
                // instead of staying watched, never looked at again, until the caller's timeout.
                done = new PollOutcome(entry.Task, new GatewayException(GatewayErrorKind.InvalidResponse, $"The status of task {entry.Task.TaskId} could not be read: {ex.Message}", inner: ex));
            }
            finally
            {
                requestSlots.Release();
            }

            if (Settle(entry, done, failedCall))
            {
                LeftWatchList?.Invoke(entry.Task);
            }

            wake.Set();
        }

        /// <summary>
        /// Queues a finished task's outcome as it leaves the watch list, in one step under the lock (a task between the two
        /// counted neither as pending nor as ready, and a caller that stopped waiting at Pending 0 lost it); otherwise plans
        /// the task's next call. True when the outcome was queued.
        /// </summary>
        private bool Settle(Entry entry, PollOutcome? done, bool failedCall)
        {
            lock (gate)
            {
                entry.Busy = false;
                if (!watched.TryGetValue(entry.Task.TaskId, out Entry? current) || current != entry)
                {
                    // Given up on meanwhile (GiveUp): the task was handed back already, so nothing is queued for it.
                    return false;
                }

                if (done != null)
                {
                    watched.Remove(entry.Task.TaskId);
                    outcomes.Add(done);
                    return true;
                }

                if (failedCall)
                {
                    // The client already retried this call; while the gateway keeps failing, back off per task.
                    entry.Failures++;
                    entry.NextPoll = DateTimeOffset.UtcNow + schedule.FailureBackoff(entry.Failures);
                }
                else
                {
                    entry.Failures = 0;
                    entry.LastFailure = null;
                    entry.NextPoll = schedule.NextPoll(entry.Task, DateTimeOffset.UtcNow);
                }

                return false;
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            Task? running;
            lock (gate)
            {
                running = loop;
            }

            try
            {
                running?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            stop.Dispose();
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

            /// <summary>Its first status call has been made (or is under way).</summary>
            public bool Polled { get; set; }

            /// <summary>Status calls in a row that failed for a transient reason.</summary>
            public int Failures { get; set; }

            /// <summary>The failure of the latest status call, while it failed (for the message of a wait that runs out).</summary>
            public GatewayException? LastFailure { get; set; }
        }
    }
}
