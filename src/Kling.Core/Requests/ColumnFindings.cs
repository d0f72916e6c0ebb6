using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Kling.Core.Catalog;

namespace Kling.Core.Requests
{
    /// <summary>A column that binds to nothing but looks like one or more known spellings.</summary>
    public sealed class ColumnNearMiss
    {
        internal ColumnNearMiss(string column, IReadOnlyList<string> looksLike)
        {
            Column = column;
            LooksLike = looksLike;
        }

        public string Column { get; }

        /// <summary>The nearest spellings that bind, quoted, each naming its parameter when it is an alias: "'image_urls' (-ImageUrl)".</summary>
        public IReadOnlyList<string> LooksLike { get; }
    }

    /// <summary>What <see cref="ColumnCheck"/> found in one set of columns, and how it is said.</summary>
    public sealed class ColumnFindings
    {
        private static readonly Regex Bare = new Regex("^[A-Za-z0-9_][A-Za-z0-9_-]*$");

        internal ColumnFindings(IReadOnlyList<ColumnNearMiss> nearMisses, IReadOnlyList<string> unknown)
        {
            NearMisses = nearMisses;
            Unknown = unknown;
        }

        /// <summary>Columns that look like a known spelling: a typo that would silently not bind, so the batch stops.</summary>
        public IReadOnlyList<ColumnNearMiss> NearMisses { get; }

        /// <summary>Columns far from every known spelling: notes and the like, said once and left out.</summary>
        public IReadOnlyList<string> Unknown { get; }

        /// <summary>
        /// The near misses as one sentence for the error that stops the batch, without the row's label:
        /// "the column 'durations' binds to nothing; did you mean 'Duration'? ..."; null when there is none.
        /// </summary>
        public string? NearMissMessage()
        {
            if (NearMisses.Count == 0)
            {
                return null;
            }

            string ignore = "-IgnoreColumn " + string.Join(", ", NearMisses.Select(n => Argument(n.Column)));
            if (NearMisses.Count == 1)
            {
                ColumnNearMiss miss = NearMisses[0];
                return $"the column '{miss.Column}' binds to nothing; did you mean {CatalogWords.Alternatives(miss.LooksLike)}? " +
                       $"Rename the column, or add {ignore} if it is meant.";
            }

            return $"the columns {CatalogWords.Names(NearMisses.Select(n => "'" + n.Column + "'"))} bind to nothing; did you mean " +
                   CatalogWords.Names(NearMisses.Select(n => $"{CatalogWords.Alternatives(n.LooksLike)} (for '{n.Column}')")) +
                   $"? Rename the columns, or add {ignore} if they are meant.";
        }

        /// <summary>
        /// Unknown columns (all of <see cref="Unknown"/>, or those not yet said) as one warning: "The column 'notes' binds to
        /// no parameter of New-KlingVideo ..."; null when there is none.
        /// </summary>
        public static string? UnknownMessage(IReadOnlyList<string> unknown, string command)
        {
            if (unknown.Count == 0)
            {
                return null;
            }

            string ignore = "-IgnoreColumn " + string.Join(", ", unknown.Select(Argument));
            return unknown.Count == 1
                ? $"The column '{unknown[0]}' binds to no parameter of {command} and is not sent; add {ignore} if it is meant, and this warning goes."
                : $"The columns {CatalogWords.Names(unknown.Select(c => "'" + c + "'"))} bind to no parameter of {command} and are not sent; add {ignore} if they are meant, and this warning goes.";
        }

        /// <summary>A column name as it is typed after -IgnoreColumn: bare when PowerShell reads it so, else in single quotes.</summary>
        internal static string Argument(string column) => Bare.IsMatch(column) ? column : "'" + column.Replace("'", "''") + "'";
    }
}
