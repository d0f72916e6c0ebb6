using System.Security.Cryptography;
using System.Text;
using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>
    /// How a journal gives a row its content (the part of its identity that is not its occurrence): the first 16 bytes of
    /// the SHA-256 of a text of its request. Which rule a journal follows is its version's (<see cref="JournalFormat.IdentityRule"/>).
    /// </summary>
    internal abstract class RowIdentityRule
    {
        /// <summary>
        /// Versions 0 and 1: the request as it is sent (<see cref="GatewayJson"/>), so the order of
        /// <see cref="VideoRequest"/>'s properties is part of the identity. Kept for journals written so; the wire form of a
        /// request is pinned byte for byte (O1GoldenTests, RowIdentityGoldenTests) while they may be about.
        /// </summary>
        public static RowIdentityRule SerializedRequest { get; } = new Serialized();

        /// <summary>
        /// Version 2 on: the request's canonical JSON (<see cref="CanonicalJson"/>: names sorted, nulls dropped), so the
        /// identity is the request's content alone, whatever order its properties are declared or written in, and a field
        /// that is added but not given (null, not sent) changes nothing.
        /// </summary>
        public static RowIdentityRule CanonicalRequest { get; } = new Canonical();

        /// <summary>The text whose digest is the row's content.</summary>
        public abstract string TextOf(VideoRequest request);

        public RowContent ContentOf(VideoRequest request)
        {
            using SHA256 sha = SHA256.Create();
            return RowContent.Of(sha.ComputeHash(Encoding.UTF8.GetBytes(TextOf(request))));
        }

        private sealed class Serialized : RowIdentityRule
        {
            public override string TextOf(VideoRequest request) => GatewayJson.Serialize(request);
        }

        private sealed class Canonical : RowIdentityRule
        {
            public override string TextOf(VideoRequest request) => CanonicalJson.Of(GatewayJson.Serialize(request));
        }
    }
}
