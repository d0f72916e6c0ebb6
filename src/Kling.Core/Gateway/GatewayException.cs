using System;
using System.Net;

namespace Kling.Core.Gateway
{
    /// <summary>What kind of failure a call met; the cmdlets map each to an ErrorCategory.</summary>
    public enum GatewayErrorKind
    {
        InvalidRequest,
        Authentication,
        PaymentRequired,
        RateLimited,
        ServerError,
        NotFound,
        Timeout,
        Network,
        TaskFailed,
        InvalidResponse,
        DownloadFailed,
    }

    /// <summary>A failed call to the gateway or the download host. Messages never contain the API key.</summary>
    public sealed class GatewayException : Exception
    {
        public GatewayException(GatewayErrorKind kind, string message, HttpStatusCode? statusCode = null, string? errorCode = null, string? errorType = null, string? gatewayMessage = null, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            StatusCode = statusCode;
            ErrorCode = errorCode;
            ErrorType = errorType;
            GatewayMessage = gatewayMessage;
        }

        public GatewayErrorKind Kind { get; }

        public HttpStatusCode? StatusCode { get; }

        /// <summary>The gateway's error.code, as text.</summary>
        public string? ErrorCode { get; }

        /// <summary>The gateway's error.type (invalid_request_error, payment_required, ...).</summary>
        public string? ErrorType { get; }

        /// <summary>The gateway's own message, as given (may be Chinese).</summary>
        public string? GatewayMessage { get; }

        public TimeSpan? RetryAfter { get; set; }

        /// <summary>True when a POST may have reached the server: it was not, and must not be, sent again blindly.</summary>
        public bool OutcomeUnknown { get; set; }

        /// <summary>True when the failure was an image upload's (nothing was submitted or billed).</summary>
        public bool DuringUpload { get; set; }

        /// <summary>True when the gateway answered HTTP 200 without what was asked: "success": false (a failed lookup, with its message), or a balance that does not read.</summary>
        public bool Unsuccessful { get; set; }

        /// <summary>True when a download host refused a result link as expired or invalid.</summary>
        public bool LinkExpired { get; set; }

        /// <summary>The same failure, its message led by the row it belongs to (the default error view shows no target).</summary>
        public GatewayException ForRow(string rowLabel) =>
            new GatewayException(Kind, rowLabel + ": " + Message, StatusCode, ErrorCode, ErrorType, GatewayMessage, InnerException)
            {
                RetryAfter = RetryAfter,
                OutcomeUnknown = OutcomeUnknown,
                DuringUpload = DuringUpload,
                LinkExpired = LinkExpired,
            };

        /// <summary>
        /// True for failures worth another try of a call that bills nothing (a status call, an upload, a download): 5xx,
        /// 429, timeouts, resets, unreadable answers. A submission is re-sent only after a 429 (see <see cref="RetryPolicy"/>).
        /// </summary>
        public bool IsTransient =>
            Kind == GatewayErrorKind.ServerError || Kind == GatewayErrorKind.RateLimited || Kind == GatewayErrorKind.Timeout ||
            Kind == GatewayErrorKind.Network || Kind == GatewayErrorKind.InvalidResponse;

        /// <summary>True for failures that make every later call fail the same way (bad key, no balance).</summary>
        public bool StopsBatch => Kind == GatewayErrorKind.Authentication || Kind == GatewayErrorKind.PaymentRequired;
    }
}
