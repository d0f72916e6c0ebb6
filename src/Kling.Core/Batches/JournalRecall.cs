using Kling.Core.Gateway;

namespace Kling.Core.Batches
{
    /// <summary>What the journal says of a row about to be sent: send it, or report what an earlier run left.</summary>
    public sealed class JournalRecall
    {
        private JournalRecall(string key, KlingTask? earlier, GatewayException? inDoubt, string? replaces)
        {
            Key = key;
            Earlier = earlier;
            InDoubt = inDoubt;
            Replaces = replaces;
        }

        /// <summary>The row's identity in the journal.</summary>
        public string Key { get; }

        /// <summary>The task an earlier run submitted for this row: written again, not sent again.</summary>
        public KlingTask? Earlier { get; }

        /// <summary>The row's POST in an earlier run may have been accepted (and billed), so it is not sent again.</summary>
        public GatewayException? InDoubt { get; }

        /// <summary>
        /// The id of the failed (or cancelled) task an earlier run submitted for this row, when the row is sent again in
        /// its place; its lines stay in the journal.
        /// </summary>
        public string? Replaces { get; }

        public bool MustSend => Earlier == null && InDoubt == null;

        internal static JournalRecall Send(string key) => new JournalRecall(key, null, null, null);

        internal static JournalRecall Submitted(string key, KlingTask earlier) => new JournalRecall(key, earlier, null, null);

        internal static JournalRecall OutcomeUnknown(string key, GatewayException inDoubt) => new JournalRecall(key, null, inDoubt, null);

        internal static JournalRecall Replace(string key, string failedTaskId) => new JournalRecall(key, null, null, failedTaskId);
    }
}
