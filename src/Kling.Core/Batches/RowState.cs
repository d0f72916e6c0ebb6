using Kling.Core.Wire;

namespace Kling.Core.Batches
{
    /// <summary>One row on its way: what is sent once its images are uploaded, under which key, and whether "sending" is on disk.</summary>
    internal sealed class RowState
    {
        public RowState(SubmissionItem item, string idempotencyKey)
        {
            Item = item;
            IdempotencyKey = idempotencyKey;
        }

        public SubmissionItem Item { get; }

        /// <summary>The same on every send of the row (429s, refused connections, ...), so the gateway can tell them one submission.</summary>
        public string IdempotencyKey { get; }

        public VideoRequest? ToSend { get; set; }

        public bool JournaledSending { get; set; }

        /// <summary>Its POST is on the wire: cut off now, it may have been accepted (and billed).</summary>
        public bool Posting { get; set; }
    }
}
