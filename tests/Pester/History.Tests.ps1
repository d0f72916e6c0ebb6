Describe 'The task history' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1

        . (Join-Path $PSScriptRoot 'HostedRun.ps1')

        function New-Rows {
            param([int] $Count, [string] $Prefix = 'row')
            1..$Count | ForEach-Object { [pscustomobject]@{ prompt = "$Prefix $_"; Name = "$Prefix-$_" } }
        }

        function Get-HistoryPath { Join-Path $env:KLING_HOME 'history.jsonl' }

        function Read-History {
            <# The history's lines, parsed (whole lines only). #>
            $path = Get-HistoryPath
            if (-not (Test-Path $path)) { return @() }
            foreach ($line in [IO.File]::ReadAllLines($path)) { if ($line.Trim()) { $line | ConvertFrom-Json } }
        }

        function Get-BilledTaskId {
            <# The ids of every task the emulator created (each one billed), sorted. #>
            @((Invoke-EmulatorControl $emu tasks) | ForEach-Object { $_ } | ForEach-Object id | Sort-Object)
        }

        function Get-Accepted { (Invoke-EmulatorControl $emu stats).accepted }

        function Stop-StoppableBatch {
            param([Parameter(Mandatory)] $Batch)
            $Batch.PowerShell.Stop()
            $Batch.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        # Each test its own history, so what one finds is only what it made.
        $env:KLING_HOME = Join-Path ([IO.Path]::GetTempPath()) ("kling-home-" + [guid]::NewGuid().ToString('n'))
        $env:KLING_HISTORY = $null
        $script:dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
    }

    AfterEach {
        Remove-Item -Recurse -Force $dir, $env:KLING_HOME -ErrorAction SilentlyContinue
        $env:KLING_HISTORY = $null
    }

    Describe 'Every billed task within reach' {
        It 'keeps the 5 billed tasks of a batch that a bad 6th row stopped under -ErrorAction Stop, for a new process to find' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 60 } | Out-Null
            $batch = Invoke-ChildPwsh -Script @"
Import-Module '$ModulePath'
`$ErrorActionPreference = 'Stop'
& {
    1..5 | ForEach-Object { [pscustomobject]@{ prompt = "billed `$_"; Name = "billed-`$_" } }
    while ((Invoke-RestMethod '$($emu.Gateway)/_emulator/stats').accepted -lt 5) { Start-Sleep -Milliseconds 20 }
    [pscustomobject]@{ prompt = 'bad'; Name = 'bad'; aspect_ratio = '4:3' }
    [pscustomobject]@{ prompt = 'never'; Name = 'never' }
} | New-KlingVideo | Wait-KlingTask -PollInterval 0.2
"@
            $batch.ExitCode | Should -Not -Be 0
            $batch.Output | Should -Match "Row 6 \('bad'\)"
            Get-Accepted | Should -Be 5

            $found = Invoke-ChildPwsh -Script @"
Import-Module '$ModulePath'
Get-KlingTask -History | ForEach-Object { 'TASK {0} {1} {2} {3}' -f `$_.TaskId, `$_.Row, `$_.Name, `$_.BatchId }
"@
            $found.ExitCode | Should -Be 0
            $tasks = @($found.Output -split "`r?`n" | Where-Object { $_ -like 'TASK *' } | ForEach-Object {
                    $f = $_ -split ' '; [pscustomobject]@{ TaskId = $f[1]; Row = [int] $f[2]; Name = $f[3]; BatchId = $f[4] } })
            @($tasks.TaskId | Sort-Object) | Should -Be (Get-BilledTaskId)
            @($tasks.Row | Sort-Object) | Should -Be @(1, 2, 3, 4, 5)
            @($tasks | Where-Object { $_.Name -ne "billed-$($_.Row)" }).Count | Should -Be 0
            # The batch's last word said how many, and how to pick them up.
            $id = @($tasks.BatchId | Select-Object -Unique)
            $id.Count | Should -Be 1
            ($batch.Output -replace '\s+', ' ') | Should -Match ([regex]::Escape("had accepted 5 task(s)"))
            ($batch.Output -replace '\s+', ' ') | Should -Match ([regex]::Escape("Get-KlingTask -History -BatchId $id | Wait-KlingTask | Save-KlingVideo"))
        }

        It 'keeps every billed task of a batch stopped by Ctrl+C while its tasks were going down the pipeline, without a journal' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 150; taskSeconds = 60 } | Out-Null
            $batch = Start-HostedRun -Script {
                param($Module)
                Import-Module $Module
                1..60 | ForEach-Object { [pscustomobject]@{ prompt = "stop $_"; Name = "stop-$_" } } |
                    New-KlingVideo -ThrottleLimit 4 | Wait-KlingTask -PollInterval 0.2
            }
            try {
                Wait-Until { (Get-Accepted) -ge 9 } -Because 'nine rows billed'
                Stop-StoppableBatch $batch
                $billed = Get-BilledTaskId
                $billed.Count | Should -BeLessThan 60 -Because 'the batch was stopped midway'

                $tasks = @(Get-KlingTask -History)
                @($tasks.TaskId | Sort-Object) | Should -Be $billed
                foreach ($t in $tasks) { $t.Name | Should -Be "stop-$($t.Row)" }
                $id = @($tasks.BatchId | Select-Object -Unique)
                $id.Count | Should -Be 1
                # New-KlingVideo's last message to the host (Wait-KlingTask's, naming the tasks it had, comes after it):
                # how many, and the command that picks them up.
                $last = @($batch.Host.Warnings | Where-Object { $_ -notlike 'Wait-KlingTask stopped:*' })[-1]
                $last | Should -Match ([regex]::Escape("had accepted $($billed.Count) task(s)"))
                $last | Should -Match ([regex]::Escape("Get-KlingTask -History -BatchId $id | Wait-KlingTask | Save-KlingVideo"))
            }
            finally {
                Close-HostedRun $batch
            }
        }

        It 'notes the POSTs cut off after the Ctrl+C grace as in doubt, tells the host which rows, and -History warns of them' {
            $journal = Join-Path $dir 'batch.jsonl'
            $go = Join-Path $dir 'go'
            # Row 1 is answered; the rows after it are sent only once every answer takes a minute.
            $batch = Start-HostedRun -Script {
                param($Module, $Journal, $Go)
                Import-Module $Module
                & {
                    [pscustomobject]@{ prompt = 'cut 1'; Name = 'cut-1' }
                    while (-not (Test-Path $Go)) { Start-Sleep -Milliseconds 20 }
                    2..12 | ForEach-Object { [pscustomobject]@{ prompt = "cut $_"; Name = "cut-$_" } }
                } | New-KlingVideo -Journal $Journal -ThrottleLimit 4
            } -Argument $journal, $go
            try {
                Wait-Until { @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count -ge 1 } -Because 'row 1 submitted'
                Invoke-EmulatorControl $emu config -Body @{ latencyMs = 60000 } | Out-Null
                New-Item -ItemType File -Path $go | Out-Null
                Wait-Until {
                    $open = @{}
                    foreach ($l in Read-JournalLine $journal) { $open[$l.key] = $l }
                    @($open.Values | Where-Object type -EQ 'sending').Count -ge 4
                } -Because 'four POSTs in flight'
                Stop-StoppableBatch $batch
                Invoke-EmulatorControl $emu config -Body @{ latencyMs = 0 } | Out-Null

                $latest = @{}
                foreach ($l in Read-JournalLine $journal) { $latest[$l.key] = $l }
                $cutRows = @($latest.Values | Where-Object type -EQ 'sending' | ForEach-Object row | Sort-Object)
                $cutRows | Should -Be @(2, 3, 4, 5)
                $inDoubt = @(Read-History | Where-Object { $_.PSObject.Properties['in_doubt'] })
                @($inDoubt.row | Sort-Object) | Should -Be $cutRows
                foreach ($e in $inDoubt) {
                    $e.in_doubt | Should -Be 'cut_off'
                    $e.PSObject.Properties['task_id'] | Should -BeNullOrEmpty
                    $e.journal | Should -Be (Resolve-Path $journal).ProviderPath
                }

                $said = $batch.Host.Warnings -join "`n"
                $said | Should -Match ([regex]::Escape("$($cutRows.Count) submission(s) got no answer"))
                foreach ($r in $cutRows) { $said | Should -Match ([regex]::Escape("Row $r ('cut-$r')")) }
                $said | Should -Match 'billed'

                $id = @(Read-History)[0].batch_id
                $tasks = @(Get-KlingTask -History -BatchId $id -WarningVariable warned 3>$null)
                $tasks.Count | Should -Be @(Read-History | Where-Object { $_.PSObject.Properties['task_id'] }).Count
                @($warned).Count | Should -Be 1
                $warned[0].Message | Should -Match ([regex]::Escape("$($cutRows.Count) submission(s) in doubt"))
                foreach ($r in $cutRows) { $warned[0].Message | Should -Match ([regex]::Escape("Row $r ('cut-$r')")) }
            }
            finally {
                Close-HostedRun $batch
            }
        }

        It 'names the batch in the last word of a batch stopped by a 402, and its tasks carry that batch id' {
            Invoke-EmulatorControl $emu config -Body @{ balance = 3 } | Out-Null
            $out = @(New-Rows 6 | New-KlingVideo -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable errs -WarningVariable warned 3>$null)
            $out.Count | Should -Be 3
            $id = @($out.BatchId | Select-Object -Unique)
            $id.Count | Should -Be 1
            $id[0] | Should -Not -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'GatewayPaymentRequired*'
            $warned[-1].Message | Should -Match ([regex]::Escape('had accepted 3 task(s)'))
            $warned[-1].Message | Should -Match ([regex]::Escape("Get-KlingTask -History -BatchId $id | Wait-KlingTask | Save-KlingVideo"))
            @(Get-KlingTask -History -BatchId $id[0]).TaskId | Should -Be $out.TaskId
        }

        It 'says nothing more when a batch ends normally' {
            $out = @(New-Rows 3 | New-KlingVideo -WarningVariable warned)
            $out.Count | Should -Be 3
            @($warned).Count | Should -Be 0
            @(Read-History).Count | Should -Be 3
        }
    }

    Describe 'Reading it back' {
        BeforeEach {
            # Three batches, in order; the times between them split the history.
            $script:first = @(New-Rows 2 -Prefix a | New-KlingVideo)
            $script:afterFirst = [DateTime]::UtcNow
            $script:second = @(New-Rows 3 -Prefix b | New-KlingVideo)
            $script:third = @(New-Rows 2 -Prefix c | New-KlingVideo)
        }

        It 'gives every task, oldest batch first, with its Row, Name and BatchId, and the status read now' {
            $tasks = @(Get-KlingTask -History)
            $tasks.Count | Should -Be 7
            @($tasks[0..1].BatchId | Select-Object -Unique) | Should -Be $first[0].BatchId
            @($tasks[5..6].BatchId | Select-Object -Unique) | Should -Be $third[0].BatchId
            @($tasks.TaskId | Sort-Object) | Should -Be @(($first + $second + $third).TaskId | Sort-Object)
            foreach ($t in $tasks) {
                $t | Should -BeOfType ([Kling.Core.KlingTask])
                $t.Name | Should -BeLike "?-$($t.Row)"
                $t.Status | Should -BeIn 'pending', 'processing', 'completed'
                $t.LastChecked | Should -Not -BeNullOrEmpty
            }
        }

        It 'filters by -BatchId (case-insensitive), -Since and -Last' {
            @(Get-KlingTask -History -BatchId $second[0].BatchId.ToUpperInvariant()).TaskId | Sort-Object | Should -Be @($second.TaskId | Sort-Object)
            @(Get-KlingTask -History -Since $afterFirst).TaskId | Sort-Object | Should -Be @(($second + $third).TaskId | Sort-Object)
            @(Get-KlingTask -History -Since $afterFirst.ToLocalTime()).Count | Should -Be 5
            $lastThree = @(Get-KlingTask -History -Last 3)
            $lastThree.Count | Should -Be 3
            $lastThree[1..2].TaskId | Sort-Object | Should -Be @($third.TaskId | Sort-Object)
            $lastThree[0].BatchId | Should -Be $second[0].BatchId
            @(Get-KlingTask -History -BatchId $first[0].BatchId -Last 1).Count | Should -Be 1
            @(Get-KlingTask -History -Since ([DateTime]::UtcNow.AddMinutes(1))).Count | Should -Be 0
        }

        It 'flows into Wait-KlingTask and Save-KlingVideo' {
            $files = @(Get-KlingTask -History -BatchId $second[0].BatchId | Wait-KlingTask -PollInterval 0.1 | Save-KlingVideo -Path $dir)
            @($files.Name | Sort-Object) | Should -Be @('b-1.mp4', 'b-2.mp4', 'b-3.mp4')
        }

        It 'reports a batch the history does not hold as ObjectNotFound' {
            $tasks = @(Get-KlingTask -History -BatchId 'nosuchbatch' -ErrorAction SilentlyContinue -ErrorVariable errs)
            $tasks.Count | Should -Be 0
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'BatchNotInHistory*'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'completes -BatchId from the history, newest batch first' {
            $line = 'Get-KlingTask -History -BatchId '
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $ids = @($completion.CompletionMatches.CompletionText)
            $ids[0..2] | Should -Be @($third[0].BatchId, $second[0].BatchId, $first[0].BatchId)
        }
    }

    Describe 'Where it is and what it holds' {
        It 'is written to $env:KLING_HOME/history.jsonl, with the id, row, name, model, time, batch and journal of each task' {
            $journal = Join-Path $dir 'j.jsonl'
            $before = [DateTime]::UtcNow
            $task = New-KlingVideo -Prompt 'where' -Name 'here' -Model kling-v3 -Duration 5 -Journal $journal
            $lines = @(Read-History)
            $lines.Count | Should -Be 1
            $lines[0].task_id | Should -Be $task.TaskId
            $lines[0].row | Should -Be 1
            $lines[0].name | Should -Be 'here'
            $lines[0].model | Should -Be 'kling-v3'
            $lines[0].batch_id | Should -Be $task.BatchId
            $lines[0].journal | Should -Be (Resolve-Path $journal).ProviderPath
            # The time in UTC, ISO 8601.
            (Get-Content (Get-HistoryPath) -Raw) -match '"at":"(\d{4}-\d\d-\d\dT[0-9:.]+Z)"' | Should -BeTrue
            [DateTimeOffset]::Parse($Matches[1], [Globalization.CultureInfo]::InvariantCulture) | Should -BeGreaterOrEqual ([DateTimeOffset] $before)
        }

        It 'never holds the API key' {
            New-Rows 3 | New-KlingVideo -Journal (Join-Path $dir 'k.jsonl') | Out-Null
            New-Rows 2 -Prefix other | New-KlingVideo | Out-Null
            $text = Get-Content (Get-HistoryPath) -Raw
            @($text -split "`n" | Where-Object { $_ }).Count | Should -Be 5
            $text | Should -Not -Match ([regex]::Escape($emu.ApiKey))
        }

        It 'writes nothing with $env:KLING_HISTORY = ''off''' {
            $env:KLING_HISTORY = 'off'
            $out = @(New-Rows 3 | New-KlingVideo -WarningVariable warned)
            $out.Count | Should -Be 3
            @($warned).Count | Should -Be 0
            Test-Path $env:KLING_HOME | Should -BeFalse
            @(Get-KlingTask -History -WarningVariable readWarned 3>$null).Count | Should -Be 0
            $readWarned[0].Message | Should -Match 'KLING_HISTORY'
        }

        It 'is shown by Get-KlingConfig: the file KLING_HOME puts it in, or off' {
            (Get-KlingConfig).History | Should -Be (Join-Path ([IO.Path]::GetFullPath($env:KLING_HOME)) 'history.jsonl')
            $env:KLING_HISTORY = 'off'
            (Get-KlingConfig).History | Should -BeLike 'off*KLING_HISTORY*'
        }

        It 'goes on with one warning per batch when the history cannot be written' {
            $blocker = Join-Path $dir 'a-file'
            Set-Content -Path $blocker -Value 'not a folder'
            $env:KLING_HOME = Join-Path $blocker 'home'
            $out = @(New-Rows 5 | New-KlingVideo -WarningVariable warned -ErrorVariable errs 3>$null)
            $out.Count | Should -Be 5
            $errs | Should -BeNullOrEmpty
            @($warned).Count | Should -Be 1
            $warned[0].Message | Should -Match 'task history'
            $warned[0].Message | Should -Match 'could not be written'
            Get-SubmitCount $emu | Should -Be 5
        }

        It 'loses no line when two processes append at once' {
            $go = Join-Path $dir 'go'
            $path = Join-Path $dir 'shared-history.jsonl'
            $children = foreach ($tag in 'p1', 'p2') {
                Start-ChildPwsh -Script @"
Import-Module '$ModulePath'
`$null = Get-KlingConfig   # loads Kling.Core, so its types resolve by name
`$file = [Kling.Core.History.HistoryFile]::new('$path')
`$entries = foreach (`$i in 1..500) { [Kling.Core.History.HistoryEntry] @{ TaskId = "task_${tag}_`$i"; Row = `$i; BatchId = '$tag'; At = [DateTime]::UtcNow } }
New-Item -ItemType File -Path '$dir/ready-$tag' | Out-Null
while (-not (Test-Path '$go')) { Start-Sleep -Milliseconds 5 }
foreach (`$e in `$entries) { `$file.Append(`$e) }
"@
            }
            # Both ready before either starts, so their appends overlap (without the lock, this loses a line or two a run).
            Wait-Until { (Test-Path "$dir/ready-p1") -and (Test-Path "$dir/ready-p2") } -Because 'both processes ready'
            New-Item -ItemType File -Path $go | Out-Null
            foreach ($c in $children) {
                $c.WaitForExit(120000) | Should -BeTrue
                $c.ExitCode | Should -Be 0
            }
            $entries = @([IO.File]::ReadAllLines($path) | ForEach-Object { $_ | ConvertFrom-Json })
            $entries.Count | Should -Be 1000
            foreach ($tag in 'p1', 'p2') {
                @($entries | Where-Object batch_id -EQ $tag | ForEach-Object row) | Should -Be @(1..500)
            }
        }
    }
}
