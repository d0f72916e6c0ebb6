using System.Net;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// TLS on Windows PowerShell 5.1, where .NET Framework's HttpClient takes its protocols from the process-wide
    /// <see cref="ServicePointManager.SecurityProtocol"/>, often an explicit Ssl3 | Tls list without TLS 1.2.
    /// </summary>
    internal static class LegacyTls
    {
        private const SecurityProtocolType SystemDefault = 0;

        /// <summary>
        /// The protocols to use: TLS 1.2 added to an explicit list; the system default (0, which lets the OS choose
        /// and on supported Windows already means TLS 1.2 and 1.3) left alone, as are the caller's other choices.
        /// </summary>
        internal static SecurityProtocolType WithTls12(SecurityProtocolType current) =>
            current == SystemDefault ? current : current | SecurityProtocolType.Tls12;

        internal static void Apply() => ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
    }
}
