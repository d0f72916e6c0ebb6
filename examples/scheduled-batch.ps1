<#
.SYNOPSIS
    A ready-to-schedule batch: prompts.csv in, videos out, a log per run and an exit code the scheduler understands.
.DESCRIPTION
    The key comes from the environment (set KLING_API_KEY in the task's environment, or load it from a vault
    before this script runs); it never appears in the log. Bad rows are reported and skipped; the rest of the
    batch goes on. Exit code: 0 when every row became a video, 1 when anything failed, 2 when the batch stopped
    (bad key, no balance).
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File scheduled-batch.ps1 -Csv D:\kling\prompts.csv -OutFolder D:\kling\videos -LogFolder D:\kling\logs
#>
param(
    [Parameter(Mandatory)] [string] $Csv,
    [Parameter(Mandatory)] [string] $OutFolder,
    [string] $LogFolder = (Join-Path $OutFolder 'logs'),
    [int] $TimeoutSec = 3600
)

$ErrorActionPreference = 'Continue'
Import-Module Kling
New-Item -ItemType Directory -Force -Path $LogFolder | Out-Null
Start-Transcript -Path (Join-Path $LogFolder ("kling-{0:yyyyMMdd-HHmmss}.log" -f (Get-Date))) | Out-Null
$exitCode = 0
try {
    $files = Import-Csv $Csv |
        New-KlingVideo -ErrorVariable +rowErrors |
        Wait-KlingTask -Timeout $TimeoutSec -ErrorVariable +rowErrors |
        Save-KlingVideo -Path $OutFolder -ErrorVariable +rowErrors
    Write-Output ("{0} videos saved, {1} errors" -f @($files).Count, @($rowErrors).Count)
    if (@($rowErrors).Count -gt 0) { $exitCode = 1 }
}
catch {
    # Terminating: missing or wrong key (AuthenticationError), balance exhausted (QuotaExceeded).
    Write-Error $_
    $exitCode = 2
}
finally {
    Stop-Transcript | Out-Null
}
exit $exitCode
