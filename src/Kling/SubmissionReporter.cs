using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.History;
using Kling.Core.Requests;
using Kling.Core.Tasks;

namespace Kling.Commands
{
    /// <summary>
    /// What New-KlingVideo writes of its submissions, on the pipeline thread: each accepted task, each row's error
    /// (led by the row's label), the batch stop (401, 402) after every task already accepted, and, when the batch stopped
    /// early, how to pick up the tasks it had accepted (see <see cref="StoppedBatchNotice"/>). It counts the rows as it goes
    /// for the batch's closing line (<see cref="ClosingLine"/>): submitted, refused, in doubt, not sent, estimated.
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

        /// <summary>Of <see cref="Accepted"/>, the tasks an earlier run submitted (found in the journal, not sent again).</summary>
        private int earlier;

        /// <summary>Rows refused: by the checks before sending, the price list, or the gateway.</summary>
        private int refused;

        /// <summary>Rows whose submission may or may not have been accepted (OutcomeUnknown).</summary>
        private int inDoubt;

        /// <summary>The price list's highest estimate of the rows accepted by this run, and how many of them had one.</summary>
        private decimal estimated;
        private int estimatedRows;

        /// <summary>The error that stopped the batch, once one did.</summary>
        internal ErrorRecord? Stop { get; private set; }

        /// <summary>The batch's part of the task history, once the first row is sent.</summary>
        internal BatchHistory? History { get; private set; }

        /// <summary>The batch's history, made with the first row sent (one batch id per command).</summary>
        internal BatchHistory StartHistory(string? journalPath) => History ??= BatchHistory.ForCurrentUser(journalPath);

        /// <summary>Writes an accepted task; <paramref name="earlier"/>: an earlier run's, found in the journal.</summary>
        internal void Emit(KlingTask task, bool earlier = false)
        {
            Accepted++;
            this.earlier += earlier ? 1 : 0;
            RecentTasks.Remember(task.TaskId);
            cmdlet.WriteObject(task);
        }

        /// <summary>A row that breaks the rules: its error names the row and every field at fault; nothing was sent.</summary>
        internal void WriteInvalid(InvalidRowException invalid, object target)
        {
            refused++;
            cmdlet.WriteError(VideoRowCmdlet.InvalidRowRecord(invalid, target));
        }

        /// <summary>A row's error found before sending: refused (no price), or in doubt (the journal says its POST may have been accepted).</summary>
        internal void WriteRowError(ErrorRecord record, bool isInDoubt)
        {
            if (isInDoubt)
            {
                inDoubt++;
            }
            else
            {
                refused++;
            }

            cmdlet.WriteError(record);
        }

        internal void Write(SubmissionOutcome outcome, BatchSubmitter submitter)
        {
            if (History?.TakeProblem() is string problem)
            {
                cmdlet.WriteWarning(StoppedBatchNotice.Unwritable(problem));
            }

            SubmissionItem item = outcome.Item;
            string label = RowLabel.Of(item.Row, item.Name);
            if (outcome.Task != null)
            {
                cmdlet.WriteVerbose($"{label} submitted as {outcome.Task.TaskId}.");
                if (item.EstimatedUsd is decimal estimate)
                {
                    estimated += estimate;
                    estimatedRows++;
                }

                Emit(outcome.Task);
            }
            else if (outcome.Error != null)
            {
                if (outcome.Error.OutcomeUnknown)
                {
                    inDoubt++;
                }
                else
                {
                    refused++;
                }

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
            string? pickUp = History == null ? null : StoppedBatchNotice.PickUpCommand(History);
            Stop.ErrorDetails = new ErrorDetails(
                $"{Stop.Exception.Message} The batch stopped here: no later row is sent. The {Accepted} task(s) accepted before it were written to the pipeline" +
                (pickUp == null ? "." : "; pick them up again any time with: " + pickUp))
            {
                RecommendedAction = Stop.ErrorDetails?.RecommendedAction
                    ?? "Fix the cause (key, balance), then run the rest of the batch again (with -Journal, rerun the same command: nothing is sent twice).",
            };
            cmdlet.WriteError(Stop);
        }

        /// <summary>After a batch-stopping error (401, 402), the batch's last word: how many tasks it had accepted, and how to pick them up.</summary>
        internal void WriteEnd()
        {
            if (Stop != null && History != null && StoppedBatchNotice.AcceptedTasks(History) is string accepted)
            {
                cmdlet.WriteWarning(accepted);
            }
        }

        /// <summary>
        /// The batch's closing line: "8 submitted, 3 refused, 0 in doubt, 10.9089 USD estimated." (with how many an earlier
        /// run had submitted, the rows not sent after a stop, and how many rows the estimate covers when not all); nothing
        /// when no row was read.
        /// </summary>
        internal void WriteClosingLine()
        {
            int submitted = Accepted - earlier;
            if (Accepted + refused + inDoubt + NotSent == 0)
            {
                return;
            }

            string before = earlier == 0 ? string.Empty : $" (and {earlier} found submitted by an earlier run)";
            string notSent = NotSent == 0 ? string.Empty : $", {NotSent} not sent";
            string estimate = estimatedRows == 0 ? string.Empty
                : estimatedRows == submitted ? $", {SpendTally.Usd((double)estimated)} estimated"
                : $", {SpendTally.Usd((double)estimated)} estimated for {estimatedRows} of them";
            ClosingLine.Write(cmdlet, $"{submitted} submitted{before}, {refused} refused, {inDoubt} in doubt{notSent}{estimate}.", "KlingSubmitted");
        }

        /// <summary>
        /// Once the command is torn down (Ctrl+C, a terminating error here or further down the pipeline): the tasks accepted
        /// while it stopped, the POSTs cut off without an answer, and last how to pick up every task the batch had accepted.
        /// The pipeline is gone by then, the host is not.
        /// </summary>
        internal void TellHost(PSHost? host, IReadOnlyList<KlingTask> late, string? journalPath, bool stoppedEarly)
        {
            var lines = new List<string?> { StoppedBatchNotice.LateTasks(late, journalPath) };
            if (History != null)
            {
                string? problem = History.TakeProblem();
                lines.Add(problem == null ? null : StoppedBatchNotice.Unwritable(problem));
                lines.Add(StoppedBatchNotice.CutOff(History));
                lines.Add(stoppedEarly ? StoppedBatchNotice.AcceptedTasks(History) : null);
            }

            try
            {
                foreach (string line in lines.Where(l => l != null).Cast<string>())
                {
                    host?.UI?.WriteWarningLine(line);
                }
            }
            catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException || ex is NotImplementedException)
            {
            }
        }
    }
}
