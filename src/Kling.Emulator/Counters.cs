namespace Kling.Emulator;

/// <summary>Lock-free counting shared by the hosts, which each keep the counters of what they serve.</summary>
internal static class Counters
{
    /// <summary>Counts one more request in flight and raises the recorded peak; returns how many are in flight now.</summary>
    public static int EnterInFlight(ref int inFlight, ref int peak)
    {
        int now = Interlocked.Increment(ref inFlight);
        int seen;
        while ((seen = Volatile.Read(ref peak)) < now && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }

        return now;
    }
}
