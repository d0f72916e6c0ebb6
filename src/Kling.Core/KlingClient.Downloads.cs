using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core
{
    /// <summary>Result downloads: from the storage host, never with the key.</summary>
    public sealed partial class KlingClient
    {
        private const int CopyBufferSize = 256 * 1024;

        /// <summary>Failed attempts in a row, none of which received a byte, before a download gives up.</summary>
        public int MaxDownloadAttempts { get; set; } = 5;

        /// <summary>The default of <see cref="DownloadStallTimeout"/>.</summary>
        public static readonly TimeSpan DefaultDownloadStallTimeout = TimeSpan.FromSeconds(60);

        /// <summary>A download that receives nothing for this long is dropped and resumed.</summary>
        public TimeSpan DownloadStallTimeout { get; set; } = DefaultDownloadStallTimeout;

        /// <summary>Streams a result file to disk (see the overload with options).</summary>
        public Task<long> DownloadAsync(Uri url, string targetPath, CancellationToken cancellationToken) =>
            DownloadAsync(url, targetPath, null, cancellationToken);

        /// <summary>
        /// Downloads one result of a completed task. When its link has expired, the task's status is read once for
        /// a fresh link; the partial file is named after the task, so a rerun resumes it and never another task's bytes.
        /// </summary>
        public Task<long> DownloadResultAsync(string taskId, int index, Uri url, string targetPath, DownloadProgress? progress, CancellationToken cancellationToken) =>
            DownloadResultAsync(taskId, index, url, targetPath, progress, null, cancellationToken);

        /// <summary>As the overload without <paramref name="claim"/>, which moves the complete file onto its name (see <see cref="DownloadOptions.Claim"/>).</summary>
        public Task<long> DownloadResultAsync(string taskId, int index, Uri url, string targetPath, DownloadProgress? progress, Func<string, long, string>? claim, CancellationToken cancellationToken)
        {
            var options = new DownloadOptions
            {
                PartialPath = PartialPathFor(targetPath, taskId),
                Progress = progress,
                Claim = claim,
                RefreshUrl = async ct =>
                {
                    Log($"The result link of task {taskId} was refused; reading the task's status once for a fresh link.");
                    KlingTask fresh = await GetTaskAsync(taskId, ct).ConfigureAwait(false);
                    return index < fresh.VideoUrl.Length && Uri.TryCreate(fresh.VideoUrl[index], UriKind.Absolute, out Uri? u) ? u : null;
                },
            };
            return DownloadAsync(url, targetPath, options, cancellationToken);
        }

        /// <summary>Where the bytes of a task's result wait until they are complete: beside the target, named after the task.</summary>
        public static string PartialPathFor(string targetPath, string taskId) => targetPath + SaveFolder.PartialSuffix(taskId);

        /// <summary>
        /// Streams a result file to disk without the key: into a partial file beside the target, renamed once its length
        /// matches what the host announced, so no half file ever stands under the final name. A cut connection is resumed
        /// with a Range request from the bytes already on disk (also those a killed run left); a host that ignores Range
        /// is read again from the start. A failure of the local file system (a full disk, a folder that may not be written)
        /// is a <see cref="LocalFileException"/> at once, never retried as if the network had failed. Returns the length of the finished file.
        /// </summary>
        public async Task<long> DownloadAsync(Uri url, string targetPath, DownloadOptions? options, CancellationToken cancellationToken)
        {
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            {
                throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The result URL '{Describe(url)}' is not http(s).");
            }

            options ??= new DownloadOptions();
            string partial = options.PartialPath ?? targetPath + ".partial";
            DownloadProgress progress = options.Progress ?? new DownloadProgress();
            bool refreshed = false;
            int fruitless = 0;
            while (true)
            {
                long before = LocalFile(partial, 0, () => LengthOf(partial));
                try
                {
                    long length = await DownloadOnceAsync(url, partial, progress, cancellationToken).ConfigureAwait(false);
                    if (options.Claim != null)
                    {
                        options.Claim(partial, length);
                    }
                    else
                    {
                        MoveOnto(partial, targetPath, length);
                    }

                    progress.Finish();
                    return length;
                }
                catch (GatewayException ex) when (ex.LinkExpired && options.RefreshUrl != null && !refreshed)
                {
                    refreshed = true;
                    Uri? fresh = await options.RefreshUrl(cancellationToken).ConfigureAwait(false);
                    if (fresh == null || fresh == url)
                    {
                        throw new GatewayException(GatewayErrorKind.DownloadFailed, ex.Message + " The task's status was read again and lists no fresh link: the result is gone; generate it again.", ex.StatusCode, inner: ex) { LinkExpired = true };
                    }

                    Log($"Got a fresh result link for {Describe(fresh)}; downloading from it.");
                    url = fresh;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsTransientDownload(ex))
                {
                    long after = SafeLength(partial);
                    fruitless = after > before ? 1 : fruitless + 1;
                    if (fruitless >= MaxDownloadAttempts)
                    {
                        string kept = after > 0 ? $" The {after} bytes received so far are kept in {partial}; run the command again to resume." : string.Empty;
                        throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download of {Describe(url)} failed {fruitless} times in a row: {ex.Message}{kept}", inner: ex);
                    }

                    TimeSpan wait = Backoff(fruitless);
                    Log($"Download of {Describe(url)} stopped at {after} bytes ({ex.Message}); resuming in {wait.TotalSeconds:0.###} s.");
                    await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>One GET, resumed from the partial file's length; returns the complete length or throws.</summary>
        private async Task<long> DownloadOnceAsync(Uri url, string partial, DownloadProgress progress, CancellationToken cancellationToken)
        {
            long offset = LocalFile(partial, 0, () => LengthOf(partial));
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            Log($"GET {Describe(url)} (download{(offset > 0 ? ", from byte " + offset : string.Empty)}, no Authorization header)");
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(DownloadStallTimeout);
            HttpResponseMessage response;
            try
            {
                response = await DownloadHttp.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new GatewayException(GatewayErrorKind.Network, $"Could not reach the download host {url.Host}: {ex.Message}", inner: ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"The download host {url.Host} did not answer within {DownloadStallTimeout.TotalSeconds:0} s.", ex);
            }

            using (response)
            {
                int status = (int)response.StatusCode;
                if (status == 416 && offset > 0)
                {
                    // The bytes on disk reach (or pass) the end: complete, or not this file after all.
                    long? size = response.Content.Headers.ContentRange?.Length;
                    if (size == offset)
                    {
                        progress.Start(offset, size);
                        return offset;
                    }

                    TryDelete(partial);
                    throw new IOException($"The {offset} bytes already on disk do not fit the file on the host ({size?.ToString() ?? "unknown"} bytes); starting over.");
                }

                if (status == 403 || status == 410 || status == 404)
                {
                    throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download host refused {Describe(url)} (HTTP {status}): the result link has expired or is no longer valid. Result URLs live for hours to a few days: download soon after completion.", response.StatusCode) { LinkExpired = true };
                }

                if (status >= 500 || status == 429 || status == 408)
                {
                    throw new GatewayException(GatewayErrorKind.ServerError, $"The download host answered HTTP {status} for {Describe(url)}.", response.StatusCode);
                }

                long start;
                long? total;
                if (status == 206 && offset > 0)
                {
                    ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
                    if (range == null || range.From != offset)
                    {
                        TryDelete(partial);
                        throw new IOException($"The download host answered a resume from byte {offset} with another range ({range?.ToString() ?? "none"}); starting over.");
                    }

                    start = offset;
                    total = range.Length;
                }
                else if (status == 200)
                {
                    // A host that ignores Range sends the whole file: start the partial file again.
                    start = 0;
                    total = response.Content.Headers.ContentLength;
                }
                else
                {
                    throw new GatewayException(GatewayErrorKind.DownloadFailed, $"The download host answered HTTP {status} for {Describe(url)}.", response.StatusCode);
                }

                progress.Start(start, total);
                long length;
                using (Stream source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                {
                    // Reading the response may fail as the network does (retried); writing the file as the disk does (not).
                    FileStream target = LocalFile(partial, start, () => new FileStream(partial, start == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read, 1, useAsync: false));
                    try
                    {
                        byte[] buffer = new byte[CopyBufferSize];
                        try
                        {
                            while (true)
                            {
                                stall.CancelAfter(DownloadStallTimeout);
                                int read = await source.ReadAsync(buffer, 0, buffer.Length, stall.Token).ConfigureAwait(false);
                                if (read == 0)
                                {
                                    break;
                                }

                                LocalFile(partial, start, () => target.Write(buffer, 0, read));
                                progress.Add(read);
                            }
                        }
                        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new IOException($"The download stalled: nothing received for {DownloadStallTimeout.TotalSeconds:0} s.", ex);
                        }

                        length = LocalFile(partial, start, () => target.Length);
                    }
                    finally
                    {
                        LocalFile(partial, start, target.Dispose);
                    }
                }

                if (total.HasValue && length < total.Value)
                {
                    throw new IOException($"The connection closed after {length} of {total.Value} bytes.");
                }

                if (total.HasValue && length > total.Value)
                {
                    TryDelete(partial);
                    throw new IOException($"The file grew to {length} bytes, more than the {total.Value} announced; starting over.");
                }

                return length;
            }
        }

        /// <summary>A file-system step on the partial file: its failure is the file's error, with the bytes on disk kept.</summary>
        private static T LocalFile<T>(string partial, long start, Func<T> step)
        {
            try
            {
                return step();
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw new LocalFileException(partial, ex, Math.Max(start, SafeLength(partial)));
            }
        }

        private static void LocalFile(string partial, long start, Action step) => LocalFile(partial, start, () =>
        {
            step();
            return true;
        });

        /// <summary>Without a claim: onto the target, replacing a file there in one rename (never delete-then-move).</summary>
        private static void MoveOnto(string partial, string targetPath, long length)
        {
            try
            {
                if (File.Exists(targetPath))
                {
                    File.Replace(partial, targetPath, null);
                }
                else
                {
                    File.Move(partial, targetPath);
                }
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw new LocalFileException(targetPath, ex, length);
            }
        }

        private static long SafeLength(string path)
        {
            try
            {
                return LengthOf(path);
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                return 0;
            }
        }

        private static long LengthOf(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }

        private static bool IsTransientDownload(Exception ex) =>
            ex is IOException || ex is HttpRequestException || ex is OperationCanceledException ||
            (ex is GatewayException g && (g.Kind == GatewayErrorKind.ServerError || g.Kind == GatewayErrorKind.Network));

        /// <summary>A URL for logs: scheme, host and path, without the query (signed URLs carry their own credentials).</summary>
        public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);
    }

    /// <summary>How one download behaves.</summary>
    public sealed class DownloadOptions
    {
        /// <summary>Where the bytes wait until complete (default: the target path + ".partial").</summary>
        public string? PartialPath { get; set; }

        /// <summary>Updated as bytes arrive, for a progress bar read from another thread.</summary>
        public DownloadProgress? Progress { get; set; }

        /// <summary>
        /// Moves the complete partial file (path, length) to its final place and returns that path; it throws
        /// <see cref="LocalFileException"/> for file-system failures. Default: onto the target, replacing a file there.
        /// </summary>
        public Func<string, long, string>? Claim { get; set; }

        /// <summary>Asked once, when the host refuses the link as expired, for a fresh link (null: none).</summary>
        public Func<CancellationToken, Task<Uri?>>? RefreshUrl { get; set; }
    }

    /// <summary>Bytes on disk of one download, written by the downloading thread and read by anyone.</summary>
    public sealed class DownloadProgress
    {
        private long received;
        private long total = -1;
        private int finished;

        public long Received => Interlocked.Read(ref received);

        /// <summary>The file's full length once the host has said it.</summary>
        public long? Total
        {
            get
            {
                long t = Interlocked.Read(ref total);
                return t < 0 ? (long?)null : t;
            }
        }

        public bool Finished => Volatile.Read(ref finished) != 0;

        internal void Start(long onDisk, long? length)
        {
            Interlocked.Exchange(ref received, onDisk);
            Interlocked.Exchange(ref total, length ?? -1);
        }

        internal void Add(long bytes) => Interlocked.Add(ref received, bytes);

        internal void Finish() => Volatile.Write(ref finished, 1);
    }
}
