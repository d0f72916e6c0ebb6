using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Kling.Core;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// Tasks piped into New-KlingVideo: from Get-KlingTask, New-KlingVideo's own output, or Wait-KlingTask's TaskFailed
    /// error (its TargetObject, or the error record itself). A failed or cancelled task is sent again with the request
    /// it carries, as it is: the properties PowerShell also binds from it by name (Name, Mode, Duration, VideoUrl) and
    /// the video parameters of the command line are not read. Any other task is that row's error, and nothing is sent.
    /// </summary>
    internal sealed class FailedTaskInput
    {
        private readonly Cmdlet cmdlet;
        private readonly string[] videoParametersOnCommandLine;
        private bool warned;

        /// <param name="cmdlet">New-KlingVideo: its parameters, and where the refusals and the warning are written.</param>
        /// <param name="commandLine">The parameters bound before the first row (the command line's).</param>
        internal FailedTaskInput(Cmdlet cmdlet, IEnumerable<string> commandLine)
        {
            this.cmdlet = cmdlet;
            var video = new HashSet<string>(
                cmdlet.GetType().GetProperties()
                    .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.ValueFromPipelineByPropertyName))
                    .Select(p => p.Name),
                StringComparer.OrdinalIgnoreCase);
            videoParametersOnCommandLine = commandLine.Where(video.Contains).ToArray();
        }

        /// <summary>The task a pipeline object stands for; null for a row to read as usual.</summary>
        internal static KlingTask? From(PSObject? input) =>
            input?.BaseObject as KlingTask ?? (input?.BaseObject as ErrorRecord)?.TargetObject as KlingTask;

        /// <summary>-RetryFailed without a journal: there is nothing to read which rows failed from.</summary>
        internal static ErrorRecord RetryFailedWithoutJournal() =>
            new ErrorRecord(
                new ArgumentException("-RetryFailed sends again the rows of a journal whose tasks failed, so it needs -Journal (the batch's journal); nothing was sent. Without a journal, pipe the failed tasks in instead: ... | Wait-KlingTask -ErrorVariable failed; $failed | New-KlingVideo"),
                "RetryFailedWithoutJournal",
                ErrorCategory.InvalidArgument,
                null);

        /// <summary>True when the task may be sent again; otherwise its error is written (nothing is sent for it).</summary>
        internal bool MaySend(KlingTask task, int row, object target)
        {
            ErrorRecord? refusal = Refusal(task, RowLabel.Of(row, task.Name), target);
            if (refusal != null)
            {
                cmdlet.WriteError(refusal);
                return false;
            }

            if (videoParametersOnCommandLine.Length > 0 && !warned)
            {
                warned = true;
                cmdlet.WriteWarning($"Tasks piped in are sent again with their own requests: {string.Join(", ", videoParametersOnCommandLine.Select(p => "-" + p))} on the command line do not apply to them.");
            }

            return true;
        }

        private static ErrorRecord? Refusal(KlingTask task, string label, object target)
        {
            if (!KlingTaskStatus.IsFailed(task.Status))
            {
                var notFailed = new InvalidOperationException(
                    $"{label}: task {task.TaskId} is {task.Status}, not failed or cancelled; only a failed or cancelled task piped in is sent again, so nothing was sent for it.");
                return new ErrorRecord(notFailed, "TaskNotFailed", ErrorCategory.InvalidOperation, target)
                {
                    ErrorDetails = new ErrorDetails(notFailed.Message)
                    {
                        RecommendedAction = "Its status is the one the object carries: pipe it through Get-KlingTask or Wait-KlingTask first, and only its failed tasks on to New-KlingVideo.",
                    },
                };
            }

            if (task.Request == null)
            {
                var noRequest = new ArgumentException(
                    $"{label}: task {task.TaskId} carries no request (it was looked up by its id), so it cannot be sent again; nothing was sent for it.");
                return new ErrorRecord(noRequest, "TaskWithoutRequest", ErrorCategory.InvalidArgument, target)
                {
                    ErrorDetails = new ErrorDetails(noRequest.Message)
                    {
                        RecommendedAction = "Pipe the task as New-KlingVideo, Wait-KlingTask or Get-KlingTask -Journal give it (with its request), or submit its row again.",
                    },
                };
            }

            return null;
        }
    }
}
