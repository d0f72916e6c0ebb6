using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Kling.Core.Tasks;

namespace Kling.Commands
{
    /// <summary>
    /// Downloads the videos of completed tasks into a folder, streamed to disk, named by -NameTemplate or after the task's
    /// -Name (or its id). Cut connections resume with Range; expired links are refreshed once from the task's
    /// status. Up to -ThrottleLimit files download at once, in the background: the cmdlets upstream go on while files
    /// download, and wait only while twice that many are outstanding (see PipelineDrain). The download host never receives the API key.
    /// The run ends with one line for a person (<see cref="ClosingLine"/>: saved, skipped, failed, bytes); stopped with
    /// downloads under way (Ctrl+C), it names their tasks on the host and says how to go on (<see cref="StoppedRunNotice"/>).
    /// </summary>
    [Cmdlet(VerbsData.Save, "KlingVideo", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.SaveKlingVideo)]
    [OutputType(typeof(FileInfo))]
    [OutputType(typeof(KlingTask))]
    public sealed class SaveKlingVideoCommand : KlingTaskCmdlet, IDisposable
    {
        private readonly SaveTally tally = new SaveTally();
        private string? journalPath;
        private bool ended;
        private string? folder;
        private DownloadQueue? queue;
        private PipelineDrain<DownloadOutcome>? drain;
        private SaveFolder? saveFolder;
        private SaveReporter? report;
        private SaveOutput? output;
        private Core.Downloads.NameTemplate? template;

        /// <summary>Not positional here: the first position is the folder (-Path).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TaskSet)]
        public override KlingTask[] InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("task_id", "Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public override string[] TaskId { get; set; } = null!;

        /// <summary>The folder to save into (created when missing); relative paths resolve against the current location.</summary>
        [Parameter(Position = 0)]
        [Alias("Destination", "OutFolder")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = ".";

        /// <summary>Overwrite files that already exist (not one another save claimed while this one downloaded).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How many downloads run at once (1: one at a time); files are written as they finish.</summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Write each task (once its files have ended) with the paths of its saved files in Files, instead of the files.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Writes "&lt;file&gt;.json" beside each video (see VideoSidecar): also for files resumed and files already saved.</summary>
        [Parameter]
        public SwitchParameter Metadata { get; set; }

        /// <summary>Names the files by a template ({Row:000}-{Name}; see NameTemplate) instead of after the task's name or id.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NameTemplateCompleter))]
        public string NameTemplate { get; set; } = null!;

        protected override void BeginProcessing()
        {
            folder = GetUnresolvedProviderPathFromPSPath(Path);
            template = ReadTemplate();
            output = new SaveOutput(this, PassThru);
            report = new SaveReporter(this, folder, output);
            journalPath = ParameterSetName == JournalSet ? GetUnresolvedProviderPathFromPSPath(Journal) : null;
        }

        protected override void ProcessRecord()
        {
            // A journal's tasks come in chunks: each chunk's status is read, its files start, and the next chunk is read
            // only once the downloads are back within bounds, so a big journal is never all in memory.
            foreach (IReadOnlyList<KlingTask> chunk in TaskRefresh.Chunks(InputTasks()))
            {
                SaveChunk(chunk);
            }
        }

        private void SaveChunk(IReadOnlyList<KlingTask> tasks)
        {
            // Tasks given by id or journal have no result links yet: their status is read for the chunk at once. A task
            // that failed stays failed: it is not read again.
            List<KlingTask> stale = tasks.Where(t => !t.IsFinished || (t.IsCompleted && t.VideoUrl.Length == 0)).ToList();
            IReadOnlyDictionary<KlingTask, GatewayException> unread = stale.Count == 0
                ? new Dictionary<KlingTask, GatewayException>()
                : Run(TaskRefresh.RefreshAsync(Client, stale, TaskRefresh.CallsAtOnce, Cancellation));
            foreach (KlingTask task in tasks)
            {
                if (unread.TryGetValue(task, out GatewayException? error))
                {
                    tally.NotSaved();
                    WriteGatewayError(error, task);
                }
                else if (IsReady(task))
                {
                    Save(task);
                }
                else
                {
                    tally.NotSaved();
                }
            }

            drain?.TakeReady(TimeSpan.Zero);
        }

        protected override void EndProcessing()
        {
            drain?.TakeAll();
            report!.Done();
            ended = true;
            drain?.Dispose();
            if (tally.Summary() is string summary)
            {
                ClosingLine.Write(this, summary, "KlingSaved");
            }
        }

        /// <summary>Also after Ctrl+C or a terminating error: the tasks whose download was under way are named on the host, with how to go on.</summary>
        public void Dispose()
        {
            if (!ended && folder != null)
            {
                StoppedRunNotice.Tell(Host, StoppedRunNotice.Save(tally.Downloading.Tasks, tally, journalPath, folder));
            }

            drain?.Dispose();
        }

        /// <summary>A task with something to download; otherwise its error, and false.</summary>
        private bool IsReady(KlingTask task)
        {
            if (task.IsFinished && !task.IsCompleted)
            {
                WriteError(TaskFailedRecord(task));
                return false;
            }

            if (!task.IsCompleted)
            {
                var notReady = new InvalidOperationException(
                    $"Task {task.TaskId} is {task.Status}, not completed, so there is nothing to download yet. Pipe it through Wait-KlingTask first.");
                WriteError(new ErrorRecord(notReady, "TaskNotCompleted", ErrorCategory.NotEnabled, task));
                return false;
            }

            if (task.VideoUrl.Length == 0)
            {
                var empty = new InvalidOperationException($"Task {task.TaskId} is completed but the gateway listed no result URL.");
                WriteError(new ErrorRecord(empty, "NoResultUrl", ErrorCategory.InvalidResult, task));
                return false;
            }

            return true;
        }

        /// <summary>A failed or cancelled task: it has no video and never will, so waiting would not help (as for a running one).</summary>
        private static ErrorRecord TaskFailedRecord(KlingTask task)
        {
            string name = task.Name != null ? " ('" + task.Name + "')" : string.Empty;
            string ended = KlingTaskStatus.IsFailed(task.Status) && !string.Equals(task.Status, KlingTaskStatus.Failed, StringComparison.OrdinalIgnoreCase) ? "was cancelled" : "failed";
            string code = task.ErrorCode != null ? $" (code {task.ErrorCode})" : string.Empty;
            string reason = task.Error ?? "no reason given";
            string stop = reason.EndsWith(".", StringComparison.Ordinal) || reason.EndsWith("\u3002", StringComparison.Ordinal) ? string.Empty : ".";
            var failure = new GatewayException(
                GatewayErrorKind.TaskFailed,
                $"Task {task.TaskId}{name} {ended}{code}: {reason}{stop} It has no video, so there is nothing to download.",
                errorCode: task.ErrorCode,
                gatewayMessage: task.Error);
            return new ErrorRecord(failure, "TaskFailed", ErrorCategory.InvalidResult, task);
        }

        private void Save(KlingTask task)
        {
            if (saveFolder == null)
            {
                saveFolder = new SaveFolder(folder!, Force, template);
                if (saveFolder.IndexProblem != null)
                {
                    WriteWarning($"Could not read {SavedFileIndex.FileName} in {folder} ({saveFolder.IndexProblem}); videos saved before are not recognised and may be saved again under other names.");
                }
            }

            output!.Open(task);
            for (int i = 0; i < task.VideoUrl.Length; i++)
            {
                if (!Uri.TryCreate(task.VideoUrl[i], UriKind.Absolute, out Uri? url))
                {
                    tally.NotSaved();
                    WriteError(new ErrorRecord(new InvalidOperationException($"Task {task.TaskId} has an unusable result URL."), "BadResultUrl", ErrorCategory.InvalidResult, task));
                    continue;
                }

                SaveSlot slot = saveFolder.PickFor(task, i);
                if (slot.PassedOver != null)
                {
                    WriteWarning($"{System.IO.Path.Combine(folder!, slot.PassedOver)} already exists and is not the video of task {task.TaskId}; it is kept, and the video goes to {slot.FileName} (use -Force to overwrite).");
                }

                if (slot.AlreadySaved)
                {
                    WriteVerbose($"{slot.Path} already holds the video of task {task.TaskId}; not downloaded again (use -Force to).");
                    tally.AlreadySaved();
                    if (Metadata && ShouldProcess(VideoSidecar.PathFor(slot.Path), $"Write the metadata of task {task.TaskId}'s video"))
                    {
                        WriteSidecar(task, i, slot.Path, slot.AlreadySavedAs!.Bytes, slot.AlreadySavedAs.At);
                    }

                    report!.AlreadySaved(slot.Path, i);
                    continue;
                }

                string action = slot.Existed ? $"Overwrite the existing file with the video of task {task.TaskId}" : $"Download the video of task {task.TaskId}";
                if (ShouldProcess(slot.Path, action) && CreateFolder())
                {
                    Start(task, i, url!, slot);
                }
            }

            output.Close();
        }

        private bool CreateFolder()
        {
            try
            {
                Directory.CreateDirectory(folder!);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                tally.NotSaved();
                WriteError(new ErrorRecord(ex, "DownloadFailed", ErrorCategory.WriteError, folder));
                return false;
            }
        }

        private void Start(KlingTask task, int index, Uri url, SaveSlot slot)
        {
            slot.TakeOverPartial();
            if (queue == null)
            {
                queue = new DownloadQueue(Client, ThrottleLimit, Cancellation);
                drain = DrainOf(queue, Finish, ShowProgress);
            }

            // Downloads go on in the background while the next input is read; the pipeline waits only for room among the
            // files outstanding (bounded buffering), never for one download.
            drain!.MakeRoom(ThrottleLimit);
            var job = new DownloadJob(task, index, url, slot.Path) { Claim = slot.Claim, SavedMeanwhile = slot.SavedMeanwhile };
            report!.Started(job, slot);
            output!.Started(job.Id);
            tally.Started(task);
            queue.Start(job);
        }

        private void Finish(DownloadOutcome outcome)
        {
            if (Metadata && outcome.Error == null)
            {
                WriteSidecar(outcome.Job.Task, outcome.Job.Index, outcome.Path, outcome.Bytes, DateTimeOffset.UtcNow);
            }

            report!.Finish(outcome, Cancellation.IsCancellationRequested);
            if (outcome.Error == null)
            {
                tally.Done(outcome.Job.Task, outcome.Bytes);
            }
            else
            {
                tally.DownloadFailed(outcome.Job.Task);
            }
        }

        /// <summary>-NameTemplate read before anything is downloaded: a bad one is the parameter's error, naming the placeholder.</summary>
        private Core.Downloads.NameTemplate? ReadTemplate()
        {
            if (NameTemplate == null)
            {
                return null;
            }

            try
            {
                return Core.Downloads.NameTemplate.Parse(NameTemplate);
            }
            catch (ArgumentException ex)
            {
                var invalid = new ArgumentException("Cannot validate argument on parameter 'NameTemplate'. " + ex.Message, ex);
                ThrowTerminatingError(new ErrorRecord(invalid, "InvalidNameTemplate", ErrorCategory.InvalidArgument, NameTemplate));
                return null;
            }
        }

        /// <summary>The video's sidecar (-Metadata); a file Kling did not write under its name is kept, with a warning.</summary>
        private void WriteSidecar(KlingTask task, int index, string videoPath, long bytes, DateTimeOffset savedAt)
        {
            try
            {
                if (VideoSidecar.Write(task, index, videoPath, bytes, savedAt) == SidecarResult.Foreign)
                {
                    WriteWarning($"{VideoSidecar.PathFor(videoPath)} exists and was not written by Kling; it is kept, and the metadata of task {task.TaskId}'s video is not written.");
                }
            }
            catch (LocalFileException ex)
            {
                WriteError(new ErrorRecord(ex, "MetadataWriteFailed", ex.AccessDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, task));
            }
        }

        private void ShowProgress() => report!.ShowProgress(queue!.Running);
    }
}
