<#
.SYNOPSIS
    Throttled submission: Kling against a sequential Invoke-RestMethod loop and ForEach-Object -Parallel.
.DESCRIPTION
    The emulator answers every submission after -LatencyMs and allows -Concurrency submissions in flight
    (more get 429 + Retry-After). The same rows go through each contestant in this run; the report gives
    each time against the physical limit (rows x latency / concurrency) and against the baselines, and
    checks that every row was accepted exactly once. A second case gives Kling a -ThrottleLimit twice the
    gateway's against a gateway answering the extra submissions 429 with Retry-After: 1 (issue 13): its time
    against -ThrottleLimit equal to the gateway's, median of -Repeat runs each. Exit code 1 when a goal does not hold.
#>
param(
    [int] $Rows = 120,
    [int] $LatencyMs = 100,
    [int] $Concurrency = 8,
    [int] $Repeat = 3
)
. (Join-Path $PSScriptRoot 'common.ps1')

$emu = Start-BenchEmulator
try {
    $config = @{ latencyMs = $LatencyMs; maxConcurrentSubmits = $Concurrency; concurrencyRetryAfter = 0.2 }
    $prompts = @(1..$Rows | ForEach-Object { "benchmark row $_" })
    $csvRows = @($prompts | ForEach-Object { [pscustomobject]@{ prompt = $_ } })
    $uri = "$($emu.Gateway)/v1/videos/generations"
    $headers = Get-GatewayHeaders $emu
    $results = [ordered]@{}

    # Warm-up (JIT, connections) so no contestant pays for it.
    Set-BenchEmulator $emu @{}
    $null = @(1..4 | ForEach-Object { [pscustomobject]@{ prompt = "warm-up $_" } } | New-KlingVideo)
    $null = Invoke-RestMethod -Method Post -Uri $uri -Headers $headers -ContentType 'application/json; charset=utf-8' -Body '{"model":"kling-video-o1","prompt":"warm-up"}'

    $contestants = [ordered]@{
        "Kling -ThrottleLimit $Concurrency" = {
            $out = @($csvRows | New-KlingVideo -ThrottleLimit $Concurrency)
            if ($out.Count -ne $Rows) { throw "Kling returned $($out.Count) tasks for $Rows rows." }
        }
        "Kling -ThrottleLimit $(2 * $Concurrency) (above the gateway's limit)" = {
            $out = @($csvRows | New-KlingVideo -ThrottleLimit (2 * $Concurrency))
            if ($out.Count -ne $Rows) { throw "Kling returned $($out.Count) tasks for $Rows rows." }
        }
        'sequential Invoke-RestMethod loop' = {
            foreach ($row in $csvRows) {
                $body = @{ model = 'kling-video-o1'; prompt = $row.prompt } | ConvertTo-Json -Compress
                $null = Invoke-RestMethod -Method Post -Uri $uri -Headers $headers -ContentType 'application/json; charset=utf-8' -Body $body
            }
        }
        "ForEach-Object -Parallel -ThrottleLimit $Concurrency" = {
            $csvRows | ForEach-Object -ThrottleLimit $Concurrency -Parallel {
                $body = @{ model = 'kling-video-o1'; prompt = $_.prompt } | ConvertTo-Json -Compress
                for ($try = 1; ; $try++) {
                    try {
                        $null = Invoke-RestMethod -Method Post -Uri $using:uri -Headers $using:headers -ContentType 'application/json; charset=utf-8' -Body $body
                        break
                    }
                    catch {
                        # Hand-written retry: only 429 is safe to resend.
                        if ($try -ge 20 -or $_.Exception.Response.StatusCode.value__ -ne 429) { throw }
                        Start-Sleep -Milliseconds 200
                    }
                }
            }
        }
    }

    function Measure-Contestant([hashtable] $Config, [scriptblock] $Run) {
        Set-BenchEmulator $emu $Config
        $clock = [Diagnostics.Stopwatch]::StartNew()
        & $Run
        $clock.Stop()
        $check = Test-ExactlyOnce $emu $prompts
        $stats = Invoke-EmulatorControl $emu stats
        [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Duplicates = $check.Duplicates; Missing = $check.Missing; MaxInFlight = $stats.maxSubmitsInFlight }
    }

    foreach ($name in $contestants.Keys) {
        $results[$name] = Measure-Contestant $config $contestants[$name]
    }

    # Issue 13: a limit above the gateway's, against 429 + Retry-After: 1, alternating the two limits so both see the same machine.
    $slowRetry = @{ latencyMs = $LatencyMs; maxConcurrentSubmits = $Concurrency; concurrencyRetryAfter = 1 }
    $atLimit = [Collections.Generic.List[object]]::new()
    $aboveLimit = [Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $Repeat; $i++) {
        $atLimit.Add((Measure-Contestant $slowRetry { $null = @($csvRows | New-KlingVideo -ThrottleLimit $Concurrency) }))
        $aboveLimit.Add((Measure-Contestant $slowRetry { $null = @($csvRows | New-KlingVideo -ThrottleLimit (2 * $Concurrency)) }))
    }
    $median = { param($runs) @($runs | Sort-Object Seconds)[[int][Math]::Floor($runs.Count / 2)] }
    $at = & $median $atLimit
    $above = & $median $aboveLimit

    $limit = $Rows * $LatencyMs / 1000.0 / $Concurrency
    $kling = $results[0]
    $sequential = $results['sequential Invoke-RestMethod loop']
    $parallel = $results[3]
    Write-Host ''
    Write-Host "Submit benchmark: $Rows rows, $LatencyMs ms gateway latency, $Concurrency submissions allowed in flight"
    Write-BenchLine 'physical limit (rows x latency / concurrency)' ('{0:N2} s' -f $limit)
    foreach ($name in $results.Keys) {
        $r = $results[$name]
        Write-BenchLine $name ('{0:N2} s' -f $r.Seconds) ('{0:N2}x the limit, {1} duplicate(s), {2} missing, at most {3} in flight' -f ($r.Seconds / $limit), $r.Duplicates, $r.Missing, $r.MaxInFlight)
    }
    Write-Host "Over the limit: gateway allows $Concurrency in flight, 429 + Retry-After: 1 beyond; median of $Repeat runs each"
    Write-BenchLine "Kling -ThrottleLimit $Concurrency" ('{0:N2} s' -f $at.Seconds) ('runs: {0}' -f (($atLimit | ForEach-Object { '{0:N2}' -f $_.Seconds }) -join ', '))
    Write-BenchLine "Kling -ThrottleLimit $(2 * $Concurrency)" ('{0:N2} s' -f $above.Seconds) ('{0:N2}x -ThrottleLimit {1}; runs: {2}' -f ($above.Seconds / $at.Seconds), $Concurrency, (($aboveLimit | ForEach-Object { '{0:N2}' -f $_.Seconds }) -join ', '))
    Write-BenchLine 'Kling vs sequential loop' ('{0:N1}x faster' -f ($sequential.Seconds / $kling.Seconds))
    Write-BenchLine 'Kling vs ForEach-Object -Parallel' ('{0:N1}x faster' -f ($parallel.Seconds / $kling.Seconds))
    $ok = $true
    $ok = (Write-Goal ('Kling within 1.3x of the physical limit ({0:N2}x)' -f ($kling.Seconds / $limit)) ($kling.Seconds -le 1.3 * $limit)) -and $ok
    $ok = (Write-Goal ('Kling at least 5x faster than the sequential loop ({0:N1}x)' -f ($sequential.Seconds / $kling.Seconds)) ($sequential.Seconds -ge 5 * $kling.Seconds)) -and $ok
    $ok = (Write-Goal 'Kling: zero duplicate and zero missing submissions' ($kling.Duplicates -eq 0 -and $kling.Missing -eq 0)) -and $ok
    $ok = (Write-Goal ('-ThrottleLimit {0} against a gateway allowing {1} (Retry-After: 1) at most 1.15x -ThrottleLimit {1} ({2:N2}x)' -f (2 * $Concurrency), $Concurrency, ($above.Seconds / $at.Seconds)) ($above.Seconds -le 1.15 * $at.Seconds)) -and $ok
    $ok = (Write-Goal 'over the limit: zero duplicate and zero missing submissions' (@($atLimit + $aboveLimit | Where-Object { $_.Duplicates -or $_.Missing }).Count -eq 0)) -and $ok
    if (-not $ok) { exit 1 }
}
finally {
    Stop-KlingEmulator $emu
}
