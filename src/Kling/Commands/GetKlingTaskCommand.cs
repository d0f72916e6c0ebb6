using System.Management.Automation;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>Reads the current status of tasks by id.</summary>
    [Cmdlet(VerbsCommon.Get, "KlingTask", DefaultParameterSetName = IdSet)]
    [OutputType(typeof(KlingTask))]
    public sealed class GetKlingTaskCommand : KlingTaskCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (KlingTask known in InputTasks())
            {
                try
                {
                    // The status read into the task given, so a journal's or a pipeline task's Name and Row stay.
                    known.Update(Run(Client.GetTaskAsync(known.TaskId, Cancellation)));
                    RecentTasks.Remember(known.TaskId);
                    WriteObject(known);
                }
                catch (GatewayException ex)
                {
                    WriteGatewayError(ex, ParameterSetName == IdSet ? known.TaskId : (object)known);
                }
            }
        }
    }
}
