using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Catalog;
using Kling.Core.Gateway;
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
        private readonly HashSet<string> unknownModelsWarned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private int row;
        private bool multiShotOnCommandLine;
        private BatchSubmitter? submitter;
        private SubmissionJournal? journal;
        private bool ended;
        private PipelineColumns? columns;
        private FailedTaskScan? failedEarlier;
        private FailedTaskInput? pipedTasks;

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

        /// <summary>The model: one of the catalog's (Get-KlingModel), or any other name, sent as given with the generic checks only.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("negative_prompt")]
        [AllowEmptyString]
        public string? NegativePrompt { get; set; }

        /// <summary>yes/no/true/false, sent as a JSON boolean.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(YesNoCompleter))]
        public string? Audio { get; set; }

        /// <summary>yes/no/true/false: watermark, or watermark_info.enabled on motion control.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(YesNoCompleter))]
        public string? Watermark { get; set; }

        /// <summary>720p or 1080p (kling-3.0-turbo, which has no -Mode).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ResolutionCompleter))]
        public string? Resolution { get; set; }

        /// <summary>Reference images (kling-v3-omni), paths or URLs; a cell is ';'-separated.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("reference_images", "ReferenceImages")]
        [AllowEmptyCollection]
        public string[]? ReferenceImage { get; set; }

        /// <summary>image or video (motion control).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("character_orientation")]
        [ArgumentCompleter(typeof(CharacterOrientationCompleter))]
        public string? CharacterOrientation { get; set; }

        /// <summary>The shots: a cell "3: The door opens | 5: A dog runs in", or hashtables/objects with Prompt and Duration.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("shots")]
        [AllowEmptyCollection]
        [AllowNull]
        public object[]? Shot { get; set; }

        /// <summary>Multi-shot; alone (no -Shot) the model cuts the shots itself (shot_type intelligence). A cell: yes/no/true/false.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("multi_shot")]
        [SwitchCell]
        public SwitchParameter MultiShot { get; set; }

        /// <summary>Elements (kling-v3-omni): hashtables/objects with Name, Description and Image (2 to 4), or a JSON cell.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("elements", "element_list")]
        [AllowEmptyCollection]
        [AllowNull]
        public object[]? Element { get; set; }

        /// <summary>Body fields the module has no parameter for: a hashtable/object, or a JSON object in the cell.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("extra")]
        [AllowNull]
        public object? AdditionalBody { get; set; }

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

        /// <summary>Columns of the piped rows meant to bind to nothing: neither the near-miss error nor the warning names them.</summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[]? IgnoreColumn { get; set; }

        /// <summary>With -Journal: rows whose earlier task failed or was cancelled (status read from the gateway) are sent again.</summary>
        [Parameter]
        public SwitchParameter RetryFailed { get; set; }

        /// <summary>
        /// The whole pipeline row, the target of that row's errors; a task piped in (see <see cref="FailedTaskInput"/>) is
        /// read from here alone, whatever else PowerShell bound from its properties.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void BeginProcessing()
        {
            // Before any row is bound, only the command line's parameters are: a -MultiShot there wins over any cell.
            multiShotOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(MultiShot));
            columns = new PipelineColumns(this, IgnoreColumn);
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
                if (RetryFailed)
                {
                    failedEarlier = FailedTaskReader.Read(this, Client, journal, Run<bool>, Cancellation);
                }
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

            string? name = string.IsNullOrWhiteSpace(Name) ? null : Name!.Trim();
            ErrorRecord? unbound = columns!.Check(InputObject, RowLabel.Of(row, name));
            if (unbound != null)
            {
                // Before this row is read or sent: the rows already started finish and are written, then the stop.
                report.StopBefore(unbound);
                StopIfNeeded();
                return;
            }

            object target = InputObject ?? (object)new Hashtable(MyInvocation.BoundParameters);
            KlingTask? piped = FailedTaskInput.From(InputObject);
            if (piped != null)
            {
                // With a journal, the row sent again in the task's place is the one whose latest line is this task (a rerun
                // of the same pipe finds the task that replaced it, and sends nothing).
                if (pipedTasks!.MaySend(piped, row, target))
                {
                    Submit(piped.Request!, piped.Name, target, id => id == piped.TaskId, piped.TaskId);
                }

                return;
            }

            WarnIfUnknownModel();
            var source = multiShotOnCommandLine ? MultiShotSource.CommandLine
                : MyInvocation.BoundParameters.ContainsKey(nameof(MultiShot)) ? MultiShotSource.Row : MultiShotSource.None;
            VideoInput input = new VideoRowReader(GetUnresolvedProviderPathFromPSPath).Read(this, source);
            VideoRequest? request = VideoRequestValidator.TryBuild(input, out IReadOnlyList<ValidationProblem> problems);
            if (request == null)
            {
                string model = string.IsNullOrWhiteSpace(Model) ? VideoRequest.DefaultModel : Model!.Trim();
                report.WriteInvalid(new InvalidRowException(row, name, problems, ModelCatalog.Find(model)?.Name ?? model), target);
                return;
            }

            Submit(request, name, target, failedEarlier == null ? null : (Func<string, bool>)failedEarlier.IsFailed, null);
        }

        /// <summary>
        /// One valid request: the task an earlier run submitted for it (written again), the error of a row in doubt, or
        /// a submission (in place of the failed task <paramref name="replacing"/>, or one the journal names).
        /// </summary>
        private void Submit(VideoRequest request, string? name, object target, Func<string, bool>? mayReplace, string? replacing)
        {
            string label = RowLabel.Of(row, name);
            JournalRecall? recall = journal?.Recall(request, row, name, mayReplace);
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

            string? replaces = recall?.Replaces ?? replacing;
            string again = replaces == null ? string.Empty : $" (again, in place of the failed task {replaces})";
            string uploads = request.LocalImages == null ? string.Empty :
                " after uploading " + string.Join(", ", request.LocalImages.Select(i => i.Path)) + " (each image once per session)";
            if (!ShouldProcess(label + ": " + request + uploads + again, "Submit a Kling video generation (billed)"))
            {
                return;
            }

            if (replaces != null)
            {
                WriteVerbose($"{label}: its earlier task {replaces} failed or was cancelled; sending it again.");
            }

            submitter ??= new BatchSubmitter(Client, ThrottleLimit, journal) { History = report.StartHistory(journal?.Path) };

            // Bounded buffering: wait for room (writing finished rows meanwhile) before starting another.
            TakeUntil(submitter, ThrottleLimit * 2 - 1, Write, () => report.Stop != null);
            if (report.Stop == null)
            {
                submitter.Start(new SubmissionItem(row, name, request, recall?.Key, target) { Replaces = replaces });
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

            report.WriteEnd();
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
            failedEarlier?.Dispose();
            journal?.Dispose();
        }

        /// <summary>A model outside the catalog is sent as given: said once per batch per name.</summary>
        private void WarnIfUnknownModel()
        {
            string? model = string.IsNullOrWhiteSpace(Model) ? null : Model!.Trim();
            if (model != null && ModelCatalog.Find(model) == null && unknownModelsWarned.Add(model))
            {
                WriteWarning($"The model '{model}' is not in the module's catalog: it is sent as given, and only the generic checks are made (a prompt, http(s) URLs). Get-KlingModel lists the models the module knows.");
            }
        }

        private void Write(SubmissionOutcome outcome) => report.Write(outcome, submitter!);

        /// <summary>After a batch-stopping error: every outstanding outcome first, then the stop (see <see cref="SubmissionReporter.WriteStop"/>).</summary>
        private void StopIfNeeded()
        {
            if (report.Stop != null)
            {
                if (submitter != null)
                {
                    TakeUntil(submitter, 0, Write);
                }

                report.WriteStop();
            }
        }
    }
}
