using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Batches;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// New-KlingVideo -RetryFailed, before any row is sent: reads the status of every task the journal's rows were last
    /// submitted as (<see cref="FailedTaskScan"/>, free calls, many at once) with a progress bar, and says what it found.
    /// </summary>
    internal static class FailedTaskReader
    {
        /// <param name="cmdlet">Where the progress, the verbose line, the warning and a terminating error are written.</param>
        /// <param name="scan">The scan the batch's recall started (<see cref="SubmissionRecall.ScanFailed"/>), which it owns.</param>
        /// <param name="journalPath">The journal whose tasks are read.</param>
        /// <param name="run">The cmdlet's wait at its edge (writes the client's trace lines meanwhile).</param>
        /// <param name="cancellation">Stops the reading (Ctrl+C).</param>
        internal static void Read(Cmdlet cmdlet, FailedTaskScan scan, string journalPath, Func<Task<bool>, bool> run, CancellationToken cancellation)
        {
            var progress = new ProgressRecord(2, "Reading the status of the journal's tasks (-RetryFailed)", "Starting");
            try
            {
                while (run(scan.ReadNextAsync(cancellation)))
                {
                    progress.StatusDescription = $"{scan.Read + scan.Unreadable} read, {scan.Failed} failed or cancelled";
                    cmdlet.WriteProgress(progress);
                }
            }
            catch (GatewayException ex)
            {
                cmdlet.ThrowTerminatingError(KlingErrors.FromGateway(ex, journalPath));
            }

            progress.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(progress);
            cmdlet.WriteVerbose($"-RetryFailed: {scan.Read} task(s) of the journal {journalPath} read, {scan.Failed} failed or cancelled; their rows are sent again.");
            if (scan.Unreadable > 0)
            {
                cmdlet.WriteWarning($"The status of {scan.Unreadable} task(s) of the journal could not be read ({scan.FirstProblem!.Message}); their rows come out as before and are not sent again. Run again with -RetryFailed to retry those that failed.");
            }
        }
    }
}
