using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// The transport: the shared HttpClients (per purpose and proxy), the one place a request to the gateway carries
    /// the key, what counts as "never sent", and redaction of anything the outside echoes back.
    /// </summary>
    internal sealed class GatewayTransport
    {
        // One handler per purpose for the whole process: sockets are reused across cmdlet calls, and the download
        // handler has no way to learn the key. Keyed by purpose and proxy, so a Connect-Kling -Proxy gets clients of its own.
        private static readonly ConcurrentDictionary<string, Lazy<HttpClient>> HttpClients =
            new ConcurrentDictionary<string, Lazy<HttpClient>>(StringComparer.Ordinal);

        private readonly GatewaySettings settings;
        private readonly Action<string>? trace;
        private HttpClient? gatewayHttp;
        private HttpClient? downloadHttp;

        public GatewayTransport(GatewaySettings settings, Action<string>? trace)
        {
            this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
            this.trace = trace;
        }

        public GatewaySettings Settings => settings;

        /// <summary>Calls to download hosts: never given the key, so redirects may be followed.</summary>
        public HttpClient DownloadHttp => downloadHttp ??= HttpFor(allowRedirects: true);

        /// <summary>Calls to the gateway: redirects are not followed (the key goes to the configured gateway only).</summary>
        private HttpClient GatewayHttp => gatewayHttp ??= HttpFor(allowRedirects: false);

        public Uri UriFor(string relativePath) => new Uri(settings.BaseUri, relativePath);

        public void Log(string message) => trace?.Invoke(message);

        /// <summary>Removes the key from any text that came from outside (a gateway that echoes headers must not leak it).</summary>
        public string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text) || !settings.HasKey)
            {
                return text ?? string.Empty;
            }

            string key = settings.RevealKey();
            return key.Length < 4 ? text! : text!.Replace(key, "***");
        }

        /// <summary>A reply body without the key in any of its strings (see <see cref="ReplyRedaction"/>).</summary>
        private string RedactReply(string body) => settings.HasKey ? ReplyRedaction.Redact(body, settings.RevealKey()) : body;

        /// <summary>
        /// True for a call whose failure may leave money spent: a POST (a submission; an upload's failure is reported as its
        /// own). A GET that got no answer, or lost its connection, read nothing and billed nothing.
        /// </summary>
        private static bool MayBill(HttpMethod method) => method == HttpMethod.Post;

        /// <summary>A reply body short enough for a message, without the key.</summary>
        public string Excerpt(string body)
        {
            string text = Redact(body);
            return text.Length <= 300 ? text : text.Substring(0, 300) + "…";
        }

        /// <summary>The failure a non-success reply stands for (see <see cref="GatewayErrorMapper"/>).</summary>
        public GatewayException ErrorFrom(GatewayReply reply) => GatewayErrorMapper.From(reply, this);

        /// <summary>The shared client for this purpose and these proxy settings (looked up once per KlingClient, not per call).</summary>
        private HttpClient HttpFor(bool allowRedirects)
        {
            NetworkCredential? credential = settings.ProxyCredential;
            string key = (allowRedirects ? "download|" : "gateway|") + settings.Proxy + "|" + credential?.UserName + "|" +
                         (credential == null ? string.Empty : credential.Password.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture));
            return HttpClients.GetOrAdd(key, _ => new Lazy<HttpClient>(() => CreateHttpClient(allowRedirects, settings.Proxy, credential))).Value;
        }

        public Task<GatewayReply> SendAsync(HttpMethod method, Uri uri, string? json, CancellationToken cancellationToken) =>
            SendAsync(method, uri, JsonContent(json), null, cancellationToken);

        /// <summary>A submission: its JSON body under its <see cref="IdempotencyKey"/> (checked by the caller).</summary>
        public Task<GatewayReply> SubmitAsync(Uri uri, string json, string idempotencyKey, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, uri, JsonContent(json), idempotencyKey, cancellationToken);

        /// <summary>One call to the gateway, with the key; the content is made afresh for every call.</summary>
        public Task<GatewayReply> SendAsync(HttpMethod method, Uri uri, Func<HttpContent>? content, CancellationToken cancellationToken) =>
            SendAsync(method, uri, content, null, cancellationToken);

        private static Func<HttpContent>? JsonContent(string? json) =>
            json == null ? null : () => new StringContent(json, new UTF8Encoding(false), "application/json");

        private async Task<GatewayReply> SendAsync(HttpMethod method, Uri uri, Func<HttpContent>? content, string? idempotencyKey, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.RequestTimeout);
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = AuthorizationFor(method, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (idempotencyKey != null)
            {
                request.Headers.TryAddWithoutValidation(IdempotencyKey.Header, idempotencyKey);
            }
            if (content != null)
            {
                request.Content = content();
            }

            HttpResponseMessage response;
            try
            {
                response = await GatewayHttp.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                string read = MayBill(method) ? string.Empty : " Nothing is billed by a read: run it again later, or give the gateway more time with Connect-Kling -TimeoutSec.";
                throw new GatewayException(GatewayErrorKind.Timeout, $"{method} {uri.AbsolutePath} got no answer within {settings.RequestTimeout.TotalSeconds:0} s.{read}") { OutcomeUnknown = MayBill(method) };
            }
            catch (HttpRequestException ex)
            {
                bool neverSent = NeverConnected(ex);
                throw new GatewayException(GatewayErrorKind.Network, $"{method} {uri.AbsolutePath} failed: {Redact(ex.Message)}", inner: ex) { OutcomeUnknown = !neverSent && MayBill(method) };
            }

            using (response)
            {
                // The key is taken out where the gateway's words come in, so nothing read from them can carry it.
                string body = response.Content == null ? string.Empty : RedactReply(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
                TimeSpan? retryAfter = null;
                if (response.Headers.RetryAfter != null)
                {
                    retryAfter = response.Headers.RetryAfter.Delta ??
                                 (response.Headers.RetryAfter.Date.HasValue ? response.Headers.RetryAfter.Date.Value - DateTimeOffset.UtcNow : (TimeSpan?)null);
                    if (retryAfter < TimeSpan.Zero)
                    {
                        retryAfter = TimeSpan.Zero;
                    }
                }
                else if (response.Headers.TryGetValues("Retry-After", out var raw))
                {
                    retryAfter = RetryAfter.Parse(string.Join(",", raw), DateTimeOffset.UtcNow);
                }

                Log($"{(int)response.StatusCode} {Redact(response.ReasonPhrase)} from {method} {uri.AbsolutePath}");
                return new GatewayReply(response.StatusCode, body, retryAfter);
            }
        }

        /// <summary>
        /// The Authorization header, or (for a key that cannot go into a header) a failure that provably sent nothing
        /// and stops the batch, since every later call would fail the same way. The framework would otherwise fail
        /// only while writing the request, which looks like a request cut off mid-way: "may have been billed".
        /// </summary>
        private AuthenticationHeaderValue AuthorizationFor(HttpMethod method, Uri uri)
        {
            string? problem = settings.KeyProblem;
            if (problem == null)
            {
                try
                {
                    return new AuthenticationHeaderValue("Bearer", settings.RevealKey());
                }
                catch (Exception ex) when (ex is FormatException || ex is InvalidOperationException || ex is ArgumentException)
                {
                    problem = "a character the HTTP header refused";
                }
            }

            throw new GatewayException(
                GatewayErrorKind.Authentication,
                $"The API key from {settings.KeySource} contains {problem}, which cannot go into an HTTP header, so nothing was sent ({method} {uri.AbsolutePath}). " +
                "Give the key again without it (Connect-Kling, or $env:" + GatewaySettings.ApiKeyVariable + ").");
        }

        /// <summary>True when the socket was never connected, so the request provably never reached the server.</summary>
        internal static bool NeverConnected(Exception ex)
        {
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e is WebException web &&
                    (web.Status == WebExceptionStatus.NameResolutionFailure || web.Status == WebExceptionStatus.ProxyNameResolutionFailure))
                {
                    // .NET Framework (Windows PowerShell): a name that did not resolve carries no SocketException.
                    return true;
                }

                if (e is SocketException socket)
                {
                    return socket.SocketErrorCode == SocketError.ConnectionRefused ||
                           socket.SocketErrorCode == SocketError.HostNotFound ||
                           socket.SocketErrorCode == SocketError.HostUnreachable ||
                           socket.SocketErrorCode == SocketError.NetworkUnreachable ||
                           socket.SocketErrorCode == SocketError.TryAgain ||
                           socket.SocketErrorCode == SocketError.NoData;
                }
            }

            return false;
        }

        private static HttpClient CreateHttpClient(bool allowRedirects, Uri? proxy, NetworkCredential? proxyCredential)
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                // Windows PowerShell 5.1 may default to an explicit TLS 1.0 list; the gateway needs 1.2+.
                LegacyTls.Apply();
            }

            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = allowRedirects,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            if (proxy != null)
            {
                // An explicit proxy is used for every host, loopback included; without one, the system's applies.
                handler.Proxy = new WebProxy(proxy) { BypassProxyOnLocal = false, Credentials = proxyCredential };
                handler.UseProxy = true;
            }
            else
            {
                // The system's proxy (HTTP(S)_PROXY, or the Windows settings Windows PowerShell reads), answered with
                // the signed-in user's own credentials if it asks (a corporate NTLM/Kerberos proxy); never the key.
                handler.DefaultProxyCredentials = CredentialCache.DefaultCredentials;
            }

            var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.UserAgent.ParseAdd(KlingClient.UserAgent);
            return client;
        }

    }

    /// <summary>What the gateway answered: status, body and Retry-After.</summary>
    internal readonly struct GatewayReply
    {
        public GatewayReply(HttpStatusCode statusCode, string body, TimeSpan? retryAfter)
        {
            StatusCode = statusCode;
            Body = body;
            RetryAfter = retryAfter;
        }

        public HttpStatusCode StatusCode { get; }

        public int Status => (int)StatusCode;

        public string Body { get; }

        public TimeSpan? RetryAfter { get; }
    }
}
