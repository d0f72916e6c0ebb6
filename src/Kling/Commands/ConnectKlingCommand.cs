using System;
using System.Management.Automation;
using System.Security;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// Stores the API key (as a SecureString) and optionally the gateway URL for this runspace (this PowerShell
    /// session; other runspaces, thread jobs and ForEach-Object -Parallel blocks keep their own, falling back to the
    /// environment variables). The key comes as a SecureString, as a PSCredential's password, or from a SecretManagement vault.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Kling", DefaultParameterSetName = ApiKeySet, HelpUri = HelpLinks.ConnectKling)]
    [OutputType(typeof(void))]
    public sealed class ConnectKlingCommand : PSCmdlet
    {
        private const string ApiKeySet = "ApiKey";
        private const string CredentialSet = "Credential";
        private const string VaultSet = "Vault";
        private const string SecretManagement = "Microsoft.PowerShell.SecretManagement";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ApiKeySet)]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; } = null!;

        /// <summary>A credential whose password is the API key (the user name is not used).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>The SecretManagement vault that holds the key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = VaultSet)]
        [ValidateNotNullOrEmpty]
        public string Vault { get; set; } = null!;

        /// <summary>The name of the secret in -Vault that holds the key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = VaultSet)]
        [ValidateNotNullOrEmpty]
        public string SecretName { get; set; } = null!;

        [Parameter(Position = 1)]
        [Alias("BaseUri", "Url")]
        [ValidateNotNullOrEmpty]
        [PSDefaultValue(Help = "$env:" + GatewaySettings.BaseUrlVariable + ", else " + GatewaySettings.DefaultBaseUrl)]
        public string? BaseUrl { get; set; }

        /// <summary>A proxy for every call Kling makes (gateway, uploads, downloads); without it the system's proxy settings apply.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for -Proxy.</summary>
        [Parameter]
        [ValidateNotNull]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>Seconds one gateway call may take before it counts as timed out (downloads are not limited by it).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        /// <summary>The language of task messages (a failed task's error text): one of the gateway's ten codes, in any case; sent on every status call.</summary>
        [Parameter]
        [ValidateLanguage]
        [ArgumentCompleter(typeof(LanguageCompleter))]
        [PSDefaultValue(Help = "$env:" + GatewaySettings.LanguageVariable + ", else " + GatewaySettings.DefaultLanguage)]
        public string? Language { get; set; }

        protected override void EndProcessing()
        {
            SecureString? given = ApiKey;
            string source = "Connect-Kling -ApiKey";
            if (ParameterSetName == CredentialSet)
            {
                given = Credential.Password;
                source = "Connect-Kling -Credential";
            }
            else if (ParameterSetName == VaultSet)
            {
                given = ReadSecret();
                source = $"Connect-Kling -Vault '{Vault}' -SecretName '{SecretName}'";
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
                    ThrowTerminatingError(KlingErrors.InvalidBaseUrl(ex, BaseUrl));
                }
            }

            if (ProxyCredential != null && Proxy == null)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-ProxyCredential needs -Proxy."), "ProxyCredentialWithoutProxy", ErrorCategory.InvalidArgument, null));
            }

            if (Proxy != null && (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps)))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"The proxy '{Proxy}' is not an absolute http(s) URL."), "InvalidProxy", ErrorCategory.InvalidArgument, Proxy));
            }

            SecureString key = CheckedKey(given, source);
            string? language = Language == null ? null : GatewaySettings.ParseLanguage(Language, "-Language");
            KlingSession.Connect(key, baseUri, TimeSpan.FromSeconds(TimeoutSec), source, Proxy, ProxyCredential?.GetNetworkCredential(), language);
            key.Dispose();
            WriteVerbose($"Kling will use {(baseUri?.ToString() ?? "the gateway of $env:" + GatewaySettings.BaseUrlVariable + " (or the default)")} with the key given to Connect-Kling, in this runspace only.");
        }

        /// <summary>
        /// The key without surrounding whitespace (a line break from Get-Content -Raw, say: removed, with a warning);
        /// an empty key, or one with a character that cannot go into an HTTP header, is refused here rather than
        /// failing every later command. Messages say which character and where, never the key.
        /// </summary>
        private SecureString CheckedKey(SecureString? given, string source)
        {
            if (given == null || given.Length == 0)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("The API key is empty."), "EmptyApiKey", ErrorCategory.InvalidArgument, null));
            }

            SecureString key = GatewaySettings.TrimKey(given!, out bool trimmed);
            if (key.Length == 0)
            {
                key.Dispose();
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("The API key is only whitespace."), "EmptyApiKey", ErrorCategory.InvalidArgument, null));
            }

            string? problem = new GatewaySettings(new Uri(GatewaySettings.DefaultBaseUrl), key, source).KeyProblem;
            if (problem != null)
            {
                key.Dispose();
                var invalid = new ArgumentException(
                    $"The API key from {source} contains {problem}, which cannot go into an HTTP header. Give the key again without it (copy it afresh from the gateway's console).");
                ThrowTerminatingError(new ErrorRecord(invalid, "InvalidApiKey", ErrorCategory.InvalidArgument, null));
            }

            if (trimmed)
            {
                WriteWarning($"The API key from {source} had whitespace around it (a line break from Get-Content -Raw, say); it was removed.");
            }

            return key;
        }

        /// <summary>The key from SecretManagement's Get-Secret (a SecureString, a string, or a PSCredential's password).</summary>
        private SecureString ReadSecret()
        {
            var found = InvokeCommand.InvokeScript("param($m) @(Get-Command -Name Get-Secret -Module $m -ErrorAction SilentlyContinue).Count", SecretManagement);
            bool installed = found.Count == 1 && Convert.ToInt32(found[0].BaseObject, System.Globalization.CultureInfo.InvariantCulture) > 0;
            if (!installed)
            {
                var missing = new InvalidOperationException(
                    $"-Vault needs the {SecretManagement} module, which is not installed. Install it (Install-PSResource {SecretManagement}, or Install-Module {SecretManagement}) " +
                    "and register a vault, or pass the key with -ApiKey or -Credential, or set $env:" + GatewaySettings.ApiKeyVariable + ".");
                ThrowTerminatingError(new ErrorRecord(missing, "SecretManagementMissing", ErrorCategory.NotInstalled, SecretManagement));
            }

            object? secret = null;
            try
            {
                foreach (PSObject item in InvokeCommand.InvokeScript(
                    "param($v, $n) " + SecretManagement + "\\Get-Secret -Vault $v -Name $n -ErrorAction Stop", Vault, SecretName))
                {
                    secret = item?.BaseObject;
                }
            }
            catch (RuntimeException ex)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"Could not read the secret '{SecretName}' from the vault '{Vault}': {ex.Message}", ex),
                    "SecretUnavailable", ErrorCategory.ObjectNotFound, SecretName));
            }

            switch (secret)
            {
                case SecureString secure:
                    return secure;
                case PSCredential credential:
                    return credential.Password;
                case string text when text.Length > 0:
                    return GatewaySettings.ToSecureString(text);
                default:
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException($"The secret '{SecretName}' in the vault '{Vault}' is not a string, a SecureString or a PSCredential, so it cannot be the API key."),
                        "SecretUnusable", ErrorCategory.InvalidData, SecretName));
                    return null!;
            }
        }
    }
}
