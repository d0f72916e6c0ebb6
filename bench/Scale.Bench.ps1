<#
.SYNOPSIS
    The README's one-liner at scale: 1,000 and 10,000 rows through New-KlingVideo | Wait-KlingTask | Save-KlingVideo,
    against ForEach-Object -Parallel with Invoke-RestMethod; and the one-liner against a paced download host.
.DESCRIPTION
    Scale: for each of -Sizes, a pwsh of its own (so nothing else counts in its memory) runs the whole pipeline with a
    journal, then another waits for the same tasks with Wait-KlingTask -Journal, a third only submits with a fresh
    journal, and a fourth reruns that submission on its full journal (every row found there, nothing sent: the rerun
    after a crash near the end); all four -Repeat times, and the report takes the median of the runs. Each run first warms up on
    -WarmUpRows rows through the same cmdlets (so the runtime's compiled code is in place at every size), then reports
    rows/s and two memory figures of the measured part (after a full collection): the process's peak working set
    (resident memory, its high-water mark reset after the warm-up where Linux allows) and how far the live managed heap
    rose (a full collection every 250 objects out: what the run holds, not garbage awaiting collection). The working
    set of identical runs varies by about 10 MB (where the runtime's own allocations land), hence the medians. The
    runs compile each method once (DOTNET_TieredCompilation=0) unless -TieredJit: with the runtime's default tiering, a
    longer run goes on recompiling hot code, and that code (the report counts the methods compiled during the run)
    is what a 10,000-row run's working set adds over a 1,000-row one, not what the rows leave in memory. The
    report adds status calls per task and the worst delay between a task's completion (the emulator's own record)
    and the moment it came out of Wait-KlingTask. The baseline is the loop a user would write: ForEach-Object
    -Parallel with Invoke-RestMethod (submit, poll every -BaselinePollSeconds, Invoke-WebRequest -OutFile), run on
    the first size only.
    Paced: -PacedTasks tasks whose files of -PacedBytes come at -PacedRate bytes/s per connection (a distant CDN):
    the one-liner exactly as the README writes it, against the ideal (the task time plus the downloads spread over
    4 connections) and against Save-KlingVideo -ThrottleLimit 1 (one download at a time).
    Exit code 1 when a goal does not hold.
#>
param(
    [int[]] $Sizes = @(1000, 10000),
    [int] $Repeat = 3,
    [int] $WarmUpRows = 200,
    [switch] $TieredJit,
    [double] $TaskSeconds = 1,
    [int] $VideoBytes = 4096,
    [int] $LatencyMs = 5,
    [double] $BaselinePollSeconds = 0.5,
    [int] $BaselineThrottle = 16,
    [int] $PacedTasks = 60,
    [int] $PacedBytes = 1MB,
    [int] $PacedRate = 1MB,
    [double] $PacedTaskSeconds = 5
)
. (Join-Path $PSScriptRoot 'common.ps1')

$work = Join-Path ([IO.Path]::GetTempPath()) "kling-scale-$([guid]::NewGuid().ToString('n'))"
New-Item -ItemType Directory $work | Out-Null

# What each child pwsh runs: a warm-up (JIT, connections), a collection, then the measured pipeline. It writes a line
# per task it noticed (id and time) to a file as it goes, so the record costs no memory in the process measured.
$childScript = Join-Path $work 'child.ps1'
Set-Content -Path $childScript -Value @'
param($Module, $Mode, $Csv, $Journal, $Out, $NoticeLog, $PollSeconds, $Throttle, $WarmUpRows)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $Module
# The warm-up runs every cmdlet of the measured modes on a few hundred rows, so the code the runtime compiles and
# recompiles as it gets hot (tiered JIT) is in place at both sizes and the figures compare what the rows cost.
$warm = Join-Path $Out "../warm-up-$PID"
$warmJournal = Join-Path $warm 'journal.jsonl'
$null = 1..$WarmUpRows | ForEach-Object { [pscustomobject]@{ prompt = "warm-up $_" } } | New-KlingVideo -Journal $warmJournal | Wait-KlingTask -PollInterval 0.2 | Save-KlingVideo -Path $warm
$null = Wait-KlingTask -Journal $warmJournal
$null = 1..$WarmUpRows | ForEach-Object { [pscustomobject]@{ prompt = "warm-up $_" } } | New-KlingVideo -Journal $warmJournal
$log = [IO.StreamWriter]::new($NoticeLog)
$self = [Diagnostics.Process]::GetCurrentProcess()
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
# The peak working set from here on (Linux: writing 5 to clear_refs resets the high-water mark, VmHWM).
if (Test-Path /proc/self/clear_refs) { [IO.File]::WriteAllText('/proc/self/clear_refs', '5') }
$heap0 = [GC]::GetTotalMemory($true)
$jit0 = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
$clock = [Diagnostics.Stopwatch]::StartNew()
$rows = 0
# The live managed heap (after a full collection), sampled every 250 objects out: what the run holds, not garbage.
$script:peakHeap = $heap0
switch ($Mode) {
    'pipeline' {
        Import-Csv $Csv | New-KlingVideo -Journal $Journal |
            Wait-KlingTask | ForEach-Object { $log.WriteLine("$($_.TaskId) $([DateTimeOffset]::UtcNow.UtcTicks)"); $_ } |
            Save-KlingVideo -Path $Out | ForEach-Object { $rows++; if ($rows % 250 -eq 0) { $h = [GC]::GetTotalMemory($true); if ($h -gt $script:peakHeap) { $script:peakHeap = $h } } }
    }
    { $_ -in 'submit', 'rerun' } {
        # The same command both times: on a fresh journal (every row sent), then on the full one (every row found there).
        Import-Csv $Csv | New-KlingVideo -Journal $Journal | ForEach-Object { $rows++; if ($rows % 250 -eq 0) { $h = [GC]::GetTotalMemory($true); if ($h -gt $script:peakHeap) { $script:peakHeap = $h } } }
    }
    'wait' {
        Wait-KlingTask -Journal $Journal | ForEach-Object { $rows++; if ($rows % 250 -eq 0) { $h = [GC]::GetTotalMemory($true); if ($h -gt $script:peakHeap) { $script:peakHeap = $h } } }
    }
    'baseline' {
        $gateway = $env:KLING_BASE_URL
        $headers = @{ Authorization = "Bearer $env:KLING_API_KEY" }
        $queue = [Collections.Concurrent.ConcurrentQueue[string]]::new()
        Import-Csv $Csv | ForEach-Object -ThrottleLimit $Throttle -Parallel {
            $ProgressPreference = 'SilentlyContinue'
            $body = @{ model = 'kling-video-o1'; prompt = $_.prompt } | ConvertTo-Json -Compress
            $id = (Invoke-RestMethod -Method Post -Uri "$using:gateway/v1/videos/generations" -Headers $using:headers -ContentType 'application/json; charset=utf-8' -Body $body).data[0].task_id
            do {
                Start-Sleep -Seconds $using:PollSeconds
                $task = (Invoke-RestMethod -Uri "$using:gateway/v1/tasks/$id" -Headers $using:headers).data
            } until ($task.status -in 'completed', 'failed', 'cancelled')
            ($using:queue).Enqueue("$id $([DateTimeOffset]::UtcNow.UtcTicks)")
            Invoke-WebRequest -Uri $task.result.videos[0].url[0] -OutFile (Join-Path $using:Out "$($_.Name).mp4")
            $id
        } | ForEach-Object { $rows++; if ($rows % 250 -eq 0) { $h = [GC]::GetTotalMemory($true); if ($h -gt $script:peakHeap) { $script:peakHeap = $h } } }
        foreach ($line in $queue) { $log.WriteLine($line) }
    }
}
$clock.Stop()
$log.Dispose()
$self.Refresh()
$jitted = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit0
[pscustomobject]@{ Rows = $rows; Seconds = $clock.Elapsed.TotalSeconds; PeakMB = $self.PeakWorkingSet64 / 1MB; HeapMB = ($script:peakHeap - $heap0) / 1MB; Jitted = $jitted } | ConvertTo-Json -Compress
'@

function Invoke-Child {
    <# Runs one mode in a pwsh of its own; returns its report. #>
    param([string] $Mode, [string] $Csv, [string] $Journal, [string] $Out, [string] $NoticeLog)
    New-Item -ItemType Directory -Force $Out | Out-Null
    $pwsh = (Get-Process -Id $PID).Path
    $pwshArgs = @()
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $pwshArgs += (Join-Path $PSHOME 'pwsh.dll') }
    $pwshArgs += '-NoProfile', '-NonInteractive', '-File', $childScript, (Join-Path $RepoRoot 'out/Kling/Kling.psd1'), $Mode, $Csv, $Journal, $Out, $NoticeLog, $BaselinePollSeconds, $BaselineThrottle, $WarmUpRows
    # Without -TieredJit the run compiles each method once, fully: with tiered compilation the runtime goes on
    # recompiling code as it gets hot for as long as a run lasts (more methods in a longer run), and that compiled code,
    # not anything the rows leave behind, is what the working set of a longer run adds (the report counts the methods).
    $tiered = $env:DOTNET_TieredCompilation
    if (-not $TieredJit) { $env:DOTNET_TieredCompilation = '0' }
    try { $lines = @(& $pwsh @pwshArgs) } finally { $env:DOTNET_TieredCompilation = $tiered }
    if ($LASTEXITCODE -ne 0) { throw "The $Mode run failed: $($lines -join "`n")" }
    $lines[-1] | ConvertFrom-Json
}

function Measure-Notice {
    <# The worst delay (s) between a task's completion at the emulator and the moment the run noticed it. #>
    param($Emulator, [string] $NoticeLog)
    $seen = @{}
    foreach ($line in [IO.File]::ReadLines($NoticeLog)) {
        $id, $ticks = $line.Split(' ')
        $seen[$id] = [long] $ticks
    }
    $worst = 0.0
    foreach ($t in Get-BenchTasks $Emulator) {
        if ($seen.ContainsKey($t.id)) {
            $delay = ($seen[$t.id] - (ConvertTo-Instant $t.finishesAt).UtcTicks) / 1e7
            if ($delay -gt $worst) { $worst = $delay }
        }
    }
    [pscustomobject]@{ Seen = $seen.Count; Worst = $worst }
}

function Get-ScaleTaskCount {
    <# The tasks the gateway accepted for the measured rows (not the warm-ups). #>
    param($Emulator)
    @(Get-BenchTasks $Emulator | Where-Object prompt -Like 'A scale benchmark clip*').Count
}

function Get-Median {
    param([double[]] $Values)
    $sorted = @($Values | Sort-Object)
    $middle = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function Format-Runs {
    <# "median (run, run, run)" of one figure over the runs. #>
    param([double[]] $Values, [string] $Format = '{0:N1}')
    if ($Values.Count -le 1) { return ($Format -f $Values[0]) }
    '{0} ({1})' -f ($Format -f (Get-Median $Values)), (($Values | ForEach-Object { $Format -f $_ }) -join ', ')
}

function New-Csv {
    param([int] $Count, [string] $Tag)
    $path = Join-Path $work "$Tag-$Count.csv"
    1..$Count | ForEach-Object { [pscustomobject]@{ Name = "$Tag-$_"; prompt = "A scale benchmark clip number $_, a slow pan over a harbour at dawn" } } | Export-Csv -Path $path -NoTypeInformation
    $path
}

$emu = Start-BenchEmulator
try {
    $scaleConfig = @{ taskSeconds = $TaskSeconds; taskJitter = 0; videoBytes = $VideoBytes; latencyMs = $LatencyMs; resultTtl = 3600 }
    $results = [ordered]@{}
    foreach ($size in $Sizes) {
        $csv = New-Csv $size 'row'
        $folder = Join-Path $work "kling-$size"

        $runs = foreach ($round in 1..$Repeat) {
            $at = Join-Path $folder $round
            Set-BenchEmulator $emu $scaleConfig
            $run = Invoke-Child 'pipeline' $csv (Join-Path $at 'journal.jsonl') (Join-Path $at 'out') (Join-Path $at 'notice.log')
            $stats = Invoke-EmulatorControl $emu stats
            $notice = Measure-Notice $emu (Join-Path $at 'notice.log')
            $wait = Invoke-Child 'wait' $csv (Join-Path $at 'journal.jsonl') (Join-Path $at 'wait') (Join-Path $at 'wait.log')

            Set-BenchEmulator $emu $scaleConfig
            $submit = Invoke-Child 'submit' $csv (Join-Path $at 'submit.jsonl') (Join-Path $at 'submit') (Join-Path $at 'submit.log')
            $posts = Get-ScaleTaskCount $emu
            $rerun = Invoke-Child 'rerun' $csv (Join-Path $at 'submit.jsonl') (Join-Path $at 'rerun') (Join-Path $at 'rerun.log')
            $resent = (Get-ScaleTaskCount $emu) - $posts
            [pscustomobject]@{
                Rows = $run.Rows; Seconds = $run.Seconds; Peak = $run.PeakMB; Heap = $run.HeapMB
                CallsPerTask = $stats.statusCalls / [double] $stats.tasks; Worst = $notice.Worst; Seen = $notice.Seen
                WaitPeak = $wait.PeakMB; WaitHeap = $wait.HeapMB; WaitRows = $wait.Rows; WaitSeconds = $wait.Seconds
                SubmitPeak = $submit.PeakMB; SubmitHeap = $submit.HeapMB; SubmitRows = $submit.Rows; SubmitSeconds = $submit.Seconds
                RerunPeak = $rerun.PeakMB; RerunHeap = $rerun.HeapMB; RerunRows = $rerun.Rows; RerunSeconds = $rerun.Seconds; Resent = $resent
                Jitted = $run.Jitted; WaitJitted = $wait.Jitted; SubmitJitted = $submit.Jitted; RerunJitted = $rerun.Jitted
            }
            Remove-Item (Join-Path $at 'out'), (Join-Path $at 'wait'), (Join-Path $at 'submit'), (Join-Path $at 'rerun') -Recurse -Force -ErrorAction SilentlyContinue
        }
        $results["Kling $size"] = [pscustomobject]@{
            Size = $size; Runs = @($runs)
            Rows = ($runs.Rows | Measure-Object -Minimum).Minimum; Seconds = Get-Median $runs.Seconds; Peak = Get-Median $runs.Peak; Heap = Get-Median $runs.Heap
            CallsPerTask = Get-Median $runs.CallsPerTask; Worst = ($runs.Worst | Measure-Object -Maximum).Maximum; Seen = ($runs.Seen | Measure-Object -Minimum).Minimum
            WaitPeak = Get-Median $runs.WaitPeak; WaitHeap = Get-Median $runs.WaitHeap; WaitRows = ($runs.WaitRows | Measure-Object -Minimum).Minimum; WaitSeconds = Get-Median $runs.WaitSeconds
            SubmitPeak = Get-Median $runs.SubmitPeak; SubmitHeap = Get-Median $runs.SubmitHeap; SubmitRows = ($runs.SubmitRows | Measure-Object -Minimum).Minimum; SubmitSeconds = Get-Median $runs.SubmitSeconds
            RerunPeak = Get-Median $runs.RerunPeak; RerunHeap = Get-Median $runs.RerunHeap; RerunRows = ($runs.RerunRows | Measure-Object -Minimum).Minimum; RerunSeconds = Get-Median $runs.RerunSeconds
            Resent = ($runs.Resent | Measure-Object -Maximum).Maximum
        }
    }

    # The loop a user would write, on the first size.
    $size = $Sizes[0]
    $csv = New-Csv $size 'base'
    $folder = Join-Path $work "baseline-$size"
    Set-BenchEmulator $emu $scaleConfig
    $run = Invoke-Child 'baseline' $csv 'unused' (Join-Path $folder 'out') (Join-Path $folder 'notice.log')
    $stats = Invoke-EmulatorControl $emu stats
    $notice = Measure-Notice $emu (Join-Path $folder 'notice.log')
    $baseline = [pscustomobject]@{ Size = $size; Rows = $run.Rows; Seconds = $run.Seconds; Peak = $run.PeakMB; Heap = $run.HeapMB; CallsPerTask = $stats.statusCalls / [double] $stats.tasks; Worst = $notice.Worst }

    # The one-liner against a paced download host, in this process (its memory is not measured).
    $pacedConfig = @{ taskSeconds = $PacedTaskSeconds; taskJitter = 0; videoBytes = $PacedBytes; downloadBytesPerSecond = $PacedRate; latencyMs = $LatencyMs; resultTtl = 3600 }
    $pacedCsv = New-Csv $PacedTasks 'paced'
    $paced = [ordered]@{}
    foreach ($contestant in 'one-liner', '-ThrottleLimit 1') {
        Set-BenchEmulator $emu $pacedConfig
        $out = Join-Path $work "paced-$($paced.Count)"
        $ProgressPreference = 'SilentlyContinue'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $files = if ($contestant -eq 'one-liner') {
            @(Import-Csv $pacedCsv | New-KlingVideo | Wait-KlingTask | Save-KlingVideo -Path $out)
        }
        else {
            @(Import-Csv $pacedCsv | New-KlingVideo | Wait-KlingTask | Save-KlingVideo -Path $out -ThrottleLimit 1)
        }
        $clock.Stop()
        if ($files.Count -ne $PacedTasks) { throw "$contestant saved $($files.Count) files for $PacedTasks tasks." }
        $paced[$contestant] = $clock.Elapsed.TotalSeconds
    }
    $ideal = $PacedTaskSeconds + $PacedTasks * $PacedBytes / [double] $PacedRate / 4

    Write-Host ''
    Write-Host ("Scale benchmark: tasks of {0} s, results of {1} KB, {2} ms gateway latency; each run in a pwsh of its own, medians of {3} runs; {4}" -f $TaskSeconds, ($VideoBytes / 1KB), $LatencyMs, $Repeat, $(if ($TieredJit) { 'tiered JIT (the runtime default)' } else { 'tiered JIT off (DOTNET_TieredCompilation=0)' }))
    foreach ($name in $results.Keys) {
        $r = $results[$name]
        Write-BenchLine "Kling one-liner with -Journal, $($r.Size) rows" ('{0:N0} rows/s' -f ($r.Rows / $r.Seconds)) ('{0:N1} s; peak working set {1} MB, live heap +{2:N1} MB; {3:N2} status calls/task; worst notice delay {4:N2} s' -f $r.Seconds, (Format-Runs $r.Runs.Peak '{0:N0}'), $r.Heap, $r.CallsPerTask, $r.Worst)
        Write-BenchLine "  New-KlingVideo -Journal alone, $($r.Size) rows" ('{0:N0} rows/s' -f ($r.SubmitRows / $r.SubmitSeconds)) ('peak working set {0} MB, live heap +{1:N1} MB; {2:N0} methods compiled' -f (Format-Runs $r.Runs.SubmitPeak '{0:N0}'), $r.SubmitHeap, (Get-Median $r.Runs.SubmitJitted))
        Write-BenchLine "  the same again on its full journal, $($r.Size) rows" ('{0:N0} rows/s' -f ($r.RerunRows / $r.RerunSeconds)) ('peak working set {0} MB ({1:+0.0;-0.0} MB over the first run), live heap +{2:N1} MB ({3:+0;-0} bytes a row over the first run); {4:N0} methods compiled' -f (Format-Runs $r.Runs.RerunPeak '{0:N0}'), ($r.RerunPeak - $r.SubmitPeak), $r.RerunHeap, (($r.RerunHeap - $r.SubmitHeap) * 1MB / $r.Size), (Get-Median $r.Runs.RerunJitted))
        Write-BenchLine "  Wait-KlingTask -Journal, $($r.Size) tasks" ('{0:N0} tasks/s' -f ($r.WaitRows / $r.WaitSeconds)) ('peak working set {0} MB, live heap +{1:N1} MB; {2:N0} methods compiled' -f (Format-Runs $r.Runs.WaitPeak '{0:N0}'), $r.WaitHeap, (Get-Median $r.Runs.WaitJitted))
    }
    Write-BenchLine "ForEach-Object -Parallel -ThrottleLimit $BaselineThrottle, $($baseline.Size) rows" ('{0:N0} rows/s' -f ($baseline.Rows / $baseline.Seconds)) ('{0:N1} s; peak working set {1:N0} MB, live heap +{2:N1} MB; {3:N2} status calls/task; worst notice delay {4:N2} s' -f $baseline.Seconds, $baseline.Peak, $baseline.Heap, $baseline.CallsPerTask, $baseline.Worst)
    Write-Host ("Paced download host: {0} tasks of {1} s, {2:N1} MB results at {3:N1} MB/s per connection" -f $PacedTasks, $PacedTaskSeconds, ($PacedBytes / 1MB), ($PacedRate / 1MB))
    Write-BenchLine 'ideal: task time + downloads over 4 connections' ('{0:N1} s' -f $ideal)
    Write-BenchLine 'README one-liner, no switch' ('{0:N1} s' -f $paced['one-liner']) ('{0:N2}x the ideal' -f ($paced['one-liner'] / $ideal))
    Write-BenchLine 'Save-KlingVideo -ThrottleLimit 1 (one at a time)' ('{0:N1} s' -f $paced['-ThrottleLimit 1']) ('{0:N2}x the ideal' -f ($paced['-ThrottleLimit 1'] / $ideal))

    $small = $results[0]
    $big = $results[$results.Count - 1]
    $ok = @(
        foreach ($r in $results.Values) {
            Write-Goal ("Kling saved all {0} rows ({1}), noticed all ({2})" -f $r.Size, $r.Rows, $r.Seen) ($r.Rows -eq $r.Size -and $r.Seen -eq $r.Size -and $r.WaitRows -eq $r.Size -and $r.SubmitRows -eq $r.Size)
            Write-Goal ("the rerun on the full journal of {0} rows gave back all ({1}) and sent nothing ({2})" -f $r.Size, $r.RerunRows, $r.Resent) ($r.RerunRows -eq $r.Size -and $r.Resent -eq 0)
        }
        Write-Goal ('one-liner within 1.3x of the ideal ({0:N2}x)' -f ($paced['one-liner'] / $ideal)) ($paced['one-liner'] -le 1.3 * $ideal)
        Write-Goal ('whole pipeline: peak live heap at {0} rows within 5 MB of {1} rows ({2:+0.0;-0.0} MB)' -f $big.Size, $small.Size, ($big.Heap - $small.Heap)) ($big.Heap - $small.Heap -le 5)
        Write-Goal ('journaled submission: peak working set at {0} rows within 5 MB of {1} rows ({2:+0.0;-0.0} MB: {3:N1} against {4:N1})' -f $big.Size, $small.Size, ($big.SubmitPeak - $small.SubmitPeak), $big.SubmitPeak, $small.SubmitPeak) ($big.SubmitPeak - $small.SubmitPeak -le 5)
        Write-Goal ('Wait-KlingTask -Journal: peak working set at {0} tasks within 5 MB of {1} ({2:+0.0;-0.0} MB: {3:N1} against {4:N1})' -f $big.Size, $small.Size, ($big.WaitPeak - $small.WaitPeak), $big.WaitPeak, $small.WaitPeak) ($big.WaitPeak - $small.WaitPeak -le 5)
        Write-Goal ('journaled submission: peak live heap within 5 MB ({0:+0.0;-0.0} MB)' -f ($big.SubmitHeap - $small.SubmitHeap)) ($big.SubmitHeap - $small.SubmitHeap -le 5)
        $perRow = ($big.RerunHeap - $small.RerunHeap) * 1MB / ($big.Size - $small.Size)
        Write-Goal ('rerun on a full journal: peak live heap within 200 bytes a row of the journal''s size ({0:N0} bytes a row from {1} to {2} rows; the first run {3:N0})' -f $perRow, $small.Size, $big.Size, (($big.SubmitHeap - $small.SubmitHeap) * 1MB / ($big.Size - $small.Size))) ($perRow -le 200)
        # The working set's allowance for the noise of identical runs (5 MB, as above), plus the 200 bytes a row.
        $allowed = 5 + 200 * ($big.Size - $small.Size) / 1MB
        Write-Goal ('rerun on a full journal: peak working set at {0} rows within 5 MB + 200 bytes a row ({5:N1} MB) of {1} rows ({2:+0.0;-0.0} MB: {3:N1} against {4:N1})' -f $big.Size, $small.Size, ($big.RerunPeak - $small.RerunPeak), $big.RerunPeak, $small.RerunPeak, $allowed) ($big.RerunPeak - $small.RerunPeak -le $allowed)
        Write-Goal ('Wait-KlingTask -Journal: peak live heap within 5 MB ({0:+0.0;-0.0} MB)' -f ($big.WaitHeap - $small.WaitHeap)) ($big.WaitHeap - $small.WaitHeap -le 5)
    )
    if ($ok -contains $false) { exit 1 }
}
finally {
    Stop-KlingEmulator $emu
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
