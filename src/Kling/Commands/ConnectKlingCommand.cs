using System;
using System.Management.Automation;
using System.Security;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>Stores the API key (as a SecureString) and optionally the gateway URL for this session.</summary>
    [Cmdlet(VerbsCommunications.Connect, "Kling", DefaultParameterSetName = ApiKeySet)]
    [OutputType(typeof(void))]
    public sealed class ConnectKlingCommand : PSCmdlet
    {
        private const string ApiKeySet = "ApiKey";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ApiKeySet)]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; } = null!;

        [Parameter(Position = 1)]
        [Alias("BaseUri", "Url")]
        [ValidateNotNullOrEmpty]
        public string? BaseUrl { get; set; }

        /// <summary>Seconds one gateway call may take before it counts as timed out (downloads are not limited by it).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        protected override void EndProcessing()
        {
            if (ApiKey.Length == 0)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("The API key is empty."), "EmptyApiKey", ErrorCategory.InvalidArgument, null));
            }

            Uri? baseUri = null;
            if (BaseUrl != null)
            {
                try
                {
                    baseUri = GatewaySettings.ParseBaseUri(BaseUrl);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(new ErrorRecord(ex, "InvalidBaseUrl", ErrorCategory.InvalidArgument, BaseUrl));
                }
            }

            KlingSession.Connect(ApiKey, baseUri, TimeSpan.FromSeconds(TimeoutSec));
            WriteVerbose($"Kling will use {(baseUri ?? KlingSession.Current().BaseUri)} with the key given to Connect-Kling.");
        }
    }
}
