<#
.SYNOPSIS
    One polling scheduler: Kling's Wait-KlingTask against hand-written polling loops.
.DESCRIPTION
    Submits -Tasks tasks of about -TaskSeconds each (uniform jitter of +/- -JitterSeconds around the gateway's
    estimate) and waits for them. For each contestant the report gives the notice delay (when the waiter
    wrote a task out minus when the gateway flipped it to completed, from the emulator's own record) and the
    status calls per task. Exit code 1 when a goal does not hold.
#>
param(
    [int] $Tasks = 150,
    [double] $TaskSeconds = 8,
    [double] $JitterSeconds = 1,
    [int] $LatencyMs = 20
)
. (Join-Path $PSScriptRoot 'common.ps1')

function Measure-Notice {
    <# Notice delays (seconds) of the tasks seen, from the emulator's flip time; and the status calls per task. #>
    param($Emulator, [hashtable] $SeenAt, [Diagnostics.Stopwatch] $Clock)
    $delays = foreach ($t in Get-BenchTasks $Emulator) {
        if ($SeenAt.ContainsKey($t.id)) { ($SeenAt[$t.id] - (ConvertTo-Instant $t.finishesAt)).TotalSeconds }
    }
    $stats = Invoke-EmulatorControl $Emulator stats
    $m = $delays | Measure-Object -Average -Maximum
    [pscustomobject]@{ Seen = $SeenAt.Count; Seconds = $Clock.Elapsed.TotalSeconds; MeanDelay = $m.Average; MaxDelay = $m.Maximum; CallsPerTask = $stats.statusCalls / [double] $Tasks }
}

$emu = Start-BenchEmulator
try {
    $config = @{ latencyMs = $LatencyMs; taskSeconds = $TaskSeconds; taskJitter = $JitterSeconds }
    $rows = @(1..$Tasks | ForEach-Object { [pscustomobject]@{ prompt = "wait benchmark $_" } })
    $headers = Get-GatewayHeaders $emu
    $gateway = $emu.Gateway
    $results = [ordered]@{}

    Set-BenchEmulator $emu @{ taskSeconds = 0.2 }
    $null = @([pscustomobject]@{ prompt = 'warm-up' } | New-KlingVideo | Wait-KlingTask)

    # Kling: submit and wait in one pipeline; the time a task comes out is when the user gets it.
    Set-BenchEmulator $emu $config
    $seen = @{}
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $rows | New-KlingVideo -ThrottleLimit 16 | Wait-KlingTask | ForEach-Object { $seen[$_.TaskId] = [DateTimeOffset]::UtcNow }
    $results['Kling: New-KlingVideo | Wait-KlingTask'] = Measure-Notice $emu $seen $clock

    # Baselines: submit with Kling (not measured), then poll by hand every N seconds, one task after another.
    foreach ($every in 5, 1) {
        Set-BenchEmulator $emu $config
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $pending = [Collections.Generic.List[string]]::new([string[]] @($rows | New-KlingVideo -ThrottleLimit 16 | ForEach-Object TaskId))
        $seen = @{}
        while ($pending.Count -gt 0) {
            foreach ($id in @($pending)) {
                $r = Invoke-RestMethod -Uri "$gateway/v1/tasks/$id" -Headers $headers
                if ($r.data.status -in 'completed', 'failed', 'cancelled') { $seen[$id] = [DateTimeOffset]::UtcNow; $null = $pending.Remove($id) }
            }
            if ($pending.Count -gt 0) { Start-Sleep -Seconds $every }
        }
        $results["loop: Invoke-RestMethod each task, then sleep $every s"] = Measure-Notice $emu $seen $clock
    }

    Write-Host ''
    Write-Host ("Wait benchmark: $Tasks tasks of {0} s +/- {1} s, $LatencyMs ms gateway latency" -f $TaskSeconds, $JitterSeconds)
    foreach ($name in $results.Keys) {
        $r = $results[$name]
        Write-BenchLine $name ('{0:N2} calls/task' -f $r.CallsPerTask) ('notice delay mean {0:N2} s, max {1:N2} s; {2} of {3} seen, all after {4:N1} s' -f $r.MeanDelay, $r.MaxDelay, $r.Seen, $Tasks, $r.Seconds)
    }
    $kling = $results[0]
    $ok = $true
    $ok = (Write-Goal ('Kling noticed all {0} tasks' -f $Tasks) ($kling.Seen -eq $Tasks)) -and $ok
    $ok = (Write-Goal ('Kling noticed each completion within 2 s (max {0:N2} s)' -f $kling.MaxDelay) ($kling.MaxDelay -le 2)) -and $ok
    $ok = (Write-Goal ('Kling made at most 4 status calls per task on average ({0:N2})' -f $kling.CallsPerTask) ($kling.CallsPerTask -le 4)) -and $ok
    if (-not $ok) { exit 1 }
}
finally {
    Stop-KlingEmulator $emu
}
