using System;
using System.IO;
using System.Management.Automation;
using Kling.Core.Batches;

namespace Kling.Commands
{
    /// <summary>
    /// How New-KlingVideo takes its journal: for writing, held by this run alone (another run's hold is a JournalInUse
    /// error, or a wait with -WaitForJournal); under -WhatIf only read, so nothing is created, locked or repaired.
    /// </summary>
    internal static class JournalOpener
    {
        private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(250);

        internal static SubmissionJournal Open(KlingCmdlet cmdlet, string path, bool readOnly, bool waitForOtherRun)
        {
            bool warned = false;
            while (true)
            {
                try
                {
                    SubmissionJournal journal = readOnly ? SubmissionJournal.OpenReadOnly(path) : SubmissionJournal.Open(path);
                    if (warned)
                    {
                        cmdlet.WriteVerbose($"The other run finished; this run now holds the journal {path}.");
                    }

                    WarnOfSkippedLines(cmdlet, journal);
                    return journal;
                }
                catch (JournalException ex) when (ex.Problem == JournalProblem.InUse && waitForOtherRun)
                {
                    if (!warned)
                    {
                        cmdlet.WriteWarning($"The journal {path} is in use by another run; waiting for that run to finish (Ctrl+C to stop waiting).");
                        warned = true;
                    }

                    cmdlet.Sleep(RetryEvery);
                }
                catch (JournalException ex)
                {
                    cmdlet.ThrowTerminatingError(JournalErrors.From(ex));
                    throw;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    cmdlet.ThrowTerminatingError(JournalErrors.Unavailable(ex, path));
                    throw;
                }
            }
        }

        private static void WarnOfSkippedLines(KlingCmdlet cmdlet, SubmissionJournal journal)
        {
            if (journal.SkippedLines > 0)
            {
                string fate = journal.IsWritable ? "skipped (a torn last line was cut)" : "skipped (-WhatIf: the file was left as it is)";
                cmdlet.WriteWarning($"The journal {journal.Path} had {journal.SkippedLines} unreadable line(s) (a run that died mid-write, or an edit); they were {fate}.");
            }
        }
    }
}
