using System;
using System.Globalization;
using Kling.Core.Gateway;

namespace Kling.Core.Batches
{
    /// <summary>
    /// The words for a row whose POST may have been accepted: why, as the journal keeps it when the answer left the
    /// outcome unknown, and the error a rerun gives, by what happened (a stop mid-POST, or an answer that said nothing sure).
    /// </summary>
    internal static class InDoubt
    {
        /// <summary>What happened to the POST, in a few words: the gateway's status and message, or the network's failure.</summary>
        public static string Reason(GatewayException error)
        {
            if (error.StatusCode != null)
            {
                string? detail = error.ErrorType ?? error.ErrorCode;
                return $"the gateway answered HTTP {(int)error.StatusCode.Value}{(detail != null ? " (" + detail + ")" : string.Empty)}" +
                       (string.IsNullOrWhiteSpace(error.GatewayMessage) ? string.Empty : ": " + error.GatewayMessage);
            }

            // A timeout or a connection lost after sending: the transport's own words are under the submission's advice.
            return (error.InnerException as GatewayException)?.Message ?? error.Message;
        }

        /// <summary>
        /// The rerun's error for a row whose latest line is "sending": with the reason the journal kept, what the earlier
        /// run's POST got; without one, the earlier run stopped (Ctrl+C after the grace period, a crash) while it was on the wire.
        /// </summary>
        public static GatewayException Error(string label, JournalRecord? latest, string journalPath)
        {
            string what = string.IsNullOrWhiteSpace(latest?.Error)
                ? $"{label} was being submitted when an earlier run stopped (journal {journalPath}); it may have been accepted and billed, so it is not sent again."
                : $"{label} was sent by an earlier run ({latest!.At.ToString("u", CultureInfo.InvariantCulture)}), which got no clear answer: {latest.Error!.TrimEnd('.')}. It may have been accepted and billed, so it is not sent again (journal {journalPath}).";
            return new GatewayException(GatewayErrorKind.Network, what + " Look for it on the gateway; to send it anyway, delete its lines from the journal.")
            {
                OutcomeUnknown = true,
            };
        }
    }
}
