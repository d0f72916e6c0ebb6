namespace Kling.Emulator;

/// <summary>
/// The emulator's time: when tasks are created and finish, when result links expire, when a paced download sends its
/// next slice. It follows the wall clock until a test freezes it; frozen, it moves only when the test moves it, so a
/// test waits on a condition ("every task was looked at", "both downloads wait for the clock") instead of on the clock.
/// In-process through <see cref="GatewayEmulator.Clock"/>, over HTTP through <c>/_emulator/clock</c>.
/// </summary>
public sealed class EmulatorClock
{
    private readonly object gate = new();
    private DateTimeOffset? frozenAt;
    private TimeSpan offset;
    private TaskCompletionSource moved = NewSignal();
    private int sleepers;

    /// <summary>The emulator's time now.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (gate)
            {
                return NowLocked();
            }
        }
    }

    /// <summary>True while the clock stands still.</summary>
    public bool IsFrozen
    {
        get
        {
            lock (gate)
            {
                return frozenAt.HasValue;
            }
        }
    }

    /// <summary>How many waits (<see cref="SleepUntilAsync"/>: paced downloads) are waiting for the clock right now.</summary>
    public int Sleepers => Volatile.Read(ref sleepers);

    /// <summary>Stops the clock at the time it shows.</summary>
    public void Freeze()
    {
        lock (gate)
        {
            frozenAt ??= NowLocked();
        }
    }

    /// <summary>Moves the clock on by <paramref name="by"/> (frozen or not); whatever waits for the new time goes on.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The clock only moves forward.");
        }

        lock (gate)
        {
            if (frozenAt.HasValue)
            {
                frozenAt += by;
            }
            else
            {
                offset += by;
            }
        }

        Wake();
    }

    /// <summary>Lets a frozen clock run again at the wall clock's pace, from the time it shows.</summary>
    public void Resume()
    {
        lock (gate)
        {
            if (frozenAt.HasValue)
            {
                offset = frozenAt.Value - DateTimeOffset.UtcNow;
                frozenAt = null;
            }
        }

        Wake();
    }

    /// <summary>Back to the wall clock (an emulator reset).</summary>
    public void Reset()
    {
        lock (gate)
        {
            frozenAt = null;
            offset = TimeSpan.Zero;
        }

        Wake();
    }

    /// <summary>Waits until the clock shows <paramref name="due"/>: a wall-clock wait while it runs, until a test moves it while it is frozen.</summary>
    public async Task SleepUntilAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref sleepers);
        try
        {
            while (true)
            {
                Task wake;
                TimeSpan left;
                lock (gate)
                {
                    DateTimeOffset now = NowLocked();
                    if (now >= due)
                    {
                        return;
                    }

                    wake = moved.Task;
                    left = frozenAt.HasValue ? Timeout.InfiniteTimeSpan : due - now;
                }

                using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(wake, Task.Delay(left, delay.Token));
                delay.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            Interlocked.Decrement(ref sleepers);
        }
    }

    private DateTimeOffset NowLocked() => frozenAt ?? DateTimeOffset.UtcNow + offset;

    /// <summary>Wakes every wait to look at the clock again.</summary>
    private void Wake()
    {
        TaskCompletionSource old;
        lock (gate)
        {
            old = moved;
            moved = NewSignal();
        }

        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
