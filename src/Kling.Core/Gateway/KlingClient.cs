using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Media;
using Kling.Core.Wire;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// The gateway's calls, over one <see cref="GatewayTransport"/>: a submission (<see cref="SubmissionCall"/>, with
    /// its billing rule and its Idempotency-Key), a task's status and an image upload (calls that bill nothing, retried by <see cref="Retry"/>),
    /// and, through <see cref="Transport"/>, result downloads (the Downloads wing's, never with the key). Safe to use from several threads; the trace
    /// callback is called on them, so cmdlets queue its lines and write them on their own thread.
    /// </summary>
    public sealed class KlingClient : IKlingGateway
    {
        private const string TaskPath = "v1/tasks/";
        private const string UploadPath = "v1/uploads/images";

        /// <summary>How long an uploaded image's URL lives, per the API.</summary>
        public static readonly TimeSpan UploadLifetime = TimeSpan.FromHours(72);

        private readonly GatewayTransport transport;

        public KlingClient(GatewaySettings settings, Action<string>? trace = null)
        {
            transport = new GatewayTransport(settings, trace);
        }

        /// <summary>The module's version, as stamped into its assemblies (initialized before <see cref="UserAgent"/>, which uses it).</summary>
        public static string ModuleVersion { get; } = typeof(KlingClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        /// <summary>"Kling-PowerShell/&lt;module version&gt;", sent with every call.</summary>
        public static string UserAgent { get; } = "Kling-PowerShell/" + ModuleVersion;

        public GatewaySettings Settings => transport.Settings;

        public RetryPolicy Retry { get; } = new RetryPolicy();

        /// <summary>The HTTP clients, key header and trace the calls go over; result downloads use it too.</summary>
        internal GatewayTransport Transport => transport;

        /// <inheritdoc cref="SubmissionCall"/>
        public Task<SubmitAttempt> SubmitOnceAsync(VideoRequest request, string idempotencyKey, CancellationToken cancellationToken) =>
            SubmissionCall.SendAsync(transport, request, idempotencyKey, cancellationToken);

        /// <summary>Reads a task's status, retrying transient failures (5xx, 429, timeouts, resets, unreadable bodies).</summary>
        public Task<KlingTask> GetTaskAsync(string taskId, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(taskId))
            {
                throw new ArgumentException("A task id is required.", nameof(taskId));
            }

            // The language of the task's messages (its error text), when one is set: the gateway's English otherwise.
            string language = Settings.Language == null ? string.Empty : "?language=" + Uri.EscapeDataString(Settings.Language);
            Uri uri = transport.UriFor(TaskPath + Uri.EscapeDataString(taskId.Trim()) + language);
            return CallAsync(
                $"GET {uri}",
                $"Status of '{taskId}'",
                async ct =>
                {
                    GatewayReply reply = await transport.SendAsync(HttpMethod.Get, uri, (string?)null, ct).ConfigureAwait(false);
                    if (reply.Status != 200)
                    {
                        throw transport.ErrorFrom(reply);
                    }

                    try
                    {
                        return GatewayReplies.ReadTask(reply.Body, taskId);
                    }
                    catch (JsonException ex)
                    {
                        throw new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway's status for task '{taskId}' could not be read: {ex.Message}", reply.StatusCode, inner: ex);
                    }
                },
                failure => failure,
                cancellationToken);
        }

        /// <summary>
        /// Uploads one checked image as multipart/form-data (field "file"). Uploads bill nothing, so transient failures
        /// are tried again (up to <see cref="RetryPolicy.MaxAttempts"/> times in all); 400 and 413 are not.
        /// </summary>
        public Task<ImageUpload> UploadImageAsync(LocalImage image, CancellationToken cancellationToken)
        {
            Uri uri = transport.UriFor(UploadPath);
            return CallAsync(
                $"POST {uri} (image upload: {Path.GetFileName(image.Path)}, {image.Bytes} bytes, {image.ContentType})",
                $"Upload of '{Path.GetFileName(image.Path)}'",
                async ct =>
                {
                    GatewayReply reply = await transport.SendAsync(HttpMethod.Post, uri, () => MultipartFor(image), ct).ConfigureAwait(false);
                    if (reply.Status != 200 && reply.Status != 201)
                    {
                        throw transport.ErrorFrom(reply);
                    }

                    return GatewayReplies.ReadUpload(reply.Body, image, UploadLifetime) ??
                        throw new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway's answer to the upload of '{image.Path}' had no url: {transport.Excerpt(reply.Body)}", reply.StatusCode);
                },
                failure => new GatewayException(failure.Kind, $"Uploading the image '{image.Path}' failed: {failure.Message}", failure.StatusCode, failure.ErrorCode, failure.ErrorType, failure.GatewayMessage, failure)
                {
                    DuringUpload = true,
                },
                cancellationToken);
        }

        /// <summary>
        /// The key's balance (GET /v1/balance), or with <paramref name="account"/> the whole account's (GET /v1/user/balance).
        /// Reads bill nothing, so transient failures are tried again; HTTP 200 with "success": false is an error with the gateway's message.
        /// </summary>
        public Task<KlingBalance> GetBalanceAsync(bool account, CancellationToken cancellationToken)
        {
            Uri uri = transport.UriFor(account ? BalanceCall.AccountPath : BalanceCall.KeyPath);
            return CallAsync(
                $"GET {uri}",
                account ? "The account's balance" : "The key's balance",
                async ct =>
                {
                    GatewayReply reply = await transport.SendAsync(HttpMethod.Get, uri, (string?)null, ct).ConfigureAwait(false);
                    if (reply.Status != 200)
                    {
                        throw transport.ErrorFrom(reply);
                    }

                    return BalanceCall.Read(reply, account, transport);
                },
                failure => failure,
                cancellationToken);
        }

        /// <summary>
        /// The spend report (GET /v1/usage) for <paramref name="query"/>: a range longer than the gateway's 31 days is read
        /// in pieces, one after another, and added up. Reads bill nothing: 429 is waited out and 5xx tried again as
        /// <see cref="Retry"/> says; a 503 usage_unavailable that persists is an error, never a spend of 0.
        /// </summary>
        public async Task<IReadOnlyList<KlingUsage>> GetUsageAsync(UsageQuery query, CancellationToken cancellationToken)
        {
            var answers = new List<(KlingUsage, List<KlingUsage>)>();
            foreach ((DateTimeOffset start, DateTimeOffset end) in query.Pieces())
            {
                Uri uri = transport.UriFor(query.PathFor(start, end));
                answers.Add(await CallAsync(
                    $"GET {Describe(uri)} ({start:u} to {end:u})",
                    "The usage report",
                    async ct =>
                    {
                        GatewayReply reply = await transport.SendAsync(HttpMethod.Get, uri, (string?)null, ct).ConfigureAwait(false);
                        if (reply.Status != 200)
                        {
                            throw transport.ErrorFrom(reply);
                        }

                        return UsageCall.Read(reply, transport);
                    },
                    failure => failure,
                    cancellationToken).ConfigureAwait(false));
            }

            return UsageCall.Combine(query, answers);
        }

        /// <summary>
        /// The Kling models the gateway offers this key (GET /v1/models?expand=category,parameters, read by
        /// <see cref="ModelListCall"/>), in its order; other makers' models are left out, and their number traced. Reads
        /// bill nothing: transient failures are tried again as <see cref="Retry"/> says. <see cref="KlingOnlineModel.Known"/>
        /// is left false: the gateway does not know the catalog.
        /// </summary>
        public Task<IReadOnlyList<KlingOnlineModel>> GetModelsAsync(CancellationToken cancellationToken)
        {
            Uri uri = transport.UriFor(ModelListCall.Path);
            return CallAsync(
                $"GET {uri}",
                "The model list",
                async ct =>
                {
                    GatewayReply reply = await transport.SendAsync(HttpMethod.Get, uri, (string?)null, ct).ConfigureAwait(false);
                    if (reply.Status != 200)
                    {
                        throw transport.ErrorFrom(reply);
                    }

                    List<KlingOnlineModel> all = ModelListCall.Read(reply, transport);
                    List<KlingOnlineModel> kling = all.FindAll(ModelListCall.IsKling);
                    transport.Log($"The gateway lists {all.Count} model(s) for this key; {kling.Count} of them Kling's video models.");
                    return (IReadOnlyList<KlingOnlineModel>)kling;
                },
                failure => failure,
                cancellationToken);
        }

        /// <summary>A URL for logs: scheme, host and path, without the query (signed URLs carry their own credentials).</summary>
        public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);

        /// <summary>A call that bills nothing: tried again after each transient failure, as <see cref="Retry"/> says.</summary>
        private async Task<T> CallAsync<T>(string request, string what, Func<CancellationToken, Task<T>> once, Func<GatewayException, GatewayException> onGiveUp, CancellationToken cancellationToken)
        {
            int attempt = 0;
            while (true)
            {
                attempt++;
                cancellationToken.ThrowIfCancellationRequested();
                transport.Log(request);
                GatewayException failure;
                try
                {
                    return await once(cancellationToken).ConfigureAwait(false);
                }
                catch (GatewayException ex)
                {
                    failure = ex;
                }

                if (!failure.IsTransient || attempt >= Retry.MaxAttempts)
                {
                    throw onGiveUp(failure);
                }

                TimeSpan wait = Retry.DelayAfter(failure, attempt);
                transport.Log($"{what} failed ({failure.Kind}); trying again in {wait.TotalSeconds:0.###} s.");
                await Delay.For(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// The upload's body as curl and browsers write it: <c>name="file"; filename="bud.png"</c> quoted (strict servers
        /// refuse the unquoted form .NET writes by default), the part's own Content-Type, and a non-ASCII name as an
        /// ASCII fallback plus <c>filename*=UTF-8''...</c> (RFC 6266) instead of .NET's RFC 2047 <c>=?utf-8?B?...?=</c>.
        /// </summary>
        internal static HttpContent MultipartFor(LocalImage image)
        {
            var file = new StreamContent(new FileStream(image.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
            file.Headers.ContentType = new MediaTypeHeaderValue(image.ContentType);
            file.Headers.ContentDisposition = FormDataFor("file", Path.GetFileName(image.Path));
            var form = new MultipartFormDataContent();
            form.Add(file);
            return form;
        }

        /// <summary>A form-data Content-Disposition with every parameter written as given (already quoted or encoded).</summary>
        internal static ContentDispositionHeaderValue FormDataFor(string field, string fileName)
        {
            var disposition = new ContentDispositionHeaderValue("form-data");
            disposition.Parameters.Add(new NameValueHeaderValue("name", Quoted(field)));
            string fallback = AsciiFallback(fileName);
            disposition.Parameters.Add(new NameValueHeaderValue("filename", Quoted(fallback)));
            if (fallback != fileName)
            {
                disposition.Parameters.Add(new NameValueHeaderValue("filename*", "UTF-8''" + Rfc5987(fileName)));
            }

            return disposition;
        }

        /// <summary>The name with every character outside printable ASCII (and the quote and backslash) replaced by '_'.</summary>
        private static string AsciiFallback(string name)
        {
            var text = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                text.Append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '_');
            }

            return text.ToString();
        }

        private static string Quoted(string value) => "\"" + value + "\"";

        /// <summary>Percent-encodes UTF-8 bytes outside RFC 5987's attr-char set.</summary>
        private static string Rfc5987(string value)
        {
            var text = new StringBuilder();
            foreach (byte b in Encoding.UTF8.GetBytes(value))
            {
                char c = (char)b;
                bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".IndexOf(c) >= 0;
                text.Append(plain ? c.ToString() : "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
