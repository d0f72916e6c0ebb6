namespace Kling.Emulator;

/// <summary>What the gateway makes of a submission's Idempotency-Key.</summary>
internal enum IdempotencyVerdict
{
    /// <summary>A key not seen with an executed submission: handle the request (the key is now held until it ends).</summary>
    New,

    /// <summary>The same key and the same body as a submission that was executed: its first answer again, nothing new billed.</summary>
    Replay,

    /// <summary>The same key and body as a submission still being handled: 409 idempotency_in_progress.</summary>
    InProgress,

    /// <summary>The key of an executed (or running) submission with another body: 409 idempotency_key_reused.</summary>
    Reused,
}

/// <summary>
/// The gateway's Idempotency-Key (MODELS.md, "Money, identity and discovery"): a key that came with a submission
/// that was executed (a task created and billed, whatever the client then heard) replays that first answer for the
/// same body and is refused (409 idempotency_key_reused) for another; while the first is still being handled, the
/// same key gets 409 idempotency_in_progress. A submission that executed nothing (a 400, a 402, an injected fault,
/// a 429) leaves no trace of its key. Bodies are compared as sent, byte for byte.
/// </summary>
internal sealed class IdempotencyStore
{
    /// <summary>The most characters a key may have.</summary>
    public const int MaxLength = 64;

    private readonly object gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>Why a header value is not a key (the 400's message), or null for a good one: 1 to 64 printable ASCII characters.</summary>
    public static string? Problem(string key) =>
        key.Length is 0 or > MaxLength || key.Any(c => c < 0x20 || c > 0x7E)
            ? $"Idempotency-Key: 无效的值 (1 to {MaxLength} printable ASCII characters; got {key.Length})"
            : null;

    /// <summary>Looks the key up; <see cref="IdempotencyVerdict.New"/> holds it (in progress) until <see cref="Complete"/> or <see cref="Release"/>.</summary>
    public IdempotencyVerdict Claim(string key, string body, out string? answer)
    {
        lock (gate)
        {
            answer = null;
            if (!entries.TryGetValue(key, out Entry? entry))
            {
                entries[key] = new Entry(body);
                return IdempotencyVerdict.New;
            }

            if (!string.Equals(entry.Body, body, StringComparison.Ordinal))
            {
                return IdempotencyVerdict.Reused;
            }

            answer = entry.Answer;
            return answer == null ? IdempotencyVerdict.InProgress : IdempotencyVerdict.Replay;
        }
    }

    /// <summary>The submission under <paramref name="key"/> was executed: its answer is what the same key and body get from now on.</summary>
    public void Complete(string key, string answer)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out Entry? entry))
            {
                entry.Answer = answer;
            }
        }
    }

    /// <summary>The submission under <paramref name="key"/> executed nothing: the key is free again.</summary>
    public void Release(string key)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out Entry? entry) && entry.Answer == null)
            {
                entries.Remove(key);
            }
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    private sealed class Entry
    {
        public Entry(string body) => Body = body;

        public string Body { get; }

        /// <summary>The first answer (JSON, HTTP 200); null while the first submission is still being handled.</summary>
        public string? Answer { get; set; }
    }
}

/// <summary>The error codes the gateway's idempotency answers carry (MODELS.md).</summary>
internal static class IdempotencyCodes
{
    public const string InProgress = "idempotency_in_progress";
    public const string KeyReused = "idempotency_key_reused";
    public const string Indeterminate = "idempotency_result_indeterminate";
    public const string Unavailable = "idempotency_unavailable";

    /// <summary>The gateway's message for one of these codes (led by the code, as the gateway writes it); null for another code.</summary>
    public static string? MessageFor(string code) => code switch
    {
        InProgress => InProgress + ": 请求仍在处理中 (a request with this key is still being handled)",
        KeyReused => KeyReused + ": 该键已用于不同的请求 (this key was used with a different body)",
        Indeterminate => Indeterminate + ": 无法确定结果 (the outcome of the first request cannot be told)",
        Unavailable => Unavailable + ": 幂等服务暂不可用 (idempotency is unavailable; the request was not executed)",
        _ => null,
    };
}
