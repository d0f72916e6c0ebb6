using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Wire;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// One POST /v1/videos/generations under the row's <see cref="IdempotencyKey"/>, and its billing rule: money is
    /// spent on every executed POST, so a submission is sent again only after an answer that says it was not executed
    /// (a refused connection, a 429, 409 idempotency_in_progress, 503 idempotency_unavailable), handed back for the
    /// caller to wait out and send again under the same key. A 500 whose message begins build_request_failed is the
    /// row's error (nothing was built, so nothing billed). Every other failure that may have reached the server is
    /// <see cref="GatewayException.OutcomeUnknown"/>, whatever the key: the gateway may ignore it.
    /// </summary>
    internal static class SubmissionCall
    {
        private const string SubmitPath = "v1/videos/generations";
        private const string BuildRequestFailed = "build_request_failed";
        private const string InProgress = "idempotency_in_progress";
        private const string KeyReused = "idempotency_key_reused";
        private const string Indeterminate = "idempotency_result_indeterminate";
        private const string Unavailable = "idempotency_unavailable";

        public static async Task<SubmitAttempt> SendAsync(GatewayTransport transport, VideoRequest request, string idempotencyKey, CancellationToken cancellationToken)
        {
            if (!IdempotencyKey.IsValid(idempotencyKey))
            {
                throw new ArgumentException($"An {IdempotencyKey.Header} is 1 to {IdempotencyKey.MaxLength} printable ASCII characters.", nameof(idempotencyKey));
            }

            cancellationToken.ThrowIfCancellationRequested();
            string json = GatewayJson.Serialize(request);
            Uri uri = transport.UriFor(SubmitPath);
            transport.Log($"POST {uri} ({Encoding.UTF8.GetByteCount(json)} bytes, {IdempotencyKey.Header} {idempotencyKey})");
            GatewayReply reply;
            try
            {
                reply = await transport.SubmitAsync(uri, json, idempotencyKey, cancellationToken).ConfigureAwait(false);
            }
            catch (GatewayException ex) when (ex.Kind == GatewayErrorKind.Network && !ex.OutcomeUnknown)
            {
                return SubmitAttempt.Again(ResendReason.Refused, ex);
            }
            catch (GatewayException ex) when (ex.OutcomeUnknown && (ex.Kind == GatewayErrorKind.Network || ex.Kind == GatewayErrorKind.Timeout))
            {
                throw new GatewayException(ex.Kind, ex.Message + " The submission may have reached the gateway (and been billed), so it was not sent again; check the gateway's task list before re-submitting this row.", inner: ex) { OutcomeUnknown = true };
            }

            return reply.Status == 200 || reply.Status == 201 ? Accepted(transport, request, reply) : NotAccepted(transport, reply);
        }

        private static SubmitAttempt NotAccepted(GatewayTransport transport, GatewayReply reply)
        {
            GatewayException error = transport.ErrorFrom(reply);
            if (reply.Status == 429)
            {
                return SubmitAttempt.Again(ResendReason.RateLimited, error);
            }

            if (reply.Status == 409 && Says(error, InProgress))
            {
                return SubmitAttempt.Again(ResendReason.InProgress, error);
            }

            if (reply.Status == 503 && Says(error, Unavailable))
            {
                return SubmitAttempt.Again(ResendReason.Unavailable, error);
            }

            if (reply.Status == 409 && Says(error, KeyReused))
            {
                throw Refused(error, $" The gateway executed nothing: it already handled another request, with a different body, under this row's {IdempotencyKey.Header} (an earlier send of the row, say with an image uploaded anew since), which may have been billed: look for its task on the gateway before sending the row again.");
            }

            if (reply.Status == 409 && Says(error, Indeterminate))
            {
                throw InDoubt(error, $" The gateway cannot tell whether the first request under this row's {IdempotencyKey.Header} was executed: it may have been accepted (and billed), so the row was not sent again.");
            }

            if (reply.Status >= 500 && (Says(error, BuildRequestFailed) || reply.Body.TrimStart().StartsWith(BuildRequestFailed, StringComparison.OrdinalIgnoreCase)))
            {
                throw Refused(error, " The gateway refused the request before building a task (build_request_failed), so nothing was billed: fix the row and send it again (with -Journal, rerun the same command).");
            }

            if (reply.Status >= 500)
            {
                throw InDoubt(error, " The submission may have been accepted (and billed) despite the error, so it was not sent again.");
            }

            throw error;
        }

        /// <summary>True when the gateway's code or type is <paramref name="code"/>, or its message begins with it.</summary>
        private static bool Says(GatewayException error, string code) =>
            string.Equals(error.ErrorCode, code, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(error.ErrorType, code, StringComparison.OrdinalIgnoreCase) ||
            (error.GatewayMessage != null && error.GatewayMessage.TrimStart().StartsWith(code, StringComparison.OrdinalIgnoreCase));

        /// <summary>The row's error: the gateway executed nothing, so the row may be sent again (journaled not sent).</summary>
        private static GatewayException Refused(GatewayException error, string advice) =>
            new GatewayException(GatewayErrorKind.InvalidRequest, error.Message + advice, error.StatusCode, error.ErrorCode, error.ErrorType, error.GatewayMessage);

        private static GatewayException InDoubt(GatewayException error, string advice) =>
            new GatewayException(error.Kind, error.Message + advice, error.StatusCode, error.ErrorCode, error.ErrorType, error.GatewayMessage) { OutcomeUnknown = true };

        private static SubmitAttempt Accepted(GatewayTransport transport, VideoRequest request, GatewayReply reply)
        {
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
            }, null, ResendReason.None);
        }
    }

    /// <summary>Why a submission that was not executed is to be sent again, under the same key, after a wait.</summary>
    public enum ResendReason
    {
        /// <summary>Not to be sent again: the attempt was accepted.</summary>
        None,

        /// <summary>429: the gateway is busy (the concurrency comes down).</summary>
        RateLimited,

        /// <summary>409 idempotency_in_progress: a request under this key is still being handled; wait Retry-After.</summary>
        InProgress,

        /// <summary>503 idempotency_unavailable: the gateway could not check the key and executed nothing.</summary>
        Unavailable,

        /// <summary>The connection was refused (or the name did not resolve): nothing reached the server.</summary>
        Refused,
    }

    /// <summary>The result of one submission attempt: the accepted task, or the answer that executed nothing and why it is to be sent again.</summary>
    public sealed class SubmitAttempt
    {
        public SubmitAttempt(KlingTask? task, GatewayException? sendAgain, ResendReason reason)
        {
            Task = task;
            SendAgain = sendAgain;
            Reason = reason;
        }

        public KlingTask? Task { get; }

        /// <summary>The answer that executed nothing (a 429, ...): the row is to be sent again under the same key after a wait.</summary>
        public GatewayException? SendAgain { get; }

        public ResendReason Reason { get; }

        internal static SubmitAttempt Again(ResendReason reason, GatewayException answer) => new SubmitAttempt(null, answer, reason);
    }

    /// <summary>A wait that is skipped when zero and ends early when the token is cancelled.</summary>
    internal static class Delay
    {
        public static Task For(TimeSpan wait, CancellationToken cancellationToken) =>
            wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, cancellationToken);
    }
}
