using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Kling.Emulator;

// kling-emulator (or dotnet Kling.Emulator.dll) [--port N] [--storage-port N] [--proxy-port N] [--api-key K]
//     [--task-seconds S] [--task-jitter S] [--balance N] [--result-ttl S] [--video-bytes N] [--download-rate BYTES_PER_S]
//     [--latency-ms N] [--fail-marker TEXT] [--parent-pid PID] [--exit-on-stdin-eof] [--json-only] [--help]
// Once listening it prints one JSON line {"gateway":...,"storage":...,"proxy":...,"apiKey":...} (what programs read:
// tests/Emulator.psm1 takes the first line), then, unless --json-only, a few lines for people saying how to connect.
// It runs until Ctrl+C, SIGTERM, the parent process exiting, or (with --exit-on-stdin-eof) the end of standard input,
// then exits 0. It listens on 127.0.0.1 only, whatever ASP.NET Core configuration its environment or folder holds, and
// exits 1 with a message instead of listening anywhere else. Without --api-key its key is random for each start.
var options = new EmulatorOptions();
int? parentPid = null;
bool exitOnStdinEof = false;
bool jsonOnly = false;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--port": options.Port = (int)Number(); break;
        case "--storage-port": options.StoragePort = (int)Number(); break;
        case "--proxy-port": options.ProxyPort = (int)Number(); break;
        case "--api-key": options.ApiKey = Next(); break;
        case "--task-seconds": options.TaskSeconds = Number(); break;
        case "--task-jitter": options.TaskJitter = Number(); break;
        case "--balance": options.Balance = (int)Number(); break;
        case "--result-ttl": options.ResultTtl = Number(); break;
        case "--video-bytes": options.VideoBytes = (int)Number(); break;
        case "--download-rate": options.DownloadBytesPerSecond = (long)Number(); break;
        case "--latency-ms": options.LatencyMs = (int)Number(); break;
        case "--fail-marker": options.FailMarker = Next(); break;
        case "--parent-pid": parentPid = (int)Number(); break;
        case "--exit-on-stdin-eof": exitOnStdinEof = true; break;
        case "--json-only": jsonOnly = true; break;
        case "--help" or "-h" or "-?":
            Console.WriteLine(EmulatorBanner.Usage);
            return 0;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            Console.Error.WriteLine(EmulatorBanner.Usage);
            return 2;
    }
}

// The stop signal exists before the hosts start, so a SIGTERM or Ctrl+C at any moment ends the run cleanly (exit 0). Each
// handler cancels the signal's default action (the runtime's own shutdown) and only asks the run below to end; the token
// source is never disposed, as a signal may still come while the process ends. (The web hosts' console lifetimes see
// these signals too, but stop only their own host.)
var stop = new CancellationTokenSource();
using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

GatewayEmulator emulator;
try
{
    emulator = await GatewayEmulator.StartAsync(options);
}
catch (Exception ex) when (ex is NotLoopbackException or IOException)
{
    Console.Error.WriteLine($"kling-emulator: {ex.Message}");
    return 1;
}

await using (emulator)
{
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        gateway = emulator.GatewayUri.ToString().TrimEnd('/'),
        storage = emulator.StorageUri.ToString().TrimEnd('/'),
        proxy = emulator.ProxyUri.ToString().TrimEnd('/'),
        apiKey = emulator.ApiKey,
    }));
    if (!jsonOnly)
    {
        Console.WriteLine(EmulatorBanner.HowToConnect(emulator.GatewayUri.ToString().TrimEnd('/'), emulator.ApiKey));
    }

    Console.Out.Flush();
    if (exitOnStdinEof)
    {
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() != null)
            {
            }

            stop.Cancel();
        });
    }

    if (parentPid.HasValue)
    {
        _ = Task.Run(() => WatchParentAsync(parentPid.Value, stop));
    }

    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;

void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

// Ends the run once the parent process (a test run, a script) is gone.
static async Task WatchParentAsync(int pid, CancellationTokenSource stop)
{
    while (!stop.IsCancellationRequested)
    {
        try
        {
            using Process parent = Process.GetProcessById(pid);
            if (parent.HasExited)
            {
                break;
            }
        }
        catch (ArgumentException)
        {
            break;
        }

        await Task.Delay(1000);
    }

    stop.Cancel();
}
