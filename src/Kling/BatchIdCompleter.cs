using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Kling.Core.History;

namespace Kling.Commands
{
    /// <summary>Completes Get-KlingTask's -BatchId from the batches of the task history, newest first, each with its time and size.</summary>
    public sealed class BatchIdCompleter : IArgumentCompleter
    {
        private const int MaxShown = 30;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            IReadOnlyList<HistoryBatch> batches;
            try
            {
                batches = HistoryQuery.Batches(new HistoryFile(HistoryLocation.FilePath()));
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is ArgumentException || ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                return Array.Empty<CompletionResult>();
            }

            return batches
                .Where(b => b.BatchId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Take(MaxShown)
                .Select(b => new CompletionResult(b.BatchId, $"{b.BatchId}  {b.Started.ToLocalTime().ToString("g", CultureInfo.CurrentCulture)}  {b.Tasks} task(s)", CompletionResultType.ParameterValue, Describe(b)));
        }

        private static string Describe(HistoryBatch batch) =>
            $"Started {batch.Started.ToLocalTime().ToString("g", CultureInfo.CurrentCulture)}: {batch.Tasks} task(s)" +
            (batch.InDoubt > 0 ? $", {batch.InDoubt} in doubt" : string.Empty) +
            (batch.Journal != null ? $", journal {batch.Journal}" : string.Empty);
    }
}
