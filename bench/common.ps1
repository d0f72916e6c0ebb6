# Shared by the benchmarks: the built module, the emulator, the contestants' plumbing and the report.
# Dot-source it. Benchmarks run against the emulator on loopback only.
$ErrorActionPreference = 'Stop'
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).ProviderPath
Import-Module (Join-Path $RepoRoot 'out/Kling/Kling.psd1')
Import-Module (Join-Path $RepoRoot 'tests/Emulator.psm1') -Force

function Start-BenchEmulator {
    $emu = Start-KlingEmulator
    $env:KLING_BASE_URL = $emu.Gateway
    $env:KLING_API_KEY = $emu.ApiKey
    $emu
}

function Set-BenchEmulator {
    <# Resets the emulator (tasks, requests, counters) and applies the benchmark's knobs. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Config)
    Invoke-EmulatorControl $Emulator reset | Out-Null
    Invoke-EmulatorControl $Emulator config -Body $Config | Out-Null
}

function Get-BenchTasks {
    param([Parameter(Mandatory)] $Emulator)
    @(Invoke-EmulatorControl $Emulator tasks) | ForEach-Object { $_ }
}

function Test-ExactlyOnce {
    <# Every expected prompt accepted exactly once by the gateway: returns the duplicates and the missing. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string[]] $Prompts)
    $seen = @{}
    foreach ($t in Get-BenchTasks $Emulator) { $seen[$t.prompt] = 1 + [int] $seen[$t.prompt] }
    [pscustomobject]@{
        Duplicates = @($seen.Keys | Where-Object { $seen[$_] -gt 1 }).Count
        Missing    = @($Prompts | Where-Object { -not $seen.ContainsKey($_) }).Count
    }
}

function Get-GatewayHeaders {
    param([Parameter(Mandatory)] $Emulator)
    @{ Authorization = "Bearer $($Emulator.ApiKey)" }
}

function Write-BenchLine {
    param([string] $Label, [string] $Value, [string] $Note = '')
    Write-Host ('  {0,-54} {1,12}  {2}' -f $Label, $Value, $Note)
}

function Write-Goal {
    <# Prints one goal and whether it holds; returns $true when it does. #>
    param([Parameter(Mandatory)] [string] $Text, [Parameter(Mandatory)] [bool] $Holds)
    Write-Host ('  [{0}] {1}' -f $(if ($Holds) { 'PASS' } else { 'FAIL' }), $Text)
    $Holds
}
