using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// What New-KlingVideo writes of its submissions, on the pipeline thread: each accepted task, each row's error
    /// (led by the row's label), and the batch stop (401, 402) after every task already accepted.
    /// </summary>
    internal sealed class SubmissionReporter
    {
        private readonly Cmdlet cmdlet;
        private bool stopWritten;

        internal SubmissionReporter(Cmdlet cmdlet)
        {
            this.cmdlet = cmdlet;
        }

        /// <summary>Tasks written so far (submitted now or by an earlier run).</summary>
        internal int Accepted { get; private set; }

        /// <summary>Rows not sent because the batch stopped first.</summary>
        internal int NotSent { get; set; }

        /// <summary>The error that stopped the batch, once one did.</summary>
        internal ErrorRecord? Stop { get; private set; }

        internal void Emit(KlingTask task)
        {
            Accepted++;
            RecentTasks.Remember(task.TaskId);
            cmdlet.WriteObject(task);
        }

        /// <summary>A row that breaks the rules: its error names the row and every field at fault; nothing was sent.</summary>
        internal void WriteInvalid(InvalidRowException invalid, object target)
        {
            var record = new ErrorRecord(invalid, "InvalidRow", ErrorCategory.InvalidArgument, target);
            record.ErrorDetails = new ErrorDetails(invalid.Message)
            {
                RecommendedAction = "Fix the field(s) " + string.Join(", ", invalid.Fields) + " in that row; nothing was sent for it.",
            };
            cmdlet.WriteError(record);
        }

        internal void Write(SubmissionOutcome outcome, BatchSubmitter submitter)
        {
            SubmissionItem item = outcome.Item;
            string label = RowLabel.Of(item.Row, item.Name);
            if (outcome.Task != null)
            {
                cmdlet.WriteVerbose($"{label} submitted as {outcome.Task.TaskId}.");
                Emit(outcome.Task);
            }
            else if (outcome.Error != null)
            {
                ErrorRecord record = KlingErrors.FromGateway(outcome.Error.ForRow(label), item.Target);
                if (outcome.Error.StopsBatch)
                {
                    // Every later row would fail the same way: send nothing more, let in-flight rows finish.
                    submitter.Stop();
                    Stop ??= record;
                }
                else
                {
                    cmdlet.WriteError(record);
                }
            }
            else if (outcome.NotSent)
            {
                NotSent++;
                cmdlet.WriteVerbose($"{label} was not sent: the batch stopped first.");
            }
        }

        /// <summary>
        /// A stop found on the pipeline thread before its row was sent (a column that binds to nothing): the rows already
        /// started still finish and are written first, as with any stop.
        /// </summary>
        internal void StopBefore(ErrorRecord record) => Stop ??= record;

        /// <summary>
        /// After a batch-stopping error, once every outstanding outcome was written: with no task accepted the error is
        /// terminating; with some, it is written as an error and the command ends normally, so the paid tasks go on to
        /// Wait-KlingTask and Save-KlingVideo instead of being torn out of the pipeline with it.
        /// </summary>
        internal void WriteStop()
        {
            if (Stop == null || stopWritten)
            {
                return;
            }

            if (Accepted == 0)
            {
                cmdlet.ThrowTerminatingError(Stop);
            }

            stopWritten = true;
            Stop.ErrorDetails = new ErrorDetails(
                $"{Stop.Exception.Message} The batch stopped here: no later row is sent. The {Accepted} task(s) accepted before it were written to the pipeline.")
            {
                RecommendedAction = Stop.ErrorDetails?.RecommendedAction
                    ?? "Fix the cause (key, balance), then run the rest of the batch again (with -Journal, rerun the same command: nothing is sent twice).",
            };
            cmdlet.WriteError(Stop);
        }

        /// <summary>Names the tasks accepted while the command stopped; the pipeline is gone by then, the host is not.</summary>
        internal static void TellHost(PSHost? host, IReadOnlyList<KlingTask> late, string? journalPath)
        {
            if (late.Count == 0)
            {
                return;
            }

            string message = $"New-KlingVideo stopped; {late.Count} submission(s) already sent were accepted (and billed) while it stopped" +
                             (journalPath != null ? $", and are in the journal {journalPath}" : string.Empty) + ": " +
                             string.Join(", ", late.Select(t => RowLabel.Of(t.Row, t.Name) + " = " + t.TaskId));
            try
            {
                host?.UI?.WriteWarningLine(message);
            }
            catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException || ex is NotImplementedException)
            {
            }
        }
    }
}
