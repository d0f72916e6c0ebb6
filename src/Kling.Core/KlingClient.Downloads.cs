using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core
{
    /// <summary>Result downloads: from the storage host, never with the key.</summary>
    public sealed partial class KlingClient
    {
        /// <summary>
        /// Streams a result file to disk without the key: into a temporary file beside the target, renamed once complete,
        /// so no half file ever stands under the final name. Returns the number of bytes written.
        /// </summary>
        public async Task<long> DownloadAsync(Uri url, string targetPath, CancellationToken cancellationToken, int maxAttempts = 3)
        {
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            {
                throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The result URL '{url}' is not http(s).");
            }

            string partial = targetPath + ".partial";
            int attempt = 0;
            while (true)
            {
                attempt++;
                try
                {
                    long written = await DownloadOnceAsync(url, partial, cancellationToken).ConfigureAwait(false);
                    if (File.Exists(targetPath))
                    {
                        File.Delete(targetPath);
                    }

                    File.Move(partial, targetPath);
                    return written;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt < maxAttempts && IsTransientDownload(ex))
                {
                    Log($"Download of {Describe(url)} failed ({ex.Message}); trying again.");
                    await DelayAsync(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    TryDelete(partial);
                    throw;
                }
            }
        }

        private async Task<long> DownloadOnceAsync(Uri url, string partial, CancellationToken cancellationToken)
        {
            Log($"GET {Describe(url)} (download, no Authorization header)");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            HttpResponseMessage response;
            try
            {
                response = await DownloadHttp.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new GatewayException(GatewayErrorKind.Network, $"Could not reach the download host {url.Host}: {ex.Message}", inner: ex);
            }

            using (response)
            {
                int status = (int)response.StatusCode;
                if (status == 403 || status == 410 || status == 404)
                {
                    throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download host refused {Describe(url)} (HTTP {status}); the result link may have expired. Result URLs live for hours to a few days: download soon after completion.", response.StatusCode);
                }

                if (status >= 500)
                {
                    throw new GatewayException(GatewayErrorKind.ServerError, $"The download host answered HTTP {status} for {Describe(url)}.", response.StatusCode);
                }

                if (status != 200)
                {
                    throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download host answered HTTP {status} for {Describe(url)}.", response.StatusCode);
                }

                long? expected = response.Content.Headers.ContentLength;
                long written;
                using (Stream source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    await source.CopyToAsync(target, 81920, cancellationToken).ConfigureAwait(false);
                    written = target.Length;
                }

                if (expected.HasValue && written != expected.Value)
                {
                    throw new IOException($"The download of {Describe(url)} ended after {written} of {expected.Value} bytes.");
                }

                return written;
            }
        }

        private static bool IsTransientDownload(Exception ex) =>
            ex is IOException || ex is HttpRequestException || ex is OperationCanceledException ||
            (ex is GatewayException g && (g.Kind == GatewayErrorKind.ServerError || g.Kind == GatewayErrorKind.Network));

        /// <summary>A URL for logs: scheme, host and path, without the query (signed URLs carry their own credentials).</summary>
        public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);
    }
}
