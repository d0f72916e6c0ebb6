using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// What Save-KlingVideo writes as downloads finish, on the pipeline thread: each saved file (through
    /// <see cref="SaveOutput"/>), each file's error by its cause, and one progress bar for the run with a child bar per running file.
    /// </summary>
    internal sealed class SaveReporter
    {
        private const int ProgressId = 2;
        private const int FileProgressBase = 1000;

        private readonly KlingCmdlet cmdlet;
        private readonly string folder;
        private readonly SaveOutput output;
        private readonly Dictionary<int, string> shownFiles = new Dictionary<int, string>();
        private readonly Dictionary<int, SaveSlot> slots = new Dictionary<int, SaveSlot>();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private int filesStarted;
        private int filesDone;
        private int filesFailed;
        private long bytesDone;

        internal SaveReporter(KlingCmdlet cmdlet, string folder, SaveOutput output)
        {
            this.cmdlet = cmdlet;
            this.folder = folder;
            this.output = output;
        }

        internal void Started(DownloadJob job, SaveSlot slot)
        {
            slots[job.Id] = slot;
            filesStarted++;
        }

        /// <summary>A file already saved by an earlier run (or one in the folder's index): written, not downloaded.</summary>
        internal void AlreadySaved(string path, int index) => output.AlreadySaved(path, index);

        internal void Finish(DownloadOutcome outcome, bool cancelled)
        {
            DownloadJob job = outcome.Job;
            SaveSlot slot = slots[job.Id];
            slots.Remove(job.Id);
            if (shownFiles.Remove(job.Id))
            {
                cmdlet.WriteProgress(new ProgressRecord(FileProgressBase + job.Id, Path.GetFileName(job.TargetPath), "Done") { ParentActivityId = ProgressId, RecordType = ProgressRecordType.Completed });
            }

            if (outcome.Error == null)
            {
                Saved(outcome, slot);
                return;
            }

            if (outcome.Error is OperationCanceledException && cancelled)
            {
                throw new PipelineStoppedException();
            }

            filesFailed++;
            Failed(outcome);
            output.Ended(job.Id, job.Index, null);
        }

        private void Failed(DownloadOutcome outcome)
        {
            DownloadJob job = outcome.Job;
            switch (outcome.Error)
            {
                case GatewayException ex:
                    cmdlet.WriteGatewayError(ex, job.Task);
                    break;
                case LocalFileException ex when ex.NotIndexedVideo:
                    // The video is whole, under its temporary name: what failed is the note that it is this task's.
                    cmdlet.WriteError(new ErrorRecord(ex, "SavedFileIndexFailed", ex.AccessDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, job.Task));
                    break;
                case LocalFileException ex:
                    // The disk's failure, not the download's: that file's error, at once.
                    cmdlet.WriteError(new ErrorRecord(ex, "FileWriteFailed", ex.AccessDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, job.Task));
                    break;
                case UnauthorizedAccessException ex:
                    cmdlet.WriteError(new ErrorRecord(ex, "DownloadFailed", ErrorCategory.PermissionDenied, job.Task));
                    break;
                default:
                    cmdlet.WriteError(new ErrorRecord(outcome.Error, "DownloadFailed", ErrorCategory.WriteError, job.Task));
                    break;
            }
        }

        /// <summary>One parent bar for the run and one child bar per running file (as often as the drain shows progress).</summary>
        internal void ShowProgress(IReadOnlyList<DownloadJob> running)
        {
            long received = bytesDone;
            double fraction = filesDone + filesFailed;
            foreach (DownloadJob job in running)
            {
                long got = job.Progress.Received;
                long? total = job.Progress.Total;
                received += got;
                fraction += total > 0 ? Math.Min(1.0, (double)got / total.Value) : 0;
                string name = Path.GetFileName(job.TargetPath);
                shownFiles[job.Id] = name;
                cmdlet.WriteProgress(new ProgressRecord(FileProgressBase + job.Id, name, total > 0 ? $"{Megabytes(got)} of {Megabytes(total.Value)} MB" : $"{Megabytes(got)} MB")
                {
                    ParentActivityId = ProgressId,
                    PercentComplete = total > 0 ? (int)Math.Min(100, got * 100 / total.Value) : -1,
                });
            }

            double seconds = Math.Max(0.001, clock.Elapsed.TotalSeconds);
            string status = $"{filesDone} of {filesStarted} file(s) saved{(filesFailed > 0 ? $", {filesFailed} failed" : string.Empty)}, {Megabytes(received)} MB ({Megabytes((long)(received / seconds))} MB/s)";
            cmdlet.WriteProgress(new ProgressRecord(ProgressId, "Saving Kling videos", status)
            {
                PercentComplete = filesStarted == 0 ? 0 : (int)Math.Min(100, fraction * 100 / filesStarted),
            });
        }

        internal void Done() =>
            cmdlet.WriteProgress(new ProgressRecord(ProgressId, "Saving Kling videos", "Done") { RecordType = ProgressRecordType.Completed });

        private void Saved(DownloadOutcome outcome, SaveSlot slot)
        {
            filesDone++;
            bytesDone += outcome.Bytes;
            if (slot.TakenMeanwhile != null)
            {
                cmdlet.WriteWarning($"{Path.Combine(folder, slot.TakenMeanwhile)} was saved by another task while this one downloaded; it is kept, and the video of task {outcome.Job.TaskId} goes to {slot.FinalName}.");
            }

            cmdlet.WriteVerbose(slot.SavedByOther
                ? $"{outcome.Path} was saved with the video of task {outcome.Job.TaskId} by another process while this one waited for it; not downloaded again."
                : $"Saved {outcome.Bytes} bytes to {outcome.Path}.");
            output.Ended(outcome.Job.Id, outcome.Job.Index, outcome.Path);
        }

        private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
