using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Gateway;
using Kling.Core.Tasks;

namespace Kling.Core.Downloads
{
    /// <summary>One result file to fetch.</summary>
    public sealed class DownloadJob
    {
        private static int lastId;

        public DownloadJob(KlingTask task, int index, Uri url, string targetPath)
        {
            Id = Interlocked.Increment(ref lastId);
            Task = task;
            Index = index;
            Url = url;
            TargetPath = targetPath;
        }

        /// <summary>Unique in the process, for progress records.</summary>
        public int Id { get; }

        /// <summary>The task whose result this is.</summary>
        public KlingTask Task { get; }

        public string TaskId => Task.TaskId;

        /// <summary>Which of the task's result URLs (0-based).</summary>
        public int Index { get; }

        public Uri Url { get; }

        public string TargetPath { get; }

        /// <summary>Moves the complete file to its final place and returns that path (see <see cref="DownloadOptions.Claim"/>); null: onto <see cref="TargetPath"/>.</summary>
        public Func<string, long, string>? Claim { get; set; }

        /// <summary>A copy of this result another process saved meanwhile, or null (see <see cref="DownloadOptions.SavedMeanwhile"/>).</summary>
        public Func<string?>? SavedMeanwhile { get; set; }

        public DownloadProgress Progress { get; } = new DownloadProgress();
    }

    /// <summary>What became of one download.</summary>
    public sealed class DownloadOutcome
    {
        internal DownloadOutcome(DownloadJob job, long bytes, Exception? error, string path)
        {
            Job = job;
            Bytes = bytes;
            Error = error;
            Path = path;
        }

        public DownloadJob Job { get; }

        /// <summary>Where the file was saved: the job's target, or the name its claim moved it to.</summary>
        public string Path { get; }

        public long Bytes { get; }

        /// <summary>Null on success; OperationCanceledException when cancelled.</summary>
        public Exception? Error { get; }
    }

    /// <summary>
    /// Runs downloads, at most a fixed number at once. Outcomes are queued for the caller's thread to take in the
    /// order the jobs were started (a file that finishes early waits for those before it), and the running jobs can
    /// be listed for a progress bar: nothing here writes to PowerShell. Its semaphores are never disposed, so a job
    /// still finishing after the caller left (Ctrl+C) cannot fault.
    /// </summary>
    public sealed class DownloadQueue : IOutcomeSource<DownloadOutcome>
    {
        private readonly KlingClient client;
        private readonly CancellationToken cancellationToken;
        private readonly SemaphoreSlim slots;
        private readonly OutcomeQueue<DownloadOutcome> outcomes = new OutcomeQueue<DownloadOutcome>();
        private readonly ConcurrentDictionary<int, DownloadJob> running = new ConcurrentDictionary<int, DownloadJob>();
        private readonly Dictionary<long, DownloadOutcome> finishedEarly = new Dictionary<long, DownloadOutcome>();
        private long started;
        private long nextToHandOut;

        public DownloadQueue(KlingClient client, int throttleLimit, CancellationToken cancellationToken)
        {
            if (throttleLimit < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(throttleLimit));
            }

            this.client = client ?? throw new ArgumentNullException(nameof(client));
            this.cancellationToken = cancellationToken;
            slots = new SemaphoreSlim(throttleLimit, throttleLimit);
        }

        /// <summary>Jobs started whose outcome has not been taken yet.</summary>
        public int Outstanding => outcomes.Outstanding;

        /// <summary>The jobs downloading right now, oldest first.</summary>
        public IReadOnlyList<DownloadJob> Running => running.Values.OrderBy(j => j.Id).ToList();

        /// <summary>Queues a download; jobs get a slot in the order they were started.</summary>
        public void Start(DownloadJob job)
        {
            outcomes.Started();
            long turnNumber = Interlocked.Increment(ref started) - 1;
            Task turn = slots.WaitAsync(cancellationToken);
            _ = Task.Run(() => RunAsync(job, turnNumber, turn));
        }

        /// <summary>Takes the next outcome, waiting up to <paramref name="wait"/> for one.</summary>
        public bool TryTake(TimeSpan wait, out DownloadOutcome? outcome) => TryTake(wait, CancellationToken.None, out outcome);

        /// <summary>The same, ended at once by <paramref name="stop"/> (<see cref="OperationCanceledException"/>).</summary>
        public bool TryTake(TimeSpan wait, CancellationToken stop, out DownloadOutcome? outcome) => outcomes.TryTake(wait, stop, out outcome);

        private async Task RunAsync(DownloadJob job, long turnNumber, Task turn)
        {
            long bytes = 0;
            Exception? error = null;
            bool holding = false;
            string? path = null;
            var options = new DownloadOptions
            {
                Progress = job.Progress,
                Claim = job.Claim == null ? null : (partial, length) => path = job.Claim(partial, length),
                SavedMeanwhile = job.SavedMeanwhile == null ? null : () => path = job.SavedMeanwhile(),
            };
            try
            {
                await turn.ConfigureAwait(false);
                holding = true;
                running[job.Id] = job;
                bytes = await client.Downloads.DownloadResultAsync(job.TaskId, job.Index, job.Url, job.TargetPath, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                error = ex;
            }
            finally
            {
                running.TryRemove(job.Id, out _);
                if (holding)
                {
                    slots.Release();
                }
            }

            HandOut(turnNumber, new DownloadOutcome(job, bytes, error, path ?? job.TargetPath));
        }

        /// <summary>Queues the outcome once every job started before it has its own queued: outcomes leave in start order.</summary>
        private void HandOut(long turnNumber, DownloadOutcome outcome)
        {
            lock (finishedEarly)
            {
                finishedEarly.Add(turnNumber, outcome);
                while (finishedEarly.TryGetValue(nextToHandOut, out DownloadOutcome? next))
                {
                    finishedEarly.Remove(nextToHandOut);
                    nextToHandOut++;
                    outcomes.Add(next);
                }
            }
        }
    }
}
