namespace Kling.Core
{
    /// <summary>
    /// What Get-KlingBalance writes: the key's (or with -Account the whole account's) balance, in <see cref="Unit"/> (USD on
    /// the main gateway; a white-label gateway may name another), and in credits when the gateway sends them (10 = 1 USD).
    /// </summary>
    public sealed class KlingBalance
    {
        /// <summary>What is left; null when the balance is unlimited.</summary>
        public double? Remaining { get; set; }

        /// <summary>What has been spent.</summary>
        public double? Used { get; set; }

        /// <summary>True when the gateway sets no limit (remain_balance -1 or unlimited_quota).</summary>
        public bool Unlimited { get; set; }

        /// <summary>The unit of <see cref="Remaining"/> and <see cref="Used"/>: the gateway's "currency" (or "unit") field, else USD.</summary>
        public string Unit { get; set; } = "USD";

        /// <summary>The credits left (remain_credits) when the gateway sends them; null when it does not, or when unlimited.</summary>
        public double? RemainingCredits { get; set; }

        /// <summary>The credits spent (used_credits) when the gateway sends them; else null.</summary>
        public double? UsedCredits { get; set; }

        /// <summary>Key (GET /v1/balance) or Account (GET /v1/user/balance).</summary>
        public string Scope { get; set; } = string.Empty;
    }
}
