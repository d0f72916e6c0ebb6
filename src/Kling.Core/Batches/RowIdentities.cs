using System;
using System.Collections.Generic;

namespace Kling.Core.Batches
{
    /// <summary>
    /// What a journal open for a run keeps in memory of row identities, about 40 bytes per distinct request: for each
    /// request content, how many rows of this run had it so far (a row's identity is its content and that count, see
    /// <see cref="SubmissionJournal.KeyFor"/>) and the journal's latest line for the first of them. The count is needed
    /// for every row anyway, so a rerun on a full journal costs little more than a first run. Rows the journal holds
    /// beyond the first of a content (identical rows) and identities not written the way Kling writes them (edited by
    /// hand) are kept apart. Not thread-safe: the journal holds its lock around every call.
    /// </summary>
    internal sealed class RowIdentities
    {
        private readonly Dictionary<RowContent, Counted> contents = new Dictionary<RowContent, Counted>();
        private readonly Dictionary<RowIdentity, JournalEntry> repeats = new Dictionary<RowIdentity, JournalEntry>();
        private readonly Dictionary<string, JournalEntry> handWritten = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);

        /// <summary>Notes the journal's line for an identity, read in file order (so the last noted is its latest).</summary>
        public void Note(string key, JournalEntry entry)
        {
            if (!JournalFormat.TryParseKey(key, out RowIdentity identity))
            {
                handWritten[key] = entry;
            }
            else if (identity.Occurrence == 1)
            {
                contents.TryGetValue(identity.Content, out Counted counted);
                contents[identity.Content] = new Counted(counted.Seen, entry);
            }
            else
            {
                repeats[identity] = entry;
            }
        }

        /// <summary>The identity of this run's next row with this content (counting it).</summary>
        public RowIdentity Next(RowContent content)
        {
            contents.TryGetValue(content, out Counted counted);
            int seen = counted.Seen + 1;
            contents[content] = new Counted(seen, counted.Entry);
            return new RowIdentity(content, seen);
        }

        /// <summary>The journal's latest line for an identity; false when the journal has none.</summary>
        public bool TryGet(string key, out JournalEntry entry)
        {
            if (!JournalFormat.TryParseKey(key, out RowIdentity identity))
            {
                return handWritten.TryGetValue(key, out entry);
            }

            if (identity.Occurrence != 1)
            {
                return repeats.TryGetValue(identity, out entry);
            }

            bool found = contents.TryGetValue(identity.Content, out Counted counted) && counted.Entry.Kind != JournalLineKind.None;
            entry = counted.Entry;
            return found;
        }

        /// <summary>
        /// Moves an identity the journal knew to a line this run appended. An identity this run journaled first is left
        /// out: its occurrence makes it unique, so it is never recalled again in this run, and keeping it would only
        /// grow memory with the batch.
        /// </summary>
        public void Update(string key, JournalEntry entry)
        {
            if (TryGet(key, out _))
            {
                Note(key, entry);
            }
        }

        /// <summary>Every identity's latest line the journal holds.</summary>
        public IEnumerable<JournalEntry> Entries()
        {
            foreach (Counted counted in contents.Values)
            {
                if (counted.Entry.Kind != JournalLineKind.None)
                {
                    yield return counted.Entry;
                }
            }

            foreach (JournalEntry entry in repeats.Values)
            {
                yield return entry;
            }

            foreach (JournalEntry entry in handWritten.Values)
            {
                yield return entry;
            }
        }

        /// <summary>
        /// One content's count in this run, with where the journal's latest line for its first occurrence starts and its
        /// kind (None: no line). Flat, in this order, so it takes 16 bytes (a nested entry would be padded to 24).
        /// </summary>
        private readonly struct Counted
        {
            private readonly long offset;
            private readonly int seen;
            private readonly JournalLineKind kind;

            public Counted(int seen, JournalEntry entry)
            {
                offset = entry.Offset;
                this.seen = seen;
                kind = entry.Kind;
            }

            public int Seen => seen;

            public JournalEntry Entry => new JournalEntry(offset, kind);
        }
    }
}
