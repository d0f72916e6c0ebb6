using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Kling.Core.Gateway;
using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>What a journal file holds, as read (nothing here writes).</summary>
    internal sealed class JournalContent
    {
        /// <summary>Unreadable lines: complete ones are skipped and kept, a torn last one is cut on a writable open.</summary>
        public int SkippedLines { get; set; }

        /// <summary>The bytes to keep: the length of the file without its torn last line.</summary>
        public long KeepLength { get; set; } = long.MaxValue;

        /// <summary>The kept part does not end with a newline: the next append must start a line first.</summary>
        public bool NeedsNewline { get; set; }

        /// <summary>The journal's id, from its header or (a journal of an earlier version) its meta line; null when it has none yet.</summary>
        public string? JournalId { get; set; }

        /// <summary>
        /// The journal's version: its header's, <see cref="JournalFormat.Headerless"/> when its records come without one,
        /// the current <see cref="JournalFormat.Version"/> for a new (empty) journal, whose header is still to be written.
        /// </summary>
        public int Version { get; set; } = JournalFormat.Version;
    }

    /// <summary>
    /// Reads and recognises journal files (nothing here writes; <see cref="JournalWriter"/> does): the header and its
    /// version, journals of version 0 (no header), torn last lines, one record again by where it starts.
    /// </summary>
    internal static class JournalReader
    {
        // Records read for what resuming or listing needs of them have their request skipped, not built: a rerun reads
        // every line of a big journal, and most lines again when their rows come, with little garbage.
        private static readonly JsonSerializerOptions WithoutRequests = new JsonSerializerOptions(GatewayJson.Options)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipRequest } },
        };

        /// <summary>Parses a file while another process may be appending to it (and without locking it).</summary>
        public static JournalContent ParseShared(string path, Action<JournalRecord>? onRecord)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Parse(file, path, onRecord);
        }

        /// <summary>
        /// Parses a journal line by line from its start, handing each record (without its request) to
        /// <paramref name="onRecord"/> (streamed: a big journal is never all in memory); throws
        /// <see cref="JournalException"/> when it is not a journal this version reads.
        /// </summary>
        public static JournalContent Parse(Stream file, string path, Action<JournalRecord>? onRecord)
        {
            var content = new JournalContent();
            foreach (JournalRecord record in Records(file, path, content, requests: false))
            {
                onRecord?.Invoke(record);
            }

            return content;
        }

        /// <summary>
        /// The records of a journal, read lazily from its start (with their requests when <paramref name="requests"/>);
        /// <paramref name="content"/> is complete once they are all read.
        /// </summary>
        public static IEnumerable<JournalRecord> Records(Stream file, string path, JournalContent content, bool requests)
        {
            file.Seek(0, SeekOrigin.Begin);
            bool first = true;
            bool headerless = false;
            int number = 0;
            long length = 0;
            foreach (JournalLine line in Lines(file))
            {
                length = line.End;
                number++;
                if (first)
                {
                    first = false;
                    if (IsHeader(line.Text, path, content))
                    {
                        content.NeedsNewline = !line.Complete;
                        continue;
                    }

                    if (!JournalRecordShape.Matches(line.Text))
                    {
                        if (!line.Complete && line.Text.StartsWith(JournalFormat.HeaderPrefix, StringComparison.Ordinal))
                        {
                            // Our header, torn by a crash before its newline: the journal is new, and begins again.
                            content.KeepLength = 0;
                            content.SkippedLines = 1;
                            yield break;
                        }

                        throw NotAJournal(path, "its first line is neither a journal header nor a journal record");
                    }

                    // A journal of version 0: records from the first line on, no header.
                    headerless = true;
                    content.Version = JournalFormat.Headerless;
                }
                else if (headerless && line.Complete && line.Text.Length > 0 && !JournalRecordShape.Matches(line.Text))
                {
                    // Without a header, only lines exactly as Kling writes them make a journal: another program's JSON lines
                    // whose first line happens to look like a record are not appended to.
                    throw NotAJournal(path, $"it has no journal header, and its line {number} is not a journal record");
                }

                JournalRecord? record = ParseRecord(line, content, requests);
                if (record != null && record.Type == JournalFormat.Meta)
                {
                    content.JournalId ??= JournalFormat.IsId(record.JournalId) ? record.JournalId : null;
                }
                else if (record != null)
                {
                    record.Offset = line.Start;
                    yield return record;
                }
            }

            content.KeepLength = Math.Min(content.KeepLength, length);
        }

        private static JournalException NotAJournal(string path, string why) =>
            new JournalException(JournalProblem.NotAJournal, path, $"'{path}' is not a Kling journal: {why}. It was left as it was.");

        /// <summary>
        /// Refuses a folder given as a journal (or a path that ends with a folder separator), before anything is created
        /// in it or beside it.
        /// </summary>
        public static void RefuseFolder(string path)
        {
            bool exists = Directory.Exists(path);
            if (exists || path.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) || path.EndsWith(System.IO.Path.AltDirectorySeparatorChar.ToString(), StringComparison.Ordinal))
            {
                string example = System.IO.Path.Combine(path, "batch.journal.jsonl");
                throw new JournalException(
                    JournalProblem.Folder,
                    path,
                    $"'{path}' {(exists ? "is a folder" : "names a folder (it ends with a separator)")}, not a journal file. -Journal takes the path of a file (a new name starts a journal), for example '{example}'. Nothing was created in it or beside it.");
            }
        }

        private static JournalRecord? ParseRecord(JournalLine line, JournalContent content, bool requests)
        {
            if (line.Text.Length == 0)
            {
                content.NeedsNewline = !line.Complete;
                return null;
            }

            JournalRecord? record = TryRecord(line.Text, requests);
            if (record != null)
            {
                content.NeedsNewline = !line.Complete;
                return record;
            }

            content.SkippedLines++;
            if (!line.Complete)
            {
                // Only a torn last line (no newline: the writer died mid-line) is ever cut.
                content.KeepLength = line.Start;
                content.NeedsNewline = false;
            }

            return null;
        }

        /// <summary>
        /// The record of the line that starts at <paramref name="offset"/> (read again: a journal is only appended to),
        /// without its request unless <paramref name="withRequest"/>; null when it does not parse.
        /// </summary>
        public static JournalRecord? RecordAt(Stream file, long offset, bool withRequest = false)
        {
            file.Seek(offset, SeekOrigin.Begin);
            var line = new MemoryStream(1024);
            int b;
            while ((b = file.ReadByte()) >= 0 && b != '\n')
            {
                line.WriteByte((byte)b);
            }

            JournalRecord? record = TryRecord(Text(line), requests: withRequest);
            if (record != null)
            {
                record.Offset = offset;
            }

            return record;
        }

        /// <summary>The file's lines with where each starts and ends; the last one is incomplete when the file does not end with a newline.</summary>
        private static IEnumerable<JournalLine> Lines(Stream file)
        {
            var line = new MemoryStream();
            byte[] chunk = new byte[64 * 1024];
            long position = 0;
            long start = 0;
            int read;
            while ((read = file.Read(chunk, 0, chunk.Length)) > 0)
            {
                int from = 0;
                int end;
                while ((end = Array.IndexOf(chunk, (byte)'\n', from, read - from)) >= 0)
                {
                    line.Write(chunk, from, end - from);
                    yield return new JournalLine(start, position + end + 1, Text(line), true);
                    line.SetLength(0);
                    from = end + 1;
                    start = position + from;
                }

                line.Write(chunk, from, read - from);
                position += read;
            }

            if (line.Length > 0)
            {
                yield return new JournalLine(start, position, Text(line), false);
            }
        }

        private static bool IsHeader(string line, string path, JournalContent content)
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
                    || !root.TryGetProperty(JournalFormat.Fields.Format, out JsonElement format)
                    || format.ValueKind != JsonValueKind.String
                    || format.GetString() != JournalFormat.Name)
                {
                    return false;
                }

                bool hasVersion = root.TryGetProperty(JournalFormat.Fields.Version, out JsonElement version);
                if (!hasVersion || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int number) || !JournalFormat.Reads(number))
                {
                    string shown = hasVersion ? version.GetRawText() : "none";
                    throw new JournalException(
                        JournalProblem.UnsupportedVersion,
                        path,
                        $"The journal '{path}' was written by another version of Kling (journal version {shown}); this version reads journal {JournalFormat.ReadableVersions}. It was left as it was.");
                }

                content.Version = number;
                if (root.TryGetProperty(JournalFormat.Fields.Id, out JsonElement id) && id.ValueKind == JsonValueKind.String && JournalFormat.IsId(id.GetString()))
                {
                    content.JournalId = id.GetString();
                }

                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static JournalRecord? TryRecord(string line, bool requests)
        {
            if (!line.StartsWith("{", StringComparison.Ordinal))
            {
                return null;
            }

            try
            {
                JournalRecord? record = JsonSerializer.Deserialize<JournalRecord>(line, requests ? GatewayJson.Options : WithoutRequests);
                return record == null || string.IsNullOrEmpty(record.Type) || string.IsNullOrEmpty(record.Key) ? null : record;
            }
            catch (Exception ex) when (ex is JsonException || ex is NotSupportedException)
            {
                return null;
            }
        }

        private static void SkipRequest(JsonTypeInfo info)
        {
            if (info.Type != typeof(JournalRecord))
            {
                return;
            }

            for (int i = info.Properties.Count - 1; i >= 0; i--)
            {
                if (info.Properties[i].Name == JournalFormat.Fields.Request)
                {
                    info.Properties.RemoveAt(i);
                }
            }
        }

        /// <summary>One line's text, without a byte order mark (an editor may add one) or surrounding white space.</summary>
        private static string Text(MemoryStream line) =>
            Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimStart('\uFEFF').Trim();

        private readonly struct JournalLine
        {
            public JournalLine(long start, long end, string text, bool complete)
            {
                Start = start;
                End = end;
                Text = text;
                Complete = complete;
            }

            public long Start { get; }

            /// <summary>Just past the line's newline (or the end of the file).</summary>
            public long End { get; }

            public string Text { get; }

            public bool Complete { get; }
        }
    }
}
