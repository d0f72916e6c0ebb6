using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Kling.Emulator;

/// <summary>
/// One of the emulator's web servers, on 127.0.0.1 only (whatever the environment's ASP.NET Core configuration says; it
/// refuses to run anywhere else): every request outside /_emulator is recorded in the shared
/// state (host name, headers, JSON body) with the status it got, before the host's own routes see it.
/// </summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    private const int MaxRecordedBody = 65536;

    /// <summary>Where a request's <see cref="RecordedRequest"/> waits in HttpContext.Items, for a route to add what it parsed.</summary>
    public const string RecordKey = "kling.emulator.record";

    private readonly WebApplication app;
    private readonly EmulatorState state;
    private readonly string name;

    private LoopbackHost(WebApplication app, EmulatorState state, string name)
    {
        this.app = app;
        this.state = state;
        this.name = name;
    }

    public Uri Uri { get; private set; } = null!;

    public static async Task<LoopbackHost> StartAsync(EmulatorState state, string name, int port, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewayEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Where it listens comes from this code only. The configuration the builder gathered could move it off loopback
        // (ASPNETCORE_URLS or ASPNETCORE_HTTP_PORTS with ASPNETCORE_PREFERHOSTINGURLS, Kestrel__Endpoints__* variables,
        // an appsettings.json in the current folder), and the emulator reads none of it, so it is dropped.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebHostDefaults.PreferHostingUrlsKey] = "false",
            [WebHostDefaults.ServerUrlsKey] = string.Empty,
            [WebHostDefaults.HttpPortsKey] = string.Empty,
            [WebHostDefaults.HttpsPortsKey] = string.Empty,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
        });
        var host = new LoopbackHost(builder.Build(), state, name);
        host.app.Use(host.RecordAsync);
        map(host.app);
        await host.app.StartAsync(cancellationToken);
        string[] bound = host.app.Urls.ToArray();
        string? outside = LoopbackAddresses.FirstOutside(bound);
        if (outside != null)
        {
            await host.app.StopAsync(CancellationToken.None);
            await host.app.DisposeAsync();
            throw new NotLoopbackException($"the {name} host would listen on {outside}, not on loopback (127.0.0.1 or ::1) only, so the emulator does not start.");
        }

        host.Uri = new Uri(bound[0]);
        return host;
    }

    public Task StopAsync() => app.StopAsync();

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task RecordAsync(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/_emulator"))
        {
            await next();
            return;
        }

        RecordedRequest record = await ReadAsync(context.Request);
        state.Record(record);
        context.Items[RecordKey] = record;
        try
        {
            await next();
        }
        finally
        {
            record.Status = context.Response.StatusCode;
        }
    }

    private async Task<RecordedRequest> ReadAsync(HttpRequest request)
    {
        string? body = null;
        if (request.ContentType != null && request.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            request.EnableBuffering();
            using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
            body = await reader.ReadToEndAsync();
            request.Body.Position = 0;
            if (body.Length > MaxRecordedBody)
            {
                body = body[..MaxRecordedBody];
            }
        }
        else if (request.ContentLength > 0)
        {
            body = $"<{request.ContentLength} bytes of {request.ContentType}>";
        }

        return new RecordedRequest
        {
            Time = DateTimeOffset.UtcNow,
            Host = name,
            Method = request.Method,
            Path = request.Path + request.QueryString,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = body,
        };
    }
}
