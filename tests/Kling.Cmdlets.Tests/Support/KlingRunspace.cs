using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Kling.Cmdlets.Tests;

/// <summary>
/// A runspace of its own in this process (Microsoft.PowerShell.SDK) with the built module imported: what a user's
/// PowerShell session is to the cmdlets, without the cost of starting a pwsh process.
/// </summary>
public sealed class KlingRunspace : IDisposable
{
    private readonly Runspace runspace;
    private readonly RecordingHost host;

    private KlingRunspace(Runspace runspace, RecordingHost host)
    {
        this.runspace = runspace;
        this.host = host;
    }

    /// <summary>What the runspace wrote to its host (-WhatIf's lines, Write-Host), as a console would show it.</summary>
    public string HostText => host.Text;

    /// <summary>The errors the last script wrote (non-terminating ones; a terminating error throws from Invoke).</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; private set; } = Array.Empty<ErrorRecord>();

    /// <summary>Opens a runspace and imports Kling into it; fails with PowerShell's own words if the import does.</summary>
    public static KlingRunspace Open()
    {
        var host = new RecordingHost();
        Runspace runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        var opened = new KlingRunspace(runspace, host);
        opened.Invoke("param($m) Import-Module $m -ErrorAction Stop", ModuleUnderTest.ManifestPath);
        if (opened.Errors.Count > 0)
        {
            opened.Dispose();
            throw new InvalidOperationException("Importing Kling failed: " + opened.Errors[0]);
        }

        return opened;
    }

    /// <summary>Runs a script (its param block takes <paramref name="arguments"/>) on this runspace and returns what it output.</summary>
    public Collection<PSObject> Invoke(string script, params object?[] arguments)
    {
        using PowerShell ps = Prepare(script, arguments);
        Collection<PSObject> output = ps.Invoke();
        Errors = ps.Streams.Error.ToArray();
        return output;
    }

    /// <summary>Runs a script on this runspace's own pipeline thread, so two runspaces can run at the same time.</summary>
    public async Task<IReadOnlyList<PSObject>> InvokeAsync(string script, params object?[] arguments)
    {
        using PowerShell ps = Prepare(script, arguments);
        PSDataCollection<PSObject> output = await ps.InvokeAsync();
        Errors = ps.Streams.Error.ToArray();
        return output.ToArray();
    }

    /// <summary>Connects this runspace to an emulator with Connect-Kling, as a user would.</summary>
    public void Connect(Uri gateway, string apiKey)
    {
        Invoke("param($url, $key) Connect-Kling -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUrl $url", gateway.ToString().TrimEnd('/'), apiKey);
        Assert.Empty(Errors);
    }

    public void Dispose() => runspace.Dispose();

    private PowerShell Prepare(string script, object?[] arguments)
    {
        PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        foreach (object? argument in arguments)
        {
            ps.AddArgument(argument);
        }

        return ps;
    }
}
