using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Host;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// What Wait-KlingTask and Save-KlingVideo say when Ctrl+C (or a terminating error) stops them with work left: how
    /// many tasks are left and the command that goes on, naming every task left (by id, or by the journal that holds
    /// them), so none is lost with the pipeline. New-KlingVideo's words are <see cref="StoppedBatchNotice"/>'s.
    /// </summary>
    internal static class StoppedRunNotice
    {
        /// <summary>"Wait-KlingTask stopped: 12 of 40 task(s) not finished or not written yet ... To go on: ..."; null when none is left.</summary>
        internal static string? Wait(IReadOnlyList<KlingTask> left, int total, string? journal)
        {
            if (left.Count == 0)
            {
                return null;
            }

            string go = journal != null
                ? $"they are in the journal {journal}. To go on (the finished ones come out at once): Wait-KlingTask -Journal {Quote(journal)}"
                : $"{Ids(left)}. To go on: Wait-KlingTask -TaskId {IdList(left)}";
            return $"Wait-KlingTask stopped: {left.Count} of {total} task(s) still running or not yet written; {go}";
        }

        /// <summary>"Save-KlingVideo stopped: 3 download(s) cut off ... To go on: ..., which skips the 7 saved"; null when none is left.</summary>
        internal static string? Save(IReadOnlyList<KlingTask> left, SaveTally tally, string? journal, string folder)
        {
            if (left.Count == 0)
            {
                return null;
            }

            int done = tally.Saved + tally.Skipped;
            string skips = done == 0 ? string.Empty : $"; it skips the {done} video(s) already saved";
            string go = journal != null
                ? $"To go on: Save-KlingVideo -Journal {Quote(journal)} -Path {Quote(folder)}"
                : $"To go on: Save-KlingVideo -TaskId {IdList(left)} -Path {Quote(folder)}, or the same command again";
            return $"Save-KlingVideo stopped: the videos of {left.Count} task(s) were not saved, {Ids(left)}; the bytes already downloaded stay beside them and are resumed. {go}{skips}.";
        }

        /// <summary>Says <paramref name="line"/> on the host, if there is one (the pipeline is gone by then, the host is not).</summary>
        internal static void Tell(PSHost? host, string? line)
        {
            if (line == null)
            {
                return;
            }

            try
            {
                host?.UI?.WriteWarningLine(line);
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is NotImplementedException)
            {
            }
        }

        private static string Ids(IReadOnlyList<KlingTask> tasks) =>
            "task(s) " + string.Join(", ", tasks.Select(t => t.Row > 0 ? $"{t.TaskId} (row {t.Row})" : t.TaskId));

        private static string IdList(IReadOnlyList<KlingTask> tasks) => string.Join(",", tasks.Select(t => Quote(t.TaskId)));

        private static string Quote(string text) => "'" + text.Replace("'", "''") + "'";
    }
}
