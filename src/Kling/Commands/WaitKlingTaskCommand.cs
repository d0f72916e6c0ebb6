using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Tasks;

namespace Kling.Commands
{
    /// <summary>
    /// Waits for many tasks at once and writes each one the moment it completes. Waiting starts with the first
    /// task piped in, while later rows are still being submitted upstream. Failed or cancelled tasks become
    /// non-terminating errors; tasks still unfinished at -TimeoutSec become OperationTimeout errors. The progress shows what
    /// the finished tasks cost so far, and the end one line for a person (an information record shown on the host, not
    /// pipeline output, see <see cref="ClosingLine"/>): completed, failed, timed out, spent. Stopped with tasks left (Ctrl+C),
    /// it names them on the host and says how to go on (<see cref="StoppedRunNotice"/>).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "KlingTask", DefaultParameterSetName = TaskSet, HelpUri = HelpLinks.WaitKlingTask)]
    [OutputType(typeof(KlingTask))]
    public sealed class WaitKlingTaskCommand : KlingTaskCmdlet, IDisposable
    {
        private const int ProgressId = 1;

        private readonly Stopwatch clock = new Stopwatch();
        private TaskWatcher? watcher;
        private PipelineDrain<PollOutcome>? drain;
        private readonly SpendTally tally = new SpendTally();
        private readonly OpenTasks open = new OpenTasks();
        private string? journalPath;
        private bool ended;

        /// <summary>Seconds to wait in all (from the first task received) before giving up on unfinished tasks.</summary>
        [Parameter]
        [Alias("Timeout")]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; } = 3600;

        /// <summary>Seconds between status checks of a task once it is past its estimated finish.</summary>
        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollInterval { get; set; } = 1.5;

        /// <summary>Status calls in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TaskRefresh.CallsAtOnce;

        protected override void BeginProcessing()
        {
            journalPath = ParameterSetName == JournalSet ? GetUnresolvedProviderPathFromPSPath(Journal) : null;
        }

        protected override void ProcessRecord()
        {
            foreach (KlingTask task in InputTasks())
            {
                if (watcher == null)
                {
                    watcher = new TaskWatcher(Client, TimeSpan.FromSeconds(PollInterval), ThrottleLimit, Cancellation);
                    drain = DrainOf(watcher, Write, WriteBatchProgress);
                    clock.Start();
                }

                if (watcher.Add(task))
                {
                    open.Add(task);
                }
                if (ParameterSetName == JournalSet)
                {
                    // The next task is read from the journal only when the watcher is about to look at it: tasks already
                    // finished pass through in a moment instead of waiting in memory behind a thousand others.
                    drain!.TakeWhile(() => !watcher.HasRoom && clock.Elapsed < TimeSpan.FromSeconds(TimeoutSec));
                }
            }

            drain?.TakeReady(TimeSpan.Zero);
        }

        protected override void EndProcessing()
        {
            if (watcher == null)
            {
                return;
            }

            // Until every task added has been written, not merely until none is watched: a task counts as outstanding
            // from the moment it is added to the moment its outcome is taken.
            if (!drain!.TakeAll(() => TimeSpan.FromSeconds(TimeoutSec) - clock.Elapsed))
            {
                // Given up on, each is reported once: one that finishes now is neither written nor queued as well.
                foreach (var (task, failedChecks) in watcher.GiveUp())
                {
                    open.Remove(task);
                    tally.GaveUp(1);
                    WriteError(KlingErrors.WaitTimedOut(task, TimeoutSec, failedChecks));
                }
            }

            drain.TakeReady(TimeSpan.Zero);
            WriteVerbose($"{watcher.StatusCalls} status calls for {watcher.Total} tasks.");
            WriteProgress(new ProgressRecord(ProgressId, "Waiting for Kling tasks", "Done") { RecordType = ProgressRecordType.Completed });
            ended = true;
            drain.Dispose();
            if (tally.Any)
            {
                ClosingLine.Write(this, tally.Summary(), "KlingSpend");
            }
        }

        /// <summary>Also after Ctrl+C or a terminating error: the tasks not written yet are named on the host, with how to go on.</summary>
        public void Dispose()
        {
            if (!ended && watcher != null)
            {
                StoppedRunNotice.Tell(Host, StoppedRunNotice.Wait(open.Tasks, watcher.Total, journalPath));
            }

            drain?.Dispose();
            watcher?.Dispose();
        }

        private void Write(PollOutcome outcome)
        {
            open.Remove(outcome.Task);
            if (outcome.Error != null)
            {
                tally.Add(outcome.Task, completed: false);
                WriteGatewayError(outcome.Error, outcome.Task);
            }
            else if (outcome.Task.IsCompleted)
            {
                tally.Add(outcome.Task, completed: true);
                WriteObject(outcome.Task);
            }
            else
            {
                tally.Add(outcome.Task, completed: false);
                WriteError(KlingErrors.TaskFailed(outcome.Task));
            }
        }

        private void WriteBatchProgress()
        {
            int total = watcher!.Total;
            int running = watcher.Pending;
            string eta = string.Empty;
            DateTimeOffset? end = watcher.ExpectedEnd();
            if (end.HasValue && end.Value > DateTimeOffset.UtcNow)
            {
                eta = $", expected in {(end.Value - DateTimeOffset.UtcNow):hh\\:mm\\:ss}";
            }

            var record = new ProgressRecord(ProgressId, "Waiting for Kling tasks", $"{total} submitted: {running} running, {tally.Completed} completed, {tally.Failed} failed, {tally.SpentText()} ({clock.Elapsed:hh\\:mm\\:ss} elapsed{eta})")
            {
                PercentComplete = total == 0 ? 0 : (int)((tally.Completed + tally.Failed) * 100L / total),
            };
            WriteProgress(record);
        }
    }
}
