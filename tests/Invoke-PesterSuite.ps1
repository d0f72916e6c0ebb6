<#
.SYNOPSIS
    Runs the Pester suites in tests/Pester (in a fresh pwsh started by build.ps1) and writes the counts as JSON.
.PARAMETER Filter
    A slice (build.ps1 Test -Filter): every test of the files whose name contains it, and in the other files the
    tests whose full name (Describe, Context, It) contains it; case-insensitive, no wildcards.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $Filter
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$suite = Join-Path $PSScriptRoot 'Pester'

function Invoke-Slice([string[]] $Path, [string] $FullName, [string] $ResultFile) {
    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.PassThru = $true
    if ($FullName) { $config.Filter.FullName = $FullName }
    $config.Output.Verbosity = if ($env:CI) { 'Normal' } else { 'Detailed' }
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputPath = $ResultFile
    Invoke-Pester -Configuration $config
}

$xml = [IO.Path]::ChangeExtension($ResultPath, '.xml')
$results = if (-not $Filter) { Invoke-Slice -Path $suite -ResultFile $xml } else {
    $files = @(Get-ChildItem $suite -Recurse -File -Filter '*.Tests.ps1' | Sort-Object FullName)
    $named = @($files | Where-Object { $_.Name.IndexOf($Filter, [StringComparison]::OrdinalIgnoreCase) -ge 0 })
    $others = @($files | Where-Object { $_ -notin $named })
    if ($named) { Invoke-Slice -Path $named.FullName -ResultFile $xml }
    if ($others) { Invoke-Slice -Path $others.FullName -FullName "*$([WildcardPattern]::Escape($Filter))*" -ResultFile ($xml -replace '\.xml$', '.by-name.xml') }
}
# Containers that failed to run (a broken BeforeAll, a syntax error) count as failures too.
$passed = 0; $failed = 0; $skipped = 0
foreach ($result in $results) {
    $passed += $result.PassedCount
    $failed += $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    $skipped += $result.SkippedCount
}
[pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped } |
    ConvertTo-Json | Set-Content -Path $ResultPath
if ($failed -gt 0) { exit 1 }
