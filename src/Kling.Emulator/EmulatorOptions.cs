namespace Kling.Emulator;

/// <summary>How the emulated gateway behaves. Every knob can be changed at run time through POST /_emulator/config.</summary>
public sealed class EmulatorOptions
{
    public int Port { get; set; }
    public int StoragePort { get; set; }
    public int ProxyPort { get; set; }

    /// <summary>"user:password" the proxy host demands (407 without it); null or empty = an open proxy.</summary>
    public string? ProxyCredential { get; set; }

    /// <summary>The key it accepts: random for each instance unless given (a fixed, public key would open any emulator left running).</summary>
    public string ApiKey { get; set; } = "kling-emu-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>Seconds from submission to completion.</summary>
    public double TaskSeconds { get; set; } = 3;

    /// <summary>Each task's duration varies by up to this many seconds either way.</summary>
    public double TaskJitter { get; set; }

    /// <summary>Submissions left before 402 (one unit each; also the key's remain_balance on GET /v1/balance); -1 means unlimited.</summary>
    public int Balance { get; set; } = -1;

    /// <summary>The account's remain_balance on GET /v1/user/balance; -1 means unlimited.</summary>
    public double AccountBalance { get; set; } = -1;

    /// <summary>Seconds a result URL stays valid after completion.</summary>
    public double ResultTtl { get; set; } = 3600;

    /// <summary>When true, every status read signs fresh result links (valid ResultTtl from the read), so a client can refresh an expired link.</summary>
    public bool FreshLinks { get; set; }

    /// <summary>When false, the storage host ignores Range and always sends the whole file with 200.</summary>
    public bool RangeSupport { get; set; } = true;

    public int VideoBytes { get; set; } = 262144;

    /// <summary>The storage host waits this long before sending a result file (to make downloads overlap in tests).</summary>
    public int DownloadDelayMs { get; set; }

    /// <summary>Bytes per second the storage host sends on each connection (0 = as fast as loopback goes), like a distant CDN.</summary>
    public long DownloadBytesPerSecond { get; set; }

    /// <summary>How many result URLs a completed task lists (the API allows several).</summary>
    public int ResultCount { get; set; } = 1;

    /// <summary>Delay added to every gateway response (not the control endpoints).</summary>
    public int LatencyMs { get; set; }

    /// <summary>A prompt containing this text makes its task fail.</summary>
    public string FailMarker { get; set; } = "[fail]";

    /// <summary>The storage host aborts a download after this many body bytes (0 = never) ...</summary>
    public long CutAfterBytes { get; set; }

    /// <summary>... for this many downloads.</summary>
    public int CutTimes { get; set; } = 1;

    /// <summary>Submissions allowed in flight at once; one more gets 429 with Retry-After (0 = no limit).</summary>
    public int MaxConcurrentSubmits { get; set; }

    /// <summary>The Retry-After (seconds) sent with a concurrency 429.</summary>
    public double ConcurrencyRetryAfter { get; set; } = 0.2;

    /// <summary>When true, a submission is answered {"code":200,"data":{"id":...,"status":"pending"}} (data as an object, as some gateway models do) instead of the one-element array.</summary>
    public bool SubmitDataAsObject { get; set; }

    /// <summary>When true, the Idempotency-Key header is ignored, as by a gateway (or model) that does not support it: every submission is executed.</summary>
    public bool IgnoreIdempotencyKeys { get; set; }

    /// <summary>Share of submissions answered 429 at random (0..1), like a busy gateway.</summary>
    public double Submit429Rate { get; set; }

    /// <summary>Shares of status calls answered 500, dropped (reset) or cut short (truncated JSON), at random.</summary>
    public double Task500Rate { get; set; }
    public double TaskResetRate { get; set; }
    public double TaskTruncateRate { get; set; }

    /// <summary>
    /// A failed task's error.message instead of the moderation message in the language asked for; "{key}" in it stands for
    /// the key the status call carried, as a careless gateway that echoes its caller's token writes it.
    /// </summary>
    public string? FailMessage { get; set; }

    /// <summary>A failed task's error.code (a number when it reads as one) instead of 1301; "{key}" as in <see cref="FailMessage"/>.</summary>
    public string? FailCode { get; set; }

    /// <summary>Share of tasks that fail at random, besides those with the fail marker.</summary>
    public double TaskFailRate { get; set; }

    /// <summary>When false, finished tasks carry no cost or credits_cost, as a gateway that does not say.</summary>
    public bool CostOnStatus { get; set; } = true;

    /// <summary>When true, cost and credits_cost are sent as numeric text ("0.336") instead of JSON numbers.</summary>
    public bool CostAsText { get; set; }

    /// <summary>When false, the balance answers leave out remain_credits and used_credits.</summary>
    public bool BalanceCredits { get; set; } = true;

    /// <summary>A unit the balance answers name in a "currency" field (a white-label gateway's); null = no such field (USD).</summary>
    public string? BalanceCurrency { get; set; }

    /// <summary>When true, GET /v1/usage answers 503 usage_unavailable.</summary>
    public bool UsageUnavailable { get; set; }

    /// <summary>Calls to GET /v1/usage allowed per key in a minute before 429 (the gateway's 60).</summary>
    public int UsagePerMinute { get; set; } = 60;

    /// <summary>When true, GET /v1/models answers a bare array instead of {"object":"list","data":[...]}.</summary>
    public bool ModelListBare { get; set; }

    /// <summary>The model ids GET /v1/models lists, in this order; null = every emulated model, the listed-only ones and the others.</summary>
    public string[]? ListedModels { get; set; }

    public EmulatorOptions Clone() => (EmulatorOptions)MemberwiseClone();
}
