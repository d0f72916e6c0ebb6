using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Media;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// Uploads each distinct image once per gateway for the life of the process (the PowerShell session): keyed by
    /// the content's SHA-256, shared by rows uploading at the same moment, so 300 rows with one first frame make one
    /// upload. A cached URL is used until it is within <see cref="SafetyMargin"/> of its 72-hour end; a failed or
    /// cancelled upload is not kept.
    /// </summary>
    public sealed class ImageUploadCache
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<ImageUpload>>> entries = new ConcurrentDictionary<string, Lazy<Task<ImageUpload>>>(StringComparer.Ordinal);

        /// <summary>The cache the cmdlets share.</summary>
        public static ImageUploadCache Shared { get; } = new ImageUploadCache();

        /// <summary>A URL this close to expiry is uploaded again rather than sent to the gateway.</summary>
        public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromHours(2);

        /// <summary>Lets tests move time.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        public int Count => entries.Count;

        public void Clear() => entries.Clear();

        /// <summary>The upload of this image on this client's gateway: from the cache when fresh, else uploaded now (once, however many ask).</summary>
        public async Task<ImageUpload> GetOrUploadAsync(IKlingGateway client, LocalImage image, bool force, CancellationToken cancellationToken)
        {
            string key = client.Settings.BaseUri.AbsoluteUri + "|" + image.Sha256;
            while (true)
            {
                var mine = new Lazy<Task<ImageUpload>>(() => client.UploadImageAsync(image, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
                Lazy<Task<ImageUpload>> entry = force ? entries.AddOrUpdate(key, mine, (_, __) => mine) : entries.GetOrAdd(key, mine);
                force = false;
                ImageUpload upload;
                try
                {
                    upload = await entry.Value.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ReferenceEquals(entry, mine) && !cancellationToken.IsCancellationRequested)
                {
                    // Someone else's upload was cancelled with their command: forget it and upload ourselves.
                    Remove(key, entry);
                    continue;
                }
                catch
                {
                    Remove(key, entry);
                    throw;
                }

                if (!ReferenceEquals(entry, mine) && upload.ExpiresAt - SafetyMargin <= Clock())
                {
                    // Close to its 72 h end: upload again (a URL just uploaded is used whatever its clock says).
                    Remove(key, entry);
                    continue;
                }

                if (ReferenceEquals(entry, mine))
                {
                    return upload;
                }

                return new ImageUpload
                {
                    Url = upload.Url,
                    FileName = upload.FileName,
                    ContentType = upload.ContentType,
                    Bytes = upload.Bytes,
                    CreatedAt = upload.CreatedAt,
                    ExpiresAt = upload.ExpiresAt,
                    Sha256 = upload.Sha256,
                    Path = image.Path,
                    FromCache = true,
                };
            }
        }

        private void Remove(string key, Lazy<Task<ImageUpload>> entry)
        {
            // Only the entry that failed or expired: a fresh upload someone already put there stays.
            ((System.Collections.Generic.ICollection<System.Collections.Generic.KeyValuePair<string, Lazy<Task<ImageUpload>>>>)entries)
                .Remove(new System.Collections.Generic.KeyValuePair<string, Lazy<Task<ImageUpload>>>(key, entry));
        }
    }
}
