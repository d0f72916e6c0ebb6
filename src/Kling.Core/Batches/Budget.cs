using System;

namespace Kling.Core.Batches
{
    /// <summary>
    /// A run's spending cap (New-KlingVideo -MaxCost): a row is sent only once its highest estimate is reserved, and it is
    /// reserved only when it fits beside what the run has committed (rows accepted and rows in flight, each at its highest
    /// estimate). A row that provably billed nothing (never sent, refused with a 4xx) gives its reservation back; one whose
    /// outcome is unknown keeps it. Thread-safe.
    /// </summary>
    public sealed class Budget
    {
        private readonly object gate = new object();
        private decimal inFlight;
        private decimal accepted;

        public Budget(decimal cap)
        {
            if (cap <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(cap), cap, "The cap must be more than zero.");
            }

            Cap = cap;
        }

        /// <summary>The most this run may commit, in USD.</summary>
        public decimal Cap { get; }

        /// <summary>What the run has committed: accepted rows plus rows in flight.</summary>
        public decimal Committed
        {
            get
            {
                lock (gate)
                {
                    return inFlight + accepted;
                }
            }
        }

        /// <summary>USD of the rows accepted.</summary>
        public decimal Accepted
        {
            get
            {
                lock (gate)
                {
                    return accepted;
                }
            }
        }

        /// <summary>Reserves <paramref name="max"/> when it fits under the cap beside what is committed; false (nothing reserved) when not.</summary>
        public bool Reserve(decimal max)
        {
            if (max < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(max), max, "An estimate cannot be negative.");
            }

            lock (gate)
            {
                if (inFlight + accepted + max > Cap)
                {
                    return false;
                }

                inFlight += max;
                return true;
            }
        }

        /// <summary>A reserved row was accepted: its reservation stays, as paid.</summary>
        public void Commit(decimal max)
        {
            lock (gate)
            {
                inFlight -= max;
                accepted += max;
            }
        }

        /// <summary>A reserved row billed nothing (not sent, refused): its reservation is freed.</summary>
        public void Release(decimal max)
        {
            lock (gate)
            {
                inFlight -= max;
            }
        }
    }
}
