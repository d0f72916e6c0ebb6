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
    /// non-terminating errors; tasks still unfinished at -Timeout become OperationTimeout errors. The progress shows what
    /// the finished tasks cost so far, and the end one line for a person (an information record shown on the host, not
    /// pipeline output): completed, failed, spent.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "KlingTask", DefaultParameterSetName = TaskSet)]
    [OutputType(typeof(KlingTask))]
    public sealed class WaitKlingTaskCommand : KlingTaskCmdlet, IDisposable
    {
        private const int ProgressId = 1;

        /// <summary>Tasks of a journal watched at once: more are read from it as these finish, so memory stays flat in its size.</summary>
        private const int JournalTasksAtOnce = 1000;
        private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(300);

        private readonly Stopwatch clock = new Stopwatch();
        private readonly Stopwatch progressClock = new Stopwatch();
        private TaskWatcher? watcher;
        private readonly SpendTally tally = new SpendTally();

        /// <summary>Seconds to wait in all (from the first task received) before giving up on unfinished tasks.</summary>
        [Parameter]
        [Alias("TimeoutSec")]
        [ValidateRange(1, int.MaxValue)]
        public int Timeout { get; set; } = 3600;

        /// <summary>Seconds between status checks of a task once it is past its estimated finish.</summary>
        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollInterval { get; set; } = 1.5;

        /// <summary>Status calls in flight at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        protected override void ProcessRecord()
        {
            foreach (KlingTask task in InputTasks())
            {
                if (watcher == null)
                {
                    watcher = new TaskWatcher(Client, TimeSpan.FromSeconds(PollInterval), ThrottleLimit, Cancellation);
                    clock.Start();
                    progressClock.Start();
                }

                watcher.Add(task);
                if (ParameterSetName == JournalSet)
                {
                    // The next task is read from the journal only when the watcher is about to look at it: tasks already
                    // finished pass through in a moment instead of waiting in memory behind a thousand others.
                    while ((watcher.Pending >= JournalTasksAtOnce || watcher.Unpolled >= ThrottleLimit * 4) && clock.Elapsed < TimeSpan.FromSeconds(Timeout))
                    {
                        Drain(DrainWait);
                    }
                }
            }

            Drain(TimeSpan.Zero);
        }

        protected override void EndProcessing()
        {
            if (watcher == null)
            {
                return;
            }

            // Until every task added has been written, not merely until none is watched: a task counts as outstanding
            // from the moment it is added to the moment its outcome is taken.
            TimeSpan limit = TimeSpan.FromSeconds(Timeout);
            while (watcher.Outstanding > 0)
            {
                TimeSpan remaining = limit - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    // Given up on, each is reported once: one that finishes now is neither written nor queued as well.
                    foreach (var (task, failedChecks) in watcher.GiveUp())
                    {
                        WriteError(KlingErrors.WaitTimedOut(task, Timeout, failedChecks));
                    }

                    break;
                }

                Drain(remaining < TimeSpan.FromMilliseconds(250) ? remaining : TimeSpan.FromMilliseconds(250));
            }

            Drain(TimeSpan.Zero);
            WriteVerbose($"{watcher.StatusCalls} status calls for {watcher.Total} tasks.");
            WriteProgress(new ProgressRecord(ProgressId, "Waiting for Kling tasks", "Done") { RecordType = ProgressRecordType.Completed });
            WriteInformation(new HostInformationMessage { Message = tally.Summary() }, new[] { "PSHOST", "KlingSpend" });
        }

        public void Dispose()
        {
            watcher?.Dispose();
        }

        /// <summary>Writes every task that finished, waiting up to <paramref name="wait"/> for the first; on the pipeline thread.</summary>
        private void Drain(TimeSpan wait)
        {
            if (watcher == null)
            {
                return;
            }

            TakeReady(watcher, wait, Write);
            if (progressClock.Elapsed >= ProgressEvery)
            {
                WriteBatchProgress();
                progressClock.Restart();
            }
        }

        private void Write(PollOutcome outcome)
        {
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
