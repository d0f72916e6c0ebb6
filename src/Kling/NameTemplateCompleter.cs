using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Kling.Core.Downloads;

namespace Kling.Commands
{
    /// <summary>
    /// Completes Save-KlingVideo -NameTemplate: an open placeholder ("{Ro") to a known one ("{Row}"), otherwise the
    /// template typed so far followed by each placeholder, and with nothing typed a few whole templates too. Always quoted:
    /// a bare "{" would start a script block.
    /// </summary>
    public sealed class NameTemplateCompleter : IArgumentCompleter
    {
        /// <summary>Whole templates offered when nothing is typed yet.</summary>
        internal static readonly string[] Examples = { "{Row:000}-{Name}", "{Date}-{Name}", "{Model}-{Row:000}" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Complete(wordToComplete).Select(t => new CompletionResult("'" + t.Replace("'", "''") + "'", t, CompletionResultType.ParameterValue, t));

        /// <summary>The templates offered for the text typed so far (without its quotes).</summary>
        internal static IEnumerable<string> Complete(string? wordToComplete)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            int open = typed.LastIndexOf('{');
            if (open >= 0 && typed.IndexOf('}', open) < 0)
            {
                string partial = typed.Substring(open + 1);
                return NameTemplate.Placeholders
                    .Where(p => p.StartsWith(partial, StringComparison.OrdinalIgnoreCase))
                    .Select(p => typed.Substring(0, open) + "{" + p + "}");
            }

            IEnumerable<string> appended = NameTemplate.Placeholders.Select(p => typed + "{" + p + "}");
            return typed.Length == 0 ? Examples.Concat(appended) : appended;
        }
    }
}
