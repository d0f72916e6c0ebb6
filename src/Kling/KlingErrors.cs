using System;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>Maps the core's failures to PowerShell error records.</summary>
    internal static class KlingErrors
    {
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
            var record = new ErrorRecord(error, id, CategoryOf(error.Kind), target);
            if (error.OutcomeUnknown)
            {
                record.ErrorDetails = new ErrorDetails(error.Message)
                {
                    RecommendedAction = "The submission may have been accepted and billed; look for its task before submitting the row again.",
                };
            }

            return record;
        }
    }
}
