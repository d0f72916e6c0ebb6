namespace Kling.Commands
{
    /// <summary>
    /// Each cmdlet's online help, the <c>HelpUri</c> of its <c>[Cmdlet]</c> attribute (what <c>Get-Help -Online</c> opens):
    /// its page docs/en-US/&lt;Name&gt;.md under <c>Base</c>, which the build writes from Directory.Build.props'
    /// <c>KlingHelpUri</c> (derived from <c>KlingProjectUri</c>). While the project has no public address, <c>Base</c> is
    /// empty and so is every link: <c>Get-Help -Online</c> then says plainly that the command has no online help, instead
    /// of opening a page that is not there. A new cmdlet adds its line here (Manifest.Tests checks every cmdlet).
    /// </summary>
    internal static partial class HelpLinks
    {
        internal const string ConnectKling = Base == "" ? "" : Base + "Connect-Kling.md";
        internal const string DisconnectKling = Base == "" ? "" : Base + "Disconnect-Kling.md";
        internal const string ExportKlingGallery = Base == "" ? "" : Base + "Export-KlingGallery.md";
        internal const string GetKlingBalance = Base == "" ? "" : Base + "Get-KlingBalance.md";
        internal const string GetKlingConfig = Base == "" ? "" : Base + "Get-KlingConfig.md";
        internal const string GetKlingModel = Base == "" ? "" : Base + "Get-KlingModel.md";
        internal const string GetKlingTask = Base == "" ? "" : Base + "Get-KlingTask.md";
        internal const string GetKlingUsage = Base == "" ? "" : Base + "Get-KlingUsage.md";
        internal const string MeasureKlingCost = Base == "" ? "" : Base + "Measure-KlingCost.md";
        internal const string NewKlingVideo = Base == "" ? "" : Base + "New-KlingVideo.md";
        internal const string SaveKlingVideo = Base == "" ? "" : Base + "Save-KlingVideo.md";
        internal const string SendKlingImage = Base == "" ? "" : Base + "Send-KlingImage.md";
        internal const string TestKlingVideoInput = Base == "" ? "" : Base + "Test-KlingVideoInput.md";
        internal const string WaitKlingTask = Base == "" ? "" : Base + "Wait-KlingTask.md";
    }
}
