using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Gateway;
using Kling.Core.History;
using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Core.Tasks;
using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>
    /// Submits rows concurrently under an adaptive (AIMD) limit, journaling each POST before and after it is sent, each
    /// row under one Idempotency-Key however often it is sent again. Once the batch stops, rows waiting (for a turn, out
    /// a 429) end at once as not sent; only POSTs on the wire get a grace period. Outcomes are queued for the caller's
    /// thread to take: nothing here writes to PowerShell.
    /// </summary>
    public sealed class BatchSubmitter : IOutcomeSource<SubmissionOutcome>, IDisposable
    {
        private readonly IKlingGateway client;
        private readonly SubmissionJournal? journal;

        // Not the cmdlet's Ctrl+C token: a POST already on the wire is given a grace period to be answered (see Shutdown),
        // so an accepted task's id is journaled instead of becoming "outcome unknown".
        private readonly CancellationTokenSource cancellation = new CancellationTokenSource();
        private readonly CancellationToken cancellationToken;

        // Cancelled as soon as the batch stops: ends the waits (a turn, a 429's Retry-After) and image uploads, none of
        // which bills anything, so a waiting row is journaled not sent at once instead of sitting out the grace period.
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly OutcomeQueue<SubmissionOutcome> outcomes = new OutcomeQueue<SubmissionOutcome>();
        private readonly object runningGate = new object();
        private int running;
        private volatile bool stopped;

        public BatchSubmitter(IKlingGateway client, int throttleLimit, SubmissionJournal? journal)
            : this(new SubmissionRecall(journal), client, throttleLimit)
        {
        }

        /// <param name="recall">The batch's journal, and what it recalled of the rows before they were started.</param>
        /// <param name="client">The gateway the rows are sent to.</param>
        /// <param name="throttleLimit">The most submissions in flight at once (the adaptive limit starts here).</param>
        public BatchSubmitter(SubmissionRecall recall, IKlingGateway client, int throttleLimit)
        {
            this.client = client ?? throw new ArgumentNullException(nameof(client));
            Recall = recall ?? throw new ArgumentNullException(nameof(recall));
            journal = recall.Journal;
            cancellationToken = cancellation.Token;
            Concurrency = new AdaptiveConcurrency(throttleLimit, probeFirst: true);
        }

        /// <summary>How long submissions already sent may take to be answered once the batch is stopped (Ctrl+C, a crash of the caller).</summary>
        public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

        public AdaptiveConcurrency Concurrency { get; }

        /// <summary>What the journal recalls of each row before it is started (its key, the task it replaces); says nothing without a journal.</summary>
        public SubmissionRecall Recall { get; }

        /// <summary>Where uploaded local images are remembered (the session's cache unless a test says otherwise).</summary>
        public ImageUploadCache Uploads { get; set; } = ImageUploadCache.Shared;

        /// <summary>
        /// How many answers that executed nothing (429, 409 idempotency_in_progress, 503 idempotency_unavailable) one row
        /// waits out before it is reported with the last of them.
        /// </summary>
        public int MaxRateLimitRetries { get; set; } = 10;

        /// <summary>Where each accepted task (and each submission in doubt) is noted before it is handed out: the user's task history.</summary>
        public BatchHistory? History { get; set; }

        /// <summary>Rows started whose outcome has not been taken yet.</summary>
        public int Outstanding => outcomes.Outstanding;

        /// <summary>Sends nothing more: rows not yet sent, and rows waiting to be sent again, complete as not sent at once; POSTs on the wire finish.</summary>
        public void Stop()
        {
            stopped = true;
            stopping.Cancel();
        }

        /// <summary>
        /// Ends the batch without a caller to take outcomes (Ctrl+C, an exception): starts no new row, ends the waits of
        /// rows between two sends at once (journaled not sent), gives the POSTs on the wire up to <paramref name="grace"/>
        /// to be answered (their tasks are journaled as they come), then cancels what is left. Returns the tasks accepted
        /// meanwhile that nobody took, so the caller can still name them.
        /// </summary>
        public IReadOnlyList<KlingTask> Shutdown(TimeSpan grace)
        {
            Stop();
            if (!WaitUntilIdle(grace))
            {
                cancellation.Cancel();
                WaitUntilIdle(TimeSpan.FromSeconds(2));
            }

            var accepted = new List<KlingTask>();
            while (outcomes.TryTake(TimeSpan.Zero, CancellationToken.None, out SubmissionOutcome? outcome))
            {
                if (outcome?.Task != null)
                {
                    accepted.Add(outcome.Task);
                }
            }

            return accepted;
        }

        /// <summary>Queues a row; rows take their turn at the gateway in the order they were started.</summary>
        public void Start(SubmissionItem item)
        {
            outcomes.Started();
            lock (runningGate)
            {
                running++;
            }

            Task turn = Concurrency.WaitAsync(stopping.Token);
            _ = Task.Run(async () =>
            {
                try
                {
                    await RunAsync(item, turn).ConfigureAwait(false);
                }
                finally
                {
                    lock (runningGate)
                    {
                        running--;
                        Monitor.PulseAll(runningGate);
                    }
                }
            });
        }

        private bool WaitUntilIdle(TimeSpan wait)
        {
            DateTime deadline = DateTime.UtcNow + wait;
            lock (runningGate)
            {
                while (running > 0)
                {
                    TimeSpan left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    Monitor.Wait(runningGate, left);
                }

                return true;
            }
        }

        /// <summary>Takes the next outcome, waiting up to <paramref name="wait"/> for one.</summary>
        public bool TryTake(TimeSpan wait, out SubmissionOutcome? outcome) => TryTake(wait, CancellationToken.None, out outcome);

        /// <summary>The same, ended at once by <paramref name="stop"/> (<see cref="OperationCanceledException"/>).</summary>
        public bool TryTake(TimeSpan wait, CancellationToken stop, out SubmissionOutcome? outcome) => outcomes.TryTake(wait, stop, out outcome);

        private async Task RunAsync(SubmissionItem item, Task firstTurn)
        {
            var row = new RowState(item, KeyFor(item));
            var resend = new ResendBudget(client.Retry, MaxRateLimitRetries);
            try
            {
                Task wait = firstTurn;
                while (true)
                {
                    SubmitAttempt? attempt = await Waited(wait).ConfigureAwait(false) ? await TakeTurnAsync(row).ConfigureAwait(false) : null;
                    if (attempt == null)
                    {
                        // The batch stopped before this row was sent, or while it waited to be sent again: nothing of it was executed.
                        Finish(item, null, null, notSent: true, row.JournaledSending);
                        return;
                    }

                    if (attempt.Task != null)
                    {
                        Accept(row, attempt.Task);
                        return;
                    }

                    // An answer that executed nothing (a 429, ...): wait it out and take another turn, under the same key.
                    if (attempt.Reason == ResendReason.RateLimited)
                    {
                        Concurrency.OnRateLimited();
                    }

                    TimeSpan? delay = resend.WaitBefore(attempt, out GatewayException last);
                    if (delay == null)
                    {
                        if (last.OutcomeUnknown)
                        {
                            History?.RecordInDoubt(item.Row, item.Name, item.Request.Model, HistoryEntry.NoAnswer);
                        }

                        Finish(item, last, null, notSent: false, row.JournaledSending && !last.OutcomeUnknown);
                        return;
                    }

                    wait = WaitThenTurnAsync(delay.Value);
                }
            }
            catch (GatewayException ex)
            {
                if (ex.OutcomeUnknown)
                {
                    History?.RecordInDoubt(item.Row, item.Name, item.Request.Model, HistoryEntry.NoAnswer);
                }

                // Failures that provably billed nothing are journaled as not sent, so a rerun may send the row;
                // an outcome-unknown failure keeps its "sending" state (with why), so a rerun reports it instead of paying twice.
                RecordInDoubt(row, ex);
                Finish(item, ex, null, notSent: false, row.JournaledSending && !ex.OutcomeUnknown);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C after the grace period. A POST cut off mid-way keeps its "sending" line (outcome unknown on rerun).
                if (row.Posting)
                {
                    History?.RecordInDoubt(item.Row, item.Name, item.Request.Model, HistoryEntry.CutOff);
                }

                Enqueue(new SubmissionOutcome(item, null, null, notSent: true));
            }
            catch (Exception ex)
            {
                var error = new GatewayException(GatewayErrorKind.InvalidResponse, ex.Message, inner: ex) { OutcomeUnknown = row.JournaledSending };
                RecordInDoubt(row, error);
                Enqueue(new SubmissionOutcome(item, null, error, notSent: false));
            }
        }

        /// <summary>
        /// A POST whose answer left its outcome unknown: the journal keeps why, for the rerun's message. Only words: if
        /// the line cannot be written, the row's "sending" line still keeps it from being sent again.
        /// </summary>
        private void RecordInDoubt(RowState row, GatewayException error)
        {
            if (error.OutcomeUnknown && row.JournaledSending && journal != null && row.Item.JournalKey != null)
            {
                try
                {
                    journal.RecordInDoubt(row.Item.JournalKey, row.Item.Row, row.Item.Name, error);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                }
            }
        }

        /// <summary>The row's Idempotency-Key: the caller's, else the journal's for the row (and the task it replaces), else a random one.</summary>
        private string KeyFor(SubmissionItem item) =>
            item.IdempotencyKey ??
            (journal != null && item.JournalKey != null
                ? journal.IdempotencyKeyFor(item.Replaces == null ? item.JournalKey : item.JournalKey + "/" + item.Replaces)
                : IdempotencyKey.NewRandom());

        /// <summary>A backoff, then a turn at the gateway: both end at once when the batch stops.</summary>
        private async Task WaitThenTurnAsync(TimeSpan delay)
        {
            await Delay.For(delay, stopping.Token).ConfigureAwait(false);
            await Concurrency.WaitAsync(stopping.Token).ConfigureAwait(false);
        }

        /// <summary>True once the wait is over (a turn was given); false when the batch stopped first.</summary>
        private static async Task<bool> Waited(Task wait)
        {
            try
            {
                await wait.ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>
        /// One turn at the gateway, within the concurrency limit: the row's local images uploaded (so uploads share the
        /// limit), "sending" on disk, then the POST. Null when the batch stopped before anything was sent.
        /// </summary>
        private async Task<SubmitAttempt?> TakeTurnAsync(RowState row)
        {
            try
            {
                if (stopped)
                {
                    return null;
                }

                row.ToSend ??= await UploadImagesAsync(row.Item.Request).ConfigureAwait(false);
                if (stopped)
                {
                    return null;
                }

                if (!row.JournaledSending && journal != null && row.Item.JournalKey != null)
                {
                    // On disk before the POST: if the process dies now, a rerun knows this row may be billed.
                    journal.RecordSending(row.Item.JournalKey, row.Item.Row, row.Item.Name, row.ToSend);
                }

                row.JournaledSending = true;
                row.Posting = true;
                SubmitAttempt attempt = await client.SubmitOnceAsync(row.ToSend, row.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                row.Posting = false;
                return attempt;
            }
            catch (GatewayException ex) when (ex.StopsBatch)
            {
                // Bad key or no balance: every later row would fail the same way. Stop before the slot is freed.
                Stop();
                throw;
            }
            finally
            {
                Concurrency.Release();
            }
        }

        private void Accept(RowState row, KlingTask task)
        {
            Concurrency.OnSuccess();
            SubmissionItem item = row.Item;
            task.Row = item.Row;
            task.Name = item.Name;
            if (journal != null && item.JournalKey != null)
            {
                journal.RecordSubmitted(item.JournalKey, item.Row, item.Name, row.ToSend!, task.TaskId);
            }

            // In the history too before the task is handed out: whatever then throws it away, it can be found again.
            History?.RecordAccepted(task, item.Request.Model);

            Enqueue(new SubmissionOutcome(item, task, null, notSent: false));
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
                    ImageUpload upload = await Uploads.GetOrUploadAsync(client, image, force: false, stopping.Token).ConfigureAwait(false);
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

        /// <summary>Cancels whatever still runs. The token sources and the outcome queue are left to the GC, so a late worker cannot fault.</summary>
        public void Dispose()
        {
            Stop();
            cancellation.Cancel();
        }
    }
}
