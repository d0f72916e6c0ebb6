using System;

namespace Kling.Core.Batches
{
    /// <summary>
    /// A row identity (<see cref="SubmissionJournal.KeyFor"/>): its request's content and its occurrence, held as three
    /// numbers instead of the key of 34 characters or more a journal holds (<see cref="JournalFormat.KeyOf"/>).
    /// </summary>
    internal readonly struct RowIdentity : IEquatable<RowIdentity>
    {
        public RowIdentity(RowContent content, int occurrence)
        {
            Content = content;
            Occurrence = occurrence;
        }

        /// <summary>The request's content (its digest).</summary>
        public RowContent Content { get; }

        /// <summary>How many rows with this content came before it in its run, plus one.</summary>
        public int Occurrence { get; }

        public bool Equals(RowIdentity other) => Content.Equals(other.Content) && Occurrence == other.Occurrence;

        public override bool Equals(object? obj) => obj is RowIdentity other && Equals(other);

        public override int GetHashCode() => unchecked(Content.GetHashCode() ^ (Occurrence * 397));

        /// <summary>The key every journal on disk holds (<see cref="JournalFormat.KeyOf"/>).</summary>
        public override string ToString() => JournalFormat.KeyOf(this);
    }

    /// <summary>
    /// A request's content: the first 16 bytes of the SHA-256 of its text (<see cref="RowIdentityRule"/>), as two numbers
    /// (big-endian, as its hex reads).
    /// </summary>
    internal readonly struct RowContent : IEquatable<RowContent>
    {
        public RowContent(ulong high, ulong low)
        {
            High = high;
            Low = low;
        }

        public ulong High { get; }

        public ulong Low { get; }

        public static RowContent Of(byte[] digest)
        {
            ulong high = 0;
            ulong low = 0;
            for (int i = 0; i < 8; i++)
            {
                high = (high << 8) | digest[i];
                low = (low << 8) | digest[i + 8];
            }

            return new RowContent(high, low);
        }

        public bool Equals(RowContent other) => High == other.High && Low == other.Low;

        public override bool Equals(object? obj) => obj is RowContent other && Equals(other);

        public override int GetHashCode() => unchecked((int)Low ^ (int)(Low >> 32));
    }
}
