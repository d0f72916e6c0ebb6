using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.Requests
{
    /// <summary>A parameter a column binds to: its name and the aliases it also binds by, in declaration order.</summary>
    public sealed class KnownColumn
    {
        public KnownColumn(string parameter, IEnumerable<string>? aliases = null)
        {
            Parameter = parameter;
            Spellings = new[] { parameter }.Concat(aliases ?? Enumerable.Empty<string>()).ToList();
        }

        public string Parameter { get; }

        /// <summary>The parameter's name, then its aliases: every column name that binds to it.</summary>
        public IReadOnlyList<string> Spellings { get; }
    }

    /// <summary>
    /// Which of a row's columns bind to nothing. A column binds when its name is a known spelling (a parameter's name or
    /// alias, in any case), as PowerShell binds by property name. Any other column is a near miss when it looks like a
    /// known spelling, else simply unknown. The rule, on both names in lower case with '-', '_', '.' and spaces removed:
    /// equal is a near miss (aspect-ratio, image_url, "model "); otherwise the edit distance (insert, delete, replace, or
    /// swap two neighbours, one edit each) may be at most 1 when the shorter name has 4 or 5 characters, at most 2 when it
    /// has 6 or more, and must be 0 when it has 3 or fewer, so that a short column (id, url, tag) never looks like
    /// everything. Shared by every cmdlet that takes rows (New-KlingVideo, and one day Measure-KlingCost).
    /// </summary>
    public sealed class ColumnCheck
    {
        private readonly IReadOnlyList<KnownColumn> known;
        private readonly HashSet<string> binds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> ignored;

        /// <param name="known">Every parameter a column binds to, with its aliases.</param>
        /// <param name="ignored">Columns the user says are meant (-IgnoreColumn): neither near misses nor unknown.</param>
        public ColumnCheck(IEnumerable<KnownColumn> known, IEnumerable<string>? ignored = null)
        {
            this.known = known.ToList();
            foreach (string spelling in this.known.SelectMany(k => k.Spellings))
            {
                binds.Add(spelling);
            }

            this.ignored = new HashSet<string>(ignored ?? Enumerable.Empty<string>(), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The columns, sorted into those that look like a known spelling and the other unknown ones, in their order.</summary>
        public ColumnFindings Check(IEnumerable<string> columns)
        {
            var nearMisses = new List<ColumnNearMiss>();
            var unknown = new List<string>();
            foreach (string column in columns.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (binds.Contains(column) || ignored.Contains(column))
                {
                    continue;
                }

                IReadOnlyList<string> looksLike = LooksLike(column);
                if (looksLike.Count > 0)
                {
                    nearMisses.Add(new ColumnNearMiss(column, looksLike));
                }
                else
                {
                    unknown.Add(column);
                }
            }

            return new ColumnFindings(nearMisses, unknown);
        }

        /// <summary>The most edits two names of these lengths may differ by and still look alike (see the class).</summary>
        internal static int Tolerance(int shorterLength) => shorterLength <= 3 ? 0 : shorterLength <= 5 ? 1 : 2;

        /// <summary>A name as compared: lower case, without '-', '_', '.' and spaces.</summary>
        internal static string Normalize(string name) =>
            new string(name.Where(c => c != '-' && c != '_' && c != '.' && !char.IsWhiteSpace(c)).Select(char.ToLowerInvariant).ToArray());

        /// <summary>Whether a column looks like a spelling, by the class's rule; the edit distance when it does, else null.</summary>
        internal static int? Likeness(string column, string spelling)
        {
            string a = Normalize(column);
            string b = Normalize(spelling);
            int tolerance = Tolerance(Math.Min(a.Length, b.Length));
            if (Math.Abs(a.Length - b.Length) > tolerance)
            {
                return null;
            }

            int distance = Distance(a, b);
            return distance <= tolerance ? distance : (int?)null;
        }

        /// <summary>Optimal string alignment distance: inserts, deletes, replacements and swaps of two neighbours, one edit each.</summary>
        internal static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (int j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                    }
                }
            }

            return d[a.Length, b.Length];
        }

        /// <summary>
        /// The nearest spelling of each parameter the column looks like, the nearest parameters only; a parameter's own
        /// name wins a tie with its alias.
        /// </summary>
        private IReadOnlyList<string> LooksLike(string column)
        {
            var nearest = new List<(int Distance, string Said)>();
            foreach (KnownColumn parameter in known)
            {
                (int Distance, string Spelling)? best = null;
                foreach (string spelling in parameter.Spellings)
                {
                    int? distance = Likeness(column, spelling);
                    if (distance != null && (best == null || distance < best.Value.Distance))
                    {
                        best = (distance.Value, spelling);
                    }
                }

                if (best != null)
                {
                    string said = best.Value.Spelling == parameter.Parameter ? $"'{parameter.Parameter}'" : $"'{best.Value.Spelling}' (-{parameter.Parameter})";
                    nearest.Add((best.Value.Distance, said));
                }
            }

            if (nearest.Count == 0)
            {
                return Array.Empty<string>();
            }

            int min = nearest.Min(n => n.Distance);
            return nearest.Where(n => n.Distance == min).Select(n => n.Said).ToList();
        }
    }
}
