<#
.SYNOPSIS
    Runs the Pester suites in tests/Pester (in a fresh pwsh started by build.ps1) and writes the counts as JSON.
.DESCRIPTION
    Most of a Pester suite's time is spent waiting on loopback (tasks to finish, timeouts to pass, child processes
    to start), not computing, so the files run in a few worker processes at once. Each worker is a fresh pwsh
    that takes the next file from a shared queue (largest first), runs it with Invoke-Pester, and takes another
    until none is left: within a worker files run one after another, in one process, as they always did (every
    file starts its own emulator and takes its own KLING_HOME in common.ps1; environment variables, which point
    Kling at an emulator, are per process). The counts of all workers are summed into ResultPath, and their
    NUnit XML merged into one file beside it (pester.xml), per file as before.
    KLING_TEST_WORKERS sets the number of workers (default: the number of processors, at least 2 and at most 4).
.PARAMETER Filter
    A slice (build.ps1 Test -Filter): every test of the files whose name contains it, and in the other files the
    tests whose full name (Describe, Context, It) contains it; case-insensitive, no wildcards.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    # The test files to run (default: every *.Tests.ps1 under tests/Pester).
    [string[]] $Path,
    [string] $Filter,
    # Internal: run as a worker taking files from this queue folder.
    [string] $QueueDirectory,
    [string] $WorkerName
)
$ErrorActionPreference = 'Stop'

function Invoke-QueuedFile {
    <# A worker: claims the queue's files one by one (moving a file out of the queue is atomic) and runs each. #>
    Import-Module $PesterPath -Force
    $claimed = Join-Path $QueueDirectory "claimed-$WorkerName"
    New-Item -ItemType Directory $claimed -Force | Out-Null
    $results = [Collections.Generic.List[object]]::new()
    while ($true) {
        $next = $null
        foreach ($entry in Get-ChildItem $QueueDirectory -File -Filter '*.queued' | Sort-Object Name) {
            try { Move-Item $entry.FullName (Join-Path $claimed $entry.Name) -ErrorAction Stop; $next = $entry; break } catch { }
        }
        if (-not $next) { break }
        $testFile = (Get-Content -Raw (Join-Path $claimed $next.Name)).Trim()
        $config = New-PesterConfiguration
        $config.Run.Path = $testFile
        $config.Run.PassThru = $true
        # A slice: a file named by the filter runs whole; from the others only the tests named by it.
        if ($Filter -and [IO.Path]::GetFileName($testFile).IndexOf($Filter, [StringComparison]::OrdinalIgnoreCase) -lt 0) {
            $config.Filter.FullName = "*$([WildcardPattern]::Escape($Filter))*"
        }
        $config.Output.Verbosity = if ($env:CI) { 'Normal' } else { 'Detailed' }
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputPath = Join-Path $QueueDirectory ($next.BaseName + '.xml')
        $r = Invoke-Pester -Configuration $config
        $results.Add([pscustomobject]@{
            File = $testFile; Passed = $r.PassedCount; Skipped = $r.SkippedCount
            Failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount
        })
    }
    ConvertTo-Json -InputObject @($results) | Set-Content (Join-Path $QueueDirectory "result-$WorkerName.json")
}

function Merge-NUnitResult([string[]] $Paths, [string] $Destination) {
    <# One NUnit XML for the whole run: every file's suite under the first file's root, the totals summed. #>
    $docs = @($Paths | Where-Object { Test-Path $_ } | ForEach-Object { [xml] (Get-Content -Raw $_) })
    if (-not $docs) { return }
    $first = $docs[0]
    $root = $first.'test-results'
    # SelectSingleNode, not the adapter: an empty <results/> (a file of which a slice ran no test) reads as a string.
    $results = $root.SelectSingleNode('test-suite/results')
    $time = [double] $root.'test-suite'.time
    foreach ($doc in $docs | Select-Object -Skip 1) {
        foreach ($suite in $doc.SelectNodes('test-results/test-suite/results/*')) { [void] $results.AppendChild($first.ImportNode($suite, $true)) }
        foreach ($name in 'total', 'errors', 'failures', 'not-run', 'inconclusive', 'ignored', 'skipped', 'invalid') {
            $root.SetAttribute($name, [string] ([int] $root.GetAttribute($name) + [int] $doc.'test-results'.GetAttribute($name)))
        }
        $time += [double] $doc.'test-results'.'test-suite'.time
    }
    $root.'test-suite'.SetAttribute('time', $time.ToString([Globalization.CultureInfo]::InvariantCulture))
    $first.Save($Destination)
}

if ($QueueDirectory) { Invoke-QueuedFile; return }

$workers = if ($env:KLING_TEST_WORKERS) { [int] $env:KLING_TEST_WORKERS } else { [Math]::Min(4, [Math]::Max(2, [Environment]::ProcessorCount)) }
$queue = Join-Path ([IO.Path]::GetDirectoryName([IO.Path]::GetFullPath($ResultPath))) 'pester-queue'
if (Test-Path $queue) { Remove-Item $queue -Recurse -Force }
New-Item -ItemType Directory $queue | Out-Null
# Largest first (size is a fair guess of a file's time), so no worker is left with a long file at the end.
if (-not $Path) { $Path = @(Get-ChildItem (Join-Path $PSScriptRoot 'Pester') -Filter '*.Tests.ps1' -Recurse | ForEach-Object FullName) }
$files = @(Get-Item $Path | Sort-Object Length -Descending)
for ($i = 0; $i -lt $files.Count; $i++) {
    Set-Content -Path (Join-Path $queue ('{0:d3}-{1}.queued' -f $i, $files[$i].BaseName)) -Value $files[$i].FullName
}

$exe = (Get-Process -Id $PID).Path
# Under 'dotnet pwsh' the process is dotnet itself; a worker needs pwsh.dll as its first argument.
$prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
$started = [Diagnostics.Stopwatch]::StartNew()
$procs = foreach ($n in 1..$workers) {
    $psi = [Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($a in $prefix + @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-PesterPath', $PesterPath,
            '-ResultPath', $ResultPath, '-QueueDirectory', $queue, '-WorkerName', "w$n")) { $psi.ArgumentList.Add($a) }
    if ($Filter) { $psi.ArgumentList.Add('-Filter'); $psi.ArgumentList.Add($Filter) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $p = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Name = "w$n"; Process = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
}
foreach ($w in $procs) {
    $w.Process.WaitForExit()
    Write-Host "----- Pester worker $($w.Name) (exit code $($w.Process.ExitCode)) -----"
    Write-Host $w.Out.Result
    if ($w.Err.Result) { Write-Host $w.Err.Result }
}

$perFile = @(Get-ChildItem $queue -Filter 'result-*.json' | ForEach-Object { Get-Content -Raw $_.FullName | ConvertFrom-Json } | ForEach-Object { $_ })
$failed = ($perFile | Measure-Object Failed -Sum).Sum
$crashed = @($procs | Where-Object { -not (Test-Path (Join-Path $queue "result-$($_.Name).json")) })
$unrun = @(Get-ChildItem $queue -File -Filter '*.queued')
# A worker that died before writing its counts, or files no worker ran, count as failures too.
$failed += $crashed.Count + $unrun.Count
Merge-NUnitResult -Paths @(Get-ChildItem $queue -Filter '*.xml' | Sort-Object Name | ForEach-Object FullName) -Destination ([IO.Path]::ChangeExtension($ResultPath, '.xml'))
Remove-Item $queue -Recurse -Force
Write-Host ("Pester: {0} files in {1} workers, {2:n0} s" -f $files.Count, $workers, $started.Elapsed.TotalSeconds)
[pscustomobject]@{ Passed = [int] ($perFile | Measure-Object Passed -Sum).Sum; Failed = [int] $failed; Skipped = [int] ($perFile | Measure-Object Skipped -Sum).Sum } |
    ConvertTo-Json | Set-Content -Path $ResultPath
if ($failed -gt 0) { exit 1 }
