using System;
using System.Linq;
using System.Text;

namespace Kling.Core
{
    /// <summary>
    /// Makes a user label into a file name that is safe on Windows, Linux and macOS alike:
    /// no separators or traversal, no characters Windows rejects, no reserved device names.
    /// </summary>
    public static class SafeFileName
    {
        private static readonly char[] Invalid = "<>:\"/\\|?*".ToCharArray();

        private static readonly string[] Reserved =
        {
            "CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            "COM\u00B9", "COM\u00B2", "COM\u00B3", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3", "CONIN$", "CONOUT$",
        };

        public const int MaxLength = 120;

        public static string From(string? label, string fallback)
        {
            string name = Clean(label);
            return name.Length == 0 ? Clean(fallback) : name;
        }

        private static string Clean(string? label)
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                return string.Empty;
            }

            var builder = new StringBuilder(label!.Length);
            foreach (char c in label.Trim())
            {
                builder.Append(char.IsControl(c) || Invalid.Contains(c) ? '_' : c);
            }

            // Windows drops trailing dots and spaces; leading dots would make hidden files or "..".
            string name = builder.ToString().Trim().Trim('.', ' ');
            if (name.Length > MaxLength)
            {
                name = name.Substring(0, MaxLength).TrimEnd('.', ' ');
            }

            string stem = name.Split('.')[0].TrimEnd(' ');
            if (Reserved.Any(r => string.Equals(r, stem, StringComparison.OrdinalIgnoreCase)))
            {
                name = "_" + name;
            }

            return name;
        }
    }
}
