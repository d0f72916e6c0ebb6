using System;
using System.Collections.Generic;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// Writes what was spent (GET /v1/usage): over the last 24 hours unless -Start/-End say otherwise, for the key in use
    /// or with -Account the whole account, as one total or per model and/or day (-GroupBy). A range longer than the
    /// gateway's 31 days is read in pieces and added up. Nothing is billed. A report the gateway cannot give (503
    /// usage_unavailable) is an error, never a spend of 0; the gateway's 400s become errors naming the parameter.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KlingUsage", HelpUri = HelpLinks.GetKlingUsage)]
    [OutputType(typeof(KlingUsage))]
    public sealed class GetKlingUsageCommand : KlingCmdlet
    {
        private static readonly Dictionary<string, string> ParameterOfCode = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["invalid_start"] = "Start",
            ["invalid_end"] = "End",
            ["invalid_range"] = "Start",
            ["range_too_large"] = "End",
            ["invalid_tz"] = "TimeZone",
            ["invalid_group_by"] = "GroupBy",
            ["invalid_scope"] = "Account",
            ["too_many_models"] = "Model",
        };

        /// <summary>The start of the range (inclusive); 24 hours before -End when not given.</summary>
        [Parameter(Position = 0)]
        [PSDefaultValue(Help = "24 hours before -End")]
        public DateTimeOffset? Start { get; set; }

        /// <summary>The end of the range (exclusive); now when not given.</summary>
        [Parameter(Position = 1)]
        [PSDefaultValue(Help = "now")]
        public DateTimeOffset? End { get; set; }

        /// <summary>Only these models (exact names, at most 50).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Model { get; set; }

        /// <summary>One total (None, the default), or one object per model, per day, or per model and day.</summary>
        [Parameter]
        [ValidateSet("None", "Model", "Date", "ModelDate")]
        public string GroupBy { get; set; } = "None";

        /// <summary>The whole account's spend instead of the key's.</summary>
        [Parameter]
        public SwitchParameter Account { get; set; }

        /// <summary>The IANA time zone whose days -GroupBy Date counts (the gateway's default: Asia/Shanghai).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [PSDefaultValue(Help = "the gateway's: Asia/Shanghai")]
        public string? TimeZone { get; set; }

        protected override void EndProcessing()
        {
            UsageQuery query = Query();
            try
            {
                foreach (KlingUsage usage in Run(Client.GetUsageAsync(query, Cancellation)))
                {
                    WriteObject(usage);
                }
            }
            catch (GatewayException ex) when (ex.Kind == GatewayErrorKind.InvalidRequest && ex.ErrorCode != null && ParameterOfCode.TryGetValue(ex.ErrorCode, out string? parameter))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{parameter}: {ex.Message}", parameter, ex), "Usage" + ex.ErrorCode, ErrorCategory.InvalidArgument, parameter));
            }
            catch (GatewayException ex)
            {
                string id = string.Equals(ex.ErrorCode, "usage_unavailable", StringComparison.OrdinalIgnoreCase) ? "UsageUnavailable" : "Gateway" + ex.Kind;
                WriteError(new ErrorRecord(ex, id, KlingErrors.CategoryOf(ex.Kind), "Usage")
                {
                    ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "The spend is unknown, not zero: try again later." },
                });
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>The question, checked before anything is sent: the range the right way round, at most 50 models, a known time zone.</summary>
        private UsageQuery Query()
        {
            DateTimeOffset end = End ?? DateTimeOffset.UtcNow;
            DateTimeOffset start = Start ?? end.AddDays(-1);
            if (start >= end)
            {
                Refuse("Start", $"-Start ({start:u}) must be before -End ({end:u}){(End == null ? ", which is now when not given" : string.Empty)}.");
            }

            if (Model != null && Model.Length > UsageQuery.MaxModels)
            {
                Refuse("Model", $"-Model names {Model.Length} models; the gateway reports at most {UsageQuery.MaxModels} at once.");
            }

            if (TimeZone != null && !KnownZone(TimeZone))
            {
                Refuse("TimeZone", $"-TimeZone '{TimeZone}' is not a time zone id this system knows (an IANA id such as 'Europe/Berlin' or 'UTC').");
            }

            var grouping = (UsageGrouping)Enum.Parse(typeof(UsageGrouping), GroupBy, ignoreCase: true);
            try
            {
                return new UsageQuery(start, end, Model, grouping, Account, TimeZone);
            }
            catch (ArgumentException ex)
            {
                Refuse(ex.ParamName == "models" ? "Model" : "Start", ex.Message);
                throw;
            }
        }

        private static bool KnownZone(string id)
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id) != null;
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException || ex is InvalidTimeZoneException)
            {
                return false;
            }
        }

        private void Refuse(string parameter, string message) =>
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, parameter), "InvalidUsage" + parameter, ErrorCategory.InvalidArgument, parameter));
    }
}
