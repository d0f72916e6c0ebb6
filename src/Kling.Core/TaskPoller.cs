using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core
{
    /// <summary>The outcome of one status call made by <see cref="TaskPoller"/>.</summary>
    public sealed class PollOutcome
    {
        public PollOutcome(KlingTask task, GatewayException? error)
        {
            Task = task;
            Error = error;
        }

        public KlingTask Task { get; }

        /// <summary>Set when the status could not be read even after retries.</summary>
        public GatewayException? Error { get; }

        /// <summary>True when the task will not be polled again (finished, or unknown to the gateway).</summary>
        public bool Done => Error != null ? !IsTransient(Error) : Task.IsFinished;

        internal static bool IsTransient(GatewayException error) =>
            error.Kind != GatewayErrorKind.NotFound &&
            error.Kind != GatewayErrorKind.Authentication &&
            error.Kind != GatewayErrorKind.PaymentRequired &&
            error.Kind != GatewayErrorKind.InvalidRequest;
    }

    /// <summary>
    /// Watches many tasks at once: each round polls every task that is due, with a bounded number of
    /// status calls in flight, so a thousand tasks are waited for together rather than one after another.
    /// </summary>
    public sealed class TaskPoller
    {
        private readonly KlingClient client;
        private readonly Dictionary<string, Entry> pending = new Dictionary<string, Entry>(StringComparer.Ordinal);

        public TaskPoller(KlingClient client, TimeSpan interval, int maxConcurrentRequests = 8)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
            Interval = interval <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(50) : interval;
            MaxConcurrentRequests = Math.Max(1, maxConcurrentRequests);
        }

        public TimeSpan Interval { get; }

        public int MaxConcurrentRequests { get; }

        public int PendingCount => pending.Count;

        public IEnumerable<KlingTask> Pending => pending.Values.Select(e => e.Task);

        /// <summary>Adds a task to watch; false when that task id is already being watched.</summary>
        public bool Add(KlingTask task)
        {
            if (pending.ContainsKey(task.TaskId))
            {
                return false;
            }

            pending.Add(task.TaskId, new Entry(task, DateTimeOffset.MinValue));
            return true;
        }

        /// <summary>How long until the next task is due (zero when one is due now).</summary>
        public TimeSpan UntilNextDue(DateTimeOffset now)
        {
            if (pending.Count == 0)
            {
                return TimeSpan.Zero;
            }

            TimeSpan wait = pending.Values.Min(e => e.NextPoll) - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        /// <summary>Polls every due task once; finished ones leave the watch list and are returned with the rest.</summary>
        public async Task<IReadOnlyList<PollOutcome>> PollDueAsync(CancellationToken cancellationToken)
        {
            // A few milliseconds of slack so a timer that wakes a hair early does not spin an empty round.
            DateTimeOffset now = DateTimeOffset.UtcNow.AddMilliseconds(5);
            List<Entry> due = pending.Values.Where(e => e.NextPoll <= now).ToList();
            if (due.Count == 0)
            {
                return Array.Empty<PollOutcome>();
            }

            using var gate = new SemaphoreSlim(MaxConcurrentRequests);
            Task<PollOutcome>[] calls = due.Select(async entry =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    KlingTask fresh = await client.GetTaskAsync(entry.Task.TaskId, cancellationToken).ConfigureAwait(false);
                    entry.Task.Update(fresh);
                    return new PollOutcome(entry.Task, null);
                }
                catch (GatewayException ex)
                {
                    return new PollOutcome(entry.Task, ex);
                }
                finally
                {
                    gate.Release();
                }
            }).ToArray();

            PollOutcome[] outcomes = await Task.WhenAll(calls).ConfigureAwait(false);
            DateTimeOffset next = DateTimeOffset.UtcNow + Interval;
            foreach (PollOutcome outcome in outcomes)
            {
                if (outcome.Done)
                {
                    pending.Remove(outcome.Task.TaskId);
                }
                else
                {
                    pending[outcome.Task.TaskId].NextPoll = next;
                }
            }

            return outcomes;
        }

        private sealed class Entry
        {
            public Entry(KlingTask task, DateTimeOffset nextPoll)
            {
                Task = task;
                NextPoll = nextPoll;
            }

            public KlingTask Task { get; }

            public DateTimeOffset NextPoll { get; set; }
        }
    }
}
