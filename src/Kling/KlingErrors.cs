using System;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>Maps the core's failures to PowerShell error records.</summary>
    internal static class KlingErrors
    {
        /// <summary>
        /// The one category of a submission that may or may not have reached the gateway (OutcomeUnknown), whatever left it
        /// in doubt (a 5xx, a timeout, a connection lost after sending, an indeterminate 409, an earlier run's journal): the
        /// row's submission stopped with no known outcome, and it is not sent again.
        /// </summary>
        internal const ErrorCategory OutcomeUnknownCategory = ErrorCategory.OperationStopped;

        internal static ErrorCategory CategoryOf(GatewayErrorKind kind)
        {
            switch (kind)
            {
                case GatewayErrorKind.InvalidRequest: return ErrorCategory.InvalidArgument;
                case GatewayErrorKind.Authentication: return ErrorCategory.AuthenticationError;
                case GatewayErrorKind.PaymentRequired: return ErrorCategory.QuotaExceeded;
                case GatewayErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case GatewayErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                case GatewayErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case GatewayErrorKind.Timeout: return ErrorCategory.OperationTimeout;
                case GatewayErrorKind.Network: return ErrorCategory.ConnectionError;
                case GatewayErrorKind.TaskFailed: return ErrorCategory.InvalidResult;
                case GatewayErrorKind.InvalidResponse: return ErrorCategory.InvalidResult;
                case GatewayErrorKind.DownloadFailed: return ErrorCategory.ReadError;
                default: return ErrorCategory.NotSpecified;
            }
        }

        /// <summary>A refused base URL; the target, like the message, never carries a user:password@ part.</summary>
        internal static ErrorRecord InvalidBaseUrl(ArgumentException error, string? url) =>
            new ErrorRecord(error, "InvalidBaseUrl", ErrorCategory.InvalidArgument, GatewaySettings.WithoutUserInfo(url));

        internal static ErrorRecord FromGateway(GatewayException error, object? target)
        {
            string id = error.OutcomeUnknown ? "OutcomeUnknown" : error.DuringUpload ? "UploadFailed" : "Gateway" + error.Kind;
            var record = new ErrorRecord(error, id, error.OutcomeUnknown ? OutcomeUnknownCategory : CategoryOf(error.Kind), target);
            if (error.OutcomeUnknown)
            {
                record.ErrorDetails = new ErrorDetails(error.Message)
                {
                    RecommendedAction = "The submission may have been accepted and billed; look for its task before submitting the row again.",
                };
            }

            return record;
        }

        /// <summary>
        /// A failed or cancelled task: the gateway's code and words, then, when they tell, which kind of failure it was (the
        /// content refused, or the gateway failing) and what to do about it. The target is the task.
        /// </summary>
        internal static ErrorRecord TaskFailed(KlingTask task)
        {
            string code = task.ErrorCode != null ? $" (code {task.ErrorCode})" : string.Empty;
            string message = $"Task {Label(task)} ended {task.Status}{code}: {task.Error ?? "no reason given"}";
            string? action = null;
            switch (task.FailureKind)
            {
                case TaskFailureKind.ContentRefused:
                    message = Sentence(message) + " The content was refused (moderation, safety or policy).";
                    action = "Change the prompt or the images before sending the row again: sent unchanged, it will most likely be refused again.";
                    break;
                case TaskFailureKind.GatewayFailed:
                    message = Sentence(message) + " The gateway failed (an internal error, a timeout or an upstream fault), not the content.";
                    action = "Nothing in the row is known to be wrong: sending the same row again may succeed.";
                    break;
            }

            var failure = new GatewayException(GatewayErrorKind.TaskFailed, message, errorCode: task.ErrorCode, gatewayMessage: task.Error);
            var record = new ErrorRecord(failure, "TaskFailed", ErrorCategory.InvalidResult, task);
            if (action != null)
            {
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = action };
            }

            return record;
        }

        /// <summary>
        /// A task still unfinished when Wait-KlingTask's time ran out; when its latest status checks failed, how many and
        /// with what, so a gateway that kept failing is not mistaken for a task that is merely slow.
        /// </summary>
        internal static ErrorRecord WaitTimedOut(KlingTask task, int timeoutSeconds, (int InARow, GatewayException Last)? failedChecks)
        {
            string message = $"Task {Label(task)} was still {task.Status} after {timeoutSeconds} s";
            if (failedChecks is (int inARow, GatewayException last))
            {
                message += $": its status could not be read (the last {inARow} status check{(inARow == 1 ? string.Empty : "s")} failed; the last error: {last.Message})";
            }

            message += $"; it is not lost: wait again with Wait-KlingTask -TaskId {task.TaskId}.";
            return new ErrorRecord(new TimeoutException(message), "WaitTimedOut", ErrorCategory.OperationTimeout, task);
        }

        private static string Label(KlingTask task) => task.TaskId + (task.Name != null ? " ('" + task.Name + "')" : string.Empty);

        /// <summary>The text as a sentence: a full stop added unless it already ends like one (in any script).</summary>
        private static string Sentence(string text) => text.Length > 0 && ".!?。！？".IndexOf(text[text.Length - 1]) >= 0 ? text : text + ".";
    }
}
