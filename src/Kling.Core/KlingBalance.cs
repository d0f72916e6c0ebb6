namespace Kling.Core
{
    /// <summary>What Get-KlingBalance writes: the key's (or with -Account the whole account's) balance, in the account's unit (USD, CNY or tokens).</summary>
    public sealed class KlingBalance
    {
        /// <summary>What is left; null when the balance is unlimited.</summary>
        public double? Remaining { get; set; }

        /// <summary>What has been spent.</summary>
        public double? Used { get; set; }

        /// <summary>True when the gateway sets no limit (remain_balance -1 or unlimited_quota).</summary>
        public bool Unlimited { get; set; }

        /// <summary>Key (GET /v1/balance) or Account (GET /v1/user/balance).</summary>
        public string Scope { get; set; } = string.Empty;
    }
}
