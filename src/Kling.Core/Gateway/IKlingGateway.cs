using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Media;
using Kling.Core.Wire;

namespace Kling.Core.Gateway
{
    /// <summary>What the schedulers (submitter, watcher, upload cache) need of the gateway, and no more.</summary>
    public interface IKlingGateway
    {
        GatewaySettings Settings { get; }

        /// <summary>The retry rule its callers share (429 waits, backoff).</summary>
        RetryPolicy Retry { get; }

        /// <summary>
        /// One POST under <paramref name="idempotencyKey"/> (the row's, the same on every re-send): the accepted task, or the
        /// answer that executed nothing, to be sent again after a wait (see <see cref="SubmitAttempt"/>).
        /// </summary>
        Task<SubmitAttempt> SubmitOnceAsync(VideoRequest request, string idempotencyKey, CancellationToken cancellationToken);

        Task<KlingTask> GetTaskAsync(string taskId, CancellationToken cancellationToken);

        Task<ImageUpload> UploadImageAsync(LocalImage image, CancellationToken cancellationToken);
    }
}
