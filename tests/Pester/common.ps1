# Shared set-up for the Pester suites: the built module, the emulator helpers, and small assertions.
# Dot-source it from a BeforeAll block.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:ModulePath = if ($env:KLING_MODULE_PATH) { $env:KLING_MODULE_PATH } else { Join-Path $RepoRoot 'out/Kling/Kling.psd1' }
Import-Module $ModulePath
Import-Module (Join-Path $RepoRoot 'tests/Emulator.psm1') -Force
# No suite writes the user's own task history: each gets a fresh one (a suite may set $env:KLING_HOME again after this).
$env:KLING_HOME = Join-Path ([IO.Path]::GetTempPath()) ("kling-home-" + [guid]::NewGuid().ToString('n'))
$env:KLING_HISTORY = $null

function Use-Emulator {
    <# Points Kling at the emulator through the environment, as a scheduled task would. #>
    param([Parameter(Mandatory)] $Emulator)
    Disconnect-Kling
    $env:KLING_BASE_URL = $Emulator.Gateway
    $env:KLING_API_KEY = $Emulator.ApiKey
}

function Use-FreshEmulator {
    <# Before each test: the emulator back to its start (no tasks, faults or requests), and Kling pointed at it. #>
    param([Parameter(Mandatory)] $Emulator)
    Reset-Emulator $Emulator
    Use-Emulator $Emulator
}

function Close-TestEmulator {
    <# After a suite: forget any connection a test made, then stop the emulator. #>
    param([Parameter(Mandatory)] $Emulator)
    Disconnect-Kling
    Stop-KlingEmulator $Emulator
}

function New-CompletedTask {
    <# Submits one row and waits for its task: a completed task to save. #>
    param([string] $Name, [string] $Prompt = 'a clip')
    $p = @{ Prompt = $Prompt }
    if ($Name) { $p.Name = $Name }
    New-KlingVideo @p | Wait-KlingTask -PollInterval 0.1
}

function Get-FileDownload {
    <# The result-file downloads the storage host received. #>
    param($Emulator = $script:emu)
    @(Get-EmulatorRequest $Emulator -HostName storage -Method GET -PathLike '/files/*')
}

function Reset-Emulator {
    param([Parameter(Mandatory)] $Emulator, [hashtable] $Config)
    Invoke-EmulatorControl $Emulator reset | Out-Null
    if ($Config) { Invoke-EmulatorControl $Emulator config -Body $Config | Out-Null }
}

function Add-EmulatorFault {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Fault)
    Invoke-EmulatorControl $Emulator faults -Body $Fault | Out-Null
}

function Get-EmulatorRequest {
    <# The requests the emulator received (both hosts), optionally filtered. #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $HostName,
        [string] $Method,
        [string] $PathLike
    )
    $all = @(Invoke-EmulatorControl $Emulator requests) | ForEach-Object { $_ }
    $all | Where-Object {
        (-not $HostName -or $_.host -eq $HostName) -and
        (-not $Method -or $_.method -eq $Method) -and
        (-not $PathLike -or $_.path -like $PathLike)
    }
}

function Get-SubmitCount {
    param([Parameter(Mandatory)] $Emulator)
    @(Get-EmulatorRequest $Emulator -HostName gateway -Method POST -PathLike '/v1/videos/generations*').Count
}

function Get-SubmitBody {
    <# The JSON bodies of the submissions the gateway received, parsed, in order. #>
    param([Parameter(Mandatory)] $Emulator)
    @(Get-EmulatorRequest $Emulator -HostName gateway -Method POST -PathLike '/v1/videos/generations*') | ForEach-Object { $_.body | ConvertFrom-Json }
}

function Get-HeaderValue {
    <# Reads a header from a recorded request, whatever shape the emulator recorded headers in. #>
    param([Parameter(Mandatory)] $Request, [Parameter(Mandatory)] [string] $Name)
    $headers = $Request.headers
    if ($null -eq $headers) { return $null }
    foreach ($p in $headers.PSObject.Properties) {
        if ($p.Name -eq $Name) { return @($p.Value) -join ',' }
    }
    return $null
}

function Get-PwshCommand {
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($exe)
}

function New-ChildPwsh {
    <# Starts a script file in a fresh pwsh (its own module state), all streams redirected, stdin closed. #>
    param([Parameter(Mandatory)] [string] $File, [hashtable] $Environment = @{}, [string] $WorkingDirectory)
    $pwsh = @(Get-PwshCommand)
    $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File)) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string] $Environment[$k] }
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()
    $p
}

function New-ChildScriptFile {
    param([Parameter(Mandatory)] [string] $Script)
    $file = Join-Path ([IO.Path]::GetTempPath()) ("kling-child-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
    Set-Content -Path $file -Value ("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script) -Encoding utf8
    $file
}

function Invoke-ChildPwsh {
    <# Runs a script in a fresh pwsh and returns its exit code and everything it printed, all streams merged. #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [string] $WorkingDirectory)
    $file = New-ChildScriptFile $Script
    try {
        $p = New-ChildPwsh -File $file -Environment $Environment -WorkingDirectory $WorkingDirectory
        $stdout = $p.StandardOutput.ReadToEndAsync()
        $stderr = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(120000)) { $p.Kill(); throw 'The child pwsh did not finish within 120 s.' }
        [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $stdout.Result + $stderr.Result }
    }
    finally {
        Remove-Item $file -ErrorAction SilentlyContinue
    }
}

function Start-ChildPwsh {
    <# Starts a script in a fresh pwsh without waiting; returns the process (the caller kills or waits for it). #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{})
    $p = New-ChildPwsh -File (New-ChildScriptFile $Script) -Environment $Environment
    $null = $p.StandardOutput.ReadToEndAsync()
    $null = $p.StandardError.ReadToEndAsync()
    $p
}

function Wait-Until {
    <# Polls a condition (a script block) until it is true; fails the test after the time limit. #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $Seconds = 60, [string] $Because = 'the condition')
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Seconds s waiting for $Because." }
        Start-Sleep -Milliseconds 50
    }
}

function Read-JournalLine {
    <# The parsed records of a journal file (complete lines only; the header line, which has no type, is left out). #>
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path $Path)) { return @() }
    $stream = [IO.FileStream]::new($Path, 'Open', 'Read', 'ReadWrite')
    try { $text = [IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
    foreach ($line in $text -split "`n") {
        if ($line.Trim()) { try { $line | ConvertFrom-Json | Where-Object { $_.PSObject.Properties['type'] } } catch { } }
    }
}

function Get-NuGetPackageFolder {
    <# The global NuGet package folder, where tests/tools/Pester.proj restores the test tools. #>
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
}
