using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kling.Emulator;

/// <summary>
/// A third host: a plain HTTP forward proxy (absolute-form requests) for loopback targets only, with optional Basic
/// proxy authentication (407 + Proxy-Authenticate), so clients' -Proxy/-ProxyCredential can be tested.
/// </summary>
public sealed partial class GatewayEmulator
{
    private static readonly HttpClient Upstream = new(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private void MapProxy(WebApplication app)
    {
        app.Run(async context =>
        {
            string? credential = Snapshot().ProxyCredential;
            if (!string.IsNullOrEmpty(credential))
            {
                string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential));
                if (context.Request.Headers["Proxy-Authorization"].ToString() != expected)
                {
                    context.Response.StatusCode = 407;
                    context.Response.Headers["Proxy-Authenticate"] = "Basic realm=\"kling-emulator\"";
                    return;
                }
            }

            HostString host = context.Request.Host;
            if (!host.HasValue || !(host.Host == "127.0.0.1" || host.Host == "localhost" || host.Host == "[::1]"))
            {
                context.Response.StatusCode = 403; // loopback only: never a way out
                return;
            }

            var target = new Uri($"http://{host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}");
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                request.Content = new StreamContent(context.Request.Body);
            }

            foreach (var header in context.Request.Headers)
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
        });
    }
}
