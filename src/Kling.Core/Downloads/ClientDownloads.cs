using System.Runtime.CompilerServices;
using Kling.Core.Gateway;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// A client's result downloads, <c>client.Downloads</c>: one <see cref="ResultDownloader"/> per client over the
    /// client's transport, made on first use. It is declared here, beside the files it writes, so the gateway knows
    /// nothing of downloads (the Gateway wing stands below Downloads).
    /// </summary>
    public static class ClientDownloads
    {
        private static readonly ConditionalWeakTable<KlingClient, ResultDownloader> Downloaders = new ConditionalWeakTable<KlingClient, ResultDownloader>();

        extension(KlingClient client)
        {
            /// <summary>Result downloads, from the storage host and never with the key.</summary>
            public ResultDownloader Downloads => Downloaders.GetValue(client, c => new ResultDownloader(c.Transport, c.Retry, c.GetTaskAsync));
        }
    }
}
