using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kling.Emulator;

/// <summary>
/// The third host: a plain HTTP forward proxy (absolute-form requests) for loopback targets only, with optional Basic
/// proxy authentication (407 + Proxy-Authenticate), so clients' -Proxy/-ProxyCredential can be tested.
/// </summary>
internal sealed class ProxyHost
{
    private static readonly HttpClient Upstream = new(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly EmulatorState state;

    public ProxyHost(EmulatorState state) => this.state = state;

    public Task<LoopbackHost> StartAsync(int port, CancellationToken cancellationToken) =>
        LoopbackHost.StartAsync(state, "proxy", port, app => app.Run(ForwardAsync), cancellationToken);

    private async Task ForwardAsync(HttpContext context)
    {
        if (!ProxyAuthorized(context))
        {
            context.Response.StatusCode = 407;
            context.Response.Headers["Proxy-Authenticate"] = "Basic realm=\"kling-emulator\"";
            return;
        }

        HostString host = context.Request.Host;
        if (!host.HasValue || !(host.Host == "127.0.0.1" || host.Host == "localhost" || host.Host == "[::1]"))
        {
            context.Response.StatusCode = 403; // loopback only: never a way out
            return;
        }

        using HttpRequestMessage request = UpstreamRequest(context.Request);
        using HttpResponseMessage response = await Upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(header.Key))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>True for an open proxy (no proxyCredential option) or a request with exactly those Basic credentials.</summary>
    private bool ProxyAuthorized(HttpContext context)
    {
        string? credential = state.Snapshot().ProxyCredential;
        return string.IsNullOrEmpty(credential) ||
               context.Request.Headers["Proxy-Authorization"].ToString() == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential));
    }

    /// <summary>The request to pass on: same method, target, body and end-to-end headers.</summary>
    private static HttpRequestMessage UpstreamRequest(HttpRequest incoming)
    {
        var target = new Uri($"http://{incoming.Host}{incoming.PathBase}{incoming.Path}{incoming.QueryString}");
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(incoming.Body);
        }

        foreach (var header in incoming.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()) && request.Content != null)
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        return request;
    }
}
