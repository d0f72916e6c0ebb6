<#
.SYNOPSIS
    Measure-KlingCost of 100,000 rows against validating the same rows, in the same run.
.DESCRIPTION
    Measure-KlingCost binds each row as New-KlingVideo does, reads and checks it into a request, then prices it. The
    baseline is the same rows through the same path without the pricing: a cmdlet compiled here that derives from the
    module's VideoRowCmdlet (the row parameters, PipelineColumns, VideoRowReader, VideoRequestValidator) and writes
    nothing per row. (Test-KlingVideoInput or New-KlingVideo -WhatIf are not the same work.) No key is set: nothing
    is sent. Each is timed -Rounds times, alternately, and the best kept. Goal: Measure-KlingCost at most 1.2x the
    baseline. Exit code 1 when it does not hold.
#>
param([int] $Rows = 100000, [int] $Rounds = 2)
. (Join-Path $PSScriptRoot 'common.ps1')
$env:KLING_API_KEY = $null
Disconnect-Kling

$source = @'
using System.Management.Automation;
using Kling.Commands;
using Kling.Core.Requests;

[Cmdlet(VerbsDiagnostic.Test, "KlingRowBaseline")]
public sealed class TestKlingRowBaselineCommand : VideoRowCmdlet
{
    private int row;
    private int valid;

    protected override void BeginProcessing() => BeginRows();

    protected override void ProcessRecord()
    {
        row++;
        string name = RowName;
        ErrorRecord unbound = CheckColumns(row, name);
        if (unbound != null) { ThrowTerminatingError(unbound); }
        InvalidRowException invalid;
        if (BuildRequest(row, name, out invalid) != null) { valid++; }
        else { WriteError(new ErrorRecord(invalid, "InvalidRow", ErrorCategory.InvalidArgument, RowTarget)); }
    }

    protected override void EndProcessing() => WriteObject(valid);
}
'@
$moduleDir = Join-Path $RepoRoot 'out/Kling'
$refs = @((Join-Path $moduleDir 'Kling.dll'), (Join-Path $moduleDir 'Kling.Core.dll'), [PSObject].Assembly.Location,
    [System.Runtime.GCSettings].Assembly.Location) + @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { -not $_.IsDynamic -and $_.Location -and $_.GetName().Name -in 'System.Runtime', 'netstandard', 'System.Collections', 'System.Linq' } | ForEach-Object Location)
$type = Add-Type -TypeDefinition $source -ReferencedAssemblies $refs -PassThru -IgnoreWarnings -WarningAction SilentlyContinue | Select-Object -First 1
Import-Module -Assembly $type.Assembly

# A mixed CSV as Import-Csv gives it: every model, modes, sound, a motion-control range, a refused row now and then.
$templates = @(
    @{ model = 'kling-v3'; prompt = 'A cat on a wall'; mode = 'std'; duration = '5'; audio = ''; resolution = ''; image = ''; video_url = ''; character_orientation = '' }
    @{ model = 'kling-v3'; prompt = 'A dog in the rain'; mode = 'pro'; duration = '10'; audio = 'yes'; resolution = ''; image = ''; video_url = ''; character_orientation = '' }
    @{ model = 'kling-video-o1'; prompt = 'A fox at dawn'; mode = 'pro'; duration = '10'; audio = ''; resolution = ''; image = ''; video_url = ''; character_orientation = '' }
    @{ model = 'kling-v3-omni'; prompt = 'A city'; mode = 'std'; duration = '8'; audio = ''; resolution = ''; image = ''; video_url = 'https://vid.example/ref.mp4'; character_orientation = '' }
    @{ model = 'kling-3.0-turbo'; prompt = 'A kite'; mode = ''; duration = '6'; audio = ''; resolution = '1080p'; image = ''; video_url = ''; character_orientation = '' }
    @{ model = 'kling-v3-motion-control'; prompt = ''; mode = 'std'; duration = ''; audio = ''; resolution = ''; image = 'https://img.example/d.png'; video_url = 'https://vid.example/m.mp4'; character_orientation = 'image' }
    @{ model = 'kling-v2-6'; prompt = 'Too long'; mode = 'std'; duration = '20'; audio = ''; resolution = ''; image = ''; video_url = ''; character_orientation = '' }
)
$data = [Collections.Generic.List[object]]::new($Rows)
for ($i = 0; $i -lt $Rows; $i++) {
    $t = $templates[$i % $templates.Count]
    $data.Add([pscustomobject]@{
        Name = "row$i"; model = $t.model; prompt = $t.prompt; mode = $t.mode; duration = $t.duration; audio = $t.audio
        resolution = $t.resolution; image = $t.image; video_url = $t.video_url; character_orientation = $t.character_orientation
    })
}

function Measure-Seconds([scriptblock] $Work) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & $Work
    $sw.Stop()
    $sw.Elapsed.TotalSeconds
}

# Warm-up (JIT, formats) on a few rows.
$null = $data | Select-Object -First 500 | Measure-KlingCost -ErrorAction SilentlyContinue
$null = $data | Select-Object -First 500 | Test-KlingRowBaseline -ErrorAction SilentlyContinue

$cost = [double]::MaxValue; $base = [double]::MaxValue
$estimate = $null; $valid = 0
for ($r = 0; $r -lt $Rounds; $r++) {
    $base = [math]::Min($base, (Measure-Seconds { $script:valid = $data | Test-KlingRowBaseline -ErrorAction SilentlyContinue }))
    $cost = [math]::Min($cost, (Measure-Seconds { $script:estimate = $data | Measure-KlingCost -ErrorAction SilentlyContinue }))
}

$ratio = $cost / $base
Write-Host "Cost benchmark: $Rows rows (7 models mixed, 1 in 7 refused), best of $Rounds"
Write-BenchLine 'Measure-KlingCost' ('{0:0.00} s ({1:n0} rows/s); {2} valid, {3} refused, MaxUsd {4}' -f $cost, ($Rows / $cost), ($estimate.Rows - $estimate.RefusedRows), $estimate.RefusedRows, $estimate.MaxUsd)
Write-BenchLine 'validating the same rows (baseline)' ('{0:0.00} s ({1:n0} rows/s); {2} valid' -f $base, ($Rows / $base), $valid)
Write-BenchLine 'ratio' ('{0:0.00}x' -f $ratio)
$same = ($estimate.Rows - $estimate.RefusedRows) -eq $valid
if (-not (Write-Goal ('Measure-KlingCost at most 1.2x validating (is {0:0.00}x), the same rows valid' -f $ratio) ($ratio -le 1.2 -and $same))) { exit 1 }
