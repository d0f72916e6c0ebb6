using System;
using System.Diagnostics;
using System.Threading;

namespace Kling.Core.Tasks
{
    /// <summary>
    /// The scheduling numbers of the pipeline cmdlets (New-KlingVideo, Wait-KlingTask, Save-KlingVideo), declared once: how
    /// far a background engine may run ahead of the pipeline thread, how long one wait for its outcomes lasts, and how
    /// often progress is shown. The drain itself is <see cref="PipelineDrain{T}"/>.
    /// </summary>
    public static class PipelineDrain
    {
        /// <summary>Work an engine may hold outstanding (running, queued, or done and not taken) per slot of its throttle limit.</summary>
        public const int OutstandingPerSlot = 2;

        /// <summary>
        /// How long one wait for an outcome lasts before the pipeline thread looks around again (a condition on the engine,
        /// a deadline, the progress bar, trace lines). An outcome or the pipeline's stop ends a wait at once.
        /// </summary>
        public static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

        /// <summary>Progress is shown at most this often (four times a second).</summary>
        public static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);

        /// <summary>
        /// The most work an engine with <paramref name="throttleLimit"/> slots holds outstanding (bounded buffering): one more
        /// is started only below it, so upstream cmdlets run on while the engine works, and memory stays flat in a batch's size.
        /// </summary>
        public static int MostOutstanding(int throttleLimit) => Math.Max(1, throttleLimit) * OutstandingPerSlot;

        /// <summary>
        /// True while progress is shown by the wait of another cmdlet's drain on this thread (see <see cref="PipelineDrain{T}"/>):
        /// the cmdlet whose progress it is may not write through PowerShell now, and writes to the host itself.
        /// </summary>
        public static bool ShowingForAnother => PipelineProgress.ForAnother;
    }

    /// <summary>
    /// How the one thread that may write to PowerShell takes the outcomes of a background engine (the submitter,
    /// <see cref="TaskWatcher"/>, the download queue): it waits for the next outcome or the pipeline's
    /// stop, hands every outcome ready to the writer, and shows progress at most every <see cref="PipelineDrain.ProgressEvery"/>.
    /// The caller only writes records and progress; when to wait, and for how long, is decided here. Every wait also shows
    /// the progress of the other drains of the pipeline's thread (<see cref="PipelineProgress"/>), so an upstream or
    /// downstream bar keeps moving while this cmdlet holds the thread; disposing the drain (its cmdlet ended) ends that.
    /// </summary>
    public sealed class PipelineDrain<T> : IShowsProgress, IDisposable
        where T : class
    {
        private readonly IOutcomeSource<T> source;
        private readonly Action<T> write;
        private readonly CancellationToken stop;
        private readonly Func<Exception> stopped;
        private readonly Stopwatch sinceProgress = Stopwatch.StartNew();
        private bool disposed;

        /// <param name="source">The engine whose outcomes are taken.</param>
        /// <param name="write">Writes one outcome (on the caller's thread).</param>
        /// <param name="stop">The pipeline's stop (Ctrl+C): ends any wait at once.</param>
        /// <param name="stopped">The exception thrown once the pipeline stopped; by default an <see cref="OperationCanceledException"/>.</param>
        public PipelineDrain(IOutcomeSource<T> source, Action<T> write, CancellationToken stop, Func<Exception>? stopped = null)
        {
            this.source = source ?? throw new ArgumentNullException(nameof(source));
            this.write = write ?? throw new ArgumentNullException(nameof(write));
            this.stop = stop;
            this.stopped = stopped ?? (() => new OperationCanceledException(stop));
        }

        /// <summary>Runs after every wait, whether an outcome came or not (the cmdlets write the client's trace lines there).</summary>
        public Action? AfterWait { get; set; }

        /// <summary>
        /// Shows progress; called after outcomes are taken, at most every <see cref="PipelineDrain.ProgressEvery"/>, also
        /// while another drain of this thread waits (it must only write progress, never an outcome).
        /// </summary>
        public Action? Progress { get; set; }

        /// <inheritdoc/>
        bool IShowsProgress.Stopped => stop.IsCancellationRequested;

        /// <inheritdoc/>
        void IShowsProgress.ShowProgressIfDue()
        {
            if (Progress != null && sinceProgress.Elapsed >= PipelineDrain.ProgressEvery)
            {
                Progress();
                sinceProgress.Restart();
            }
        }

        /// <summary>Its progress is no longer shown by the waits of other drains (its cmdlet ended).</summary>
        public void Dispose()
        {
            disposed = true;
            PipelineProgress.Leave(this);
        }

        /// <summary>
        /// Writes every outcome that is ready, waiting up to <paramref name="wait"/> for the first; false when none was. Once
        /// the pipeline stopped, throws (before taking anything).
        /// </summary>
        public bool TakeReady(TimeSpan wait)
        {
            bool took = false;
            TimeSpan next = wait;
            while (Take(next))
            {
                took = true;
                next = TimeSpan.Zero;
            }

            if (Progress != null && !disposed)
            {
                PipelineProgress.Join(this);
            }

            // This drain's progress and every other one's of the thread that is due.
            PipelineProgress.ShowDue(this);
            return took;
        }

        /// <summary>
        /// Before one more piece of work is started: writes outcomes as they come until the engine holds fewer than
        /// <see cref="PipelineDrain.MostOutstanding"/> for <paramref name="throttleLimit"/>, or until <paramref name="until"/> says
        /// the caller starts nothing more (the batch stopped).
        /// </summary>
        public void MakeRoom(int throttleLimit, Func<bool>? until = null)
        {
            int most = PipelineDrain.MostOutstanding(throttleLimit);
            TakeWhile(() => source.Outstanding >= most && (until == null || !until()));
        }

        /// <summary>Writes outcomes as they come while <paramref name="busy"/> holds (checked after every wait of one <see cref="PipelineDrain.Slice"/>).</summary>
        public void TakeWhile(Func<bool> busy)
        {
            while (busy())
            {
                TakeReady(PipelineDrain.Slice);
            }
        }

        /// <summary>
        /// Writes every outcome until none is outstanding; true then. With <paramref name="timeLeft"/>, false as soon as it
        /// reads zero or less while some are still outstanding (a wait's -Timeout): the caller gives those up.
        /// </summary>
        public bool TakeAll(Func<TimeSpan>? timeLeft = null)
        {
            while (source.Outstanding > 0)
            {
                TimeSpan wait = PipelineDrain.Slice;
                if (timeLeft != null)
                {
                    TimeSpan left = timeLeft();
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    wait = left < wait ? left : wait;
                }

                TakeReady(wait);
            }

            return true;
        }

        /// <summary>Takes and writes one outcome, waiting up to <paramref name="wait"/>; false when none came.</summary>
        private bool Take(TimeSpan wait)
        {
            if (stop.IsCancellationRequested)
            {
                throw stopped();
            }

            bool got;
            T? outcome;
            try
            {
                got = source.TryTake(wait, stop, out outcome);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw stopped();
            }
            finally
            {
                AfterWait?.Invoke();
            }

            if (got && outcome != null)
            {
                write(outcome);
            }

            return got;
        }
    }
}
