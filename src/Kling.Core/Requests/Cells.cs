using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Kling.Core.Requests
{
    /// <summary>How a cell's text becomes a value: empty means not given; lists split on ';'; yes/no (<see cref="YesNo"/>); whole numbers.</summary>
    internal static class Cells
    {
        internal static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        /// <summary>Splits cells like "a.png;b.png" and drops empty entries.</summary>
        internal static List<string> SplitList(IEnumerable<string?>? values)
        {
            var result = new List<string>();
            foreach (string? value in values ?? Enumerable.Empty<string?>())
            {
                if (value == null)
                {
                    continue;
                }

                result.AddRange(value.Split(';').Select(part => part.Trim()).Where(part => part.Length > 0));
            }

            return result;
        }

        /// <summary>A whole number of seconds as a cell writes it ("8", "+8" is not); null when it is not one.</summary>
        internal static int? WholeNumber(string value) =>
            int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;

        /// <summary>The allowed value matching the cell (case-insensitive), in the catalog's spelling; null when none does.</summary>
        internal static string? Match(string value, IEnumerable<string> allowed) =>
            allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));

        /// <summary>Control characters (other than tab and line breaks) are invisible in a CSV and garble a text: the problem, or null.</summary>
        internal static string? ControlCharacterProblem(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsControl(c) && c != '\t' && c != '\n' && c != '\r')
                {
                    return $"contains the control character U+{(int)c:X4} at position {i + 1}; only tab and line breaks are allowed. Remove it (it often comes from copying text out of another program).";
                }
            }

            return null;
        }
    }
}
