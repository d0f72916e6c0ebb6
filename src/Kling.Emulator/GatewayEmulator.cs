using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Kling.Emulator;

/// <summary>
/// A local stand-in for the xcompute gateway (API.md): submissions with the documented validation and errors,
/// tasks that progress over time and complete or fail, image upload, and result files on a second host
/// (the "storage" host) with expiring signed links and Range support. Faults can be injected per route.
/// Everything binds to 127.0.0.1 only.
/// </summary>
public sealed partial class GatewayEmulator : IAsyncDisposable
{
    public const int MaxImageBytes = 20 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = true,
    };

    private readonly EmulatorOptions initial;
    private readonly object gate = new();
    private readonly ConcurrentDictionary<string, EmulatedTask> tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> uploads = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> requests = new();
    private readonly List<Fault> faults = new();
    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);
    private int submitsInFlight;
    private int maxSubmitsInFlight;
    private int statusCalls;
    private int acceptedSubmits;
    private int downloadsInFlight;
    private int maxDownloadsInFlight;
    private int fileDownloads;
    private WebApplication? gateway;
    private WebApplication? storage;
    private WebApplication? proxy;

    private GatewayEmulator(EmulatorOptions options)
    {
        initial = options.Clone();
        Options = options.Clone();
    }

    public EmulatorOptions Options { get; private set; }

    public Uri GatewayUri { get; private set; } = null!;

    public Uri StorageUri { get; private set; } = null!;

    /// <summary>The forward proxy (loopback targets only).</summary>
    public Uri ProxyUri { get; private set; } = null!;

    public string ApiKey => Options.ApiKey;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToList();
            }
        }
    }

    public static async Task<GatewayEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        var emulator = new GatewayEmulator(options);
        emulator.storage = emulator.Build(options.StoragePort, emulator.MapStorage, "storage");
        await emulator.storage.StartAsync(cancellationToken);
        emulator.StorageUri = new Uri(emulator.storage.Urls.First());
        emulator.gateway = emulator.Build(options.Port, emulator.MapGateway, "gateway");
        await emulator.gateway.StartAsync(cancellationToken);
        emulator.GatewayUri = new Uri(emulator.gateway.Urls.First());
        emulator.proxy = emulator.Build(options.ProxyPort, emulator.MapProxy, "proxy");
        await emulator.proxy.StartAsync(cancellationToken);
        emulator.ProxyUri = new Uri(emulator.proxy.Urls.First());
        return emulator;
    }

    public void Reset()
    {
        lock (gate)
        {
            requests.Clear();
            faults.Clear();
            Options = initial.Clone();
        }

        tasks.Clear();
        uploads.Clear();
        Interlocked.Exchange(ref maxSubmitsInFlight, 0);
        Interlocked.Exchange(ref statusCalls, 0);
        Interlocked.Exchange(ref acceptedSubmits, 0);
        Interlocked.Exchange(ref maxDownloadsInFlight, 0);
        Interlocked.Exchange(ref fileDownloads, 0);
    }

    /// <summary>Counters for tests and benchmarks: accepted submissions, status calls, the most submissions (and result downloads) seen in flight at once, result downloads.</summary>
    public object Stats => new
    {
        accepted = Volatile.Read(ref acceptedSubmits),
        statusCalls = Volatile.Read(ref statusCalls),
        maxSubmitsInFlight = Volatile.Read(ref maxSubmitsInFlight),
        tasks = tasks.Count,
        downloads = Volatile.Read(ref fileDownloads),
        maxDownloadsInFlight = Volatile.Read(ref maxDownloadsInFlight),
    };

    /// <summary>Counts one more request in flight and raises the recorded peak; returns how many are in flight now.</summary>
    private static int EnterInFlight(ref int inFlight, ref int peak)
    {
        int now = Interlocked.Increment(ref inFlight);
        int seen;
        while ((seen = Volatile.Read(ref peak)) < now && Interlocked.CompareExchange(ref peak, now, seen) != seen)
        {
        }

        return now;
    }

    public void AddFault(Fault fault)
    {
        lock (gate)
        {
            faults.Add(fault);
        }
    }

    public async Task StopAsync()
    {
        if (gateway != null)
        {
            await gateway.StopAsync();
        }

        if (storage != null)
        {
            await storage.StopAsync();
        }

        if (proxy != null)
        {
            await proxy.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (gateway != null)
        {
            await gateway.DisposeAsync();
        }

        if (storage != null)
        {
            await storage.DisposeAsync();
        }

        if (proxy != null)
        {
            await proxy.DisposeAsync();
        }
    }

    /// <summary>The exact bytes the storage host serves for a task's video, for byte-exact checks.</summary>
    public static byte[] ExpectedVideoBytes(string taskId, int length)
    {
        byte[] header = { 0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0, (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'m', (byte)'p', (byte)'4', (byte)'1' };
        var bytes = new byte[length];
        int seed = 0;
        foreach (char c in taskId)
        {
            seed = unchecked((seed * 31) + c);
        }

        for (int i = 0; i < length; i++)
        {
            bytes[i] = i < header.Length ? header[i] : unchecked((byte)((i * 131) + seed + (i >> 8)));
        }

        return bytes;
    }

    private WebApplication Build(int port, Action<WebApplication> map, string hostName)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(GatewayEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
        });
        WebApplication app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/_emulator"))
            {
                await next();
                return;
            }

            RecordedRequest record = await RecordAsync(context, hostName);
            try
            {
                await next();
            }
            finally
            {
                record.Status = context.Response.StatusCode;
            }
        });
        map(app);
        return app;
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context, string hostName)
    {
        HttpRequest request = context.Request;
        string? body = null;
        if (request.ContentType != null && request.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
            body = await reader.ReadToEndAsync();
            request.Body.Position = 0;
            if (body.Length > 65536)
            {
                body = body[..65536];
            }
        }
        else if (request.ContentLength > 0)
        {
            body = $"<{request.ContentLength} bytes of {request.ContentType}>";
        }

        var record = new RecordedRequest
        {
            Time = DateTimeOffset.UtcNow,
            Host = hostName,
            Method = request.Method,
            Path = request.Path + request.QueryString,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = body,
        };
        lock (gate)
        {
            requests.Add(record);
        }

        return record;
    }

    private EmulatorOptions Snapshot()
    {
        lock (gate)
        {
            return Options.Clone();
        }
    }

    private Fault? TakeFault(string route)
    {
        lock (gate)
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

    private static Task ErrorAsync(HttpContext context, int status, string type, string message, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter != null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        return WriteJsonAsync(context, new { error = new { code = status, message, type } });
    }

    private static async Task WriteJsonAsync(HttpContext context, object value)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(value, Json), Encoding.UTF8);
    }

    /// <summary>Answers with the fault; returns false when the request should be handled normally afterwards (accepted submit).</summary>
    private static async Task ApplyFaultAsync(HttpContext context, Fault fault)
    {
        switch (fault.Kind.ToLowerInvariant())
        {
            case "reset":
                context.Abort();
                return;
            case "redirect":
                // A gateway that sends the client elsewhere (another host): the client must not carry its key there.
                context.Response.StatusCode = fault.Status is >= 300 and < 400 ? fault.Status : 302;
                context.Response.Headers.Location = fault.Location ?? "/";
                return;
            case "truncate":
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"code\":200,\"data\":{\"id\":\"task_");
                return;
            default:
                string type = fault.Type ?? TypeFor(fault.Status);
                await ErrorAsync(context, fault.Status, type, fault.Message ?? DefaultMessage(fault.Status), fault.RetryAfter);
                return;
        }
    }

    private static string TypeFor(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "payment_required",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        _ => "server_error",
    };

    private static string DefaultMessage(int status) => status switch
    {
        429 => "请求过于频繁，请稍后再试 (too many requests)",
        402 => "余额不足，请充值 (insufficient balance)",
        _ when status >= 500 => "服务器内部错误 (internal server error)",
        _ => "request failed",
    };

    private bool Authorized(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(Snapshot().ApiKey));
    }

    private string Sign(string name, long expires)
    {
        using var hmac = new HMACSHA256(secret);
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{name}|{expires}"))).ToLowerInvariant();
    }

    private sealed class EmulatedTask
    {
        public required string Id { get; init; }
        public required DateTimeOffset Created { get; init; }
        public required double Seconds { get; init; }

        /// <summary>What the gateway tells clients to expect (estimated_time): the nominal duration, without jitter.</summary>
        public double Estimate { get; init; }
        public required bool Fails { get; init; }
        public required JsonObject Request { get; init; }
        public double ResultTtl { get; init; }
        public int ResultCount { get; init; } = 1;
        public DateTimeOffset FinishesAt => Created.AddSeconds(Seconds);
        public bool Cancelled { get; set; }
    }

    [GeneratedRegex(@"<<<\s*image_(\d+)\s*>>>", RegexOptions.IgnoreCase)]
    private static partial Regex ImageReference();
}
