using System;
using System.Collections.Concurrent;
using System.Threading;

namespace Kling.Core.Tasks
{
    /// <summary>A background engine whose outcomes the one thread that may write to PowerShell takes, one at a time.</summary>
    public interface IOutcomeSource<T>
        where T : class
    {
        /// <summary>Work started whose outcome has not been taken yet.</summary>
        int Outstanding { get; }

        /// <summary>
        /// Takes the next outcome, waiting up to <paramref name="wait"/> for one; <paramref name="stop"/> ends the wait at
        /// once (<see cref="OperationCanceledException"/>).
        /// </summary>
        bool TryTake(TimeSpan wait, CancellationToken stop, out T? outcome);
    }

    /// <summary>
    /// Outcomes of background work, queued by worker threads and taken by the one thread that may write to
    /// PowerShell. Counts work started and not yet taken. Its semaphore is never disposed, so a worker that finishes
    /// after the caller left (Ctrl+C) cannot fault.
    /// </summary>
    internal sealed class OutcomeQueue<T>
        where T : class
    {
        private readonly ConcurrentQueue<T> outcomes = new ConcurrentQueue<T>();
        private readonly SemaphoreSlim available = new SemaphoreSlim(0);
        private int outstanding;

        /// <summary>Work started whose outcome has not been taken yet.</summary>
        public int Outstanding => Volatile.Read(ref outstanding);

        /// <summary>Counts one more piece of work whose outcome will come.</summary>
        public void Started() => Interlocked.Increment(ref outstanding);

        /// <summary>Counts off work whose outcome will not come (given up on).</summary>
        public void Abandoned(int count) => Interlocked.Add(ref outstanding, -count);

        public void Add(T outcome)
        {
            outcomes.Enqueue(outcome);
            available.Release();
        }

        /// <summary>Takes the next outcome, waiting up to <paramref name="wait"/> for one, or until <paramref name="stop"/> (throws).</summary>
        public bool TryTake(TimeSpan wait, CancellationToken stop, out T? outcome)
        {
            outcome = null;
            if (!available.Wait(wait, stop))
            {
                return false;
            }

            outcomes.TryDequeue(out outcome);
            Interlocked.Decrement(ref outstanding);
            return outcome != null;
        }
    }
}
