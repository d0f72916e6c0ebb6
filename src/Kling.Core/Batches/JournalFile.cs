using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kling.Core.Gateway;

namespace Kling.Core.Batches
{
    /// <summary>Why a journal cannot be used.</summary>
    public enum JournalProblem
    {
        /// <summary>Another run holds the journal (in this or another process).</summary>
        InUse,

        /// <summary>The file is not a journal (its first line is neither a journal header nor a journal record).</summary>
        NotAJournal,

        /// <summary>A journal written by a newer version of Kling.</summary>
        UnsupportedVersion,
    }

    /// <summary>A journal that cannot be used; the file was left as it was and nothing was sent.</summary>
    public sealed class JournalException : Exception
    {
        public JournalException(JournalProblem problem, string path, string message, Exception? inner = null)
            : base(message, inner)
        {
            Problem = problem;
            Path = path;
        }

        public JournalProblem Problem { get; }

        public string Path { get; }
    }

    /// <summary>The first line of a journal: names its format and version, so no other file is taken for one.</summary>
    internal sealed class JournalHeader
    {
        [JsonPropertyName("format")]
        public string Format { get; set; } = JournalFile.FormatName;

        [JsonPropertyName("version")]
        public int Version { get; set; } = JournalFile.FormatVersion;

        [JsonPropertyName("created")]
        public DateTimeOffset Created { get; set; }
    }

    /// <summary>What a journal file holds, as read (nothing here writes).</summary>
    internal sealed class JournalContent
    {
        public List<JournalRecord> Records { get; } = new List<JournalRecord>();

        /// <summary>Unreadable lines: complete ones are skipped and kept, a torn last one is cut on a writable open.</summary>
        public int SkippedLines { get; set; }

        /// <summary>The bytes to keep: the length of the file without its torn last line.</summary>
        public long KeepLength { get; set; }

        /// <summary>The kept part does not end with a newline: the next append must start a line first.</summary>
        public bool NeedsNewline { get; set; }
    }

    /// <summary>Reads and recognises journal files: the header, journals of the previous version, torn last lines.</summary>
    internal static class JournalFile
    {
        public const string FormatName = "kling-journal";
        public const int FormatVersion = 1;

        // The header is serialised with its format first, so even a torn header is recognisable by this prefix.
        private const string HeaderPrefix = "{\"format\":\"" + FormatName + "\"";

        public static byte[] HeaderLine() =>
            Encoding.UTF8.GetBytes(GatewayJson.Serialize(new JournalHeader { Created = DateTimeOffset.UtcNow }) + "\n");

        /// <summary>Reads a whole file while another process may be appending to it (and without locking it).</summary>
        public static byte[] ReadShared(string path)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return ReadAll(file);
        }

        public static byte[] ReadAll(FileStream file)
        {
            file.Seek(0, SeekOrigin.Begin);
            using var copy = new MemoryStream();
            file.CopyTo(copy);
            return copy.ToArray();
        }

        /// <summary>Parses a journal; throws <see cref="JournalException"/> when the bytes are not a journal this version reads.</summary>
        public static JournalContent Parse(byte[] bytes, string path)
        {
            var content = new JournalContent { KeepLength = bytes.Length };
            if (bytes.Length == 0)
            {
                return content;
            }

            int firstEnd = Array.IndexOf(bytes, (byte)'\n');
            string first = Line(bytes, 0, firstEnd < 0 ? bytes.Length : firstEnd);
            int start;
            if (IsHeader(first, path))
            {
                start = firstEnd < 0 ? bytes.Length : firstEnd + 1;
                content.NeedsNewline = firstEnd < 0;
            }
            else if (TryRecord(first) != null)
            {
                // A journal of the previous version: records from the first line on, no header.
                start = 0;
            }
            else if (firstEnd < 0 && first.StartsWith(HeaderPrefix, StringComparison.Ordinal))
            {
                // Our header, torn by a crash before its newline: the journal is new, and begins again.
                content.KeepLength = 0;
                content.SkippedLines = 1;
                return content;
            }
            else
            {
                throw new JournalException(
                    JournalProblem.NotAJournal,
                    path,
                    $"'{path}' is not a Kling journal: its first line is neither a journal header nor a journal record. It was left as it was.");
            }

            ParseRecords(bytes, start, content);
            return content;
        }

        private static void ParseRecords(byte[] bytes, int start, JournalContent content)
        {
            while (start < bytes.Length)
            {
                int end = Array.IndexOf(bytes, (byte)'\n', start);
                bool complete = end >= 0;
                string line = Line(bytes, start, complete ? end : bytes.Length);
                if (line.Length > 0)
                {
                    JournalRecord? record = TryRecord(line);
                    if (record != null)
                    {
                        content.Records.Add(record);
                        content.NeedsNewline = !complete;
                    }
                    else
                    {
                        content.SkippedLines++;
                        if (!complete)
                        {
                            // Only a torn last line (no newline: the writer died mid-line) is ever cut.
                            content.KeepLength = start;
                            content.NeedsNewline = false;
                        }
                    }
                }
                else
                {
                    content.NeedsNewline = !complete;
                }

                start = complete ? end + 1 : bytes.Length;
            }
        }

        private static bool IsHeader(string line, string path)
        {
            if (!line.StartsWith("{", StringComparison.Ordinal))
            {
                return false;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("format", out JsonElement format)
                    || format.ValueKind != JsonValueKind.String
                    || format.GetString() != FormatName)
                {
                    return false;
                }

                bool hasVersion = root.TryGetProperty("version", out JsonElement version);
                if (!hasVersion || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int number) || number != FormatVersion)
                {
                    string shown = hasVersion ? version.GetRawText() : "none";
                    throw new JournalException(
                        JournalProblem.UnsupportedVersion,
                        path,
                        $"The journal '{path}' was written by another version of Kling (journal version {shown}); this version reads version {FormatVersion}. It was left as it was.");
                }

                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static JournalRecord? TryRecord(string line)
        {
            if (!line.StartsWith("{", StringComparison.Ordinal))
            {
                return null;
            }

            try
            {
                JournalRecord? record = JsonSerializer.Deserialize<JournalRecord>(line, GatewayJson.Options);
                return record == null || string.IsNullOrEmpty(record.Type) || string.IsNullOrEmpty(record.Key) ? null : record;
            }
            catch (Exception ex) when (ex is JsonException || ex is NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>One line's text, without a byte order mark (an editor may add one) or surrounding white space.</summary>
        private static string Line(byte[] bytes, int start, int end) =>
            Encoding.UTF8.GetString(bytes, start, end - start).TrimStart('\uFEFF').Trim();
    }
}
