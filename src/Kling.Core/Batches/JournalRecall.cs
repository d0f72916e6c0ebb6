using Kling.Core.Gateway;

namespace Kling.Core.Batches
{
    /// <summary>What the journal says of a row about to be sent: send it, or report what an earlier run left.</summary>
    public sealed class JournalRecall
    {
        private JournalRecall(string key, KlingTask? earlier, GatewayException? inDoubt)
        {
            Key = key;
            Earlier = earlier;
            InDoubt = inDoubt;
        }

        /// <summary>The row's identity in the journal.</summary>
        public string Key { get; }

        /// <summary>The task an earlier run submitted for this row: written again, not sent again.</summary>
        public KlingTask? Earlier { get; }

        /// <summary>The row's POST was in flight when an earlier run stopped: it may be billed, so it is not sent again.</summary>
        public GatewayException? InDoubt { get; }

        public bool MustSend => Earlier == null && InDoubt == null;

        internal static JournalRecall Send(string key) => new JournalRecall(key, null, null);

        internal static JournalRecall Submitted(string key, KlingTask earlier) => new JournalRecall(key, earlier, null);

        internal static JournalRecall OutcomeUnknown(string key, GatewayException inDoubt) => new JournalRecall(key, null, inDoubt);
    }
}
