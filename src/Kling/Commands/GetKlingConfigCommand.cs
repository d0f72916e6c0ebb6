using System;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Kling.Core.History;

namespace Kling.Commands
{
    /// <summary>Shows the settings Kling would use now and where each comes from; never the key itself.</summary>
    [Cmdlet(VerbsCommon.Get, "KlingConfig", HelpUri = HelpLinks.GetKlingConfig)]
    [OutputType(typeof(KlingConfig))]
    public sealed class GetKlingConfigCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            GatewaySettings settings = KlingSession.CurrentFor(this);
            if (settings.KeyProblem != null)
            {
                WriteWarning($"The API key from {settings.KeySource} contains {settings.KeyProblem}, which cannot go into an HTTP header: commands will stop before sending anything.");
            }

            WriteObject(new KlingConfig
            {
                BaseUrl = settings.BaseUri.ToString(),
                BaseUrlSource = KlingSession.BaseUrlSource(),
                HasKey = settings.HasKey,
                KeySource = settings.KeySource,
                RequestTimeout = settings.RequestTimeout,
                DownloadStallTimeout = ResultDownloader.DefaultStallTimeout,
                Proxy = settings.Proxy == null
                    ? "system default (HTTP_PROXY/HTTPS_PROXY, or the operating system's settings)"
                    : settings.Proxy + (settings.ProxyCredential == null ? string.Empty : $" (as {settings.ProxyCredential.UserName})"),
                Language = settings.Language ?? GatewaySettings.DefaultLanguage,
                LanguageSource = KlingSession.LanguageSource(),
                UserAgent = KlingClient.UserAgent,
                ModuleVersion = KlingClient.ModuleVersion,
                History = HistoryText(),
            });
        }

        private static string HistoryText()
        {
            if (HistoryLocation.IsOff)
            {
                return $"off ($env:{HistoryLocation.SwitchVariable})";
            }

            try
            {
                return HistoryLocation.FilePath();
            }
            catch (InvalidOperationException ex)
            {
                return "none: " + ex.Message;
            }
        }
    }
}
