using System.Management.Automation;

namespace Kling.Commands
{
    /// <summary>
    /// The one line for a person that ends a run of New-KlingVideo, Wait-KlingTask and Save-KlingVideo: an information
    /// record (never pipeline output), tagged <see cref="Tag"/> and the cmdlet's own tag, so <c>-InformationVariable</c> and
    /// <c>6&gt;</c> catch it. It is shown on the host as Write-Host is (tag PSHOST), unless the command was given
    /// <c>-InformationAction SilentlyContinue</c>: then it is only caught, not shown. <c>-InformationAction Ignore</c>
    /// drops it altogether. Written only when the run did something.
    /// </summary>
    internal static class ClosingLine
    {
        /// <summary>The tag every closing line carries.</summary>
        internal const string Tag = "KlingSummary";

        /// <summary>Writes <paramref name="line"/> for <paramref name="cmdlet"/>, tagged <see cref="Tag"/> and <paramref name="ownTag"/>.</summary>
        internal static void Write(Cmdlet cmdlet, string line, string ownTag)
        {
            bool silenced = cmdlet is PSCmdlet command && command.MyInvocation.BoundParameters.TryGetValue("InformationAction", out object? action) &&
                            action is ActionPreference preference && preference == ActionPreference.SilentlyContinue;
            string[] tags = silenced ? new[] { Tag, ownTag } : new[] { "PSHOST", Tag, ownTag };
            cmdlet.WriteInformation(new HostInformationMessage { Message = line }, tags);
        }
    }
}
