using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// Makes a user label into a file name that is safe on Windows, Linux and macOS alike:
    /// no separators or traversal, no characters Windows rejects, no reserved device names, and no longer than
    /// the file system allows (255 UTF-8 bytes on Linux and macOS, 255 UTF-16 units on Windows), cut between characters.
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

        /// <summary>The longest file name, in the units of <see cref="Measure(string)"/>.</summary>
        public const int MaxLength = 255;

        /// <summary>Windows counts a name's length in UTF-16 units; Linux and macOS in UTF-8 bytes.</summary>
        internal static readonly bool CountsUtf16 = Path.DirectorySeparatorChar == '\\';

        public static string From(string? label, string fallback)
        {
            string name = Clean(label, MaxLength, CountsUtf16);
            return name.Length == 0 ? Clean(fallback, MaxLength, CountsUtf16) : name;
        }

        /// <summary>The length of a file name as this platform's file systems count it.</summary>
        public static int Measure(string name) => Measure(name, CountsUtf16);

        internal static int Measure(string name, bool utf16) => utf16 ? name.Length : Encoding.UTF8.GetByteCount(name);

        /// <summary>
        /// A safe name (as <see cref="From"/> gives) cut to at most <paramref name="room"/> units, between text elements
        /// (never inside a surrogate pair or before a combining mark), still without trailing dots or spaces.
        /// </summary>
        public static string Fit(string name, int room) => Fit(name, room, CountsUtf16);

        internal static string Fit(string name, int room, bool utf16)
        {
            if (Measure(name, utf16) <= room)
            {
                return name;
            }

            int[] starts = StringInfo.ParseCombiningCharacters(name);
            int used = 0;
            int end = 0;
            for (int k = 0; k < starts.Length; k++)
            {
                int next = k + 1 < starts.Length ? starts[k + 1] : name.Length;
                int size = Measure(name.Substring(starts[k], next - starts[k]), utf16);
                if (used + size > room)
                {
                    break;
                }

                used += size;
                end = next;
            }

            string cut = name.Substring(0, end).TrimEnd('.', ' ');
            return IsReserved(cut) ? Fit("_" + cut, room, utf16) : cut;
        }

        internal static string Clean(string? label, int room, bool utf16)
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                return string.Empty;
            }

            string text = label!.Trim();
            var builder = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    if (!IsHiddenFormat(char.ConvertToUtf32(c, text[i + 1])))
                    {
                        builder.Append(c).Append(text[i + 1]);
                    }

                    i++;
                    continue;
                }

                if (!char.IsSurrogate(c) && IsHiddenFormat(c))
                {
                    continue;
                }

                // A lone surrogate is no character at all: Linux would store it as U+FFFD and Windows as garbage.
                builder.Append(char.IsControl(c) || char.IsSurrogate(c) || Invalid.Contains(c) ? '_' : c);
            }

            // Windows drops trailing dots and spaces; leading dots would make hidden files or "..".
            string name = builder.ToString().Trim().Trim('.', ' ');
            if (IsReserved(name))
            {
                name = "_" + name;
            }

            return Fit(name, room, utf16);
        }

        /// <summary>
        /// An invisible format character (Unicode category Cf) that has no business in a file name: the bidirectional
        /// controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), which make "clip\u202Evid.mp4" read as
        /// another name and extension, and the other invisibles (zero-width space, word joiner, BOM, soft hyphen ...).
        /// Kept: the joiners U+200C and U+200D, which shape Persian, Indic scripts and emoji sequences; the emoji tag
        /// characters (U+E0020-U+E007F, subdivision flags); and the visible prepended marks such as U+0600-U+0605.
        /// </summary>
        internal static bool IsHiddenFormat(int codePoint)
        {
            if (codePoint == 0x200C || codePoint == 0x200D || (codePoint >= 0xE0020 && codePoint <= 0xE007F) ||
                (codePoint >= 0x0600 && codePoint <= 0x0605) || codePoint == 0x06DD || codePoint == 0x070F ||
                codePoint == 0x0890 || codePoint == 0x0891 || codePoint == 0x08E2 || codePoint == 0x110BD || codePoint == 0x110CD)
            {
                return false;
            }

            return CharUnicodeInfo.GetUnicodeCategory(char.ConvertFromUtf32(codePoint), 0) == UnicodeCategory.Format;
        }

        private static bool IsReserved(string name)
        {
            string stem = name.Split('.')[0].TrimEnd(' ');
            return Reserved.Any(r => string.Equals(r, stem, StringComparison.OrdinalIgnoreCase));
        }
    }
}
