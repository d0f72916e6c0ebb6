<#
.SYNOPSIS
    Result downloads: Save-KlingVideo against curl (and Invoke-WebRequest) on the same file, same run.
.DESCRIPTION
    The emulator serves a -MegaBytes result file over loopback. Each contestant downloads it -Rounds times,
    taking turns; the report gives each one's median throughput and Kling's ratio to curl's. curl's time is its
    own transfer time (-w time_total, without process start); Kling's is the whole Save-KlingVideo call in this
    process (status already known, so: the GET, the write, the rename). Memory: a separate pwsh imports Kling,
    saves the file once and reports how far its peak working set rose above where it stood before the
    download. Exit code 1 when a goal does not hold.
#>
param(
    [int] $MegaBytes = 64,
    [int] $Rounds = 5
)
. (Join-Path $PSScriptRoot 'common.ps1')

$curl = Get-Command curl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $curl) { throw 'curl is not on the PATH; this benchmark compares against it.' }

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
}

$emu = Start-BenchEmulator
$work = Join-Path ([IO.Path]::GetTempPath()) "kling-bench-$([guid]::NewGuid().ToString('n'))"
New-Item -ItemType Directory $work | Out-Null
try {
    $bytes = $MegaBytes * 1MB
    Set-BenchEmulator $emu @{ taskSeconds = 0.2; videoBytes = $bytes; resultTtl = 3600 }
    $task = [pscustomobject]@{ prompt = 'download benchmark'; Name = 'bench' } | New-KlingVideo | Wait-KlingTask -PollInterval 0.2
    $url = @($task.VideoUrl)[0]

    $seconds = @{ Kling = [Collections.Generic.List[double]]::new(); curl = [Collections.Generic.List[double]]::new(); IWR = [Collections.Generic.List[double]]::new() }
    $kling = {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $file = $task | Save-KlingVideo -Path (Join-Path $work 'kling') -Force
        $clock.Stop()
        if ($file.Length -ne $bytes) { throw "Kling saved $($file.Length) bytes, expected $bytes." }
        $clock.Elapsed.TotalSeconds
    }
    $curlRun = {
        $target = Join-Path $work 'curl.mp4'
        $out = & $curl.Source -s -S -f -o $target -w '%{time_total}' $url
        if ($LASTEXITCODE -ne 0) { throw "curl failed with exit code $LASTEXITCODE." }
        if ((Get-Item $target).Length -ne $bytes) { throw 'curl saved a short file.' }
        [double]::Parse($out, [Globalization.CultureInfo]::InvariantCulture)
    }
    $iwr = {
        $target = Join-Path $work 'iwr.mp4'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ProgressPreference = 'SilentlyContinue'
        Invoke-WebRequest -Uri $url -OutFile $target
        $clock.Stop()
        $clock.Elapsed.TotalSeconds
    }

    # Warm-up: the emulator generates the file once, JIT and connection pools get going.
    $null = & $kling; $null = & $curlRun; $null = & $iwr
    for ($i = 0; $i -lt $Rounds; $i++) {
        $seconds.Kling.Add((& $kling))
        $seconds.curl.Add((& $curlRun))
        $seconds.IWR.Add((& $iwr))
    }

    # Memory, in a pwsh of its own so nothing else this script did counts.
    $probe = Join-Path $work 'memory.ps1'
    Set-Content -Path $probe -Value @'
param($Module, $TaskId, $Folder)
Import-Module $Module
$task = Get-KlingTask -TaskId $TaskId
$self = [Diagnostics.Process]::GetCurrentProcess()
[GC]::Collect()
$self.Refresh(); $before = $self.WorkingSet64
$null = $task | Save-KlingVideo -Path $Folder -Force
$self.Refresh()
[pscustomobject]@{ Before = $before; Peak = $self.PeakWorkingSet64 } | ConvertTo-Json -Compress
'@
    $pwsh = (Get-Process -Id $PID).Path
    $pwshArgs = @()
    if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $pwshArgs += (Join-Path $PSHOME 'pwsh.dll') }
    $pwshArgs += '-NoProfile', '-NonInteractive', '-File', $probe, (Join-Path $RepoRoot 'out/Kling/Kling.psd1'), $task.TaskId, (Join-Path $work 'memory')
    $memory = (& $pwsh @pwshArgs | Select-Object -Last 1) | ConvertFrom-Json
    $growthMB = ($memory.Peak - $memory.Before) / 1MB

    $rate = @{}
    foreach ($k in 'Kling', 'curl', 'IWR') { $rate[$k] = $MegaBytes / (Get-Median $seconds[$k].ToArray()) }
    Write-Host "Download benchmark: one $MegaBytes MB result over loopback, median of $Rounds rounds each"
    Write-BenchLine 'Kling: Save-KlingVideo' ('{0:0} MB/s' -f $rate.Kling)
    Write-BenchLine 'curl -o (its own time_total)' ('{0:0} MB/s' -f $rate.curl)
    Write-BenchLine 'Invoke-WebRequest -OutFile' ('{0:0} MB/s' -f $rate.IWR)
    Write-BenchLine 'Kling / curl' ('{0:0.00}x' -f ($rate.Kling / $rate.curl))
    Write-BenchLine 'Kling / Invoke-WebRequest' ('{0:0.00}x' -f ($rate.Kling / $rate.IWR))
    Write-BenchLine 'Kling peak memory growth while saving' ('{0:0.0} MB' -f $growthMB)
    $ok = @(
        Write-Goal ('throughput at least 0.8x curl''s (is {0:0.00}x)' -f ($rate.Kling / $rate.curl)) ($rate.Kling -ge 0.8 * $rate.curl)
        Write-Goal ('memory growth under 50 MB (is {0:0.0} MB)' -f $growthMB) ($growthMB -lt 50)
    )
    if ($ok -contains $false) { exit 1 }
}
finally {
    Stop-KlingEmulator $emu
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
