using System;
using System.Globalization;
using System.Text;

namespace Kling.Core.Batches
{
    /// <summary>
    /// A row identity as <see cref="SubmissionJournal.KeyFor"/> writes it (lower-case hex of the first 16 bytes of its
    /// request's SHA-256, '#', its occurrence), held as three numbers instead of a string of 34 characters or more.
    /// </summary>
    internal readonly struct RowIdentity : IEquatable<RowIdentity>
    {
        private const int HexLength = 32;

        public RowIdentity(RowContent content, int occurrence)
        {
            Content = content;
            Occurrence = occurrence;
        }

        /// <summary>The request's content (its digest).</summary>
        public RowContent Content { get; }

        /// <summary>How many rows with this content came before it in its run, plus one.</summary>
        public int Occurrence { get; }

        /// <summary>Only the exact form Kling writes, so two different texts never share an identity.</summary>
        public static bool TryParse(string key, out RowIdentity identity)
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

            long count = 0;
            for (int i = HexLength + 1; i < key.Length; i++)
            {
                if (key[i] < '0' || key[i] > '9')
                {
                    return false;
                }

                count = (count * 10) + (key[i] - '0');
            }

            if (count > int.MaxValue)
            {
                return false;
            }

            identity = new RowIdentity(new RowContent(high, low), (int)count);
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

        public bool Equals(RowIdentity other) => Content.Equals(other.Content) && Occurrence == other.Occurrence;

        public override bool Equals(object? obj) => obj is RowIdentity other && Equals(other);

        public override int GetHashCode() => unchecked(Content.GetHashCode() ^ (Occurrence * 397));

        /// <summary>The text every journal on disk holds.</summary>
        public override string ToString() =>
            new StringBuilder(HexLength + 8)
                .Append(Content.High.ToString("x16", CultureInfo.InvariantCulture))
                .Append(Content.Low.ToString("x16", CultureInfo.InvariantCulture))
                .Append('#')
                .Append(Occurrence.ToString(CultureInfo.InvariantCulture))
                .ToString();
    }

    /// <summary>A request's content: the first 16 bytes of the SHA-256 of its JSON, as two numbers (big-endian, as its hex reads).</summary>
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
