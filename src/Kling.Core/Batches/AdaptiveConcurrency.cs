using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core.Batches
{
    /// <summary>
    /// A concurrency gate whose limit adapts to the gateway. It learns the gateway's ceiling from the 429s: a 429 at a
    /// level above the highest level that fully worked puts the limit back on that level and caps growth just under the
    /// level refused, probing one above it only once per <see cref="ProbeInterval"/> (each failed probe costs a row a
    /// Retry-After wait, so the old saw-tooth of halving and regrowing cost a limit above the gateway's dearly). A 429
    /// with nothing learned, or at a level that once worked (the gateway got busier, or limits by rate), halves the limit
    /// as plain AIMD does; successes add 1/limit, up to the user's maximum. One burst of 429s counts once.
    /// With a probe, the first request goes alone and the limit opens fully once one has succeeded: a bad key
    /// or an empty balance then costs one request, not a whole window of them.
    /// </summary>
    public sealed class AdaptiveConcurrency
    {
        private readonly object gate = new object();
        private readonly Queue<Waiter> waiters = new Queue<Waiter>();
        private double limit;
        private int inFlight;
        private DateTimeOffset lastDecrease = DateTimeOffset.MinValue;
        private DateTimeOffset lastProbe = DateTimeOffset.MinValue;
        private bool probing;
        private readonly Func<DateTimeOffset> clock;

        // What was learned: the highest level at which a whole window succeeded with every slot used, and the most the
        // gateway is believed to take (null: unknown). The current level's successes and peak tell when a level "worked".
        private int worked;
        private int? ceiling;
        private int levelSuccesses;
        private int levelPeak;
        private int decreasedTo = int.MaxValue;

        // clock: the time the cool-down and the probe interval are measured in (a test passes one it moves); the wall clock by default.
        public AdaptiveConcurrency(int maximum, TimeSpan? coolDown = null, bool probeFirst = false, TimeSpan? probeInterval = null, Func<DateTimeOffset>? clock = null)
        {
            if (maximum < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maximum));
            }

            Maximum = maximum;
            probing = probeFirst && maximum > 1;
            limit = probing ? 1 : maximum;
            CoolDown = coolDown ?? TimeSpan.FromMilliseconds(500);
            ProbeInterval = probeInterval ?? TimeSpan.FromSeconds(10);
            this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        public int Maximum { get; }

        public TimeSpan CoolDown { get; }

        /// <summary>How long the limit stays at a learned ceiling before one more in flight is tried.</summary>
        public TimeSpan ProbeInterval { get; }

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
                    Enter();
                    return Task.CompletedTask;
                }

                var waiter = new Waiter();
                waiters.Enqueue(waiter);
                if (cancellationToken.CanBeCanceled)
                {
                    // Disposed when the turn is given (Pump), or the token would hold every waiter of a long batch.
                    TaskCompletionSource<bool> done = waiter.Done;
                    waiter.Registration = cancellationToken.Register(() => done.TrySetCanceled());
                }

                return waiter.Done.Task;
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
                    worked = Math.Max(worked, 1);
                    SetLimit(Maximum);
                    Pump();
                    return;
                }

                int level = (int)Math.Floor(limit);
                levelSuccesses++;
                if (levelSuccesses >= level && levelPeak >= level)
                {
                    worked = Math.Max(worked, level);
                }

                DateTimeOffset now = clock();
                if (ceiling.HasValue && level >= ceiling.Value)
                {
                    if (ceiling.Value < Maximum && worked >= ceiling.Value && now - lastProbe >= ProbeInterval)
                    {
                        // Rarely, one more in flight: the gateway's limit may have risen.
                        lastProbe = now;
                        ceiling = ceiling.Value + 1;
                        SetLimit(ceiling.Value);
                    }
                }
                else
                {
                    SetLimit(Math.Min(ceiling ?? Maximum, Math.Min(Maximum, limit + (1.0 / Math.Max(1.0, limit)))));
                }

                Pump();
            }
        }

        public void OnRateLimited()
        {
            lock (gate)
            {
                DateTimeOffset now = clock();
                int level = (int)Math.Floor(limit);
                levelSuccesses = 0;
                if (now - lastDecrease < CoolDown && level <= decreasedTo)
                {
                    // The rest of a burst the last decrease already answered (sent before it).
                    return;
                }

                lastDecrease = now;
                if (probing)
                {
                    // The gateway is busy already: grow from half the maximum instead of opening fully.
                    probing = false;
                    Decrease(Math.Max(1, Maximum / 2));
                    return;
                }

                if (worked >= 1 && level > worked)
                {
                    // Refused above a level that worked: the gateway's ceiling lies in between. Go back to what worked
                    // (or half, if that is more) and grow no further than just under the level refused.
                    ceiling = Math.Max(1, level - 1);
                    lastProbe = now;
                    Decrease(Math.Max(worked, level / 2));
                    return;
                }

                // Nothing learned yet, or refused at a level that worked before: the gateway changed; halve and learn again.
                worked = 0;
                ceiling = null;
                Decrease(Math.Max(1, level / 2));
            }
        }

        private void Decrease(int to)
        {
            decreasedTo = to;
            SetLimit(to);
            LowestLimit = Math.Min(LowestLimit, to);
        }

        /// <summary>Sets the limit; a new whole level starts its count of successes and its peak afresh.</summary>
        private void SetLimit(double value)
        {
            bool newLevel = Math.Floor(value) != Math.Floor(limit);
            limit = value;
            if (newLevel)
            {
                levelSuccesses = 0;
                levelPeak = inFlight;
            }
        }

        private void Enter()
        {
            inFlight++;
            levelPeak = Math.Max(levelPeak, inFlight);
        }

        private void Pump()
        {
            while (waiters.Count > 0 && inFlight < Math.Floor(limit))
            {
                Waiter next = waiters.Dequeue();

                // At once, not in a continuation: one queued to the thread pool may run after the batch's token was
                // looked at (a busy machine), so a finished wait would still hang from it meanwhile.
                next.Registration.Dispose();
                if (next.Done.TrySetResult(true))
                {
                    Enter();
                }
            }
        }

        /// <summary>A row waiting for its turn, and its hold on the batch's token (none when the token cannot be cancelled).</summary>
        private sealed class Waiter
        {
            public TaskCompletionSource<bool> Done { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

            public CancellationTokenRegistration Registration { get; set; }
        }
    }
}
