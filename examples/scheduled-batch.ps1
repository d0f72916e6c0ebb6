<#
.SYNOPSIS
    A ready-to-schedule batch: prompts.csv in, videos out, a log per run, an exit code the scheduler
    understands, and a journal that makes a killed run resumable by running it again.
.DESCRIPTION
    The key comes from the environment (set KLING_API_KEY in the task's environment, or load it from a vault
    before this script runs), or from -KeyFile, a file holding only the key that only the user running the
    batch can read (chmod 600 on Linux and macOS); it never appears in the log or the journal. Bad rows are
    reported and skipped; the rest of the batch goes on. It runs the same under Task Scheduler on Windows and
    cron on Linux or macOS; with its output redirected (cron, a log file) it writes no colour codes.

    The journal (by default next to the CSV, <name>.journal.jsonl) records every submission. Run the script
    again after a crash, a reboot or a kill and it re-emits the tasks already submitted (nothing is paid
    twice), submits only the rows never sent, waits for all of them and saves what is not saved yet. Rows
    whose submission was in flight when the run died are reported as OutcomeUnknown errors, never re-sent.
    One journal belongs to one batch: for a new batch use a new CSV name (or delete the old journal), or
    rows identical to the old batch's would be taken as already submitted.

    A run that starts while the previous one still holds the journal (a long batch, a manual rerun) sends
    nothing and exits 3: the journal belongs to one run at a time, across processes, and the operating system
    releases it when its run ends, however it ends.

    Exit code: 0 when every row became a video, 1 when anything failed (see the log), 2 when the batch
    stopped (bad key, no balance); the tasks accepted before a stop are still waited for and saved. 3 when
    another run still holds the journal (nothing was sent).
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File scheduled-batch.ps1 -Csv D:\kling\prompts.csv -OutFolder D:\kling\videos -LogFolder D:\kling\logs

    Task Scheduler on Windows, with KLING_API_KEY in the task's environment.
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File ~/kling/scheduled-batch.ps1 -Csv ~/kling/prompts.csv -OutFolder ~/kling/videos -KeyFile ~/.config/kling/key

    cron on Linux or macOS (crontab -e: 0 2 * * * followed by this line), the key in a file only its user can read.
#>
param(
    [Parameter(Mandatory)] [string] $Csv,
    [Parameter(Mandatory)] [string] $OutFolder,
    [string] $LogFolder = (Join-Path $OutFolder 'logs'),
    [string] $Journal = [IO.Path]::ChangeExtension($Csv, '.journal.jsonl'),
    [int] $TimeoutSec = 3600,
    [int] $ThrottleLimit = 4,
    [string] $KeyFile
)

$ErrorActionPreference = 'Continue'
# Output redirected (cron, a log file): plain text, no colour codes; NO_COLOR is honoured by PowerShell itself.
if ($PSStyle -and [Console]::IsOutputRedirected) { $PSStyle.OutputRendering = 'PlainText' }
Import-Module Kling
if ($KeyFile) {
    # The file holds the key alone; Connect-Kling trims the line break and keeps it as a SecureString.
    try { Connect-Kling -ApiKey (ConvertTo-SecureString -String (Get-Content -Raw -LiteralPath $KeyFile -ErrorAction Stop) -AsPlainText -Force) -ErrorAction Stop }
    catch { Write-Error $_ -ErrorAction Continue; exit 2 }   # no key, no batch: stopped before anything was sent
}
New-Item -ItemType Directory -Force -Path $LogFolder | Out-Null
Start-Transcript -Path (Join-Path $LogFolder ("kling-{0:yyyyMMdd-HHmmss}.log" -f (Get-Date))) | Out-Null
$exitCode = 0
try {
    $files = Import-Csv $Csv |
        New-KlingVideo -Journal $Journal -ThrottleLimit $ThrottleLimit -ErrorVariable +rowErrors |
        Wait-KlingTask -TimeoutSec $TimeoutSec -ErrorVariable +rowErrors |
        Save-KlingVideo -Path $OutFolder -ErrorVariable +rowErrors
    Write-Output ("{0} videos saved, {1} errors" -f @($files).Count, @($rowErrors).Count)
    if (@($rowErrors).Count -gt 0) { $exitCode = 1 }
    # A 401/402 after some rows were accepted stops the batch without tearing those paid tasks out of the pipeline:
    # they are still waited for and saved above, and the run still counts as stopped.
    if (@($rowErrors | Where-Object { $_.CategoryInfo.Category -in 'AuthenticationError', 'QuotaExceeded', 'PermissionDenied' }).Count -gt 0) { $exitCode = 2 }
}
catch {
    # Terminating: missing or wrong key (AuthenticationError), balance exhausted (QuotaExceeded), or the journal
    # held by another run still going (JournalInUse: nothing was sent).
    Write-Error $_ -ErrorAction Continue
    $exitCode = if ($_.FullyQualifiedErrorId -like 'JournalInUse*') { 3 } else { 2 }
}
finally {
    Stop-Transcript | Out-Null
}
exit $exitCode
