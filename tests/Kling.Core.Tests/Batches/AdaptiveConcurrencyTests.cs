using Kling.Core.Batches;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// The adaptive gate. Its cool-down and probe interval are measured on a clock the tests hold still and move
/// (<see cref="Now"/>), so a round of 429s counts as one however slowly a loaded machine runs it.
/// </summary>
public class AdaptiveConcurrencyTests
{
    private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset Now() => now;
    [Fact]
    public async Task Halves_on_429_and_grows_back_by_one_per_window()
    {
        var gate = new AdaptiveConcurrency(8, coolDown: TimeSpan.Zero);
        Assert.Equal(8, gate.Limit);
        gate.OnRateLimited();
        Assert.Equal(4, gate.Limit);
        gate.OnRateLimited();
        gate.OnRateLimited();
        gate.OnRateLimited();
        Assert.Equal(1, gate.Limit);
        for (int i = 0; i < 3; i++)
        {
            gate.OnSuccess();
        }

        Assert.Equal(2, gate.Limit);
        for (int i = 0; i < 200; i++)
        {
            gate.OnSuccess();
        }

        Assert.Equal(8, gate.Limit);
        await Task.CompletedTask;
    }

    [Fact]
    public void One_burst_of_429s_counts_once()
    {
        var gate = new AdaptiveConcurrency(16, coolDown: TimeSpan.FromSeconds(10), clock: Now);
        for (int i = 0; i < 10; i++)
        {
            gate.OnRateLimited();
        }

        Assert.Equal(8, gate.Limit);
    }

    [Fact]
    public async Task Never_lets_more_than_the_limit_through()
    {
        var gate = new AdaptiveConcurrency(3);
        int inside = 0, most = 0;
        await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            await gate.WaitAsync(CancellationToken.None);
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Delay(5);
            Interlocked.Decrement(ref inside);
            gate.Release();
        }));
        Assert.Equal(3, most);
    }

    [Fact]
    public async Task A_probe_goes_alone_until_the_first_success()
    {
        var gate = new AdaptiveConcurrency(4, probeFirst: true);
        await gate.WaitAsync(CancellationToken.None);
        Task second = gate.WaitAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        gate.OnSuccess();
        await second.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(4, gate.Limit);
    }

    /// <summary>One window at the gateway: as many rows as the gate lets in at once, all answered with success.</summary>
    private static async Task RoundOfSuccesses(AdaptiveConcurrency gate)
    {
        int n = gate.Limit;
        for (int i = 0; i < n; i++)
        {
            await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
        }

        for (int i = 0; i < n; i++)
        {
            gate.Release();
            gate.OnSuccess();
        }
    }

    /// <summary>A window in which the gateway, allowing <paramref name="allowed"/> in flight, refuses the rest with 429.</summary>
    private static async Task RoundAgainst(AdaptiveConcurrency gate, int allowed)
    {
        int n = gate.Limit;
        for (int i = 0; i < n; i++)
        {
            await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
        }

        for (int i = allowed; i < n; i++)
        {
            gate.Release();
            gate.OnRateLimited();
        }

        for (int i = 0; i < Math.Min(allowed, n); i++)
        {
            gate.Release();
            gate.OnSuccess();
        }
    }

    [Fact]
    public async Task Learns_the_gateways_ceiling_from_the_429s_and_holds_just_under_it()
    {
        // Issue 13: -ThrottleLimit 16 against a gateway that allows 8 must not saw-tooth 8, 9, 4, 5, ... 9, 4.
        var gate = new AdaptiveConcurrency(16, clock: Now);
        await RoundAgainst(gate, allowed: 8);
        Assert.Equal(8, gate.Limit);
        for (int round = 0; round < 200; round++)
        {
            await RoundAgainst(gate, allowed: 8);
            Assert.InRange(gate.Limit, 8, 9);
        }

        Assert.Equal(8, gate.Limit);
        Assert.Equal(8, gate.LowestLimit);
    }

    [Fact]
    public async Task Probes_one_above_the_learned_ceiling_only_after_the_probe_interval()
    {
        var gate = new AdaptiveConcurrency(16, probeInterval: TimeSpan.FromHours(1), clock: Now);
        for (int round = 0; round < 20; round++)
        {
            await RoundAgainst(gate, allowed: 8);
        }

        Assert.Equal(8, gate.Limit);

        // With probes due at once, a gateway that now allows 12 is found again, one step at a time.
        var eager = new AdaptiveConcurrency(16, probeInterval: TimeSpan.Zero, clock: Now);
        for (int round = 0; round < 20; round++)
        {
            await RoundAgainst(eager, allowed: 8);
        }

        Assert.InRange(eager.Limit, 8, 9);
        for (int round = 0; round < 60; round++)
        {
            await RoundAgainst(eager, allowed: 12);
        }

        Assert.InRange(eager.Limit, 12, 13);
    }

    [Fact]
    public async Task A_429_at_a_level_that_worked_before_halves_and_learns_again()
    {
        // Each round's burst of 429s counts once (the cool-down), and the next round comes after it.
        var gate = new AdaptiveConcurrency(16, coolDown: TimeSpan.FromMilliseconds(20), clock: Now);
        for (int round = 0; round < 20; round++)
        {
            await RoundAgainst(gate, allowed: 8);
            now += TimeSpan.FromMilliseconds(30);
        }

        Assert.Equal(8, gate.Limit);

        // The gateway got busier: now 3 in flight is its most.
        for (int round = 0; round < 40; round++)
        {
            await RoundAgainst(gate, allowed: 3);
            now += TimeSpan.FromMilliseconds(30);
        }

        Assert.InRange(gate.Limit, 3, 4);
        await RoundOfSuccesses(gate);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
