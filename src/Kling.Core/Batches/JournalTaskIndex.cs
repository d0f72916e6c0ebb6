using System;
using System.Collections.Generic;

namespace Kling.Core.Batches
{
    /// <summary>
    /// What listing a journal's tasks keeps of each row identity while it reads: where the identity's first line is,
    /// where its latest line is, and whether that line says "submitted". No strings and no records: an identity as
    /// Kling writes it (32 hex digits, '#', its occurrence) is held as three numbers, about 50 bytes, so a
    /// 10,000-row journal costs half a megabyte. Identities written otherwise (edited by hand) are kept by their text.
    /// </summary>
    internal sealed class JournalTaskIndex
    {
        private readonly Dictionary<Identity, Slot> identities = new Dictionary<Identity, Slot>();
        private readonly Dictionary<string, Slot> others = new Dictionary<string, Slot>(StringComparer.Ordinal);

        /// <summary>The records added so far (the index of the next one).</summary>
        public int Count { get; private set; }

        /// <summary>Notes a record, read in file order.</summary>
        public void Add(JournalRecord record)
        {
            bool submitted = record.Type == SubmissionJournal.Submitted && !string.IsNullOrEmpty(record.TaskId);
            if (Identity.TryParse(record.Key, out Identity identity))
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
            bool found = Identity.TryParse(record.Key, out Identity identity)
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

        /// <summary>An identity as <see cref="SubmissionJournal.KeyFor"/> writes it: lower-case hex of 16 bytes, '#', the occurrence.</summary>
        private readonly struct Identity : IEquatable<Identity>
        {
            private const int HexLength = 32;
            private readonly ulong high;
            private readonly ulong low;
            private readonly int occurrence;

            private Identity(ulong high, ulong low, int occurrence)
            {
                this.high = high;
                this.low = low;
                this.occurrence = occurrence;
            }

            /// <summary>Only the exact form Kling writes, so two different texts never share an identity.</summary>
            public static bool TryParse(string key, out Identity identity)
            {
                identity = default;
                if (key.Length < HexLength + 2 || key.Length > HexLength + 10 || key[HexLength] != '#' || key[HexLength + 1] == '0')
                {
                    return false;
                }

                if (!TryHex(key, 0, out ulong high) || !TryHex(key, 16, out ulong low))
                {
                    return false;
                }

                int count = 0;
                for (int i = HexLength + 1; i < key.Length; i++)
                {
                    if (key[i] < '0' || key[i] > '9')
                    {
                        return false;
                    }

                    count = (count * 10) + (key[i] - '0');
                }

                identity = new Identity(high, low, count);
                return true;
            }

            private static bool TryHex(string key, int start, out ulong value)
            {
                value = 0;
                for (int i = start; i < start + 16; i++)
                {
                    char c = key[i];
                    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                    if (digit < 0)
                    {
                        return false;
                    }

                    value = (value << 4) | (uint)digit;
                }

                return true;
            }

            public bool Equals(Identity other) => high == other.high && low == other.low && occurrence == other.occurrence;

            public override bool Equals(object? obj) => obj is Identity other && Equals(other);

            public override int GetHashCode() => unchecked((int)low ^ (int)(low >> 32) ^ (occurrence * 397));
        }
    }
}
