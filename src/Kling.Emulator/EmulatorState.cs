using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kling.Emulator;

/// <summary>
/// What the gateway, storage and proxy hosts share: the options, tasks, uploads, recorded requests, injected faults and
/// the secret that signs result links. Options and the lists change under <see cref="Gate"/>.
/// </summary>
internal sealed class EmulatorState
{
    private readonly EmulatorOptions initial;
    private readonly List<RecordedRequest> requests = new();
    private readonly List<Fault> faults = new();
    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);
    private readonly Queue<DateTimeOffset> usageCalls = new();
    private int spent;

    public EmulatorState(EmulatorOptions options)
    {
        initial = options.Clone();
        Options = options.Clone();
    }

    public object Gate { get; } = new();

    /// <summary>The emulator's time (tasks, link expiry, paced downloads): the wall clock unless a test froze it.</summary>
    public EmulatorClock Clock { get; } = new();

    /// <summary>The live options: tests set them directly, POST /_emulator/config replaces them.</summary>
    public EmulatorOptions Options { get; private set; }

    public ConcurrentDictionary<string, EmulatedTask> Tasks { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> Uploads { get; } = new(StringComparer.Ordinal);

    /// <summary>The Idempotency-Keys of the submissions executed since the start or the last reset.</summary>
    public IdempotencyStore Idempotency { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (Gate)
            {
                return requests.ToList();
            }
        }
    }

    /// <summary>Submissions billed since the start or the last reset (the balance endpoints' used_balance).</summary>
    public int Spent => Volatile.Read(ref spent);

    /// <summary>
    /// Counts a call to GET /v1/usage at <paramref name="now"/> against <paramref name="perMinute"/> calls in the last
    /// minute: null when it may go ahead, else the seconds until a call leaves the window (not counted).
    /// </summary>
    public double? CountUsageCall(DateTimeOffset now, int perMinute)
    {
        lock (Gate)
        {
            while (usageCalls.Count > 0 && now - usageCalls.Peek() >= TimeSpan.FromMinutes(1))
            {
                usageCalls.Dequeue();
            }

            if (perMinute > 0 && usageCalls.Count >= perMinute)
            {
                return (usageCalls.Peek().AddMinutes(1) - now).TotalSeconds;
            }

            usageCalls.Enqueue(now);
            return null;
        }
    }

    /// <summary>The credits charged on tasks finished by now (failed ones are refunded: 0).</summary>
    public double CreditsCharged()
    {
        DateTimeOffset now = Clock.Now;
        return Tasks.Values.Where(t => t.FinishesAt <= now).Sum(t => t.Billed ?? 0) * Models.PriceTable.CreditsPerUsd;
    }

    public EmulatorOptions Snapshot()
    {
        lock (Gate)
        {
            return Options.Clone();
        }
    }

    /// <summary>Forgets tasks, uploads, requests, faults and idempotency keys, restores the start-up options and the wall clock (the hosts reset their own counters).</summary>
    public void Reset()
    {
        Clock.Reset();
        lock (Gate)
        {
            requests.Clear();
            faults.Clear();
            Options = initial.Clone();
            spent = 0;
            usageCalls.Clear();
        }

        Tasks.Clear();
        Uploads.Clear();
        Idempotency.Clear();
    }

    public void Record(RecordedRequest request)
    {
        lock (Gate)
        {
            requests.Add(request);
        }
    }

    public void AddFault(Fault fault)
    {
        lock (Gate)
        {
            faults.Add(fault);
        }
    }

    /// <summary>The first fault left for the route, counted as used once.</summary>
    public Fault? TakeFault(string route)
    {
        lock (Gate)
        {
            Fault? fault = faults.FirstOrDefault(f => f.Times > 0 && string.Equals(f.Route, route, StringComparison.OrdinalIgnoreCase));
            if (fault != null)
            {
                fault.Times--;
                if (fault.Times == 0)
                {
                    faults.Remove(fault);
                }
            }

            return fault;
        }
    }

    /// <summary>Spends one submission of the balance (-1 = unlimited); false, with nothing spent, once it is 0.</summary>
    public bool TryCharge(out EmulatorOptions options)
    {
        lock (Gate)
        {
            options = Options.Clone();
            if (Options.Balance == 0)
            {
                return false;
            }

            if (Options.Balance > 0)
            {
                Options.Balance--;
            }

            spent++;
            return true;
        }
    }

    /// <summary>The byte count after which this download is to be cut (cutAfterBytes), counting it against cutTimes; 0 = serve it whole.</summary>
    public long TakeCut()
    {
        lock (Gate)
        {
            if (Options.CutAfterBytes > 0 && Options.CutTimes > 0)
            {
                Options.CutTimes--;
                return Options.CutAfterBytes;
            }

            return 0;
        }
    }

    /// <summary>Applies a JSON patch of option names (any case) to the options; an unknown name is a 400.</summary>
    public EmulatorOptions Configure(JsonObject patch)
    {
        lock (Gate)
        {
            JsonObject current = JsonSerializer.SerializeToNode(Options, Responses.Json)!.AsObject();
            foreach (KeyValuePair<string, JsonNode?> item in patch)
            {
                string? name = current.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, item.Key, StringComparison.OrdinalIgnoreCase));
                if (name == null)
                {
                    throw new BadHttpRequestException($"unknown option '{item.Key}'");
                }

                current[name] = item.Value?.DeepClone();
            }

            Options = current.Deserialize<EmulatorOptions>(Responses.Json)!;
            return Options.Clone();
        }
    }

    /// <summary>The signature of a result link: only this emulator's storage host accepts it, and only until it expires.</summary>
    public string Sign(string name, long expires)
    {
        using var hmac = new HMACSHA256(secret);
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{name}|{expires}"))).ToLowerInvariant();
    }
}
