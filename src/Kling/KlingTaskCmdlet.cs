using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Batches;

namespace Kling.Commands
{
    /// <summary>
    /// What Get-KlingTask, Wait-KlingTask and Save-KlingVideo take: tasks from the pipeline (-InputObject), task ids
    /// (-TaskId, also by property name: task_id, Id) or the tasks a New-KlingVideo journal records (-Journal).
    /// </summary>
    public abstract class KlingTaskCmdlet : KlingCmdlet
    {
        protected const string TaskSet = "Task";
        protected const string IdSet = "TaskId";
        protected const string JournalSet = "Journal";

        /// <summary>Tasks, as New-KlingVideo or Wait-KlingTask write them (their Name and Row are kept).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TaskSet)]
        public virtual KlingTask[] InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("task_id", "Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public virtual string[] TaskId { get; set; } = null!;

        /// <summary>Every task a New-KlingVideo -Journal file records as submitted (keeping their names and rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = JournalSet)]
        [ValidateNotNullOrEmpty]
        public string Journal { get; set; } = null!;

        /// <summary>The tasks of this pipeline input, whichever way they came.</summary>
        protected IEnumerable<KlingTask> InputTasks()
        {
            switch (ParameterSetName)
            {
                case IdSet:
                    return TaskId.Select(id => new KlingTask(id.Trim()));
                case JournalSet:
                    return ReadJournal();
                default:
                    return InputObject.Where(t => t != null);
            }
        }

        /// <summary>
        /// The submitted tasks of the journal, one at a time (a big journal is never all in memory); it may be held by a
        /// running batch (it is only read).
        /// </summary>
        private IEnumerable<KlingTask> ReadJournal()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Journal);
            try
            {
                return SubmissionJournal.StreamTasks(path);
            }
            catch (JournalException ex)
            {
                ThrowTerminatingError(JournalErrors.From(ex));
                throw;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(JournalErrors.Unavailable(ex, path));
                throw;
            }
        }
    }
}
