using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// What Save-KlingVideo writes to the pipeline, on the pipeline thread: each file on disk as the file system gives it
    /// (what Get-Item gives: the provider's object with PSPath, and on Linux and macOS its UnixMode, User, Group and
    /// Size) with the task's TaskId, Row, TaskName and Model added; or, with -PassThru, each task once all its files have
    /// ended, with the paths of those on disk in Files (an array whose text is the paths joined, see <see cref="ExportValues"/>).
    /// </summary>
    internal sealed class SaveOutput
    {
        private const string FileSystem = @"Microsoft.PowerShell.Core\FileSystem::";

        private readonly PSCmdlet cmdlet;
        private readonly bool passThru;
        private readonly Dictionary<int, TaskFiles> byJob = new Dictionary<int, TaskFiles>();
        private TaskFiles? current;

        internal SaveOutput(PSCmdlet cmdlet, bool passThru)
        {
            this.cmdlet = cmdlet;
            this.passThru = passThru;
        }

        /// <summary>A task's files begin: those found saved and those started, until <see cref="Close"/>.</summary>
        internal void Open(KlingTask task) => current = new TaskFiles(task);

        /// <summary>A download started for the open task.</summary>
        internal void Started(int jobId)
        {
            current!.Outstanding++;
            byJob[jobId] = current;
        }

        /// <summary>A file of the open task found already saved: written, not downloaded.</summary>
        internal void AlreadySaved(string path, int index)
        {
            if (passThru)
            {
                current!.Paths.Add(new KeyValuePair<int, string>(index, path));
            }
            else
            {
                cmdlet.WriteObject(FileObject(path, current!.Task));
            }
        }

        /// <summary>A download ended: its file on disk (<paramref name="path"/>), or failed (null), its error written already.</summary>
        internal void Ended(int jobId, int index, string? path)
        {
            if (!byJob.TryGetValue(jobId, out TaskFiles? files))
            {
                return;
            }

            byJob.Remove(jobId);
            files.Outstanding--;
            if (path != null)
            {
                if (passThru)
                {
                    files.Paths.Add(new KeyValuePair<int, string>(index, path));
                }
                else
                {
                    cmdlet.WriteObject(FileObject(path, files.Task));
                }
            }

            WriteTaskIfDone(files);
        }

        /// <summary>All the open task's URLs are handled (found saved, started, or refused).</summary>
        internal void Close()
        {
            if (current != null)
            {
                current.Closed = true;
                WriteTaskIfDone(current);
                current = null;
            }
        }

        private void WriteTaskIfDone(TaskFiles files)
        {
            if (!passThru || !files.Closed || files.Outstanding > 0 || files.Paths.Count == 0 || files.Written)
            {
                return;
            }

            files.Written = true;
            var result = new PSObject(files.Task);
            result.Properties.Remove("Files");
            result.Properties.Add(new PSNoteProperty("Files", ExportValues.List(files.Paths.OrderBy(p => p.Key).Select(p => p.Value))));
            cmdlet.WriteObject(result);
        }

        /// <summary>The file as the file system provider gives it (Get-Item -LiteralPath), tagged with its task.</summary>
        private PSObject FileObject(string path, KlingTask task)
        {
            PSObject item;
            try
            {
                item = cmdlet.SessionState.InvokeProvider.Item.Get(new[] { FileSystem + path }, false, true).First();
            }
            catch (System.Exception ex) when (ex is ProviderInvocationException || ex is ItemNotFoundException || ex is System.InvalidOperationException || ex is IOException)
            {
                item = new PSObject(new FileInfo(path));
            }

            item.Properties.Add(new PSNoteProperty("TaskId", task.TaskId));
            item.Properties.Add(new PSNoteProperty("Row", task.Row));
            item.Properties.Add(new PSNoteProperty("TaskName", task.Name));
            item.Properties.Add(new PSNoteProperty("Model", task.Model));
            return item;
        }

        /// <summary>One task's files, as they end.</summary>
        private sealed class TaskFiles
        {
            internal TaskFiles(KlingTask task) => Task = task;

            internal KlingTask Task { get; }

            internal List<KeyValuePair<int, string>> Paths { get; } = new List<KeyValuePair<int, string>>();

            internal int Outstanding { get; set; }

            internal bool Closed { get; set; }

            internal bool Written { get; set; }
        }
    }
}
