# A runspace of its own whose host keeps the warnings written to it, for tests that stop a command as Ctrl+C would: a
# stopped command speaks to the host once its pipeline is gone. Dot-sourced by the tests that need it, after common.ps1.
if (-not ('KlingRecordingHost' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

public sealed class KlingRecordingHost : PSHost
{
    private readonly Guid id = Guid.NewGuid();
    private readonly KlingRecordingHostUI ui = new KlingRecordingHostUI();
    public List<string> Warnings { get { return ui.Warnings; } }
    public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
    public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
    public override Guid InstanceId { get { return id; } }
    public override string Name { get { return "KlingRecordingHost"; } }
    public override PSHostUserInterface UI { get { return ui; } }
    public override Version Version { get { return new Version(1, 0); } }
    public override void EnterNestedPrompt() { }
    public override void ExitNestedPrompt() { }
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }
}

public sealed class KlingRecordingHostUI : PSHostUserInterface
{
    public readonly List<string> Warnings = new List<string>();
    public override PSHostRawUserInterface RawUI { get { return null; } }
    public override string ReadLine() { return string.Empty; }
    public override SecureString ReadLineAsSecureString() { return new SecureString(); }
    public override void Write(string value) { }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
    public override void WriteLine(string value) { }
    public override void WriteErrorLine(string value) { }
    public override void WriteDebugLine(string message) { }
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override void WriteVerboseLine(string message) { }
    public override void WriteWarningLine(string message) { lock (Warnings) { Warnings.Add(message); } }
    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) { return new Dictionary<string, PSObject>(); }
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { return null; }
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { return null; }
    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) { return defaultChoice; }
}
'@
}

function Start-HostedRun {
    <# Starts a script (param: the module, then -Argument) in a runspace whose host keeps warnings. Returns the PowerShell, its host, its output collection and the async handle. #>
    param([Parameter(Mandatory)] [scriptblock] $Script, [object[]] $Argument = @())
    $recorder = [KlingRecordingHost]::new()
    $runspace = [runspacefactory]::CreateRunspace($recorder)
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript($Script).AddArgument($ModulePath)
    foreach ($a in $Argument) { $null = $ps.AddArgument($a) }
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
    [pscustomobject]@{ PowerShell = $ps; Host = $recorder; Output = $output; Handle = $handle }
}

function Close-HostedRun {
    <# Stops the run if it still runs, and disposes of its runspace. #>
    param($Run)
    if ($Run) {
        if ($Run.PowerShell.InvocationStateInfo.State -eq 'Running') { $Run.PowerShell.Stop() }
        $Run.PowerShell.Runspace.Dispose()
        $Run.PowerShell.Dispose()
    }
}
