using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Catalog;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Tasks;

namespace Kling.Commands
{
    /// <summary>
    /// Submits one video generation per pipeline row (or per call). Each row is checked against the API's
    /// rules before anything is sent; a bad row is a non-terminating error and the batch goes on.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "KlingVideo", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.NewKlingVideo)]
    [OutputType(typeof(KlingTask))]
    public sealed class NewKlingVideoCommand : VideoRowCmdlet, IDisposable
    {
        private readonly SubmissionReporter report;
        private int row;
        private BatchSubmitter? submitter;
        private PipelineDrain<SubmissionOutcome>? drain;
        private SubmissionJournal? journal;
        private SubmissionRecall? recall;
        private bool ended;
        private FailedTaskInput? pipedTasks;
        private CostCap costs = null!;

        public NewKlingVideoCommand()
        {
            report = new SubmissionReporter(this);
        }

        /// <summary>Submissions in flight at once (lowered automatically while the gateway answers 429).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>A JSON-lines journal that makes the batch resumable: rerun the same command to pick up where it stopped.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Journal { get; set; }

        /// <summary>When another run holds the journal, wait for it to finish (Ctrl+C stops waiting) instead of stopping at once.</summary>
        [Parameter]
        public SwitchParameter WaitForJournal { get; set; }

        /// <summary>With -Journal: rows whose earlier task failed or was cancelled (status read from the gateway) are sent again.</summary>
        [Parameter]
        public SwitchParameter RetryFailed { get; set; }

        /// <summary>
        /// The most this run may commit, in USD: a row is sent only when its highest estimate fits beside the rows accepted
        /// and in flight; the first that does not stops the batch (BudgetExceeded). Rows with no price are refused.
        /// </summary>
        [Parameter]
        [ValidateRange(0.0001, 1000000000)]
        public decimal? MaxCost { get; set; }

        /// <summary>A price file (JSON: model → tier → USD per second) that replaces the built-in list; default $env:KLING_PRICE_FILE.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [PSDefaultValue(Help = PriceFileOption.DefaultHelp)]
        public string? PriceFile { get; set; }

        protected override void BeginProcessing()
        {
            costs = new CostCap(PriceFileOption.Resolve(this, PriceFile), MaxCost);
            BeginRows();
            pipedTasks = new FailedTaskInput(this, MyInvocation.BoundParameters.Keys);
            if (RetryFailed && Journal == null)
            {
                ThrowTerminatingError(FailedTaskInput.RetryFailedWithoutJournal());
            }

            if (Journal != null)
            {
                // -WhatIf writes nothing anywhere: the journal is only read (no lock, no header, no repair).
                bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound)
                    ? LanguagePrimitives.IsTrue(bound)
                    : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
                journal = JournalOpener.Open(this, GetUnresolvedProviderPathFromPSPath(Journal), whatIf, WaitForJournal);
            }

            recall = new SubmissionRecall(journal);
            if (RetryFailed)
            {
                FailedTaskReader.Read(this, recall.ScanFailed(Client), journal!.Path, Run<bool>, Cancellation);
            }
        }

        protected override void ProcessRecord()
        {
            row++;
            if (report.Stop != null)
            {
                report.NotSent++;
                JournalNotSentOverBudget();
                return;
            }

            string? name = RowName;
            ErrorRecord? unbound = CheckColumns(row, name);
            if (unbound != null)
            {
                // Before this row is read or sent: the rows already started finish and are written, then the stop.
                report.StopBefore(unbound);
                StopIfNeeded();
                return;
            }

            object target = RowTarget;
            KlingTask? piped = FailedTaskInput.From(InputObject);
            if (piped != null)
            {
                // With a journal, the row sent again in the task's place is the one whose latest line is this task (a rerun
                // of the same pipe finds the task that replaced it, and sends nothing).
                if (pipedTasks!.MaySend(piped, row, target))
                {
                    Submit(piped.Request!, piped.Name, target, piped.TaskId);
                }

                return;
            }

            WarnIfUnknownModel("it is sent as given, and only the generic checks are made (a prompt, http(s) URLs)");
            VideoRequest? request = BuildRequest(row, name, out InvalidRowException? invalid);
            if (request == null)
            {
                report.WriteInvalid(invalid!, target);
                return;
            }

            Submit(request, name, target, null);
        }

        /// <summary>
        /// One valid request: the task an earlier run submitted for it (written again), the error of a row in doubt, or
        /// a submission (in place of the failed task piped in, <paramref name="replacing"/>, or of one the journal names).
        /// </summary>
        private void Submit(VideoRequest request, string? name, object target, string? replacing)
        {
            string label = RowLabel.Of(row, name);
            JournalRecall? recalled = recall!.Of(request, row, name, replacing);
            if (recalled?.Earlier != null)
            {
                WriteVerbose($"{label} was submitted by an earlier run as {recalled.Earlier.TaskId} (journal); not sent again.");
                report.Emit(recalled.Earlier, earlier: true);
                return;
            }

            if (recalled?.InDoubt != null)
            {
                report.WriteRowError(KlingErrors.FromGateway(recalled.InDoubt, target), isInDoubt: true);
                return;
            }

            CostEstimate estimate = costs.Estimate(request);
            ErrorRecord? unpriced = costs.RefuseUnpriced(estimate, label, target);
            if (unpriced != null)
            {
                report.WriteRowError(unpriced, isInDoubt: false);
                return;
            }

            string? replaces = recalled?.Replaces ?? replacing;
            string again = replaces == null ? string.Empty : $" (again, in place of the failed task {replaces})";
            string uploads = request.LocalImages == null ? string.Empty :
                " after uploading " + string.Join(", ", request.LocalImages.Select(i => i.Path)) + " (each image once per session)";
            if (!ShouldProcess(label + ": " + request + uploads + again + CostCap.Text(estimate), "Submit a Kling video generation (billed)"))
            {
                costs.AddWhatIf(estimate);
                return;
            }

            if (replaces != null)
            {
                WriteVerbose($"{label}: its earlier task {replaces} failed or was cancelled; sending it again.");
            }

            if (submitter == null)
            {
                submitter = new BatchSubmitter(recall, Client, ThrottleLimit) { History = report.StartHistory(journal?.Path) };
                drain = DrainOf(submitter, Write);
            }

            // Bounded buffering: wait for room (writing finished rows meanwhile) before starting another.
            drain!.MakeRoom(ThrottleLimit, () => report.Stop != null);
            var item = new SubmissionItem(row, name, request, recalled?.Key, target) { Replaces = replaces, EstimatedUsd = estimate.MaxUsd };
            if (report.Stop == null)
            {
                // The check and the reservation, here on the pipeline thread, before the row can be in flight.
                if (costs.TryReserve(item, estimate, label, out ErrorRecord? overBudget))
                {
                    submitter.Start(item);
                }
                else
                {
                    report.StopBefore(overBudget!);
                    recall.NotSent(recalled, row, name, costs.NotSentReason);
                }
            }

            drain.TakeReady(TimeSpan.Zero);
            StopIfNeeded();
        }

        /// <summary>
        /// A row after the -MaxCost stop, with -Journal: journaled as not sent (a rerun with a higher cap sends it), unless
        /// the journal already has it (paid, or in doubt) or it is not a valid row (its error comes with the rerun).
        /// </summary>
        private void JournalNotSentOverBudget()
        {
            if (journal == null || !costs.Exceeded || FailedTaskInput.From(InputObject) != null)
            {
                return;
            }

            string? name = RowName;
            VideoRequest? request = BuildRequest(row, name, out _);
            if (request != null)
            {
                recall!.NotSentAfterStop(request, row, name, costs.NotSentReason);
            }
        }

        protected override void EndProcessing()
        {
            drain?.TakeAll();

            StopIfNeeded();
            if (report.NotSent > 0)
            {
                WriteWarning($"{report.NotSent} row(s) after the stop were not sent.");
            }

            report.WriteEnd();
            if (costs.WhatIfTotal() is string total)
            {
                WriteInformation(new HostInformationMessage { Message = total }, new[] { "PSHOST" });
            }
            else
            {
                report.WriteClosingLine();
            }

            ended = true;
        }

        protected override void StopProcessing()
        {
            base.StopProcessing();
            submitter?.Stop();
        }

        /// <summary>
        /// Also runs after Ctrl+C or an exception: POSTs already on the wire get <see cref="BatchSubmitter.StopGrace"/>
        /// to be answered, so their task ids reach the journal, the history (and the host) instead of becoming "outcome
        /// unknown"; a pipeline that stopped early is told how to pick up the batch's tasks.
        /// </summary>
        public void Dispose()
        {
            bool early = submitter != null && (!ended || Stopping);
            report.TellHost(Host, early ? submitter!.Shutdown(BatchSubmitter.StopGrace) : Array.Empty<KlingTask>(), journal?.Path, early);

            submitter?.Dispose();
            recall?.Dispose();
            journal?.Dispose();
        }

        private void Write(SubmissionOutcome outcome)
        {
            costs.Settle(outcome);
            if (outcome.Task != null)
            {
                outcome.Task.EstimatedCost = (double?)outcome.Item.EstimatedUsd;
            }

            report.Write(outcome, submitter!);
        }

        /// <summary>After a batch-stopping error: every outstanding outcome first, then the stop (see <see cref="SubmissionReporter.WriteStop"/>).</summary>
        private void StopIfNeeded()
        {
            if (report.Stop != null)
            {
                drain?.TakeAll();
                report.WriteStop();
            }
        }
    }
}
