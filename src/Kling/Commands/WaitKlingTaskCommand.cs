using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// Waits for many tasks at once and writes each one the moment it completes. Failed or cancelled tasks
    /// become non-terminating errors; tasks still unfinished at -Timeout become OperationTimeout errors.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "KlingTask", DefaultParameterSetName = TaskSet)]
    [OutputType(typeof(KlingTask))]
    public sealed class WaitKlingTaskCommand : KlingCmdlet
    {
        private const string TaskSet = "Task";
        private const string IdSet = "TaskId";
        private const int ProgressId = 1;

        private readonly List<KlingTask> received = new List<KlingTask>();
        private readonly HashSet<string> seen = new HashSet<string>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TaskSet)]
        public KlingTask[] InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("task_id", "Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = null!;

        /// <summary>Seconds to wait in all before giving up on unfinished tasks.</summary>
        [Parameter]
        [Alias("TimeoutSec")]
        [ValidateRange(1, int.MaxValue)]
        public int Timeout { get; set; } = 3600;

        /// <summary>Seconds between status checks of one task.</summary>
        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollInterval { get; set; } = 5;

        protected override void ProcessRecord()
        {
            IEnumerable<KlingTask> tasks = ParameterSetName == IdSet
                ? TaskId.Select(id => new KlingTask(id.Trim()))
                : InputObject.Where(t => t != null);
            foreach (KlingTask task in tasks)
            {
                if (seen.Add(task.TaskId))
                {
                    received.Add(task);
                }
            }
        }

        protected override void EndProcessing()
        {
            if (received.Count == 0)
            {
                return;
            }

            var poller = new TaskPoller(Client, TimeSpan.FromSeconds(PollInterval));
            int completed = 0;
            int failed = 0;
            foreach (KlingTask task in received)
            {
                poller.Add(task);
            }

            var clock = Stopwatch.StartNew();
            TimeSpan limit = TimeSpan.FromSeconds(Timeout);
            var progressClock = Stopwatch.StartNew();
            WriteBatchProgress(received.Count, completed, failed, poller.PendingCount, clock.Elapsed);
            while (poller.PendingCount > 0)
            {
                IReadOnlyList<PollOutcome> outcomes = Run(poller.PollDueAsync(Cancellation));
                foreach (PollOutcome outcome in outcomes)
                {
                    if (outcome.Error != null)
                    {
                        if (outcome.Done)
                        {
                            failed++;
                            WriteGatewayError(outcome.Error, outcome.Task);
                        }
                        else
                        {
                            WriteVerbose($"Status of {outcome.Task.TaskId} unavailable for now: {outcome.Error.Message}");
                        }

                        continue;
                    }

                    if (outcome.Task.IsCompleted)
                    {
                        completed++;
                        WriteObject(outcome.Task);
                    }
                    else if (outcome.Task.IsFinished)
                    {
                        failed++;
                        WriteError(TaskFailedRecord(outcome.Task));
                    }
                }

                if (progressClock.ElapsedMilliseconds >= 250 || poller.PendingCount == 0)
                {
                    WriteBatchProgress(received.Count, completed, failed, poller.PendingCount, clock.Elapsed);
                    progressClock.Restart();
                }

                if (poller.PendingCount == 0)
                {
                    break;
                }

                TimeSpan remaining = limit - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    foreach (KlingTask task in poller.Pending.ToList())
                    {
                        var timeout = new TimeoutException(
                            $"Task {task.TaskId}{(task.Name != null ? " ('" + task.Name + "')" : string.Empty)} was still {task.Status} after {Timeout} s; it is not lost: wait again with Wait-KlingTask -TaskId {task.TaskId}.");
                        WriteError(new ErrorRecord(timeout, "WaitTimedOut", ErrorCategory.OperationTimeout, task));
                    }

                    break;
                }

                TimeSpan wait = poller.UntilNextDue(DateTimeOffset.UtcNow);
                Sleep(wait < remaining ? wait : remaining);
            }

            WriteProgress(new ProgressRecord(ProgressId, "Waiting for Kling tasks", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void WriteBatchProgress(int total, int completed, int failed, int running, TimeSpan elapsed)
        {
            int done = completed + failed;
            var record = new ProgressRecord(ProgressId, "Waiting for Kling tasks", $"{completed} completed, {failed} failed, {running} running of {total} ({elapsed:hh\\:mm\\:ss})")
            {
                PercentComplete = total == 0 ? 100 : (int)(done * 100L / total),
            };
            WriteProgress(record);
        }

        private static ErrorRecord TaskFailedRecord(KlingTask task)
        {
            string reason = task.Error ?? "no reason given";
            string code = task.ErrorCode != null ? $" (code {task.ErrorCode})" : string.Empty;
            var failure = new GatewayException(
                GatewayErrorKind.TaskFailed,
                $"Task {task.TaskId}{(task.Name != null ? " ('" + task.Name + "')" : string.Empty)} ended {task.Status}{code}: {reason}",
                errorCode: task.ErrorCode,
                gatewayMessage: task.Error);
            return new ErrorRecord(failure, "TaskFailed", ErrorCategory.InvalidResult, task);
        }
    }
}
