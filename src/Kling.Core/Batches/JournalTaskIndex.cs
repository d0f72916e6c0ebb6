using System;
using System.Collections.Generic;

namespace Kling.Core.Batches
{
    /// <summary>
    /// What listing a journal's tasks keeps of each row identity while it reads: where the identity's first line is,
    /// where its latest line is, and whether that line says "submitted". No strings and no records: an identity as
    /// Kling writes it is held as three numbers (<see cref="RowIdentity"/>), about 50 bytes, so a
    /// 10,000-row journal costs half a megabyte. Identities written otherwise (edited by hand) are kept by their text.
    /// </summary>
    internal sealed class JournalTaskIndex
    {
        private readonly Dictionary<RowIdentity, Slot> identities = new Dictionary<RowIdentity, Slot>();
        private readonly Dictionary<string, Slot> others = new Dictionary<string, Slot>(StringComparer.Ordinal);

        /// <summary>The records added so far (the index of the next one).</summary>
        public int Count { get; private set; }

        /// <summary>Notes a record, read in file order.</summary>
        public void Add(JournalRecord record)
        {
            bool submitted = record.Type == JournalFormat.Submitted && !string.IsNullOrEmpty(record.TaskId);
            if (JournalFormat.TryParseKey(record.Key, out RowIdentity identity))
            {
                int first = identities.TryGetValue(identity, out Slot earlier) ? earlier.First : Count;
                identities[identity] = new Slot(first, record.Offset, submitted);
            }
            else
            {
                int first = others.TryGetValue(record.Key, out Slot earlier) ? earlier.First : Count;
                others[record.Key] = new Slot(first, record.Offset, submitted);
            }

            Count++;
        }

        /// <summary>
        /// True when the record at <paramref name="index"/> is its identity's first line and the identity's latest line
        /// says "submitted"; <paramref name="latest"/> is where that line starts.
        /// </summary>
        public bool IsFirstOfSubmitted(JournalRecord record, int index, out long latest)
        {
            bool found = JournalFormat.TryParseKey(record.Key, out RowIdentity identity)
                ? identities.TryGetValue(identity, out Slot slot)
                : others.TryGetValue(record.Key, out slot);
            latest = slot.Latest;
            return found && slot.First == index && slot.Submitted;
        }

        private readonly struct Slot
        {
            public Slot(int first, long latest, bool submitted)
            {
                First = first;
                Latest = latest;
                Submitted = submitted;
            }

            public int First { get; }

            public long Latest { get; }

            public bool Submitted { get; }
        }
    }
}
