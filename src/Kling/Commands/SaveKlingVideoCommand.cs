using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// Downloads the videos of completed tasks into a folder, streamed to disk, named after the task's
    /// -Name (or its id). The download host never receives the API key.
    /// </summary>
    [Cmdlet(VerbsData.Save, "KlingVideo", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveKlingVideoCommand : KlingCmdlet
    {
        private const string TaskSet = "Task";
        private const string IdSet = "TaskId";
        private const string JournalSet = "Journal";

        private readonly HashSet<string> usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private string? folder;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TaskSet)]
        public KlingTask[] InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("task_id", "Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = null!;

        /// <summary>Saves every task a New-KlingVideo -Journal file records as submitted.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JournalSet)]
        [ValidateNotNullOrEmpty]
        public string Journal { get; set; } = null!;

        /// <summary>The folder to save into (created when missing); relative paths resolve against the current location.</summary>
        [Parameter(Position = 0)]
        [Alias("Destination", "OutFolder")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = ".";

        /// <summary>Overwrite files that already exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            folder = GetUnresolvedProviderPathFromPSPath(Path);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == JournalSet)
            {
                foreach (KlingTask task in WaitKlingTaskCommand.ReadJournal(this, Journal))
                {
                    Save(task);
                }
            }
            else if (ParameterSetName == IdSet)
            {
                foreach (string id in TaskId)
                {
                    Save(new KlingTask(id.Trim()));
                }
            }
            else
            {
                foreach (KlingTask task in InputObject)
                {
                    if (task != null)
                    {
                        Save(task);
                    }
                }
            }
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
            for (int i = 0; i < task.VideoUrl.Length; i++)
            {
                string fileName = UniqueName(task.VideoUrl.Length > 1 ? $"{stem}-{i + 1}" : stem, ".mp4");
                string target = System.IO.Path.Combine(folder!, fileName);
                if (!Uri.TryCreate(task.VideoUrl[i], UriKind.Absolute, out Uri? url))
                {
                    WriteError(new ErrorRecord(new InvalidOperationException($"Task {task.TaskId} has an unusable result URL."), "BadResultUrl", ErrorCategory.InvalidResult, task));
                    continue;
                }

                if (File.Exists(target) && !Force)
                {
                    WriteWarning($"{target} already exists; kept as it is (use -Force to download again).");
                    WriteObject(Tag(new FileInfo(target), task));
                    continue;
                }

                if (!ShouldProcess(target, $"Download the video of task {task.TaskId}"))
                {
                    continue;
                }

                try
                {
                    Directory.CreateDirectory(folder!);
                    WriteProgress(new ProgressRecord(2, "Saving Kling videos", $"{fileName} ({task.TaskId})"));
                    long bytes = Run(Client.DownloadAsync(url!, target, Cancellation));
                    WriteVerbose($"Saved {bytes} bytes to {target}.");
                    WriteObject(Tag(new FileInfo(target), task));
                }
                catch (GatewayException ex)
                {
                    WriteGatewayError(ex, task);
                }
                catch (IOException ex)
                {
                    WriteError(new ErrorRecord(ex, "DownloadFailed", ErrorCategory.WriteError, task));
                }
                catch (UnauthorizedAccessException ex)
                {
                    WriteError(new ErrorRecord(ex, "DownloadFailed", ErrorCategory.PermissionDenied, task));
                }
            }
        }

        protected override void EndProcessing()
        {
            WriteProgress(new ProgressRecord(2, "Saving Kling videos", "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>Two tasks with the same -Name in one run get name_2, name_3, ... instead of overwriting each other.</summary>
        private string UniqueName(string stem, string extension)
        {
            string candidate = stem + extension;
            for (int n = 2; !usedNames.Add(candidate); n++)
            {
                candidate = $"{stem}_{n}{extension}";
            }

            return candidate;
        }

        private static PSObject Tag(FileInfo file, KlingTask task)
        {
            var result = new PSObject(file);
            result.Properties.Add(new PSNoteProperty("TaskId", task.TaskId));
            result.Properties.Add(new PSNoteProperty("TaskName", task.Name));
            return result;
        }
    }
}
