using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// A file name template for saved videos (Save-KlingVideo -NameTemplate), such as "{Row:000}-{Name}": text with
    /// placeholders in braces, each optionally followed by a .NET format after a colon ({Date:yyyy-MM-dd}); "{{" and "}}"
    /// stand for a brace. Parsed once, before anything is downloaded: an unknown placeholder, a format on a text
    /// placeholder, a format .NET refuses or a stray brace is an <see cref="ArgumentException"/> naming it. A value the
    /// task does not have (no row, no model) is empty; the result is made a safe name by <see cref="SaveFolder"/>.
    /// Numbers and dates are written with the invariant culture, dates in local time.
    /// </summary>
    public sealed class NameTemplate
    {
        /// <summary>The default format of {Date}.</summary>
        public const string DefaultDateFormat = "yyyyMMdd";

        /// <summary>Every placeholder, as written in a template (matched without regard to case).</summary>
        public static readonly IReadOnlyList<string> Placeholders = new[] { "Row", "Name", "TaskId", "Model", "Mode", "Duration", "Date", "Index" };

        /// <summary>Placeholders whose value is text: they take no format.</summary>
        private static readonly string[] TextPlaceholders = { "Name", "TaskId", "Model", "Mode" };

        /// <summary>What a date format is tried on when the template is parsed.</summary>
        private static readonly DateTimeOffset SampleDate = new DateTimeOffset(2026, 12, 3, 6, 1, 10, TimeSpan.Zero);

        private readonly IReadOnlyList<Part> parts;

        private NameTemplate(string text, IReadOnlyList<Part> parts)
        {
            Text = text;
            this.parts = parts;
        }

        /// <summary>The template as given.</summary>
        public string Text { get; }

        /// <summary>True when the template numbers a task's videos itself ({Index}): no "-1", "-2" is then added.</summary>
        public bool HasIndex => parts.Any(p => p.Placeholder == "Index");

        /// <summary>Reads a template; throws <see cref="ArgumentException"/> naming what is wrong (see the class).</summary>
        public static NameTemplate Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException("The name template is empty; give text and placeholders such as {Row:000}-{Name}.");
            }

            var parts = new List<Part>();
            var literal = new StringBuilder();
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
                {
                    literal.Append(c);
                    i++;
                }
                else if (c == '}')
                {
                    throw new ArgumentException($"The name template '{text}' has a '}}' at position {i + 1} that closes no placeholder; write '}}}}' for a brace.");
                }
                else if (c == '{')
                {
                    int close = text.IndexOf('}', i + 1);
                    if (close < 0)
                    {
                        throw new ArgumentException($"The name template '{text}' has a '{{' at position {i + 1} that is never closed; write '{{{{' for a brace.");
                    }

                    Flush(literal, parts);
                    parts.Add(Placeholder(text, text.Substring(i + 1, close - i - 1)));
                    i = close;
                }
                else
                {
                    literal.Append(c);
                }
            }

            Flush(literal, parts);
            return new NameTemplate(text, parts);
        }

        /// <summary>
        /// The name (without extension) for video <paramref name="index"/> (1-based) of <paramref name="task"/>, not yet
        /// made safe; empty placeholders for what the task does not know.
        /// </summary>
        public string Render(KlingTask task, int index)
        {
            var name = new StringBuilder();
            foreach (Part part in parts)
            {
                name.Append(part.Placeholder == null ? part.Literal : Value(part, task, index));
            }

            return name.ToString();
        }

        /// <summary>
        /// The stem of the file: <see cref="Render"/> made safe (<see cref="SafeFileName.From"/>); the task id when nothing
        /// of it is left that names the video (no letter or digit: every placeholder was empty).
        /// </summary>
        public string StemFor(KlingTask task, int index)
        {
            string rendered = Render(task, index);
            return SafeFileName.From(rendered.Any(char.IsLetterOrDigit) ? rendered : null, task.TaskId);
        }

        public override string ToString() => Text;

        private static string Value(Part part, KlingTask task, int index)
        {
            switch (part.Placeholder)
            {
                case "Row":
                    return task.Row > 0 ? Number(task.Row, part.Format) : string.Empty;
                case "Name":
                    return task.Name ?? string.Empty;
                case "TaskId":
                    return task.TaskId;
                case "Model":
                    return task.Model ?? string.Empty;
                case "Mode":
                    return task.Mode ?? string.Empty;
                case "Duration":
                    return task.Duration is int seconds ? Number(seconds, part.Format) : string.Empty;
                case "Date":
                    return task.Completed is DateTimeOffset completed
                        ? completed.ToLocalTime().ToString(part.Format ?? DefaultDateFormat, CultureInfo.InvariantCulture)
                        : string.Empty;
                default:
                    return Number(index, part.Format);
            }
        }

        private static string Number(int value, string? format) => value.ToString(format, CultureInfo.InvariantCulture);

        private static Part Placeholder(string text, string inside)
        {
            int colon = inside.IndexOf(':');
            string name = (colon < 0 ? inside : inside.Substring(0, colon)).Trim();
            string? format = colon < 0 ? null : inside.Substring(colon + 1);
            string? known = Placeholders.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
            if (known == null)
            {
                throw new ArgumentException($"The name template '{text}' has an unknown placeholder {{{name}}}; use {List()}.");
            }

            if (format != null && format.Length == 0)
            {
                throw new ArgumentException($"The placeholder {{{inside}}} of the name template '{text}' has an empty format; leave out the colon, or write a format after it ({{Row:000}}).");
            }

            if (format != null && TextPlaceholders.Contains(known))
            {
                throw new ArgumentException($"The placeholder {{{known}}} of the name template '{text}' is text and takes no format ('{format}'); formats are for {{Row}}, {{Duration}}, {{Index}} (numbers: {{Row:000}}) and {{Date}} ({{Date:yyyy-MM-dd}}).");
            }

            try
            {
                // Tried once here, so a bad format is the parameter's error before any download, not a file's after it.
                _ = known == "Date" ? SampleDate.ToString(format ?? DefaultDateFormat, CultureInfo.InvariantCulture) : Number(1, format);
            }
            catch (FormatException)
            {
                throw new ArgumentException($"The placeholder {{{inside}}} of the name template '{text}' has a format .NET does not take ('{format}'); for example {{Row:000}} or {{Date:yyyy-MM-dd}}.");
            }

            return new Part(null, known, format);
        }

        private static void Flush(StringBuilder literal, List<Part> parts)
        {
            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), null, null));
                literal.Clear();
            }
        }

        private static string List() => string.Join(", ", Placeholders.Select(p => "{" + p + "}"));

        /// <summary>Literal text, or a placeholder (its canonical name) with its format.</summary>
        private sealed class Part
        {
            public Part(string? literal, string? placeholder, string? format)
            {
                Literal = literal;
                Placeholder = placeholder;
                Format = format;
            }

            public string? Literal { get; }

            public string? Placeholder { get; }

            public string? Format { get; }
        }
    }
}
