using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core.Batches
{
    /// <summary>
    /// A concurrency gate whose limit adapts to the gateway (AIMD): each 429 halves the limit (at most once per
    /// cool-down, so one burst of 429s counts once), each success adds 1/limit, up to the user's maximum.
    /// With a probe, the first request goes alone and the limit opens fully once one has succeeded: a bad key
    /// or an empty balance then costs one request, not a whole window of them.
    /// </summary>
    public sealed class AdaptiveConcurrency
    {
        private readonly object gate = new object();
        private readonly Queue<TaskCompletionSource<bool>> waiters = new Queue<TaskCompletionSource<bool>>();
        private double limit;
        private int inFlight;
        private DateTimeOffset lastDecrease = DateTimeOffset.MinValue;
        private bool probing;

        public AdaptiveConcurrency(int maximum, TimeSpan? coolDown = null, bool probeFirst = false)
        {
            if (maximum < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maximum));
            }

            Maximum = maximum;
            probing = probeFirst && maximum > 1;
            limit = probing ? 1 : maximum;
            CoolDown = coolDown ?? TimeSpan.FromMilliseconds(500);
        }

        public int Maximum { get; }

        public TimeSpan CoolDown { get; }

        /// <summary>How many may be in flight now.</summary>
        public int Limit
        {
            get
            {
                lock (gate)
                {
                    return (int)Math.Floor(limit);
                }
            }
        }

        /// <summary>Lowest limit reached so far (for tests and benchmarks).</summary>
        public int LowestLimit { get; private set; } = int.MaxValue;

        public Task WaitAsync(CancellationToken cancellationToken)
        {
            lock (gate)
            {
                if (inFlight < Math.Floor(limit) && waiters.Count == 0)
                {
                    inFlight++;
                    return Task.CompletedTask;
                }

                var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                waiters.Enqueue(waiter);
                if (cancellationToken.CanBeCanceled)
                {
                    // Disposed when the wait ends, or the token would hold every waiter of a long batch.
                    CancellationTokenRegistration registration = cancellationToken.Register(() => waiter.TrySetCanceled());
                    waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                return waiter.Task;
            }
        }

        public void Release()
        {
            lock (gate)
            {
                inFlight--;
                Pump();
            }
        }

        public void OnSuccess()
        {
            lock (gate)
            {
                if (probing)
                {
                    probing = false;
                    limit = Maximum;
                }
                else
                {
                    limit = Math.Min(Maximum, limit + (1.0 / Math.Max(1.0, limit)));
                }

                Pump();
            }
        }

        public void OnRateLimited()
        {
            lock (gate)
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                if (now - lastDecrease < CoolDown)
                {
                    return;
                }

                lastDecrease = now;
                if (probing)
                {
                    // The gateway is busy already: grow from half the maximum instead of opening fully.
                    probing = false;
                    limit = Math.Max(1.0, Math.Floor(Maximum / 2.0));
                    return;
                }

                limit = Math.Max(1.0, Math.Floor(limit / 2));
                LowestLimit = Math.Min(LowestLimit, (int)limit);
            }
        }

        private void Pump()
        {
            while (waiters.Count > 0 && inFlight < Math.Floor(limit))
            {
                TaskCompletionSource<bool> next = waiters.Dequeue();
                if (next.TrySetResult(true))
                {
                    inFlight++;
                }
            }
        }
    }
}
