using System.Management.Automation;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>Reads the current status of tasks by id.</summary>
    [Cmdlet(VerbsCommon.Get, "KlingTask", DefaultParameterSetName = IdSet)]
    [OutputType(typeof(KlingTask))]
    public sealed class GetKlingTaskCommand : KlingCmdlet
    {
        private const string IdSet = "TaskId";
        private const string JournalSet = "Journal";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("task_id", "Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = null!;

        /// <summary>Reads every task a New-KlingVideo -Journal file records as submitted (keeping their names and rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = JournalSet)]
        [ValidateNotNullOrEmpty]
        public string Journal { get; set; } = null!;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == JournalSet)
            {
                foreach (KlingTask known in WaitKlingTaskCommand.ReadJournal(this, Journal))
                {
                    Read(known.TaskId, known);
                }

                return;
            }

            foreach (string id in TaskId)
            {
                Read(id, null);
            }
        }

        private void Read(string id, KlingTask? known)
        {
            try
            {
                KlingTask task = Run(Client.GetTaskAsync(id, Cancellation));
                if (known != null)
                {
                    known.Update(task);
                    task = known;
                }

                RecentTasks.Remember(task.TaskId);
                WriteObject(task);
            }
            catch (GatewayException ex)
            {
                WriteGatewayError(ex, (object?)known ?? id);
            }
        }
    }
}
