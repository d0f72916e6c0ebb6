using System;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// The one retry rule: which failures are worth another try is <see cref="GatewayException.IsTransient"/>; how long to
    /// wait is the server's Retry-After when it sent one, else <see cref="Backoff(int, TimeSpan, TimeSpan, double)"/>.
    /// Submissions use it only for 429s, which bill nothing; status calls, uploads and downloads for every transient failure.
    /// </summary>
    public sealed class RetryPolicy
    {
        private const int MaxDoublings = 5;

        /// <summary>The first backoff; each later one doubles (up to 32 times this).</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>The longest single wait, Retry-After included.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>How many times a call that bills nothing (a status call, an upload) is tried in all.</summary>
        public int MaxAttempts { get; set; } = 4;

        /// <summary>How long to wait after the n-th failure in a row (n from 1).</summary>
        public TimeSpan DelayAfter(GatewayException failure, int attempt)
        {
            if (failure.RetryAfter is TimeSpan retryAfter)
            {
                return retryAfter > MaxDelay ? MaxDelay : retryAfter;
            }

            return Backoff(attempt, BaseDelay, MaxDelay);
        }

        /// <summary>The backoff after the n-th failure in a row, with jitter.</summary>
        public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan cap) =>
            Backoff(attempt, baseDelay, cap, ThreadSafeRandom.NextDouble());

        /// <summary>
        /// <paramref name="baseDelay"/> doubled per failure after the first (at most 32 times), capped, then spread by
        /// -20 % to +20 % with <paramref name="sample"/> (0 to 1) so that many callers do not retry in step.
        /// </summary>
        public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan cap, double sample)
        {
            double factor = Math.Pow(2, Math.Min(Math.Max(attempt, 1) - 1, MaxDoublings));
            double jitter = 0.8 + (sample * 0.4);
            double ms = Math.Min(baseDelay.TotalMilliseconds * factor, cap.TotalMilliseconds);
            return TimeSpan.FromMilliseconds(ms * jitter);
        }
    }

    internal static class ThreadSafeRandom
    {
        private static readonly Random Seed = new Random();
        [ThreadStatic] private static Random? local;

        internal static double NextDouble()
        {
            if (local == null)
            {
                int seed;
                lock (Seed)
                {
                    seed = Seed.Next();
                }

                local = new Random(seed);
            }

            return local.NextDouble();
        }
    }
}
