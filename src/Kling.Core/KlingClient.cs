using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core
{
    /// <summary>
    /// Talks to the gateway (with the key) and to download hosts (never with the key).
    /// Safe to use from several threads; cmdlets drain <see cref="Trace"/> on their own thread.
    /// </summary>
    public sealed partial class KlingClient
    {
        private const string SubmitPath = "v1/videos/generations";
        private const string TaskPath = "v1/tasks/";

        // One handler per purpose for the whole process: sockets are reused across cmdlet calls,
        // and the download handler has no way to learn the key.
        // Keyed by purpose and proxy, so a Connect-Kling -Proxy gets clients of its own.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<HttpClient>> HttpClients =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<HttpClient>>(StringComparer.Ordinal);

        private readonly GatewaySettings settings;
        private readonly Action<string>? trace;
        private HttpClient? gatewayHttp;
        private HttpClient? downloadHttp;

        public KlingClient(GatewaySettings settings, Action<string>? trace = null)
        {
            this.settings = settings ?? throw new ArgumentNullException(nameof(settings));
            this.trace = trace;
        }

        public static string UserAgent { get; } = "Kling-PowerShell/" + (typeof(KlingClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

        public GatewaySettings Settings => settings;

        /// <summary>Calls to the gateway: redirects are not followed (the key goes to the configured gateway only).</summary>
        private HttpClient GatewayHttp => gatewayHttp ??= HttpFor(allowRedirects: false);

        /// <summary>Calls to download hosts: never given the key, so redirects may be followed.</summary>
        private HttpClient DownloadHttp => downloadHttp ??= HttpFor(allowRedirects: true);

        /// <summary>How many times a 429 on submit is waited out and re-sent (a 429 was not accepted, so re-sending is safe).</summary>
        public int MaxRateLimitRetries { get; set; } = 5;

        /// <summary>How many times a status GET is tried in all.</summary>
        public int MaxGetAttempts { get; set; } = 4;

        /// <summary>Longest single wait honoured from Retry-After.</summary>
        public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

        public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// Sends one submission. Never re-sends a POST that may have reached the server: only 429s
        /// (refused, not billed) and connections that were never made are tried again.
        /// </summary>
        public async Task<KlingTask> SubmitAsync(VideoRequest request, CancellationToken cancellationToken)
        {
            int rateLimited = 0;
            while (true)
            {
                SubmitAttempt attempt = await SubmitOnceAsync(request, cancellationToken).ConfigureAwait(false);
                if (attempt.Task != null)
                {
                    return attempt.Task;
                }

                rateLimited++;
                if (rateLimited > MaxRateLimitRetries)
                {
                    throw attempt.RateLimit!;
                }

                TimeSpan wait = RateLimitDelay(attempt.RateLimit!, rateLimited);
                Log($"429 from the gateway; waiting {wait.TotalSeconds:0.###} s before re-sending (attempt {rateLimited + 1}).");
                await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Failures worth another try of a call that bills nothing (a GET, an upload): 5xx, 429, timeouts, resets, unreadable answers.</summary>
        private static bool IsSafeToRetry(GatewayException failure) =>
            failure.Kind == GatewayErrorKind.ServerError || failure.Kind == GatewayErrorKind.RateLimited ||
            failure.Kind == GatewayErrorKind.Timeout || failure.Kind == GatewayErrorKind.Network ||
            failure.Kind == GatewayErrorKind.InvalidResponse;

        /// <summary>Retry-After when the server sent one, else backoff with jitter; capped.</summary>
        private TimeSpan RetryDelay(GatewayException failure, int attempt)
        {
            TimeSpan wait = failure.RetryAfter ?? Backoff(attempt);
            return wait > MaxRetryDelay ? MaxRetryDelay : wait;
        }

        /// <summary>How long to wait after the n-th 429 in a row: Retry-After when given, else backoff with jitter; capped.</summary>
        public TimeSpan RateLimitDelay(GatewayException rateLimit, int consecutive)
        {
            TimeSpan wait = rateLimit.RetryAfter ?? Backoff(consecutive);
            return wait > MaxRetryDelay ? MaxRetryDelay : wait;
        }

        /// <summary>
        /// One submission attempt. Returns the accepted task, or (for a 429, which bills nothing) the rate-limit
        /// error so the caller can wait and re-send. Throws for every other failure; a failure that may have
        /// reached the server is marked <see cref="GatewayException.OutcomeUnknown"/>. A connection that was
        /// refused before anything was sent is tried again here, twice.
        /// </summary>
        public async Task<SubmitAttempt> SubmitOnceAsync(VideoRequest request, CancellationToken cancellationToken)
        {
            string json = GatewayJson.Serialize(request);
            Uri uri = new Uri(settings.BaseUri, SubmitPath);
            int refused = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Log($"POST {uri} ({Encoding.UTF8.GetByteCount(json)} bytes)");
                Exchange exchange;
                try
                {
                    exchange = await SendAsync(HttpMethod.Post, uri, json, cancellationToken).ConfigureAwait(false);
                }
                catch (GatewayException ex) when (ex.Kind == GatewayErrorKind.Network && !ex.OutcomeUnknown && refused < 2)
                {
                    refused++;
                    await DelayAsync(Backoff(refused), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (GatewayException ex) when (ex.OutcomeUnknown && (ex.Kind == GatewayErrorKind.Network || ex.Kind == GatewayErrorKind.Timeout))
                {
                    throw new GatewayException(ex.Kind, ex.Message + " The submission may have reached the gateway (and been billed), so it was not sent again; check the gateway's task list before re-submitting this row.", inner: ex) { OutcomeUnknown = true };
                }

                if (exchange.Status == 429)
                {
                    return new SubmitAttempt(null, ToError(exchange));
                }

                if (exchange.Status >= 500)
                {
                    GatewayException error = ToError(exchange);
                    throw new GatewayException(error.Kind, error.Message + " The submission may have been accepted (and billed) despite the error, so it was not sent again.", exchange.StatusCode, error.ErrorCode, error.ErrorType, error.GatewayMessage) { OutcomeUnknown = true };
                }

                if (exchange.Status != 200 && exchange.Status != 201)
                {
                    throw ToError(exchange);
                }

                string? taskId;
                try
                {
                    taskId = GatewayReplies.ReadSubmittedTaskId(exchange.Body);
                }
                catch (JsonException)
                {
                    taskId = null;
                }

                if (string.IsNullOrEmpty(taskId))
                {
                    throw new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway accepted the submission (HTTP {exchange.Status}) but its reply had no task id: {Shorten(Redact(exchange.Body))}", exchange.StatusCode) { OutcomeUnknown = true };
                }

                return new SubmitAttempt(new KlingTask(taskId!)
                {
                    Status = KlingTaskStatus.Submitted,
                    Request = request,
                    SubmittedAt = DateTimeOffset.UtcNow,
                }, null);
            }
        }

        /// <summary>Reads a task's status, retrying transient failures (5xx, 429, timeouts, resets, unreadable bodies).</summary>
        public async Task<KlingTask> GetTaskAsync(string taskId, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(taskId))
            {
                throw new ArgumentException("A task id is required.", nameof(taskId));
            }

            Uri uri = new Uri(settings.BaseUri, TaskPath + Uri.EscapeDataString(taskId.Trim()));
            int attempt = 0;
            while (true)
            {
                attempt++;
                cancellationToken.ThrowIfCancellationRequested();
                Log($"GET {uri}");
                GatewayException failure;
                try
                {
                    Exchange exchange = await SendAsync(HttpMethod.Get, uri, (string?)null, cancellationToken).ConfigureAwait(false);
                    if (exchange.Status == 200)
                    {
                        try
                        {
                            return GatewayReplies.ReadTask(exchange.Body, taskId);
                        }
                        catch (JsonException ex)
                        {
                            failure = new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway's status for task '{taskId}' could not be read: {ex.Message}", exchange.StatusCode, inner: ex);
                        }
                    }
                    else
                    {
                        failure = ToError(exchange);
                    }
                }
                catch (GatewayException ex)
                {
                    failure = ex;
                }

                if (!IsSafeToRetry(failure) || attempt >= MaxGetAttempts)
                {
                    throw failure;
                }

                TimeSpan wait = RetryDelay(failure, attempt);
                Log($"Status of '{taskId}' failed ({failure.Kind}); trying again in {wait.TotalSeconds:0.###} s.");
                await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        private GatewayException ToError(Exchange exchange)
        {
            (string? code, string? message, string? type) = GatewayReplies.ReadError(exchange.Body);
            message = Redact(message);
            int status = exchange.Status;
            GatewayErrorKind kind;
            if (status == 400 || status == 413 || status == 422)
            {
                kind = GatewayErrorKind.InvalidRequest;
            }
            else if (status == 401 || status == 403 || status == 407)
            {
                kind = GatewayErrorKind.Authentication;
            }
            else if (status == 402)
            {
                kind = GatewayErrorKind.PaymentRequired;
            }
            else if (status == 404)
            {
                kind = GatewayErrorKind.NotFound;
            }
            else if (status == 429)
            {
                kind = GatewayErrorKind.RateLimited;
            }
            else if (status >= 500)
            {
                kind = GatewayErrorKind.ServerError;
            }
            else if (status >= 300 && status < 400)
            {
                // Not followed (and not retried): the key goes to the configured gateway only.
                kind = GatewayErrorKind.InvalidRequest;
            }
            else
            {
                kind = GatewayErrorKind.InvalidResponse;
            }

            string detail = message ?? (string.IsNullOrWhiteSpace(exchange.Body) ? exchange.StatusCode.ToString() : Shorten(Redact(exchange.Body)));
            string text = $"The gateway answered HTTP {status}";
            if (type != null || code != null)
            {
                text += $" ({type ?? "error"}{(code != null ? ", code " + code : string.Empty)})";
            }

            text += ": " + detail;
            if (status == 407)
            {
                text = "The proxy answered HTTP 407 (proxy authentication required): give its credentials with Connect-Kling -Proxy <url> -ProxyCredential <credential>.";
            }
            else if (status >= 300 && status < 400)
            {
                text += " Kling does not follow redirects from the gateway, so the key never leaves the configured gateway; check the base URL (Connect-Kling -BaseUrl or $env:" + GatewaySettings.BaseUrlVariable + ").";
            }
            else if (kind == GatewayErrorKind.Authentication)
            {
                text += $" Check the API key (Connect-Kling or ${GatewaySettings.ApiKeyVariable}).";
            }
            else if (kind == GatewayErrorKind.PaymentRequired)
            {
                text += " The account balance is exhausted; top it up before submitting more.";
            }

            return new GatewayException(kind, text, exchange.StatusCode, code, type, message) { RetryAfter = exchange.RetryAfter };
        }

        /// <summary>Removes the key from any text that came from outside (a gateway that echoes headers must not leak it).</summary>
        internal string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text) || !settings.HasKey)
            {
                return text ?? string.Empty;
            }

            string key = settings.RevealKey();
            return key.Length < 4 ? text! : text!.Replace(key, "***");
        }

        private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "…";

        private TimeSpan Backoff(int attempt)
        {
            double factor = Math.Pow(2, Math.Min(attempt - 1, 6));
            double jitter = 0.8 + (ThreadSafeRandom.NextDouble() * 0.4);
            return TimeSpan.FromMilliseconds(BaseBackoff.TotalMilliseconds * factor * jitter);
        }

        private static Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken) =>
            wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, cancellationToken);

        private void Log(string message) => trace?.Invoke(message);

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>The result of one submission attempt: the accepted task, or the 429 that refused it.</summary>
    public sealed class SubmitAttempt
    {
        public SubmitAttempt(KlingTask? task, GatewayException? rateLimit)
        {
            Task = task;
            RateLimit = rateLimit;
        }

        public KlingTask? Task { get; }

        public GatewayException? RateLimit { get; }
    }

    internal static class ThreadSafeRandom
    {
        private static readonly Random Seed = new Random();
        [ThreadStatic] private static Random? local;

        internal static double NextDouble()
        {
            if (local == null)
            {
                int seed;
                lock (Seed)
                {
                    seed = Seed.Next();
                }

                local = new Random(seed);
            }

            return local.NextDouble();
        }
    }
}
