<#
.SYNOPSIS
    Import-Module Kling in a fresh pwsh, against importing an empty module in the same run.
.DESCRIPTION
    Each round starts a new pwsh and times Import-Module inside it (process start not counted): Kling's
    manifest and assemblies, and, as the baseline, an empty script module. The report gives the medians and
    the difference. Kling does no work at import (the HTTP client is created on first use), so the goal is
    an import of at most 0.5 s. Exit code 1 when it does not hold.
#>
param([int] $Rounds = 7)
. (Join-Path $PSScriptRoot 'common.ps1')

$work = Join-Path ([IO.Path]::GetTempPath()) "kling-import-$([guid]::NewGuid().ToString('n'))"
New-Item -ItemType Directory (Join-Path $work 'Empty') -Force | Out-Null
Set-Content (Join-Path $work 'Empty/Empty.psm1') '# nothing'
try {
    $pwsh = (Get-Process -Id $PID).Path
    $prefix = @()
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $prefix += (Join-Path $PSHOME 'pwsh.dll') }
    function Measure-Import([string] $Module) {
        $script = "`$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$Module'; `$sw.Stop(); `$sw.Elapsed.TotalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture)"
        $out = & $pwsh @prefix -NoProfile -NonInteractive -Command $script
        [double]::Parse(($out | Select-Object -Last 1), [Globalization.CultureInfo]::InvariantCulture)
    }

    $kling = Join-Path $RepoRoot 'out/Kling/Kling.psd1'
    $empty = Join-Path $work 'Empty/Empty.psm1'
    $null = Measure-Import $kling   # warm the disk cache
    $k = [Collections.Generic.List[double]]::new(); $e = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Rounds; $i++) { $k.Add((Measure-Import $kling)); $e.Add((Measure-Import $empty)) }
    $median = { param($v) $s = @($v | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
    $km = & $median $k; $em = & $median $e
    Write-Host "Import benchmark: Import-Module in a fresh pwsh, median of $Rounds rounds"
    Write-BenchLine 'Kling (manifest, Kling.dll, Kling.Core.dll, formats, help)' ('{0:0.000} s' -f $km)
    Write-BenchLine 'an empty script module (baseline)' ('{0:0.000} s' -f $em)
    Write-BenchLine 'Kling minus baseline' ('{0:0.000} s' -f ($km - $em))
    if (-not (Write-Goal ('Import-Module Kling at most 0.5 s (is {0:0.000} s)' -f $km) ($km -le 0.5))) { exit 1 }
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
