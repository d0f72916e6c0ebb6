using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
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
        private readonly SubmissionReporter report;
        private int row;
        private BatchSubmitter? submitter;
        private SubmissionJournal? journal;

        public NewKlingVideoCommand()
        {
            report = new SubmissionReporter(this);
        }

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
            if (Journal != null)
            {
                // -WhatIf writes nothing anywhere: the journal is only read (no lock, no header, no repair).
                bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? bound)
                    ? LanguagePrimitives.IsTrue(bound)
                    : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
                journal = JournalOpener.Open(this, GetUnresolvedProviderPathFromPSPath(Journal), whatIf, WaitForJournal);
            }
        }

        protected override void ProcessRecord()
        {
            row++;
            if (report.Stop != null)
            {
                report.NotSent++;
                return;
            }

            object target = InputObject ?? (object)new Hashtable(MyInvocation.BoundParameters);
            VideoRequest? request = VideoRequestValidator.TryBuild(ReadRow(), out IReadOnlyList<ValidationProblem> problems);
            string? name = string.IsNullOrWhiteSpace(Name) ? null : Name!.Trim();
            if (request == null)
            {
                report.WriteInvalid(new InvalidRowException(row, name, problems), target);
                return;
            }

            string label = RowLabel.Of(row, name);
            JournalRecall? recall = journal?.Recall(request, row, name);
            if (recall?.Earlier != null)
            {
                WriteVerbose($"{label} was submitted by an earlier run as {recall.Earlier.TaskId} (journal); not sent again.");
                report.Emit(recall.Earlier);
                return;
            }

            if (recall?.InDoubt != null)
            {
                WriteError(new ErrorRecord(recall.InDoubt, "OutcomeUnknown", ErrorCategory.OperationStopped, target));
                return;
            }

            string uploads = request.LocalImages == null ? string.Empty :
                " after uploading " + string.Join(", ", request.LocalImages.Select(i => i.Path)) + " (each image once per session)";
            if (!ShouldProcess(label + ": " + request + uploads, "Submit a Kling video generation (billed)"))
            {
                return;
            }

            submitter ??= new BatchSubmitter(Client, ThrottleLimit, journal);

            // Bounded buffering: wait for room (writing finished rows meanwhile) before starting another.
            TakeUntil(submitter, ThrottleLimit * 2 - 1, Write, () => report.Stop != null);
            if (report.Stop == null)
            {
                submitter.Start(new SubmissionItem(row, name, request, recall?.Key, target));
            }

            TakeReady(submitter, TimeSpan.Zero, Write);
            StopIfNeeded();
        }

        protected override void EndProcessing()
        {
            if (submitter != null)
            {
                TakeUntil(submitter, 0, Write);
            }

            StopIfNeeded();
            if (report.NotSent > 0)
            {
                WriteWarning($"{report.NotSent} row(s) after the stop were not sent.");
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
                SubmissionReporter.TellHost(Host, submitter.Shutdown(BatchSubmitter.StopGrace), journal?.Path);
            }

            submitter?.Dispose();
            journal?.Dispose();
        }

        private VideoInput ReadRow() => new VideoInput
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

        private void Write(SubmissionOutcome outcome) => report.Write(outcome, submitter!);

        /// <summary>After a batch-stopping error: every outstanding outcome first, then the stop (see <see cref="SubmissionReporter.WriteStop"/>).</summary>
        private void StopIfNeeded()
        {
            if (report.Stop != null)
            {
                TakeUntil(submitter!, 0, Write);
                report.WriteStop();
            }
        }
    }
}
