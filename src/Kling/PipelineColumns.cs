using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// The columns of a cmdlet's piped rows (the note properties of PSCustomObjects: Import-Csv rows, [pscustomobject]) checked
    /// by <see cref="ColumnCheck"/> against the parameters a column can bind to, read from the cmdlet's own metadata. A
    /// string, a hashtable, a KlingTask or any other typed object has no columns and is not checked. Each distinct set of
    /// column names is checked once (a CSV has one), so a big batch costs one look at each row's names.
    /// </summary>
    internal sealed class PipelineColumns
    {
        private const char Separator = '\u0001';

        private readonly PSCmdlet cmdlet;
        private readonly ColumnCheck check;
        private readonly HashSet<string> checkedSets = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> said = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> names = new List<string>();
        private string[] last = Array.Empty<string>();

        /// <param name="cmdlet">The cmdlet whose parameters and aliases are the known columns, and where the warning is written.</param>
        /// <param name="ignored">-IgnoreColumn: columns the user says are meant.</param>
        internal PipelineColumns(PSCmdlet cmdlet, IEnumerable<string>? ignored)
        {
            this.cmdlet = cmdlet;
            check = new ColumnCheck(KnownColumns(cmdlet.MyInvocation.MyCommand), ignored?.Where(i => i != null));
        }

        /// <summary>Every parameter that binds from a row's property (in any parameter set), with its aliases.</summary>
        internal static IEnumerable<KnownColumn> KnownColumns(CommandInfo command) =>
            command.Parameters.Values
                .Where(p => p.ParameterSets.Values.Any(set => set.ValueFromPipelineByPropertyName))
                .Select(p => new KnownColumn(p.Name, p.Aliases));

        /// <summary>
        /// Checks a piped row's columns when their set is new: warns once per batch of each column far from every name, and
        /// gives the error that stops the batch when a column looks like a name it does not bind to (null: the row goes on).
        /// </summary>
        internal ErrorRecord? Check(PSObject? row, string label)
        {
            if (!(row?.BaseObject is PSCustomObject) || !IsNewSet(row))
            {
                return null;
            }

            ColumnFindings found = check.Check(last);
            string? nearMiss = found.NearMissMessage();
            if (nearMiss != null)
            {
                var error = new ArgumentException($"{label}: {nearMiss}");
                return new ErrorRecord(error, "ColumnBindsToNothing", ErrorCategory.InvalidArgument, row)
                {
                    ErrorDetails = new ErrorDetails(error.Message + " No row from this one on was sent.")
                    {
                        RecommendedAction = "Rename the column (or add -IgnoreColumn if it is meant), then run the batch again (with -Journal, rerun the same command: nothing is sent twice).",
                    },
                };
            }

            string? warning = ColumnFindings.UnknownMessage(found.Unknown.Where(said.Add).ToList(), cmdlet.MyInvocation.MyCommand.Name);
            if (warning != null)
            {
                cmdlet.WriteWarning(warning);
            }

            return null;
        }

        /// <summary>Whether the row's column names (in order) were not checked yet; the common case is the same names as the last row's.</summary>
        private bool IsNewSet(PSObject row)
        {
            // Note properties only (what Import-Csv and [pscustomobject] make): matching them is several times cheaper
            // than enumerating every property through the type adapters, a few microseconds a row.
            names.Clear();
            foreach (PSMemberInfo property in row.Properties.Match("*", PSMemberTypes.NoteProperty))
            {
                names.Add(property.Name);
            }

            if (SameAsLast())
            {
                return false;
            }

            last = names.ToArray();
            return checkedSets.Add(string.Join(Separator.ToString(), last));
        }

        private bool SameAsLast()
        {
            if (names.Count != last.Length)
            {
                return false;
            }

            for (int i = 0; i < last.Length; i++)
            {
                if (!string.Equals(names[i], last[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
