<#
    Starts and stops the gateway emulator (src/Kling.Emulator) as a child process on loopback.
    Used by the Pester suites and by build.ps1 Demo.
#>

function Start-KlingEmulator {
    [CmdletBinding()]
    param(
        [string] $EmulatorPath = (Join-Path $PSScriptRoot '../out/emulator/Kling.Emulator.dll'),
        [double] $TaskSeconds = 1,
        [string[]] $ExtraArgument = @(),
        # Variables set for the emulator's process only (ASPNETCORE_URLS, say, to check it stays on loopback).
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory
    )
    $dll = (Resolve-Path $EmulatorPath).ProviderPath
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--task-seconds', [string]$TaskSeconds, '--parent-pid', [string]$PID) + $ExtraArgument) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string] $Environment[$k] }
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $lineTask = $process.StandardOutput.ReadLineAsync()
    if (-not $lineTask.Wait([TimeSpan]::FromSeconds(30)) -or -not $lineTask.Result) {
        $err = if ($process.WaitForExit(5000)) { $process.StandardError.ReadToEnd() } else { '' }
        try { $process.Kill() } catch { }
        throw "The Kling emulator did not start: $err"
    }
    $info = $lineTask.Result | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName = 'Kling.EmulatorInstance'
        Gateway    = $info.gateway.TrimEnd('/')
        Storage    = $info.storage.TrimEnd('/')
        Proxy      = $info.proxy.TrimEnd('/')
        ApiKey     = $info.apiKey
        Process    = $process
    }
}

function Stop-KlingEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        if ($Emulator -and $Emulator.Process -and -not $Emulator.Process.HasExited) {
            try { $Emulator.Process.Kill() } catch { }
            [void] $Emulator.Process.WaitForExit(5000)
        }
    }
}

function Invoke-EmulatorControl {
    <# Calls the emulator's /_emulator/ control endpoints (reset, config, faults, requests). #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Action,
        [object] $Body,
        [string] $Method
    )
    $uri = "$($Emulator.Gateway)/_emulator/$Action"
    if (-not $Method) { $Method = if ($PSBoundParameters.ContainsKey('Body') -or $Action -eq 'reset') { 'Post' } else { 'Get' } }
    $params = @{ Uri = $uri; Method = $Method }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $params.Body = [Text.Encoding]::UTF8.GetBytes(($Body | ConvertTo-Json -Depth 10 -Compress))
        $params.ContentType = 'application/json; charset=utf-8'
    }
    Invoke-RestMethod @params
}


function ConvertTo-Instant {
    <#
        A time from the emulator's JSON as a DateTimeOffset, to the tick. pwsh 7's ConvertFrom-Json already turns
        ISO strings into DateTime, and parsing that again from its text would drop the fraction of a second.
    #>
    param([Parameter(Mandatory, ValueFromPipeline)] $Value)
    process {
        if ($Value -is [DateTimeOffset]) { $Value }
        elseif ($Value -is [DateTime]) { [DateTimeOffset] $Value }
        else { [DateTimeOffset]::Parse([string] $Value, [Globalization.CultureInfo]::InvariantCulture) }
    }
}

Export-ModuleMember -Function Start-KlingEmulator, Stop-KlingEmulator, Invoke-EmulatorControl, ConvertTo-Instant
