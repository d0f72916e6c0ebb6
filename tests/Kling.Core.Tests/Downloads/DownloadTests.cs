using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Downloads over real loopback HTTP: against the emulator, and against a raw socket server for what it cannot do (stall mid-body).</summary>
public sealed class DownloadTests : IAsyncLifetime
{
    private GatewayEmulator emulator = null!;
    private readonly HttpClient control = new();
    private readonly List<string> trace = new();
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-dl-" + Guid.NewGuid().ToString("n"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.2, VideoBytes = 200000 });
    }

    public async Task DisposeAsync()
    {
        control.Dispose();
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private KlingClient Client() =>
        new KlingClient(new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(emulator.ApiKey), "test"), line => { lock (trace) { trace.Add(line); } })
        {
            Retry = { BaseDelay = TimeSpan.FromMilliseconds(20) },
        };

    private async Task Configure(object config) =>
        (await control.PostAsJsonAsync(new Uri(emulator.GatewayUri, "/_emulator/config"), config)).EnsureSuccessStatusCode();

    private async Task<JsonElement> Stats() =>
        JsonDocument.Parse(await control.GetStringAsync(new Uri(emulator.GatewayUri, "/_emulator/stats"))).RootElement;

    private async Task<KlingTask> CompletedTask(KlingClient client)
    {
        KlingTask submitted = await client.SubmitAsync(new VideoRequest { Prompt = "a heron" }, CancellationToken.None);
        KlingTask task;
        do
        {
            await Task.Delay(100);
            task = await client.GetTaskAsync(submitted.TaskId, CancellationToken.None);
        }
        while (!task.IsFinished);

        Assert.True(task.IsCompleted);
        return task;
    }

    /// <summary>Polls <paramref name="condition"/>; the limit only stops a test that would otherwise hang.</summary>
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();

    [Fact]
    public async Task A_stalled_body_is_dropped_and_resumed_with_Range()
    {
        byte[] content = Pattern(1000);
        var requests = new List<string>();
        KlingClient client = Client();

        // However slow the machine, the client may take its time over the head and the first 399 bytes (a stall timeout
        // of a minute); once it holds them, the timeout drops to a second and the 400th byte comes, then nothing: the
        // one stall is after byte 400.
        client.Downloads.StallTimeout = TimeSpan.FromMinutes(1);
        var progress = new DownloadProgress();
        using var server = new RawServer(async (request, stream, n) =>
        {
            lock (requests)
            {
                requests.Add(request);
            }

            if (n == 0)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nAccept-Ranges: bytes\r\n\r\n"));
                await stream.WriteAsync(content.AsMemory(0, 399));
                await stream.FlushAsync();
                await WaitUntil(() => progress.Received == 399, "the client holds 399 bytes");
                client.Downloads.StallTimeout = TimeSpan.FromSeconds(1);
                await stream.WriteAsync(content.AsMemory(399, 1));
                await stream.FlushAsync();

                // The stall: nothing more, until the client gives up on this connection and closes it.
                await stream.ReadAsync(new byte[1]);
                return;
            }

            // The range asked for (the asserts below say which one it must be).
            System.Text.RegularExpressions.Match range = System.Text.RegularExpressions.Regex.Match(request, @"Range: bytes=(\d+)-", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            int from = range.Success ? int.Parse(range.Groups[1].Value) : 0;
            string head = range.Success
                ? $"HTTP/1.1 206 Partial Content\r\nContent-Length: {1000 - from}\r\nContent-Range: bytes {from}-999/1000\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(content.AsMemory(from, 1000 - from));
        });

        string target = Path.Combine(folder, "stalled.mp4");
        long length = await client.Downloads.DownloadAsync(server.Uri, target, new DownloadOptions { Progress = progress }, CancellationToken.None);

        Assert.Equal(1000, length);
        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal(2, requests.Count);
        Assert.DoesNotContain("Range:", requests[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Range: bytes=400-", requests[1], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authorization", requests[1], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1000, progress.Received);
        Assert.Equal(1000, progress.Total);
        Assert.True(progress.Finished);
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task A_resume_answered_with_another_range_starts_over()
    {
        byte[] content = Pattern(500);
        int calls = 0;
        using var server = new RawServer(async (request, stream, n) =>
        {
            Interlocked.Increment(ref calls);
            string head = n == 0
                ? "HTTP/1.1 206 Partial Content\r\nContent-Length: 500\r\nContent-Range: bytes 0-499/500\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 500\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(content);
        });

        string target = Path.Combine(folder, "wrong-range.mp4");
        File.WriteAllBytes(target + ".partial", Pattern(100));
        long length = await Client().Downloads.DownloadAsync(server.Uri, target, null, CancellationToken.None);

        Assert.Equal(500, length);
        Assert.Equal(content, File.ReadAllBytes(target));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_body_without_a_length_is_complete_when_the_host_closes_it()
    {
        byte[] content = Pattern(3000);
        using var server = new RawServer(async (request, stream, n) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(content);
        });

        string target = Path.Combine(folder, "no-length.mp4");
        Assert.Equal(3000, await Client().Downloads.DownloadAsync(server.Uri, target, null, CancellationToken.None));
        Assert.Equal(content, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task Gives_up_after_failures_in_a_row_and_keeps_the_bytes_received()
    {
        KlingClient client = Client();
        client.Downloads.MaxAttempts = 3;
        KlingTask task = await CompletedTask(client);
        (await control.PostAsJsonAsync(new Uri(emulator.GatewayUri, "/_emulator/faults"), new { route = "download", kind = "status", status = 500, times = 10 })).EnsureSuccessStatusCode();

        string target = Path.Combine(folder, "gives-up.mp4");
        var error = await Assert.ThrowsAsync<GatewayException>(() => client.Downloads.DownloadResultAsync(task.TaskId, 0, new Uri(task.VideoUrl[0]), target, null, null, CancellationToken.None));
        Assert.Equal(GatewayErrorKind.DownloadFailed, error.Kind);
        Assert.Contains("failed 3 times in a row", error.Message);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task A_cut_download_keeps_its_bytes_for_the_next_run_when_it_gives_up()
    {
        KlingClient client = Client();
        client.Downloads.MaxAttempts = 1;
        KlingTask task = await CompletedTask(client);
        await Configure(new { cutAfterBytes = 50000, cutTimes = 1 });
        string target = Path.Combine(folder, "kept.mp4");
        string partial = ResultDownloader.PartialPathFor(target, task.TaskId);

        var error = await Assert.ThrowsAsync<GatewayException>(() => client.Downloads.DownloadResultAsync(task.TaskId, 0, new Uri(task.VideoUrl[0]), target, null, null, CancellationToken.None));
        Assert.Contains("run the command again to resume", error.Message);
        Assert.Equal(50000, new FileInfo(partial).Length);

        // The next run resumes from those bytes and ends byte-exact.
        long length = await client.Downloads.DownloadResultAsync(task.TaskId, 0, new Uri(task.VideoUrl[0]), target, null, null, CancellationToken.None);
        Assert.Equal(200000, length);
        Assert.Equal(GatewayEmulator.ExpectedVideoBytes(task.TaskId, 200000), File.ReadAllBytes(target));
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public async Task A_full_disk_is_a_local_file_error_at_once_not_five_downloads()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/full: every write fails with ENOSPC, also for root
        }

        int calls = 0;
        using var server = new RawServer(async (request, stream, n) =>
        {
            Interlocked.Increment(ref calls);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 500\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(Pattern(500));
        });

        string target = Path.Combine(folder, "full.mp4");
        File.CreateSymbolicLink(target + ".partial", "/dev/full");
        var error = await Assert.ThrowsAsync<LocalFileException>(() => Client().Downloads.DownloadAsync(server.Uri, target, null, CancellationToken.None));
        Assert.Equal(1, calls);
        Assert.False(error.AccessDenied);
        Assert.Equal(target + ".partial", error.Path);
        Assert.Contains(target + ".partial", error.Message);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task A_temporary_file_that_cannot_be_opened_is_a_local_file_error_at_once()
    {
        int calls = 0;
        using var server = new RawServer(async (request, stream, n) =>
        {
            Interlocked.Increment(ref calls);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 500\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(Pattern(500));
        });

        // A folder where the temporary file would go cannot be opened for writing, also by root.
        string target = Path.Combine(folder, "blocked.mp4");
        Directory.CreateDirectory(target + ".partial");
        var error = await Assert.ThrowsAsync<LocalFileException>(() => Client().Downloads.DownloadAsync(server.Uri, target, null, CancellationToken.None));
        Assert.Equal(0, calls); // the temporary file is taken before anything is asked of the host
        Assert.Contains(target + ".partial", error.Message);
        Assert.True(Directory.Exists(target + ".partial"));
    }

    [Fact]
    public async Task Without_a_claim_a_finished_download_replaces_the_target()
    {
        using var server = new RawServer(async (request, stream, n) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 300\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(Pattern(300));
        });

        string target = Path.Combine(folder, "replaced.mp4");
        File.WriteAllText(target, "old");
        Assert.Equal(300, await Client().Downloads.DownloadAsync(server.Uri, target, null, CancellationToken.None));
        Assert.Equal(Pattern(300), File.ReadAllBytes(target));
    }

    [Fact]
    public async Task The_queue_runs_at_most_its_limit_at_once_and_reports_every_job()
    {
        KlingClient client = Client();
        var tasks = new List<KlingTask>();
        for (int i = 0; i < 5; i++)
        {
            tasks.Add(await CompletedTask(client));
        }

        await Configure(new { downloadDelayMs = 250 });
        var queue = new DownloadQueue(client, 2, CancellationToken.None);
        foreach (KlingTask task in tasks)
        {
            queue.Start(new DownloadJob(task, 0, new Uri(task.VideoUrl[0]), Path.Combine(folder, task.TaskId + ".mp4")));
        }

        var outcomes = new List<DownloadOutcome>();
        int maxRunning = 0;
        while (outcomes.Count < 5)
        {
            maxRunning = Math.Max(maxRunning, queue.Running.Count);
            if (queue.TryTake(TimeSpan.FromMilliseconds(20), out DownloadOutcome? outcome))
            {
                outcomes.Add(outcome!);
            }
        }

        Assert.Equal(0, queue.Outstanding);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.All(outcomes, o => Assert.Equal(200000, o.Bytes));
        Assert.Equal(tasks.Select(t => t.TaskId).OrderBy(x => x), outcomes.Select(o => o.Job.TaskId).OrderBy(x => x));
        Assert.Equal(2, (await Stats()).GetProperty("maxDownloadsInFlight").GetInt32());
        Assert.InRange(maxRunning, 1, 2);
    }

    /// <summary>A loopback HTTP server that hands each connection's request text to a script.</summary>
    private sealed class RawServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();

        public RawServer(Func<string, NetworkStream, int, Task> respond)
        {
            listener.Start();
            Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/files/video.mp4");
            _ = Task.Run(async () =>
            {
                for (int n = 0; !stop.IsCancellationRequested; n++)
                {
                    TcpClient connection;
                    try
                    {
                        connection = await listener.AcceptTcpClientAsync(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    int number = n;
                    _ = Task.Run(async () =>
                    {
                        using (connection)
                        {
                            NetworkStream stream = connection.GetStream();
                            var head = new StringBuilder();
                            var buffer = new byte[1];
                            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
                            {
                                head.Append((char)buffer[0]);
                            }

                            try
                            {
                                await respond(head.ToString(), stream, number);
                            }
                            catch (IOException)
                            {
                            }
                        }
                    });
                }
            });
        }

        public Uri Uri { get; }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
