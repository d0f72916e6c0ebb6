using System.Collections.Generic;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Media;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// Submits one video generation per pipeline row (or per call). Each row is checked against the API's
    /// rules before anything is sent; a bad row is a non-terminating error and the batch goes on.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "KlingVideo", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KlingTask))]
    public sealed class NewKlingVideoCommand : KlingCmdlet, IDisposable
    {
        private static readonly TimeSpan DrainWait = TimeSpan.FromMilliseconds(100);
        private int row;
        private int accepted;
        private int notSentAfterStop;
        private BatchSubmitter? submitter;
        private SubmissionJournal? journal;
        private ErrorRecord? stopRecord;
        private bool stopWritten;

        // Not Mandatory: a row without a prompt must still reach ProcessRecord, so it becomes that row's error and the
        // rows after it keep their numbers (a binding failure would skip the row without counting it).
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? Prompt { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModeCompleter))]
        public string? Mode { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public string? Duration { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("aspect_ratio")]
        [ArgumentCompleter(typeof(AspectRatioCompleter))]
        public string? AspectRatio { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("image_urls", "ImageUrls")]
        [AllowEmptyCollection]
        public string[]? ImageUrl { get; set; }

        /// <summary>Images by path or URL: local files are checked, uploaded once per session, and their URLs sent.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("images")]
        [AllowEmptyCollection]
        public string[]? Image { get; set; }

        /// <summary>The first frame (image_urls[0]), a local path or a URL.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("first_frame")]
        public string? FirstFrame { get; set; }

        /// <summary>The last frame (image_urls[1]), a local path or a URL; needs a first frame.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("last_frame")]
        public string? LastFrame { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("video_url")]
        public string? VideoUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("refer_type")]
        [ArgumentCompleter(typeof(ReferTypeCompleter))]
        public string? ReferType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("keep_original_sound")]
        [ArgumentCompleter(typeof(YesNoCompleter))]
        public string? KeepOriginalSound { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

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

        /// <summary>The whole pipeline row, kept only to be the target of that row's errors.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void BeginProcessing()
        {
            if (Journal == null)
            {
                return;
            }

            string path = GetUnresolvedProviderPathFromPSPath(Journal);

            // -WhatIf writes nothing anywhere: the journal is only read (no lock, no header, no repair).
            bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound)
                ? LanguagePrimitives.IsTrue(bound)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            bool warned = false;
            while (journal == null)
            {
                try
                {
                    journal = whatIf ? SubmissionJournal.OpenReadOnly(path) : SubmissionJournal.Open(path);
                }
                catch (JournalException ex) when (ex.Problem == JournalProblem.InUse && WaitForJournal)
                {
                    if (!warned)
                    {
                        WriteWarning($"The journal {path} is in use by another run; waiting for that run to finish (Ctrl+C to stop waiting).");
                        warned = true;
                    }

                    Sleep(TimeSpan.FromMilliseconds(250));
                }
                catch (JournalException ex)
                {
                    ThrowTerminatingError(JournalErrors.From(ex));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "JournalUnavailable", ErrorCategory.OpenError, path));
                }
            }

            if (warned)
            {
                WriteVerbose($"The other run finished; this run now holds the journal {path}.");
            }

            if (journal.SkippedLines > 0)
            {
                string fate = journal.IsWritable ? "skipped (a torn last line was cut)" : "skipped (-WhatIf: the file was left as it is)";
                WriteWarning($"The journal {path} had {journal.SkippedLines} unreadable line(s) (a run that died mid-write, or an edit); they were {fate}.");
            }
        }

        protected override void ProcessRecord()
        {
            row++;
            if (stopRecord != null)
            {
                notSentAfterStop++;
                return;
            }

            object target = InputObject ?? (object)new Hashtable(MyInvocation.BoundParameters);
            var input = new VideoInput
            {
                // A plain string piped in ('A cat' | New-KlingVideo) is the prompt.
                Prompt = Prompt ?? (InputObject?.BaseObject as string),
                Model = Model,
                Mode = Mode,
                Duration = Duration,
                AspectRatio = AspectRatio,
                ImageUrls = ImageUrl,
                Images = Image,
                FirstFrame = FirstFrame,
                LastFrame = LastFrame,
                ImageReader = new DiskImageReader(GetUnresolvedProviderPathFromPSPath),
                VideoUrl = VideoUrl,
                ReferType = ReferType,
                KeepOriginalSound = KeepOriginalSound,
            };

            VideoRequest? request = VideoRequestValidator.TryBuild(input, out IReadOnlyList<ValidationProblem> problems);
            string? name = string.IsNullOrWhiteSpace(Name) ? null : Name!.Trim();
            if (request == null)
            {
                var invalid = new InvalidRowException(row, name, problems);
                var record = new ErrorRecord(invalid, "InvalidRow", ErrorCategory.InvalidArgument, target);
                record.ErrorDetails = new ErrorDetails(invalid.Message)
                {
                    RecommendedAction = "Fix the field(s) " + string.Join(", ", invalid.Fields) + " in that row; nothing was sent for it.",
                };
                WriteError(record);
                return;
            }

            string label = RowLabel.Of(row, name);
            string? key = null;
            if (journal != null)
            {
                key = journal.KeyFor(request);
                switch (journal.StateOf(key, out JournalRecord? earlier))
                {
                    case JournalState.Submitted:
                        var task = new KlingTask(earlier!.TaskId!)
                        {
                            Name = name ?? earlier.Name,
                            Row = row,
                            Request = request,
                            SubmittedAt = earlier.At,
                        };
                        WriteVerbose($"{label} was submitted by an earlier run as {task.TaskId} (journal); not sent again.");
                        Emit(task);
                        return;
                    case JournalState.OutcomeUnknown:
                        var unknown = new GatewayException(
                            GatewayErrorKind.Network,
                            $"{label} was being submitted when an earlier run stopped (journal {journal.Path}); it may have been accepted and billed, so it is not sent again. Look for it on the gateway; to send it anyway, delete its lines from the journal.")
                        { OutcomeUnknown = true };
                        WriteError(new ErrorRecord(unknown, "OutcomeUnknown", ErrorCategory.OperationStopped, target));
                        return;
                }
            }

            string uploads = request.LocalImages == null ? string.Empty :
                " after uploading " + string.Join(", ", request.LocalImages.Select(i => i.Path)) + " (each image once per session)";
            if (!ShouldProcess(label + ": " + request + uploads, "Submit a Kling video generation (billed)"))
            {
                return;
            }

            if (submitter == null)
            {
                submitter = new BatchSubmitter(Client, ThrottleLimit, journal);
            }

            // Bounded buffering: wait for room (writing finished rows meanwhile) before starting another.
            while (submitter.Outstanding >= ThrottleLimit * 2 && stopRecord == null)
            {
                Drain(DrainWait);
            }

            if (stopRecord == null)
            {
                submitter.Start(new SubmissionItem(row, name, request, key, target));
            }

            while (Drain(TimeSpan.Zero))
            {
            }

            StopIfNeeded();
        }

        protected override void EndProcessing()
        {
            while (submitter != null && submitter.Outstanding > 0)
            {
                Drain(DrainWait);
            }

            StopIfNeeded();
            if (notSentAfterStop > 0)
            {
                WriteWarning($"{notSentAfterStop} row(s) after the stop were not sent.");
            }
        }

        protected override void StopProcessing()
        {
            base.StopProcessing();
            submitter?.Stop();
        }

        /// <summary>
        /// Also runs after Ctrl+C or an exception: POSTs already on the wire get <see cref="BatchSubmitter.StopGrace"/>
        /// to be answered, so their task ids reach the journal (and the host) instead of becoming "outcome unknown".
        /// </summary>
        public void Dispose()
        {
            if (submitter != null && submitter.Outstanding > 0)
            {
                IReadOnlyList<KlingTask> late = submitter.Shutdown(BatchSubmitter.StopGrace);
                if (late.Count > 0)
                {
                    TellHost($"New-KlingVideo stopped; {late.Count} submission(s) already sent were accepted (and billed) while it stopped" +
                             (journal != null ? $", and are in the journal {journal.Path}" : string.Empty) + ": " +
                             string.Join(", ", late.Select(t => RowLabel.Of(t.Row, t.Name) + " = " + t.TaskId)));
                }
            }

            submitter?.Dispose();
            journal?.Dispose();
        }

        /// <summary>The pipeline is already stopped here, so the host is the only place left to name late tasks.</summary>
        private void TellHost(string message)
        {
            try
            {
                Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception ex) when (ex is PipelineStoppedException || ex is InvalidOperationException || ex is NotImplementedException)
            {
            }
        }

        /// <summary>Writes one finished submission, on the pipeline thread; false when none was ready.</summary>
        private bool Drain(TimeSpan wait)
        {
            if (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            bool took = submitter!.TryTake(wait, out SubmissionOutcome? outcome);
            FlushTrace();
            if (!took || outcome == null)
            {
                return took;
            }

            SubmissionItem item = outcome.Item;
            string label = RowLabel.Of(item.Row, item.Name);
            if (outcome.Task != null)
            {
                WriteVerbose($"{label} submitted as {outcome.Task.TaskId}.");
                Emit(outcome.Task);
            }
            else if (outcome.Error != null)
            {
                ErrorRecord record = KlingErrors.FromGateway(outcome.Error.ForRow(label), item.Target);
                if (outcome.Error.StopsBatch)
                {
                    // Every later row would fail the same way: send nothing more, let in-flight rows finish.
                    submitter.Stop();
                    stopRecord ??= record;
                }
                else
                {
                    WriteError(record);
                }
            }
            else if (outcome.NotSent)
            {
                notSentAfterStop++;
                WriteVerbose($"{label} was not sent: the batch stopped first.");
            }

            return true;
        }

        /// <summary>
        /// After a batch-stopping error (401, 402): every task already accepted is written first. With none, the error
        /// is terminating; with some, it is written as an error and the command ends normally, so the paid tasks go on
        /// to Wait-KlingTask and Save-KlingVideo instead of being torn out of the pipeline with it.
        /// </summary>
        private void StopIfNeeded()
        {
            if (stopRecord == null || stopWritten)
            {
                return;
            }

            while (submitter != null && submitter.Outstanding > 0)
            {
                Drain(DrainWait);
            }

            if (accepted == 0)
            {
                ThrowTerminatingError(stopRecord);
            }

            stopWritten = true;
            stopRecord.ErrorDetails = new ErrorDetails(
                $"{stopRecord.Exception.Message} The batch stopped here: no later row is sent. The {accepted} task(s) accepted before it were written to the pipeline.")
            {
                RecommendedAction = "Fix the cause (key, balance), then run the rest of the batch again (with -Journal, rerun the same command: nothing is sent twice).",
            };
            WriteError(stopRecord);
        }

        private void Emit(KlingTask task)
        {
            accepted++;
            RecentTasks.Remember(task.TaskId);
            WriteObject(task);
        }
    }
}
