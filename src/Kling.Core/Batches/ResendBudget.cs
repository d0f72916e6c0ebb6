using System;
using Kling.Core.Gateway;

namespace Kling.Core.Batches
{
    /// <summary>
    /// How often one row is sent again, under its key, after answers that executed nothing, and how long it waits
    /// first (Retry-After, else a backoff with jitter). A 429, 409 idempotency_in_progress and 503 idempotency_unavailable
    /// share one count; a refused connection is tried <see cref="RefusedRetries"/> more times. Out of tries, the last
    /// answer is the row's error, not sent, except after "in progress": a request under the row's key was still being
    /// handled, so it may be accepted and billed.
    /// </summary>
    internal sealed class ResendBudget
    {
        public const int RefusedRetries = 2;

        private readonly RetryPolicy retry;
        private readonly int maxAnswered;
        private int answered;
        private int refused;

        public ResendBudget(RetryPolicy retry, int maxAnswered)
        {
            this.retry = retry;
            this.maxAnswered = maxAnswered;
        }

        /// <summary>The wait before the row is sent again; null when it is out of tries, <paramref name="last"/> then being its error.</summary>
        public TimeSpan? WaitBefore(SubmitAttempt attempt, out GatewayException last)
        {
            GatewayException answer = attempt.SendAgain ?? throw new ArgumentException("The attempt was accepted.", nameof(attempt));
            last = answer;
            int tries = attempt.Reason == ResendReason.Refused ? ++refused : ++answered;
            if (tries <= (attempt.Reason == ResendReason.Refused ? RefusedRetries : maxAnswered))
            {
                return retry.DelayAfter(answer, tries);
            }

            if (attempt.Reason == ResendReason.InProgress)
            {
                last = new GatewayException(
                    answer.Kind,
                    answer.Message + $" It was still in progress after {maxAnswered} waits: the request under this row's {IdempotencyKey.Header} may be accepted (and billed), so the row was not sent again.",
                    answer.StatusCode,
                    answer.ErrorCode,
                    answer.ErrorType,
                    answer.GatewayMessage)
                { OutcomeUnknown = true };
            }

            return null;
        }
    }
}
