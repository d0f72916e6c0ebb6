using System.Management.Automation;

namespace Kling.Commands
{
    /// <summary>Forgets the key and URL stored by Connect-Kling (environment variables apply again).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Kling", HelpUri = HelpLinks.DisconnectKling)]
    [OutputType(typeof(void))]
    public sealed class DisconnectKlingCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            KlingSession.Disconnect();
        }
    }
}
