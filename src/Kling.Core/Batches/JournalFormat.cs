using System;
using System.Globalization;
using System.Text;

namespace Kling.Core.Batches
{
    /// <summary>
    /// The journal's format, declared once: its name and versions, the record types and field names, the header, the id,
    /// the key's written form and, per version, the rule that gives a row its identity. <see cref="JournalReader"/> and
    /// <see cref="JournalWriter"/> ask it; nothing else spells a part of the format.
    /// </summary>
    /// <remarks>
    /// Versions: 0 (no header: the first journals), 1 (a header naming format, version and id) and 2 (row identities from
    /// the request's canonical JSON, <see cref="RowIdentityRule.CanonicalRequest"/>). A journal keeps its version for its
    /// life: one of version 0 or 1 is still read, and appended to, with the identities it was written with
    /// (<see cref="RowIdentityRule.SerializedRequest"/>), so a rerun after an upgrade sends nothing it holds. Only a new
    /// journal gets the current version.
    /// </remarks>
    internal static class JournalFormat
    {
        public const string Name = "kling-journal";

        /// <summary>The version a new journal is written in.</summary>
        public const int Version = 2;

        /// <summary>The version of a journal without a header (written before journals had one).</summary>
        public const int Headerless = 0;

        /// <summary>The first version whose row identities do not hang on the order of the request's properties.</summary>
        public const int CanonicalIdentities = 2;

        public const string Sending = "sending";
        public const string Submitted = "submitted";
        public const string NotSent = "not_sent";

        /// <summary>The type (and key) of the line that gives a journal of version 0 its id.</summary>
        public const string Meta = "meta";

        /// <summary>The header is serialised with its format first, so even a torn header is recognisable by this prefix.</summary>
        public const string HeaderPrefix = "{\"" + Fields.Format + "\":\"" + Name + "\"";

        private const int KeyHexLength = 32;

        /// <summary>Every record type a line may have (a record's and the meta line's).</summary>
        public static readonly string[] RecordTypes = { Sending, Submitted, NotSent, Meta };

        /// <summary>The names of a line's fields on disk (records, the meta line and the header).</summary>
        public static class Fields
        {
            public const string Type = "type";
            public const string Key = "key";
            public const string Row = "row";
            public const string Name = "name";
            public const string TaskId = "task_id";
            public const string Request = "request";
            public const string Error = "error";
            public const string At = "at";

            /// <summary>The journal's id: in the header, and on the meta line.</summary>
            public const string Id = "id";

            public const string Format = "format";
            public const string Version = "version";
            public const string Created = "created";
        }

        /// <summary>Whether this version reads (and appends to) a journal whose header says <paramref name="version"/>.</summary>
        public static bool Reads(int version) => version >= 1 && version <= Version;

        /// <summary>The versions this version reads, in words, for the error that refuses another.</summary>
        public static string ReadableVersions => $"versions 1 to {Version} (and journals without a header)";

        /// <summary>How a journal of <paramref name="version"/> gives a row its identity.</summary>
        public static RowIdentityRule IdentityRule(int version) =>
            version >= CanonicalIdentities ? RowIdentityRule.CanonicalRequest : RowIdentityRule.SerializedRequest;

        /// <summary>A new journal's id: 16 random hex digits (64 bits), so no two journals share one.</summary>
        public static string NewId() => Gateway.IdempotencyKey.RandomHex(8);

        /// <summary>An id read back: 8 to 24 letters and digits, or it is not used (a new one is appended).</summary>
        public static bool IsId(string? id)
        {
            if (id == null || id.Length < 8 || id.Length > 24)
            {
                return false;
            }

            foreach (char c in id)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// A row identity's key as every journal holds it, whatever its version: lower-case hex of the 16 bytes of its
        /// content, '#', its occurrence.
        /// </summary>
        public static string KeyOf(RowIdentity identity) =>
            new StringBuilder(KeyHexLength + 8)
                .Append(identity.Content.High.ToString("x16", CultureInfo.InvariantCulture))
                .Append(identity.Content.Low.ToString("x16", CultureInfo.InvariantCulture))
                .Append('#')
                .Append(identity.Occurrence.ToString(CultureInfo.InvariantCulture))
                .ToString();

        /// <summary>Reads a key back; only the exact form <see cref="KeyOf"/> writes, so two different texts never share an identity.</summary>
        public static bool TryParseKey(string key, out RowIdentity identity)
        {
            identity = default;
            if (key.Length < KeyHexLength + 2 || key.Length > KeyHexLength + 10 || key[KeyHexLength] != '#' || key[KeyHexLength + 1] == '0')
            {
                return false;
            }

            if (!TryHex(key, 0, out ulong high) || !TryHex(key, 16, out ulong low))
            {
                return false;
            }

            long count = 0;
            for (int i = KeyHexLength + 1; i < key.Length; i++)
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
    }
}
