using System.Collections.Generic;
using System.Linq;
using Kling.Core;
using Kling.Core.History;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// What New-KlingVideo says of a batch that stopped before its end (401, 402, a terminating error, Ctrl+C): how many
    /// tasks it had accepted and the command that picks them up, the submissions cut off without an answer, the tasks
    /// accepted while it stopped. Only words: the caller writes them (to the pipeline, or to the host once it is gone).
    /// </summary>
    internal static class StoppedBatchNotice
    {
        private const string Downstream = " | Wait-KlingTask | Save-KlingVideo -Path ./out";

        /// <summary>The command that gets the batch's tasks back: from the history, else from the journal; null when neither has them.</summary>
        internal static string? PickUpCommand(BatchHistory history)
        {
            if (history.File != null && history.Recorded > 0)
            {
                return $"Get-KlingTask -History -BatchId {history.BatchId}" + Downstream;
            }

            return history.JournalPath == null ? null : $"Get-KlingTask -Journal '{history.JournalPath.Replace("'", "''")}'" + Downstream;
        }

        /// <summary>"This batch had accepted N task(s) ... pick them up with: ..."; null when it had accepted none.</summary>
        internal static string? AcceptedTasks(BatchHistory history)
        {
            int accepted = history.Accepted;
            if (accepted == 0)
            {
                return null;
            }

            string text = $"This batch ({history.BatchId}) had accepted {accepted} task(s), each billed";
            string? command = PickUpCommand(history);
            if (command == null)
            {
                return text + ". The task history is off ($env:KLING_HISTORY) and the batch has no journal, so their ids are only in what New-KlingVideo wrote.";
            }

            if (history.File != null && history.Recorded < accepted)
            {
                text += $" ({accepted - history.Recorded} of them could not be written to the task history {history.File.Path})";
            }

            return text + ". Pick them up with: " + command;
        }

        /// <summary>The POSTs cut off after the grace period: they may have been accepted and billed, and have no task id.</summary>
        internal static string? CutOff(BatchHistory history)
        {
            List<HistoryEntry> cut = history.InDoubt.Where(e => e.InDoubt == HistoryEntry.CutOff).ToList();
            if (cut.Count == 0)
            {
                return null;
            }

            string where = history.File != null
                ? $"the task history notes them as in doubt (Get-KlingTask -History -BatchId {history.BatchId} warns of them)"
                : "the task history is off, so this is the only word of them";
            return $"{cut.Count} submission(s) got no answer within the {Core.Batches.BatchSubmitter.StopGrace.TotalSeconds:0} s grace and were cut off: " +
                   string.Join(", ", cut.Select(e => RowLabel.Of(e.Row, e.Name))) +
                   $". They may have been accepted (and billed) with no task id to show for it; {where}. Look for them on the gateway before sending those rows again.";
        }

        /// <summary>The tasks accepted while the command stopped, by row, with their ids.</summary>
        internal static string? LateTasks(IReadOnlyList<KlingTask> late, string? journalPath)
        {
            if (late.Count == 0)
            {
                return null;
            }

            return $"New-KlingVideo stopped; {late.Count} submission(s) already sent were accepted (and billed) while it stopped" +
                   (journalPath != null ? $", and are in the journal {journalPath}" : string.Empty) + ": " +
                   string.Join(", ", late.Select(t => RowLabel.Of(t.Row, t.Name) + " = " + t.TaskId));
        }

        /// <summary>The history could not be written: said once per batch, and the batch goes on.</summary>
        internal static string Unwritable(string problem) =>
            problem + $". The batch goes on, but Get-KlingTask -History will not find the tasks it could not note. Set $env:{HistoryLocation.HomeVariable} to a writable folder, or $env:{HistoryLocation.SwitchVariable} = 'off' to keep no history.";
    }
}
