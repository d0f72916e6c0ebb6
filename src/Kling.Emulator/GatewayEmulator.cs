namespace Kling.Emulator;

/// <summary>
/// A local stand-in for the xcompute gateway (API.md): submissions with the documented validation and errors,
/// tasks that progress over time and complete or fail, image upload, and result files on a second host
/// (the "storage" host) with expiring signed links and Range support, plus a forward proxy. Faults can be injected
/// per route. Everything binds to 127.0.0.1 only, whatever the configuration says. Each host has its own class over one <see cref="EmulatorState"/>.
/// </summary>
public sealed class GatewayEmulator : IAsyncDisposable
{
    public const int MaxImageBytes = 20 * 1024 * 1024;

    private readonly EmulatorState state;
    private readonly StorageHost storageHost;
    private readonly ProxyHost proxyHost;
    private GatewayHost? gatewayHost;
    private LoopbackHost? gateway;
    private LoopbackHost? storage;
    private LoopbackHost? proxy;

    private GatewayEmulator(EmulatorOptions options)
    {
        state = new EmulatorState(options);
        storageHost = new StorageHost(state);
        proxyHost = new ProxyHost(state);
    }

    /// <summary>The live options: a test may set a knob here directly, as POST /_emulator/config does.</summary>
    public EmulatorOptions Options => state.Options;

    /// <summary>The emulator's time: a test freezes it and moves it instead of waiting on the wall clock.</summary>
    public EmulatorClock Clock => state.Clock;

    public Uri GatewayUri { get; private set; } = null!;

    public Uri StorageUri { get; private set; } = null!;

    /// <summary>The forward proxy (loopback targets only).</summary>
    public Uri ProxyUri { get; private set; } = null!;

    public string ApiKey => Options.ApiKey;

    public IReadOnlyList<RecordedRequest> Requests => state.Requests;

    /// <summary>Counters for tests and benchmarks: accepted submissions, status calls, the most submissions (and result downloads) seen in flight at once, result downloads.</summary>
    public EmulatorStats Stats => new(
        gatewayHost?.Accepted ?? 0,
        gatewayHost?.StatusCalls ?? 0,
        gatewayHost?.MaxSubmitsInFlight ?? 0,
        state.Tasks.Count,
        storageHost.Downloads,
        storageHost.MaxDownloadsInFlight);

    public static async Task<GatewayEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        var emulator = new GatewayEmulator(options);
        try
        {
            emulator.storage = await emulator.storageHost.StartAsync(options.StoragePort, cancellationToken);
            emulator.StorageUri = emulator.storage.Uri;

            // The gateway hands out links to the storage host, so it starts once that host's address is known.
            emulator.gatewayHost = new GatewayHost(emulator.state, emulator.StorageUri, new ControlEndpoints(emulator, emulator.state));
            emulator.gateway = await emulator.gatewayHost.StartAsync(options.Port, cancellationToken);
            emulator.GatewayUri = emulator.gateway.Uri;
            emulator.proxy = await emulator.proxyHost.StartAsync(options.ProxyPort, cancellationToken);
            emulator.ProxyUri = emulator.proxy.Uri;
            return emulator;
        }
        catch
        {
            // A host that could not start (a port in use, an address off loopback) takes the ones already started with it.
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>The exact bytes the storage host serves for a task's video, for byte-exact checks.</summary>
    public static byte[] ExpectedVideoBytes(string taskId, int length) => StorageHost.ExpectedVideoBytes(taskId, length);

    public void Reset()
    {
        state.Reset();
        gatewayHost?.ResetCounters();
        storageHost.ResetCounters();
    }

    public void AddFault(Fault fault) => state.AddFault(fault);

    public async Task StopAsync()
    {
        foreach (LoopbackHost host in Hosts())
        {
            await host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (LoopbackHost host in Hosts())
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>The hosts started so far, gateway first.</summary>
    private IEnumerable<LoopbackHost> Hosts() => new[] { gateway, storage, proxy }.OfType<LoopbackHost>();
}
