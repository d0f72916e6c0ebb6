using System;
using Kling.Core.Gateway;
using Kling.Core.Wire;
using Kling.Core.Tasks;

namespace Kling.Core.Batches
{
    /// <summary>
    /// What a batch's journal recalls of each row before it is sent, for the pipeline thread that feeds the
    /// <see cref="BatchSubmitter"/> (which holds it as <see cref="BatchSubmitter.Recall"/> and journals through its
    /// journal): the task an earlier run submitted (written again), a POST an earlier run left in doubt (never re-sent),
    /// the failed task a row is sent again in place of (-RetryFailed's <see cref="FailedTaskScan"/>, or a failed task
    /// piped in), and the rows journaled as not sent, so a rerun sends them. Without a journal it recalls nothing and
    /// every row is sent. Its creator disposes it (and with it the scan).
    /// </summary>
    public sealed class SubmissionRecall : IDisposable
    {
        public SubmissionRecall(SubmissionJournal? journal)
        {
            Journal = journal;
        }

        /// <summary>The batch's journal, or null.</summary>
        public SubmissionJournal? Journal { get; }

        /// <summary>-RetryFailed's scan, once started: rows whose earlier task it found failed or cancelled are sent again.</summary>
        public FailedTaskScan? FailedScan { get; private set; }

        /// <summary>
        /// Starts -RetryFailed's scan of the journal's latest tasks (<see cref="TaskRefresh.CallsAtOnce"/> status calls at
        /// once); the caller reads it to the end (<see cref="FailedTaskScan.ReadNextAsync"/>) before any row is recalled.
        /// </summary>
        public FailedTaskScan ScanFailed(IKlingGateway gateway)
        {
            if (Journal == null)
            {
                throw new InvalidOperationException("-RetryFailed reads which rows failed from a journal, and this batch has none.");
            }

            FailedScan?.Dispose();
            FailedScan = new FailedTaskScan(gateway, Journal, TaskRefresh.CallsAtOnce);
            return FailedScan;
        }

        /// <summary>
        /// What the journal says of a valid row about to be sent (null without a journal). Its earlier task is replaced when
        /// it is <paramref name="replacing"/> (a failed task piped in: only the row whose latest line is that task is sent
        /// again), or, for a row read as usual, when -RetryFailed's scan found it failed.
        /// </summary>
        public JournalRecall? Of(VideoRequest request, int row, string? name, string? replacing = null)
        {
            if (Journal == null)
            {
                return null;
            }

            Func<string, bool>? mayReplace = replacing != null
                ? id => id == replacing
                : FailedScan == null ? null : (Func<string, bool>)FailedScan.IsFailed;
            return Journal.Recall(request, row, name, mayReplace);
        }

        /// <summary>A recalled row the batch did not send (the cap stopped it): journaled as not sent, with why, so a rerun sends it.</summary>
        public void NotSent(JournalRecall? recall, int row, string? name, string reason)
        {
            if (Journal != null && recall != null)
            {
                Journal.RecordNotSent(recall.Key, row, name, reason);
            }
        }

        /// <summary>
        /// A valid row after the batch stopped (the cap reached), never recalled before: journaled as not sent, so a rerun
        /// sends it, unless the journal already has it (paid, or in doubt).
        /// </summary>
        public void NotSentAfterStop(VideoRequest request, int row, string? name, string reason)
        {
            JournalRecall? recall = Of(request, row, name);
            if (recall != null && recall.MustSend)
            {
                NotSent(recall, row, name, reason);
            }
        }

        public void Dispose() => FailedScan?.Dispose();
    }
}
