<#
.SYNOPSIS
    The README's CSV example, end to end, against the local gateway emulator (no real key, no network).
.DESCRIPTION
    Starts the emulator on loopback, points Kling at it through the same environment variables a scheduled
    task would use, and runs:
        Import-Csv examples/prompts.csv | New-KlingVideo | Wait-KlingTask | Save-KlingVideo -Path out/demo
    The rows mix the gateway's Kling models (kling-video-o1, kling-v3 with shots, kling-v3-omni, kling-v2-6 with
    audio, kling-3.0-turbo at 1080p, motion control), each sent with its own model's fields. One row takes its
    first and last frames from local files (examples/frames), uploaded before it is sent. Three rows of
    prompts.csv are bad on purpose: they are reported and never sent. With its output redirected, or NO_COLOR set,
    it writes no colour codes.
#>
$ErrorActionPreference = 'Stop'
# Output redirected (a file, a pipe, CI): plain text, no colour codes. NO_COLOR and $PSStyle.OutputRendering = 'PlainText'
# are honoured by PowerShell itself; with the output redirected it would still colour tables, warnings and errors.
if ($PSStyle -and [Console]::IsOutputRedirected) { $PSStyle.OutputRendering = 'PlainText' }
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'tests/Emulator.psm1')
$emulator = Start-KlingEmulator -TaskSeconds 3
try {
    $env:KLING_BASE_URL = $emulator.Gateway
    $env:KLING_API_KEY = $emulator.ApiKey
    Import-Module (Join-Path $root 'out/Kling/Kling.psd1') -Force
    $destination = Join-Path $root 'out/demo'
    if (Test-Path $destination) { Remove-Item $destination -Recurse -Force }

    Write-Host "Gateway emulator on $($emulator.Gateway); submitting examples/prompts.csv ..."
    $rejected = @()
    # The CSV's local image paths (examples/frames/...) are relative to the repository root, as in the README.
    Push-Location $root
    try {
        $files = Import-Csv (Join-Path $PSScriptRoot 'prompts.csv') |
            New-KlingVideo -ErrorAction SilentlyContinue -ErrorVariable +rejected |
            Wait-KlingTask -PollInterval 0.5 |
            Save-KlingVideo -Path $destination
    }
    finally {
        Pop-Location
    }

    foreach ($e in $rejected) { Write-Host "rejected: $($e.Exception.Message)" -ForegroundColor Yellow }
    $files | Format-Table @{ n = 'File'; e = { $_.Name } }, Length, TaskId -AutoSize | Out-Host
    $uploads = @(Invoke-EmulatorControl $emulator requests | ForEach-Object { $_ } | Where-Object path -Like '/v1/uploads/images*').Count
    Write-Host "$(@($files).Count) videos saved in $destination; $uploads local images uploaded; $(@($rejected).Count) rows rejected before sending."
    if (@($files).Count -ne 8 -or @($rejected).Count -ne 3 -or $uploads -ne 2) {
        Write-Host 'The demo expected 8 videos, 2 uploaded images and 3 rejected rows.' -ForegroundColor Red
        exit 1
    }
}
finally {
    Stop-KlingEmulator $emulator
}
