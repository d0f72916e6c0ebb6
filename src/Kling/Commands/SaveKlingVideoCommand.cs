using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// Downloads the videos of completed tasks into a folder, streamed to disk, named after the task's
    /// -Name (or its id). Cut connections resume with Range; expired links are refreshed once from the task's
    /// status; with -Parallel several files download at once. The download host never receives the API key.
    /// </summary>
    [Cmdlet(VerbsData.Save, "KlingVideo", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveKlingVideoCommand : KlingTaskCmdlet
    {
        private const int ProgressId = 2;
        private const int FileProgressBase = 1000;
        private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);
        private static readonly TimeSpan DrainWait = TimeSpan.FromMilliseconds(100);

        private readonly Dictionary<int, string> shownFiles = new Dictionary<int, string>();
        private readonly Dictionary<int, SaveSlot> slots = new Dictionary<int, SaveSlot>();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan lastProgress = TimeSpan.Zero;
        private string? folder;
        private DownloadQueue? queue;
        private SaveFolder? saveFolder;
        private int filesStarted;
        private int filesDone;
        private int filesFailed;
        private long bytesDone;

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

        /// <summary>Download several files at once (as many as -ThrottleLimit); files are written as they finish.</summary>
        [Parameter]
        public SwitchParameter Parallel { get; set; }

        /// <summary>How many downloads run at once with -Parallel (giving it implies -Parallel).</summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 4;

        private bool InParallel => Parallel.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit));

        protected override void BeginProcessing()
        {
            folder = GetUnresolvedProviderPathFromPSPath(Path);
        }

        protected override void ProcessRecord()
        {
            foreach (KlingTask task in InputTasks())
            {
                Save(task);
            }

            // One file at a time unless -Parallel: each input is saved (and written out) before the next is read.
            int keep = InParallel ? ThrottleLimit * 2 : 0;
            while (queue != null && queue.Outstanding > keep)
            {
                Drain(DrainWait);
            }

            while (queue != null && Drain(TimeSpan.Zero))
            {
            }
        }

        protected override void EndProcessing()
        {
            while (queue != null && queue.Outstanding > 0)
            {
                Drain(DrainWait);
            }

            WriteProgress(new ProgressRecord(ProgressId, "Saving Kling videos", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void Save(KlingTask task)
        {
            if (!task.IsCompleted || task.VideoUrl.Length == 0)
            {
                try
                {
                    task.Update(Run(Client.GetTaskAsync(task.TaskId, Cancellation)));
                }
                catch (GatewayException ex)
                {
                    WriteGatewayError(ex, task);
                    return;
                }
            }

            if (!task.IsCompleted)
            {
                var notReady = new InvalidOperationException(
                    $"Task {task.TaskId} is {task.Status}, not completed, so there is nothing to download yet. Pipe it through Wait-KlingTask first.");
                WriteError(new ErrorRecord(notReady, "TaskNotCompleted", task.IsFinished ? ErrorCategory.InvalidResult : ErrorCategory.NotEnabled, task));
                return;
            }

            if (task.VideoUrl.Length == 0)
            {
                var empty = new InvalidOperationException($"Task {task.TaskId} is completed but the gateway listed no result URL.");
                WriteError(new ErrorRecord(empty, "NoResultUrl", ErrorCategory.InvalidResult, task));
                return;
            }

            string stem = SafeFileName.From(task.Name, task.TaskId);
            if (saveFolder == null)
            {
                saveFolder = new SaveFolder(folder!, Force);
                if (saveFolder.IndexProblem != null)
                {
                    WriteWarning($"Could not read {SavedFileIndex.FileName} in {folder} ({saveFolder.IndexProblem}); videos saved before are not recognised and may be saved again under other names.");
                }
            }
            for (int i = 0; i < task.VideoUrl.Length; i++)
            {
                if (!Uri.TryCreate(task.VideoUrl[i], UriKind.Absolute, out Uri? url))
                {
                    WriteError(new ErrorRecord(new InvalidOperationException($"Task {task.TaskId} has an unusable result URL."), "BadResultUrl", ErrorCategory.InvalidResult, task));
                    continue;
                }

                SaveSlot slot = saveFolder.Pick(stem, task.VideoUrl.Length > 1 ? $"-{i + 1}" : string.Empty, ".mp4", task.TaskId, i);
                string target = slot.Path;
                if (slot.PassedOver != null)
                {
                    WriteWarning($"{System.IO.Path.Combine(folder!, slot.PassedOver)} already exists and is not the video of task {task.TaskId}; it is kept, and the video goes to {slot.FileName} (use -Force to overwrite).");
                }

                if (slot.AlreadySaved)
                {
                    WriteVerbose($"{target} already holds the video of task {task.TaskId}; not downloaded again (use -Force to).");
                    WriteObject(Tag(new FileInfo(target), task));
                    continue;
                }

                string action = slot.Existed
                    ? $"Overwrite the existing file with the video of task {task.TaskId}"
                    : $"Download the video of task {task.TaskId}";
                if (!ShouldProcess(target, action))
                {
                    continue;
                }

                try
                {
                    Directory.CreateDirectory(folder!);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(ex, "DownloadFailed", ErrorCategory.WriteError, folder));
                    return;
                }

                slot.TakeOverPartial();
                queue ??= new DownloadQueue(Client, InParallel ? ThrottleLimit : 1, Cancellation);
                var job = new DownloadJob(task.TaskId, i, url!, target, task) { Claim = slot.Claim };
                slots[job.Id] = slot;
                queue.Start(job);
                filesStarted++;
            }
        }

        /// <summary>Writes one finished download (and the progress bar when due), on the pipeline thread; false when none was ready.</summary>
        private bool Drain(TimeSpan wait)
        {
            if (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            bool took = queue!.TryTake(wait, out DownloadOutcome? outcome);
            FlushTrace();
            if (took && outcome != null)
            {
                Finish(outcome);
            }

            ShowProgress();
            return took;
        }

        private void Finish(DownloadOutcome outcome)
        {
            DownloadJob job = outcome.Job;
            var task = (KlingTask)job.State!;
            SaveSlot slot = slots[job.Id];
            slots.Remove(job.Id);
            if (shownFiles.Remove(job.Id))
            {
                WriteProgress(new ProgressRecord(FileProgressBase + job.Id, System.IO.Path.GetFileName(job.TargetPath), "Done") { ParentActivityId = ProgressId, RecordType = ProgressRecordType.Completed });
            }

            switch (outcome.Error)
            {
                case null:
                    filesDone++;
                    bytesDone += outcome.Bytes;
                    if (slot.TakenMeanwhile != null)
                    {
                        WriteWarning($"{System.IO.Path.Combine(folder!, slot.TakenMeanwhile)} was saved by another task while this one downloaded; it is kept, and the video of task {job.TaskId} goes to {slot.FinalName}.");
                    }

                    if (slot.IndexError != null)
                    {
                        WriteWarning($"Could not note {outcome.Path} in {SavedFileIndex.FileName} ({slot.IndexError}); a rerun will save that video under another name.");
                    }

                    WriteVerbose($"Saved {outcome.Bytes} bytes to {outcome.Path}.");
                    WriteObject(Tag(new FileInfo(outcome.Path), task));
                    return;
                case OperationCanceledException _ when Cancellation.IsCancellationRequested:
                    throw new PipelineStoppedException();
                case GatewayException ex:
                    filesFailed++;
                    WriteGatewayError(ex, task);
                    return;
                case LocalFileException ex:
                    // The disk's failure, not the download's: that file's error, at once.
                    filesFailed++;
                    WriteError(new ErrorRecord(ex, "FileWriteFailed", ex.AccessDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, task));
                    return;
                case UnauthorizedAccessException ex:
                    filesFailed++;
                    WriteError(new ErrorRecord(ex, "DownloadFailed", ErrorCategory.PermissionDenied, task));
                    return;
                case Exception ex:
                    filesFailed++;
                    WriteError(new ErrorRecord(ex, "DownloadFailed", ErrorCategory.WriteError, task));
                    return;
            }
        }

        /// <summary>One parent bar for the run and one child bar per running file, at most four times a second.</summary>
        private void ShowProgress()
        {
            TimeSpan now = clock.Elapsed;
            if (now - lastProgress < ProgressEvery)
            {
                return;
            }

            lastProgress = now;
            IReadOnlyList<DownloadJob> running = queue!.Running;
            long received = bytesDone;
            double fraction = filesDone + filesFailed;
            foreach (DownloadJob job in running)
            {
                long got = job.Progress.Received;
                long? total = job.Progress.Total;
                received += got;
                if (total > 0)
                {
                    fraction += Math.Min(1.0, (double)got / total.Value);
                }

                string name = System.IO.Path.GetFileName(job.TargetPath);
                shownFiles[job.Id] = name;
                var child = new ProgressRecord(FileProgressBase + job.Id, name, total > 0 ? $"{Megabytes(got)} of {Megabytes(total.Value)} MB" : $"{Megabytes(got)} MB")
                {
                    ParentActivityId = ProgressId,
                    PercentComplete = total > 0 ? (int)Math.Min(100, got * 100 / total.Value) : -1,
                };
                WriteProgress(child);
            }

            double seconds = Math.Max(0.001, clock.Elapsed.TotalSeconds);
            string status = $"{filesDone} of {filesStarted} file(s) saved{(filesFailed > 0 ? $", {filesFailed} failed" : string.Empty)}, {Megabytes(received)} MB ({Megabytes((long)(received / seconds))} MB/s)";
            WriteProgress(new ProgressRecord(ProgressId, "Saving Kling videos", status)
            {
                PercentComplete = filesStarted == 0 ? 0 : (int)Math.Min(100, fraction * 100 / filesStarted),
            });
        }

        private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

        private static PSObject Tag(FileInfo file, KlingTask task)
        {
            var result = new PSObject(file);
            result.Properties.Add(new PSNoteProperty("TaskId", task.TaskId));
            result.Properties.Add(new PSNoteProperty("TaskName", task.Name));
            return result;
        }
    }
}
