using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Gateway;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// Result downloads from the storage host, never with the key: into a partial file beside the target, renamed once
    /// its length matches what the host announced, so no half file ever stands under the final name. The partial file is
    /// held by one download at a time, across processes (see <see cref="PartialFile"/>): another that comes to it waits,
    /// and takes the result another process saved meanwhile for its own. A cut connection is resumed with a Range request
    /// from the bytes already on disk (also those a killed run left); a host that ignores Range is read again from the
    /// start. A failure of the local file system is a <see cref="LocalFileException"/> at once, never retried as if the
    /// network had failed.
    /// </summary>
    public sealed class ResultDownloader
    {
        private const int CopyBufferSize = 256 * 1024;

        /// <summary>The default of <see cref="StallTimeout"/>.</summary>
        public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(60);

        private readonly GatewayTransport transport;
        private readonly RetryPolicy retry;
        private readonly Func<string, CancellationToken, Task<KlingTask>> readTask;

        internal ResultDownloader(GatewayTransport transport, RetryPolicy retry, Func<string, CancellationToken, Task<KlingTask>> readTask)
        {
            this.transport = transport;
            this.retry = retry;
            this.readTask = readTask;
        }

        /// <summary>Failed attempts in a row, none of which received a byte, before a download gives up.</summary>
        public int MaxAttempts { get; set; } = 5;

        /// <summary>A download that receives nothing for this long is dropped and resumed.</summary>
        public TimeSpan StallTimeout { get; set; } = DefaultStallTimeout;

        /// <summary>How often a download waiting for another's partial file looks again, at most.</summary>
        internal static readonly TimeSpan MostBetweenLooks = TimeSpan.FromMilliseconds(500);

        /// <summary>Where the bytes of a task's result wait until they are complete: beside the target, named after the task.</summary>
        public static string PartialPathFor(string targetPath, string taskId) => PartialFile.PathFor(targetPath, taskId);

        /// <summary>
        /// Downloads one result of a completed task. When its link has expired, the task's status is read once for a
        /// fresh link; the partial file is named after the task, so a rerun resumes it and never another task's bytes.
        /// <paramref name="claim"/>, when given, moves the complete file onto its name (see <see cref="DownloadOptions.Claim"/>).
        /// </summary>
        public Task<long> DownloadResultAsync(string taskId, int index, Uri url, string targetPath, DownloadProgress? progress, Func<string, long, string>? claim, CancellationToken cancellationToken) =>
            DownloadResultAsync(taskId, index, url, targetPath, new DownloadOptions { Progress = progress, Claim = claim }, cancellationToken);

        /// <summary>
        /// Downloads one result of a completed task with <paramref name="options"/> (progress, claim, saved meanwhile);
        /// its partial file and the refresh of an expired link are this method's.
        /// </summary>
        public Task<long> DownloadResultAsync(string taskId, int index, Uri url, string targetPath, DownloadOptions options, CancellationToken cancellationToken)
        {
            options.PartialPath = PartialPathFor(targetPath, taskId);
            options.RefreshUrl = async ct =>
            {
                transport.Log($"The result link of task {taskId} was refused; reading the task's status once for a fresh link.");
                KlingTask fresh = await readTask(taskId, ct).ConfigureAwait(false);
                return index < fresh.VideoUrl.Length && Uri.TryCreate(fresh.VideoUrl[index], UriKind.Absolute, out Uri? u) ? u : null;
            };
            return DownloadAsync(url, targetPath, options, cancellationToken);
        }

        /// <summary>Streams a result file to disk (see the class); returns the length of the finished file.</summary>
        public async Task<long> DownloadAsync(Uri url, string targetPath, DownloadOptions? options, CancellationToken cancellationToken)
        {
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            {
                throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The result URL '{KlingClient.Describe(url)}' is not http(s).");
            }

            options ??= new DownloadOptions();
            DownloadProgress progress = options.Progress ?? new DownloadProgress();
            (PartialFile? owned, string? savedPath) = await OwnAsync(options.PartialPath ?? targetPath + ".partial", options, cancellationToken).ConfigureAwait(false);
            if (owned == null)
            {
                // Another process saved this very result while this one waited: that file is this download's.
                long saved = PartialFile.SafeLength(savedPath!);
                progress.Start(saved, saved);
                progress.Finish();
                return saved;
            }

            using PartialFile partial = owned;

            bool refreshed = false;
            int fruitless = 0;
            while (true)
            {
                long before = partial.Length;
                try
                {
                    long length = await DownloadOnceAsync(url, partial, progress, cancellationToken).ConfigureAwait(false);
                    if (options.Claim != null)
                    {
                        options.Claim(partial.Path, length);
                    }
                    else
                    {
                        PartialFile.MoveOnto(partial.Path, targetPath, length);
                    }

                    partial.Moved();

                    progress.Finish();
                    return length;
                }
                catch (GatewayException ex) when (ex.LinkExpired && options.RefreshUrl != null && !refreshed)
                {
                    refreshed = true;
                    url = await FreshLinkAsync(url, ex, options.RefreshUrl, cancellationToken).ConfigureAwait(false);
                }
                catch (GatewayException ex) when (!cancellationToken.IsCancellationRequested && ex.IsTransient)
                {
                    long after = PartialFile.SafeLength(partial.Path);
                    fruitless = after > before ? 1 : fruitless + 1;
                    if (fruitless >= MaxAttempts)
                    {
                        string kept = after > 0 ? $" The {after} bytes received so far are kept in {partial.Path}; run the command again to resume." : string.Empty;
                        throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download of {KlingClient.Describe(url)} failed {fruitless} times in a row: {ex.Message}{kept}", inner: ex);
                    }

                    TimeSpan wait = RetryPolicy.Backoff(fruitless, retry.BaseDelay, retry.MaxDelay);
                    transport.Log($"Download of {KlingClient.Describe(url)} stopped at {after} bytes ({ex.Message}); resuming in {wait.TotalSeconds:0.###} s.");
                    await Delay.For(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// Takes the partial file, waiting while another download holds it (another process saving the same result into
        /// the same folder). Null when, before or after the wait, the result proves saved meanwhile
        /// (<see cref="DownloadOptions.SavedMeanwhile"/>), with the path of that file: then the partial file, if taken, is
        /// deleted, as nobody needs it.
        /// </summary>
        private async Task<(PartialFile? Partial, string? SavedPath)> OwnAsync(string path, DownloadOptions options, CancellationToken cancellationToken)
        {
            bool told = false;
            for (int wait = 10; ; wait = Math.Min(wait * 2, (int)MostBetweenLooks.TotalMilliseconds))
            {
                PartialFile? partial = PartialFile.TryOwn(path);
                string? saved = options.SavedMeanwhile?.Invoke();
                if (saved == null && partial != null)
                {
                    return (partial, null);
                }

                if (partial != null)
                {
                    partial.Discard();
                    partial.Dispose();
                }

                if (saved != null)
                {
                    transport.Log($"The result meant for {path} was saved to {saved} by another download meanwhile; not downloaded again.");
                    return (null, saved);
                }

                if (!told)
                {
                    told = true;
                    transport.Log($"{path} is being written by another download (another process saving into this folder); waiting for it.");
                }

                await Delay.For(TimeSpan.FromMilliseconds(wait), cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<Uri> FreshLinkAsync(Uri url, GatewayException refusal, Func<CancellationToken, Task<Uri?>> refresh, CancellationToken cancellationToken)
        {
            Uri? fresh = await refresh(cancellationToken).ConfigureAwait(false);
            if (fresh == null || fresh == url)
            {
                throw new GatewayException(GatewayErrorKind.DownloadFailed, refusal.Message + " The task's status was read again and lists no fresh link: the result is gone; generate it again.", refusal.StatusCode, inner: refusal) { LinkExpired = true };
            }

            transport.Log($"Got a fresh result link for {KlingClient.Describe(fresh)}; downloading from it.");
            return fresh;
        }

        /// <summary>One GET, resumed from the partial file's length; returns the complete length or throws.</summary>
        private async Task<long> DownloadOnceAsync(Uri url, PartialFile partial, DownloadProgress progress, CancellationToken cancellationToken)
        {
            long offset = partial.Length;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            transport.Log($"GET {KlingClient.Describe(url)} (download{(offset > 0 ? ", from byte " + offset : string.Empty)}, no Authorization header)");
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(StallTimeout);
            HttpResponseMessage response;
            try
            {
                response = await transport.DownloadHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new GatewayException(GatewayErrorKind.Network, $"Could not reach the download host {url.Host}: {ex.Message}", inner: ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new GatewayException(GatewayErrorKind.Timeout, $"The download host {url.Host} did not answer within {StallTimeout.TotalSeconds:0} s.", inner: ex);
            }

            using (response)
            {
                (long start, long? total)? range = ReadRange(url, response, partial, offset);
                if (range == null)
                {
                    // 416 for bytes that reach exactly the end: the file was complete already.
                    progress.Start(offset, offset);
                    return offset;
                }

                progress.Start(range.Value.start, range.Value.total);
                long length = await CopyAsync(response, partial, range.Value.start, progress, stall, cancellationToken).ConfigureAwait(false);
                if (range.Value.total is long expected && length != expected)
                {
                    if (length > expected)
                    {
                        partial.SeekTo(0);
                        throw new GatewayException(GatewayErrorKind.Network, $"The file grew to {length} bytes, more than the {expected} announced; starting over.");
                    }

                    throw new GatewayException(GatewayErrorKind.Network, $"The connection closed after {length} of {expected} bytes.");
                }

                return length;
            }
        }

        /// <summary>
        /// Where the host's answer starts in the file and how long the file is; null when 416 says the bytes on disk are
        /// the whole file. Throws for answers that cannot be written (expired links, errors, a range that does not fit).
        /// </summary>
        private static (long Start, long? Total)? ReadRange(Uri url, HttpResponseMessage response, PartialFile partial, long offset)
        {
            int status = (int)response.StatusCode;
            if (status == 416 && offset > 0)
            {
                // The bytes on disk reach (or pass) the end: complete, or not this file after all.
                long? size = response.Content.Headers.ContentRange?.Length;
                if (size == offset)
                {
                    return null;
                }

                partial.SeekTo(0);
                throw new GatewayException(GatewayErrorKind.Network, $"The {offset} bytes already on disk do not fit the file on the host ({size?.ToString() ?? "unknown"} bytes); starting over.");
            }

            if (status == 403 || status == 410 || status == 404)
            {
                throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download host refused {KlingClient.Describe(url)} (HTTP {status}): the result link has expired or is no longer valid. Result URLs live for hours to a few days: download soon after completion.", response.StatusCode) { LinkExpired = true };
            }

            if (status >= 500 || status == 429 || status == 408)
            {
                throw new GatewayException(GatewayErrorKind.ServerError, $"The download host answered HTTP {status} for {KlingClient.Describe(url)}.", response.StatusCode);
            }

            if (status == 206 && offset > 0)
            {
                ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
                if (range == null || range.From != offset)
                {
                    partial.SeekTo(0);
                    throw new GatewayException(GatewayErrorKind.Network, $"The download host answered a resume from byte {offset} with another range ({range?.ToString() ?? "none"}); starting over.");
                }

                return (offset, range.Length);
            }

            if (status == 200)
            {
                // A host that ignores Range sends the whole file: start the partial file again.
                return (0, response.Content.Headers.ContentLength);
            }

            throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download host answered HTTP {status} for {KlingClient.Describe(url)}.", response.StatusCode);
        }

        /// <summary>The body onto the partial file from <paramref name="start"/>: reading fails as the network does (retried), writing as the disk does (not).</summary>
        private async Task<long> CopyAsync(HttpResponseMessage response, PartialFile partial, long start, DownloadProgress progress, CancellationTokenSource stall, CancellationToken cancellationToken)
        {
            using Stream source = await Network(() => response.Content.ReadAsStreamAsync()).ConfigureAwait(false);
            partial.SeekTo(start);
            // Pooled: a fresh 256 KB buffer per file is a large-object allocation, collected only with gen 2.
            byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                while (true)
                {
                    stall.CancelAfter(StallTimeout);
                    int read;
                    try
                    {
                        read = await Network(() => source.ReadAsync(buffer, 0, buffer.Length, stall.Token)).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new GatewayException(GatewayErrorKind.Timeout, $"The download stalled: nothing received for {StallTimeout.TotalSeconds:0} s.", inner: ex);
                    }

                    if (read == 0)
                    {
                        return partial.Length;
                    }

                    partial.Write(buffer, read);
                    progress.Add(read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>A read from the network: a cut connection is the network's (transient) failure.</summary>
        private static async Task<T> Network<T>(Func<Task<T>> read)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException || ex is HttpRequestException)
            {
                throw new GatewayException(GatewayErrorKind.Network, ex.Message, inner: ex);
            }
        }
    }
}
