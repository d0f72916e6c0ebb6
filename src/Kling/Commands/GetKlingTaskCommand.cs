using System.Management.Automation;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>Reads the current status of tasks by id.</summary>
    [Cmdlet(VerbsCommon.Get, "KlingTask")]
    [OutputType(typeof(KlingTask))]
    public sealed class GetKlingTaskCommand : KlingCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("task_id", "Id")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = null!;

        protected override void ProcessRecord()
        {
            foreach (string id in TaskId)
            {
                try
                {
                    KlingTask task = Run(Client.GetTaskAsync(id, Cancellation));
                    RecentTasks.Remember(task.TaskId);
                    WriteObject(task);
                }
                catch (GatewayException ex)
                {
                    WriteGatewayError(ex, id);
                }
            }
        }
    }
}
