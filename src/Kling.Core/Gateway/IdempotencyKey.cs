using System;
using System.Security.Cryptography;
using System.Text;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// The Idempotency-Key a submission carries (MODELS.md, "Money, identity and discovery"): at most 64 printable ASCII
    /// characters, one per row, the same on every re-send of that row. A gateway that honours it answers a second
    /// POST under the same key and body with the first one's task instead of billing again; one that ignores it
    /// bills again, so a row in doubt is still never re-sent on its strength.
    /// </summary>
    public static class IdempotencyKey
    {
        public const string Header = "Idempotency-Key";

        public const int MaxLength = 64;

        /// <summary>A key of its own for a row sent without a journal: 32 random hex digits.</summary>
        public static string NewRandom() => RandomHex(16);

        /// <summary>Random lower-case hex digits, <paramref name="bytes"/> bytes of them (an id no other journal or row shares).</summary>
        public static string RandomHex(int bytes)
        {
            byte[] random = new byte[bytes];
            using (RandomNumberGenerator generator = RandomNumberGenerator.Create())
            {
                generator.GetBytes(random);
            }

            return Hex(random, bytes);
        }

        /// <summary>
        /// The key of <paramref name="identity"/> within <paramref name="scope"/> (a journal's id): "scope-identity" with '#'
        /// written '-', or, when that would be too long or not printable ASCII, "scope-" and 32 hex digits of its SHA-256.
        /// </summary>
        public static string Within(string scope, string identity)
        {
            string key = scope + "-" + identity.Replace('#', '-');
            if (IsValid(key))
            {
                return key;
            }

            using SHA256 sha = SHA256.Create();
            return scope + "-" + Hex(sha.ComputeHash(Encoding.UTF8.GetBytes(identity)), 16);
        }

        /// <summary>1 to 64 characters, each printable ASCII (space to '~').</summary>
        public static bool IsValid(string? key)
        {
            if (string.IsNullOrEmpty(key) || key!.Length > MaxLength)
            {
                return false;
            }

            foreach (char c in key)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        private static string Hex(byte[] bytes, int count)
        {
            var text = new StringBuilder(count * 2);
            for (int i = 0; i < count; i++)
            {
                text.Append(bytes[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
