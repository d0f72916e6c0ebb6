using System;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core.Tasks
{
    /// <summary>
    /// An auto-reset signal that is awaited without holding a thread. Its semaphore is never disposed, so work that
    /// signals after its owner was disposed (a status call answered after Ctrl+C) cannot fault.
    /// </summary>
    internal sealed class WakeSignal
    {
        private readonly SemaphoreSlim signal = new SemaphoreSlim(0, 1);

        /// <summary>Wakes the waiter, or the next one to wait; signals while already set count once.</summary>
        public void Set()
        {
            lock (signal)
            {
                if (signal.CurrentCount == 0)
                {
                    signal.Release();
                }
            }
        }

        /// <summary>True when signalled, false when <paramref name="timeout"/> passed first.</summary>
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
            signal.WaitAsync(timeout, cancellationToken);
    }
}
