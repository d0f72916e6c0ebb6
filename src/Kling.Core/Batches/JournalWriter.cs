using System;
using System.IO;
using System.Text;
using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>
    /// Writes a journal open for a run (<see cref="JournalReader"/> reads it): the header of a new journal in the current
    /// version, the repair of one that was read (a torn last line cut, a missing newline, the meta line giving a journal
    /// of version 0 its id), and records, each one whole line with one write, flushed to disk. Never rewrites a byte that
    /// was there, except a torn last line. Not thread-safe: the journal holds its lock around every call.
    /// </summary>
    internal sealed class JournalWriter
    {
        private readonly FileStream stream;

        /// <param name="stream">The journal, opened unbuffered for reading and writing (every line goes to the file in one write).</param>
        public JournalWriter(FileStream stream)
        {
            this.stream = stream;
        }

        /// <summary>
        /// Cuts a torn last line (only that), ends the last line, or writes the header of a new journal; a journal without
        /// an id (version 0) gets a meta line with <paramref name="id"/>, once.
        /// </summary>
        public void Repair(JournalContent content, string id)
        {
            if (content.KeepLength < stream.Length)
            {
                stream.SetLength(content.KeepLength);
            }

            byte[] fix = Encoding.UTF8.GetBytes(Missing(stream.Length, content, id));
            if (fix.Length > 0)
            {
                stream.Seek(0, SeekOrigin.End);
                stream.Write(fix, 0, fix.Length);
                stream.Flush(flushToDisk: true);
            }
        }

        /// <summary>Appends the record as one line and sets its <see cref="JournalRecord.Offset"/> to where the line starts.</summary>
        public void Append(JournalRecord record)
        {
            byte[] line = Encoding.UTF8.GetBytes(GatewayJson.Serialize(record) + "\n");
            record.Offset = stream.Seek(0, SeekOrigin.End);
            stream.Write(line, 0, line.Length);
            stream.Flush(flushToDisk: true);
        }

        /// <summary>
        /// What opening a file of <paramref name="length"/> bytes (its torn last line cut) for writing appends: a new
        /// journal's header; else a newline ending the last line, and the meta line of a journal without an id.
        /// </summary>
        private static string Missing(long length, JournalContent content, string id) =>
            length == 0 ? HeaderLine(id) : (content.NeedsNewline ? "\n" : string.Empty) + (content.JournalId == null ? MetaLine(id) : string.Empty);

        private static string HeaderLine(string id) => GatewayJson.Serialize(new JournalHeader { Created = DateTimeOffset.UtcNow, Id = id }) + "\n";

        private static string MetaLine(string id) => GatewayJson.Serialize(new JournalMeta { Id = id, At = DateTimeOffset.UtcNow }) + "\n";
    }
}
