using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.History;
using Kling.Core.Tasks;

namespace Kling.Commands
{
    /// <summary>
    /// Reads the current status of tasks: by id, from the pipeline, from a journal, or from the user's task history
    /// (-History: every task New-KlingVideo had accepted, whatever stopped its batch).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KlingTask", DefaultParameterSetName = IdSet, HelpUri = HelpLinks.GetKlingTask)]
    [OutputType(typeof(KlingTask))]
    public sealed class GetKlingTaskCommand : KlingTaskCmdlet
    {
        private const string HistorySet = "History";

        /// <summary>The tasks of the user's task history (every task New-KlingVideo had accepted), oldest first.</summary>
        [Parameter(Mandatory = true, ParameterSetName = HistorySet)]
        public SwitchParameter History { get; set; }

        /// <summary>Only the history's tasks accepted at or after this time (a local time unless it says otherwise).</summary>
        [Parameter(ParameterSetName = HistorySet)]
        public DateTime Since { get; set; }

        /// <summary>Only the newest so many of the history's tasks (after -Since and -BatchId).</summary>
        [Parameter(ParameterSetName = HistorySet)]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; }

        /// <summary>Only the tasks of this batch (one New-KlingVideo command), as its stop message and each task's BatchId name it.</summary>
        [Parameter(ParameterSetName = HistorySet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BatchIdCompleter))]
        public string BatchId { get; set; } = null!;

        protected override void ProcessRecord()
        {
            // Tasks come in chunks: each chunk's status is read at once (a bounded number of calls in flight), then written in order.
            foreach (IReadOnlyList<KlingTask> chunk in TaskRefresh.Chunks(ParameterSetName == HistorySet ? ReadHistory() : InputTasks()))
            {
                Refresh(chunk);
            }
        }

        private void Refresh(IReadOnlyList<KlingTask> tasks)
        {
            // The status is read into the task given, so a journal's, the history's or a pipeline task's Name and Row stay.
            IReadOnlyDictionary<KlingTask, GatewayException> unread = Run(TaskRefresh.RefreshAsync(Client, tasks, TaskRefresh.CallsAtOnce, Cancellation));
            foreach (KlingTask task in tasks)
            {
                if (unread.TryGetValue(task, out GatewayException? error))
                {
                    WriteGatewayError(error, ParameterSetName == IdSet ? task.TaskId : (object)task);
                    continue;
                }

                RecentTasks.Remember(task.TaskId);
                WriteObject(task);
            }
        }

        /// <summary>The history's tasks that match, after a warning for each batch with submissions in doubt.</summary>
        private IReadOnlyList<KlingTask> ReadHistory()
        {
            HistorySelection found;
            HistoryFile file;
            try
            {
                file = new HistoryFile(HistoryLocation.FilePath());
                var query = new HistoryQuery
                {
                    Since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? ToInstant(Since) : (DateTimeOffset?)null,
                    Last = MyInvocation.BoundParameters.ContainsKey(nameof(Last)) ? Last : (int?)null,
                    BatchId = BatchId,
                };
                found = query.Run(file);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "HistoryUnavailable", ErrorCategory.OpenError, null)
                {
                    ErrorDetails = new ErrorDetails($"The task history could not be read: {ex.Message}"),
                });
                throw;
            }

            if (HistoryLocation.IsOff)
            {
                WriteWarning($"$env:{HistoryLocation.SwitchVariable} is 'off': batches run with it off are not in the task history {file.Path}.");
            }

            if (BatchId != null && found.Tasks.Count == 0 && found.InDoubt.Count == 0)
            {
                var missing = new ItemNotFoundException($"The task history {file.Path} has no batch '{BatchId}'.");
                WriteError(new ErrorRecord(missing, "BatchNotInHistory", ErrorCategory.ObjectNotFound, BatchId));
            }

            foreach (IGrouping<string, HistoryEntry> batch in found.InDoubt.GroupBy(e => e.BatchId, StringComparer.OrdinalIgnoreCase))
            {
                WriteWarning(InDoubtWarning(batch.Key, batch.ToList()));
            }

            return found.Tasks.Select(e => e.ToTask()).ToList();
        }

        /// <summary>A DateTime as the user meant it: UTC when it says so, else local time.</summary>
        private static DateTimeOffset ToInstant(DateTime time) =>
            time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Local));

        private static string InDoubtWarning(string batchId, IReadOnlyList<HistoryEntry> inDoubt)
        {
            string rows = string.Join(", ", inDoubt.Select(e => Core.Requests.RowLabel.Of(e.Row, e.Name) +
                (e.InDoubt == HistoryEntry.CutOff ? " (cut off when the batch was stopped)" : " (no clear answer from the gateway)")));
            string journal = inDoubt[0].Journal == null ? string.Empty : $" (journal {inDoubt[0].Journal})";
            return $"Batch {batchId}{journal} has {inDoubt.Count} submission(s) in doubt, with no task id: {rows}. " +
                   "They may have been accepted and billed: look for them on the gateway before sending those rows again.";
        }
    }
}
