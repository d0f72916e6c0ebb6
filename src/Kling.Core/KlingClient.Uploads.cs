using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core
{
    /// <summary>Image uploads to the gateway (POST /v1/uploads/images), whose URLs go into image_urls.</summary>
    public sealed partial class KlingClient
    {
        private const string UploadPath = "v1/uploads/images";

        /// <summary>How long an uploaded image's URL lives, per the API.</summary>
        public static readonly TimeSpan UploadLifetime = TimeSpan.FromHours(72);

        /// <summary>
        /// Uploads one checked image as multipart/form-data (field "file"). Uploads bill nothing, so 429s (after
        /// Retry-After), 5xx, timeouts, resets and unreadable answers are tried again with backoff, up to
        /// <see cref="MaxGetAttempts"/> times; 400 and 413 are not.
        /// </summary>
        public async Task<ImageUpload> UploadImageAsync(LocalImage image, CancellationToken cancellationToken)
        {
            Uri uri = new Uri(settings.BaseUri, UploadPath);
            int attempt = 0;
            while (true)
            {
                attempt++;
                cancellationToken.ThrowIfCancellationRequested();
                Log($"POST {uri} (image upload: {Path.GetFileName(image.Path)}, {image.Bytes} bytes, {image.ContentType})");
                GatewayException failure;
                try
                {
                    Exchange exchange = await SendAsync(HttpMethod.Post, uri, () => MultipartFor(image), cancellationToken).ConfigureAwait(false);
                    if (exchange.Status == 200 || exchange.Status == 201)
                    {
                        ImageUpload? upload = GatewayReplies.ReadUpload(exchange.Body, image, UploadLifetime);
                        if (upload != null)
                        {
                            return upload;
                        }

                        failure = new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway's answer to the upload of '{image.Path}' had no url: {Shorten(Redact(exchange.Body))}", exchange.StatusCode);
                    }
                    else
                    {
                        failure = ToError(exchange);
                    }
                }
                catch (GatewayException ex)
                {
                    failure = ex;
                }

                if (!IsSafeToRetry(failure) || attempt >= MaxGetAttempts)
                {
                    throw new GatewayException(failure.Kind, $"Uploading the image '{image.Path}' failed: {failure.Message}", failure.StatusCode, failure.ErrorCode, failure.ErrorType, failure.GatewayMessage, failure)
                    {
                        DuringUpload = true,
                    };
                }

                TimeSpan wait = RetryDelay(failure, attempt);
                Log($"Upload of '{Path.GetFileName(image.Path)}' failed ({failure.Kind}); trying again in {wait.TotalSeconds:0.###} s.");
                await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        private static HttpContent MultipartFor(LocalImage image)
        {
            var file = new StreamContent(new FileStream(image.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
            file.Headers.ContentType = new MediaTypeHeaderValue(image.ContentType);
            var form = new MultipartFormDataContent();
            form.Add(file, "file", Path.GetFileName(image.Path));
            return form;
        }
    }

    /// <summary>An image on the gateway: its URL (good for image_urls until ExpiresAt) and what was uploaded.</summary>
    public sealed class ImageUpload
    {
        public string Url { get; set; } = string.Empty;

        public string FileName { get; set; } = string.Empty;

        public string ContentType { get; set; } = string.Empty;

        public long Bytes { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        /// <summary>72 hours after the upload.</summary>
        public DateTimeOffset ExpiresAt { get; set; }

        public string Sha256 { get; set; } = string.Empty;

        /// <summary>The local file it came from.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>True when this upload came from the session's cache rather than a new upload.</summary>
        public bool FromCache { get; set; }
    }
}
