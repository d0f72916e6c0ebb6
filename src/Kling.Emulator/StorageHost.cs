using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static Kling.Emulator.Counters;
using static Kling.Emulator.FaultInjector;

namespace Kling.Emulator;

/// <summary>
/// The storage host: result files behind signed, expiring links, and uploaded images; no API key, like the real
/// download host. It counts result downloads and the most of them in flight at once.
/// </summary>
internal sealed class StorageHost
{
    private readonly EmulatorState state;
    private int downloadsInFlight;
    private int maxDownloadsInFlight;
    private int fileDownloads;

    public StorageHost(EmulatorState state) => this.state = state;

    public int Downloads => Volatile.Read(ref fileDownloads);

    public int MaxDownloadsInFlight => Volatile.Read(ref maxDownloadsInFlight);

    private volatile Tuple<string, byte[]>? lastVideo;

    /// <summary>When armed, result downloads wait until this many have arrived (tests that need downloads to overlap).</summary>
    private DownloadBarrier? downloadBarrier;

    private void MapStorage(WebApplication app)
    {
        app.MapGet("/files/{name}", ServeResultAsync);

        // POST /_emulator/download-barrier?count=N (on the storage host): the next N result downloads each wait
        // until all N have arrived, so that tests can make downloads of separate processes overlap without timing.
        app.MapPost("/_emulator/download-barrier", (HttpContext context) =>
        {
            string? countText = context.Request.Query["count"];
            int count = int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 2;
            Volatile.Write(ref downloadBarrier, new DownloadBarrier(count));
            return Task.CompletedTask;
        });

        app.MapGet("/uploads/{name}", async (HttpContext context, string name) =>
        {
            if (await DownloadFaultAsync(context))
            {
                return;
            }

            if (!state.Uploads.TryGetValue(name, out var upload))
            {
                context.Response.StatusCode = 404;
                return;
            }

            await ServeAsync(context, upload.Bytes, upload.ContentType);
        });
    }

    /// <summary>GET /files/{name}: a result file behind a signed, expiring link, with faults, delay and Range.</summary>
    private async Task ServeResultAsync(HttpContext context, string name)
    {
        if (await DownloadFaultAsync(context))
        {
            return;
        }

        string? expiresText = context.Request.Query["expires"];
        string? sig = context.Request.Query["sig"];
        if (!long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out long expires) || sig != state.Sign(name, expires))
        {
            await StorageErrorAsync(context, "SignatureDoesNotMatch", "The request signature is not valid.");
            return;
        }

        if (state.Clock.Now.ToUnixTimeSeconds() > expires)
        {
            await StorageErrorAsync(context, "AccessDenied", "Request has expired: the result link expired.");
            return;
        }

        string taskId = name.EndsWith(".mp4", StringComparison.Ordinal) ? name[..^4] : name;
        Interlocked.Increment(ref fileDownloads);
        EnterInFlight(ref downloadsInFlight, ref maxDownloadsInFlight);
        try
        {
            await PassBarrierAsync(context.RequestAborted);
            EmulatorOptions options = Snapshot();
            if (options.DownloadDelayMs > 0)
            {
                await Task.Delay(options.DownloadDelayMs, context.RequestAborted);
            }

            await ServeAsync(context, CachedVideoBytes(taskId, options.VideoBytes), "video/mp4");
        }
        finally
        {
            Interlocked.Decrement(ref downloadsInFlight);
        }
    }

    /// <summary>The last video served, kept so that big files (benchmarks) are not generated again per request.</summary>
    private byte[] CachedVideoBytes(string taskId, int length)
    {
        Tuple<string, byte[]>? cached = lastVideo;
        if (cached != null && cached.Item1 == taskId && cached.Item2.Length == length)
        {
            return cached.Item2;
        }

        byte[] bytes = ExpectedVideoBytes(taskId, length);
        lastVideo = Tuple.Create(taskId, bytes);
        return bytes;
    }

    private async Task PassBarrierAsync(CancellationToken cancellationToken)
    {
        DownloadBarrier? barrier = Volatile.Read(ref downloadBarrier);
        if (barrier == null)
        {
            return;
        }

        if (barrier.Arrive())
        {
            Interlocked.CompareExchange(ref downloadBarrier, null, barrier);
        }

        // A barrier that is never filled lets its downloads go after a while rather than hang a test run.
        await Task.WhenAny(barrier.Full, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken));
    }

    private sealed class DownloadBarrier
    {
        private readonly TaskCompletionSource full = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int missing;

        public DownloadBarrier(int count) => missing = count;

        public Task Full => full.Task;

        /// <summary>Counts one download in; true for the one that fills the barrier.</summary>
        public bool Arrive()
        {
            if (Interlocked.Decrement(ref missing) != 0)
            {
                return false;
            }

            full.TrySetResult();
            return true;
        }
    }

    private async Task<bool> DownloadFaultAsync(HttpContext context)
    {
        Fault? fault = TakeFault("download");
        if (fault == null)
        {
            return false;
        }

        await ApplyFaultAsync(context, fault);
        return true;
    }

    private static async Task StorageErrorAsync(HttpContext context, string code, string message)
    {
        context.Response.StatusCode = 403;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }

    /// <summary>Serves bytes with Content-Length, Accept-Ranges and single-range support; may cut the body short on request.</summary>
    private async Task ServeAsync(HttpContext context, byte[] bytes, string contentType)
    {
        long from = 0;
        long to = bytes.Length - 1;
        string range = context.Request.Headers.Range.ToString();
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.ContentType = contentType;
        if (!string.IsNullOrEmpty(range) && Snapshot().RangeSupport)
        {
            if (!TryParseRange(range, bytes.Length, out from, out to))
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{bytes.Length}";
                return;
            }

            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{to}/{bytes.Length}";
        }

        long length = to - from + 1;
        context.Response.ContentLength = length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        long cutAfter = state.TakeCut();
        if (cutAfter > 0 && cutAfter < length)
        {
            await context.Response.Body.WriteAsync(bytes.AsMemory((int)from, (int)cutAfter));
            await context.Response.Body.FlushAsync();
            // Let the client read what was sent before the reset: a reset discards data still unread in its socket buffer.
            await Task.Delay(250);
            context.Abort();
            return;
        }

        await WritePacedAsync(context, bytes.AsMemory((int)from, (int)length), Snapshot().DownloadBytesPerSecond);
    }

    /// <summary>
    /// Sends the body at most <paramref name="bytesPerSecond"/> on this connection (0: at once), in slices of a twentieth
    /// of a second, by the emulator's clock (a frozen clock holds every paced download until a test moves it).
    /// </summary>
    private async Task WritePacedAsync(HttpContext context, ReadOnlyMemory<byte> body, long bytesPerSecond)
    {
        if (bytesPerSecond <= 0)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }

        int slice = (int)Math.Clamp(bytesPerSecond / 20, 1024, 1 << 20);
        DateTimeOffset start = state.Clock.Now;
        long sent = 0;
        while (sent < body.Length)
        {
            int count = (int)Math.Min(slice, body.Length - sent);
            await context.Response.Body.WriteAsync(body.Slice((int)sent, count), context.RequestAborted);
            sent += count;

            // Ahead of the rate: wait until the clock catches up with the bytes sent (a token bucket, no drift).
            DateTimeOffset due = start + TimeSpan.FromSeconds((double)sent / bytesPerSecond);
            if (due > state.Clock.Now)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await state.Clock.SleepUntilAsync(due, context.RequestAborted);
            }
        }
    }

    public Task<LoopbackHost> StartAsync(int port, CancellationToken cancellationToken) =>
        LoopbackHost.StartAsync(state, "storage", port, MapStorage, cancellationToken);

    /// <summary>Zeroes the counters (not the downloads in flight, which are still running).</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref maxDownloadsInFlight, 0);
        Interlocked.Exchange(ref fileDownloads, 0);
    }

    /// <summary>The exact bytes served for a task's video: an MP4 ftyp box, then a pattern seeded by the task id.</summary>
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

    /// <summary>Short for the shared options of the moment, as the routes above read them.</summary>
    private EmulatorOptions Snapshot() => state.Snapshot();

    private Fault? TakeFault(string route) => state.TakeFault(route);

    private static bool TryParseRange(string header, long size, out long from, out long to)
    {
        from = 0;
        to = size - 1;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(','))
        {
            return false;
        }

        string[] parts = header[6..].Split('-', 2);
        if (parts.Length != 2)
        {
            return false;
        }

        bool hasFrom = long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long a);
        bool hasTo = long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long b);
        if (hasFrom)
        {
            from = a;
            to = hasTo ? Math.Min(b, size - 1) : size - 1;
        }
        else if (hasTo && parts[0].Length == 0)
        {
            from = Math.Max(0, size - b);
        }
        else
        {
            return false;
        }

        return from <= to && from < size;
    }
}
