using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core
{
    /// <summary>One validated row waiting to be submitted.</summary>
    public sealed class SubmissionItem
    {
        public SubmissionItem(int row, string? name, VideoRequest request, string? journalKey, object? target)
        {
            Row = row;
            Name = name;
            Request = request;
            JournalKey = journalKey;
            Target = target;
        }

        public int Row { get; }

        public string? Name { get; }

        public VideoRequest Request { get; }

        public string? JournalKey { get; }

        /// <summary>Whatever the caller wants back with the outcome (the pipeline row).</summary>
        public object? Target { get; }
    }

    /// <summary>What became of one submission.</summary>
    public sealed class SubmissionOutcome
    {
        internal SubmissionOutcome(SubmissionItem item, KlingTask? task, GatewayException? error, bool notSent)
        {
            Item = item;
            Task = task;
            Error = error;
            NotSent = notSent;
        }

        public SubmissionItem Item { get; }

        /// <summary>The accepted task (with Row and Name filled in).</summary>
        public KlingTask? Task { get; }

        public GatewayException? Error { get; }

        /// <summary>True when the batch was stopped or cancelled before this row was sent.</summary>
        public bool NotSent { get; }
    }

    /// <summary>
    /// Submits rows concurrently under an adaptive (AIMD) limit, journaling each POST before and after it is sent.
    /// Outcomes are queued for the caller's thread to take: nothing here writes to PowerShell.
    /// </summary>
    public sealed class BatchSubmitter : IDisposable
    {
        private readonly KlingClient client;
        private readonly SubmissionJournal? journal;
        private readonly CancellationToken cancellationToken;
        private readonly OutcomeQueue<SubmissionOutcome> outcomes = new OutcomeQueue<SubmissionOutcome>();
        private volatile bool stopped;

        public BatchSubmitter(KlingClient client, int throttleLimit, SubmissionJournal? journal, CancellationToken cancellationToken)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
            this.journal = journal;
            this.cancellationToken = cancellationToken;
            Concurrency = new AdaptiveConcurrency(throttleLimit, probeFirst: true);
        }

        public AdaptiveConcurrency Concurrency { get; }

        /// <summary>Where uploaded local images are remembered (the session's cache unless a test says otherwise).</summary>
        public ImageUploadCache Uploads { get; set; } = ImageUploadCache.Shared;

        /// <summary>How many 429s in a row one row waits out before it is reported as rate limited.</summary>
        public int MaxRateLimitRetries { get; set; } = 10;

        /// <summary>Rows started whose outcome has not been taken yet.</summary>
        public int Outstanding => outcomes.Outstanding;

        public bool Stopped => stopped;

        /// <summary>Sends nothing more: rows not yet sent complete as not sent; rows already in flight finish.</summary>
        public void Stop() => stopped = true;

        /// <summary>Queues a row; rows take their turn at the gateway in the order they were started.</summary>
        public void Start(SubmissionItem item)
        {
            outcomes.Started();
            Task turn = Concurrency.WaitAsync(cancellationToken);
            _ = Task.Run(() => RunAsync(item, turn));
        }

        /// <summary>Takes the next outcome, waiting up to <paramref name="wait"/> for one.</summary>
        public bool TryTake(TimeSpan wait, out SubmissionOutcome? outcome) => outcomes.TryTake(wait, out outcome);

        private async Task RunAsync(SubmissionItem item, Task firstTurn)
        {
            bool journaledSending = false;
            VideoRequest? toSend = null;
            try
            {
                int rateLimited = 0;
                Task turn = firstTurn;
                while (true)
                {
                    await turn.ConfigureAwait(false);
                    SubmitAttempt attempt;
                    try
                    {
                        if (stopped)
                        {
                            Finish(item, null, null, notSent: true, journaledSending);
                            return;
                        }

                        // Local images are uploaded in the row's turn, so uploads share the submissions' concurrency limit.
                        toSend ??= await UploadImagesAsync(item.Request).ConfigureAwait(false);
                        if (!journaledSending && journal != null && item.JournalKey != null)
                        {
                            // On disk before the POST: if the process dies now, a rerun knows this row may be billed.
                            journal.RecordSending(item.JournalKey, item.Row, item.Name, toSend);
                        }

                        journaledSending = true;
                        attempt = await client.SubmitOnceAsync(toSend, cancellationToken).ConfigureAwait(false);
                    }
                    catch (GatewayException ex) when (ex.StopsBatch)
                    {
                        // Bad key or no balance: every later row would fail the same way. Stop before the slot is freed.
                        stopped = true;
                        throw;
                    }
                    finally
                    {
                        Concurrency.Release();
                    }

                    if (attempt.Task != null)
                    {
                        Concurrency.OnSuccess();
                        KlingTask task = attempt.Task;
                        task.Row = item.Row;
                        task.Name = item.Name;
                        if (journal != null && item.JournalKey != null)
                        {
                            journal.RecordSubmitted(item.JournalKey, item.Row, item.Name, toSend, task.TaskId);
                        }

                        Enqueue(new SubmissionOutcome(item, task, null, notSent: false));
                        return;
                    }

                    Concurrency.OnRateLimited();
                    rateLimited++;
                    if (rateLimited > MaxRateLimitRetries)
                    {
                        Finish(item, attempt.RateLimit, null, notSent: false, journaledSending);
                        return;
                    }

                    await Task.Delay(client.RateLimitDelay(attempt.RateLimit!, rateLimited), cancellationToken).ConfigureAwait(false);
                    turn = Concurrency.WaitAsync(cancellationToken);
                }
            }
            catch (GatewayException ex)
            {
                // Failures that provably billed nothing are journaled as not sent, so a rerun may send the row;
                // an outcome-unknown failure keeps its "sending" line, so a rerun reports it instead of paying twice.
                Finish(item, ex, null, notSent: false, journaledSending && !ex.OutcomeUnknown);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C. A POST cut off mid-way keeps its "sending" line (outcome unknown on rerun).
                Enqueue(new SubmissionOutcome(item, null, null, notSent: true));
            }
            catch (Exception ex)
            {
                Enqueue(new SubmissionOutcome(item, null, new GatewayException(GatewayErrorKind.InvalidResponse, ex.Message, inner: ex) { OutcomeUnknown = journaledSending }, notSent: false));
            }
        }

        /// <summary>The request as it is sent: each local image uploaded (once per session, through the cache) and its URL put in place.</summary>
        private async Task<VideoRequest> UploadImagesAsync(VideoRequest request)
        {
            if (request.LocalImages == null || request.LocalImages.Count == 0)
            {
                return request;
            }

            var urls = new System.Collections.Generic.Dictionary<string, string>(StringComparer.Ordinal);
            foreach (LocalImage image in request.LocalImages)
            {
                if (!urls.ContainsKey(image.Sha256))
                {
                    ImageUpload upload = await Uploads.GetOrUploadAsync(client, image, force: false, cancellationToken).ConfigureAwait(false);
                    urls[image.Sha256] = upload.Url;
                }
            }

            return request.WithImageUrls(image => urls[image.Sha256]);
        }

        private void Finish(SubmissionItem item, GatewayException? error, KlingTask? task, bool notSent, bool journalNotSent)
        {
            if (journalNotSent && journal != null && item.JournalKey != null)
            {
                journal.RecordNotSent(item.JournalKey, item.Row, item.Name, error?.Message ?? "not sent: the batch stopped");
            }

            Enqueue(new SubmissionOutcome(item, task, error, notSent));
        }

        private void Enqueue(SubmissionOutcome outcome) => outcomes.Add(outcome);

        public void Dispose()
        {
            // Nothing to release: the outcome queue's semaphore is left to the GC so late workers cannot fault.
        }
    }
}
