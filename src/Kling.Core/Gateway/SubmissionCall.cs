using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Requests;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// POST /v1/videos/generations with its billing rule: money is spent on every accepted POST, so a submission is
    /// never re-sent unless it provably did not reach the server (a refused connection, tried again here twice; a 429,
    /// handed back for the caller to wait out). Every failure that may have reached the server is
    /// <see cref="GatewayException.OutcomeUnknown"/>.
    /// </summary>
    internal static class SubmissionCall
    {
        private const string SubmitPath = "v1/videos/generations";
        private const int RefusedRetries = 2;

        public static async Task<SubmitAttempt> SendAsync(GatewayTransport transport, RetryPolicy retry, VideoRequest request, CancellationToken cancellationToken)
        {
            string json = GatewayJson.Serialize(request);
            Uri uri = transport.UriFor(SubmitPath);
            int refused = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                transport.Log($"POST {uri} ({Encoding.UTF8.GetByteCount(json)} bytes)");
                GatewayReply reply;
                try
                {
                    reply = await transport.SendAsync(HttpMethod.Post, uri, json, cancellationToken).ConfigureAwait(false);
                }
                catch (GatewayException ex) when (ex.Kind == GatewayErrorKind.Network && !ex.OutcomeUnknown && refused < RefusedRetries)
                {
                    refused++;
                    await Delay.For(RetryPolicy.Backoff(refused, retry.BaseDelay, retry.MaxDelay), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (GatewayException ex) when (ex.OutcomeUnknown && (ex.Kind == GatewayErrorKind.Network || ex.Kind == GatewayErrorKind.Timeout))
                {
                    throw new GatewayException(ex.Kind, ex.Message + " The submission may have reached the gateway (and been billed), so it was not sent again; check the gateway's task list before re-submitting this row.", inner: ex) { OutcomeUnknown = true };
                }

                return Read(transport, request, reply);
            }
        }

        private static SubmitAttempt Read(GatewayTransport transport, VideoRequest request, GatewayReply reply)
        {
            if (reply.Status == 429)
            {
                return new SubmitAttempt(null, transport.ErrorFrom(reply));
            }

            if (reply.Status >= 500)
            {
                GatewayException error = transport.ErrorFrom(reply);
                throw new GatewayException(error.Kind, error.Message + " The submission may have been accepted (and billed) despite the error, so it was not sent again.", reply.StatusCode, error.ErrorCode, error.ErrorType, error.GatewayMessage) { OutcomeUnknown = true };
            }

            if (reply.Status != 200 && reply.Status != 201)
            {
                throw transport.ErrorFrom(reply);
            }

            string? taskId;
            try
            {
                taskId = GatewayReplies.ReadSubmittedTaskId(reply.Body);
            }
            catch (JsonException)
            {
                taskId = null;
            }

            if (string.IsNullOrEmpty(taskId))
            {
                throw new GatewayException(GatewayErrorKind.InvalidResponse, $"The gateway accepted the submission (HTTP {reply.Status}) but its reply had no task id: {transport.Excerpt(reply.Body)}", reply.StatusCode) { OutcomeUnknown = true };
            }

            return new SubmitAttempt(new KlingTask(taskId!)
            {
                Status = KlingTaskStatus.Submitted,
                Request = request,
                SubmittedAt = DateTimeOffset.UtcNow,
            }, null);
        }
    }

    /// <summary>The result of one submission attempt: the accepted task, or the 429 that refused it.</summary>
    public sealed class SubmitAttempt
    {
        public SubmitAttempt(KlingTask? task, GatewayException? rateLimit)
        {
            Task = task;
            RateLimit = rateLimit;
        }

        public KlingTask? Task { get; }

        public GatewayException? RateLimit { get; }
    }

    /// <summary>A wait that is skipped when zero and ends early on Ctrl+C.</summary>
    internal static class Delay
    {
        public static Task For(TimeSpan wait, CancellationToken cancellationToken) =>
            wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, cancellationToken);
    }
}
