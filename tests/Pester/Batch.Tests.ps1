Describe 'Batches at scale' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1

        function New-Rows {
            param([int] $Count, [string] $Prefix = 'row')
            1..$Count | ForEach-Object { [pscustomobject]@{ prompt = "$Prefix $_"; Name = "$Prefix-$_" } }
        }

        function Get-Stats { Invoke-EmulatorControl $emu stats }

        function Get-AcceptedPerPrompt {
            <# How many times the gateway accepted (billed) each prompt. #>
            $accepted = @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*' | Where-Object status -EQ 200)
            $counts = @{}
            foreach ($r in $accepted) {
                $prompt = ($r.body | ConvertFrom-Json).prompt
                $counts[$prompt] = 1 + [int] $counts[$prompt]
            }
            $counts
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        $script:dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script:journal = Join-Path $dir 'batch.jsonl'
    }

    AfterEach {
        Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
    }

    Describe 'Throttled submission' {
        It 'keeps at most -ThrottleLimit <limit> submissions in flight, and uses them all' -ForEach @(
            @{ limit = 1 }, @{ limit = 4 }, @{ limit = 8 }
        ) {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 250 } | Out-Null
            $out = @(New-Rows 16 | New-KlingVideo -ThrottleLimit $limit)
            $out.Count | Should -Be 16
            (Get-Stats).maxSubmitsInFlight | Should -Be $limit
            (Get-Stats).accepted | Should -Be 16
        }

        It 'numbers every output object with the row it came from' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 50 } | Out-Null
            $rows = @(New-Rows 20)
            $rows[4].prompt = ''   # a bad row still counts as a row
            $out = @($rows | New-KlingVideo -ThrottleLimit 8 -ErrorAction SilentlyContinue -ErrorVariable errs)
            $out.Count | Should -Be 19
            ($out.Row | Sort-Object) | Should -Be (@(1..20) | Where-Object { $_ -ne 5 })
            foreach ($task in $out) {
                $task.Request.Prompt | Should -Be "row $($task.Row)"
                $task.Name | Should -Be "row-$($task.Row)"
            }
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match 'Row 5'
        }

        It 'rides out the gateway''s own concurrency limit (429 + Retry-After): every row billed exactly once' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 100; maxConcurrentSubmits = 3; concurrencyRetryAfter = 0.1 } | Out-Null
            $out = @(New-Rows 24 | New-KlingVideo -ThrottleLimit 8 -ErrorAction Stop)
            $out.Count | Should -Be 24
            @($out.TaskId | Sort-Object -Unique).Count | Should -Be 24
            $billed = Get-AcceptedPerPrompt
            $billed.Count | Should -Be 24
            $billed.Values | ForEach-Object { $_ | Should -Be 1 }
            @(Get-EmulatorRequest $emu -HostName gateway -Method POST | Where-Object status -EQ 429).Count | Should -BeGreaterThan 0
        }

        It 'writes output only from the pipeline thread, never from worker threads' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 30; submit429Rate = 0.3; taskSeconds = 0.3; task500Rate = 0.2 } | Out-Null
            $thread = [Threading.Thread]::CurrentThread.ManagedThreadId
            $threads = [System.Collections.Generic.List[int]]::new()
            $verbose = New-Rows 24 | New-KlingVideo -ThrottleLimit 16 -Verbose -ErrorAction Stop 4>&1 |
                ForEach-Object { $threads.Add([Threading.Thread]::CurrentThread.ManagedThreadId); $_ } |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $threads.Count | Should -BeGreaterThan 24
            $threads | Sort-Object -Unique | Should -Be $thread
            @($verbose | Where-Object Message -Match 'submitted as').Count | Should -Be 24
        }
    }

    Describe 'Waiting with one scheduler' {
        It 'starts waiting while later rows are still being submitted upstream' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 250; taskSeconds = 0.3 } | Out-Null
            $seen = New-Rows 20 | New-KlingVideo -ThrottleLimit 2 | Wait-KlingTask -PollInterval 0.1 |
                ForEach-Object { [pscustomobject]@{ TaskId = $_.TaskId; At = [DateTimeOffset]::UtcNow } }
            @($seen).Count | Should -Be 20
            $posts = @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*')
            $lastPost = ($posts | ForEach-Object { (ConvertTo-Instant $_.time) } | Measure-Object -Maximum).Maximum
            $firstGet = (Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*' | ForEach-Object { (ConvertTo-Instant $_.time) } | Measure-Object -Minimum).Minimum
            $firstGet | Should -BeLessThan $lastPost
            ($seen.At | Measure-Object -Minimum).Minimum | Should -BeLessThan $lastPost
        }

        It 'polls near created + estimated_time, so a task costs few status calls' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 2 } | Out-Null
            $done = @(New-Rows 10 | New-KlingVideo -ThrottleLimit 8 | Wait-KlingTask)
            $done.Count | Should -Be 10
            # One look when a task is taken in, one half an interval before its expected end, one half an interval after.
            (Get-Stats).statusCalls | Should -BeLessOrEqual 30
        }

        It 'shows one parent progress bar for the batch, a few updates a second at most' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 1.5 } | Out-Null
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($Module)
                        Import-Module $Module
                        1..6 | ForEach-Object { [pscustomobject]@{ prompt = "progress $_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1
                    }).AddArgument($ModulePath)
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $done = @($ps.Invoke())
                $clock.Stop()
                $done.Count | Should -Be 6
                $progress = @($ps.Streams.Progress | Where-Object Activity -EQ 'Waiting for Kling tasks')
                @($progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
                $progress.Count | Should -BeGreaterThan 1
                $progress.Count | Should -BeLessOrEqual ([math]::Ceiling($clock.Elapsed.TotalSeconds * 4) + 2)
                $progress[0].StatusDescription | Should -Match '^\d+ submitted: \d+ running, \d+ completed, \d+ failed'
                @($progress | Where-Object RecordType -NE 'Completed')[-1].StatusDescription | Should -Match '^6 submitted: '
                $progress[-1].RecordType | Should -Be 'Completed'
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'survives 25% 429s on POST and 20% 500s and resets on GET: every row completed exactly once' {
            Invoke-EmulatorControl $emu config -Body @{
                submit429Rate = 0.25; concurrencyRetryAfter = 0.1; task500Rate = 0.1; taskResetRate = 0.1
                taskSeconds = 0.5; taskJitter = 0.3
            } | Out-Null
            $out = @(New-Rows 40 | New-KlingVideo -ThrottleLimit 8 -ErrorVariable submitErrors | Wait-KlingTask -PollInterval 0.2 -ErrorVariable waitErrors)
            $submitErrors | Should -BeNullOrEmpty
            $waitErrors | Should -BeNullOrEmpty
            $out.Count | Should -Be 40
            @($out.TaskId | Sort-Object -Unique).Count | Should -Be 40
            ($out.Row | Sort-Object) | Should -Be @(1..40)
            $out | ForEach-Object { $_.Status | Should -Be 'completed' }
            (Get-Stats).accepted | Should -Be 40
            $billed = Get-AcceptedPerPrompt
            $billed.Count | Should -Be 40
            $billed.Values | ForEach-Object { $_ | Should -Be 1 }
            @(Get-EmulatorRequest $emu -HostName gateway -Method POST | Where-Object status -EQ 429).Count | Should -BeGreaterThan 0
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET | Where-Object status -EQ 500).Count | Should -BeGreaterThan 0
        }
    }

    Describe 'Journal and resume' {
        It 'records sending before and the task id after each POST, and never the key' {
            $out = @(New-Rows 3 | New-KlingVideo -Journal $journal)
            $lines = @(Read-JournalLine $journal)
            $lines.Count | Should -Be 6
            foreach ($task in $out) {
                $mine = @($lines | Where-Object row -EQ $task.Row)
                $mine.type | Should -Be @('sending', 'submitted')
                $mine[1].task_id | Should -Be $task.TaskId
                $mine[0].key | Should -Be $mine[1].key
            }
            Get-Content -Raw $journal | Should -Not -Match ([regex]::Escape($emu.ApiKey))
        }

        It 're-emits what an earlier run submitted without sending it again, and sends only new rows' {
            $rows = @(New-Rows 4) + @([pscustomobject]@{ prompt = 'row 1'; Name = 'again' })   # same content twice: two rows
            $first = @($rows | New-KlingVideo -Journal $journal)
            $first.Count | Should -Be 5
            Get-SubmitCount $emu | Should -Be 5

            $more = $rows + @(New-Rows 2 -Prefix 'extra')
            $second = @($more | New-KlingVideo -Journal $journal)
            $second.Count | Should -Be 7
            Get-SubmitCount $emu | Should -Be 7
            ($second | Where-Object Row -LE 5 | Sort-Object Row).TaskId | Should -Be ($first | Sort-Object Row).TaskId
            @($second.TaskId | Sort-Object -Unique).Count | Should -Be 7
        }

        It 'ignores a torn last line and goes on' {
            $first = @(New-Rows 3 | New-KlingVideo -Journal $journal)
            [IO.File]::AppendAllText($journal, '{"type":"sending","key":"abc')
            $out = @(New-Rows 3 | New-KlingVideo -Journal $journal -ErrorVariable errs -WarningVariable warns -WarningAction SilentlyContinue)
            $errs | Should -BeNullOrEmpty
            $warns.Count | Should -Be 1
            $warns[0].Message | Should -Match 'unreadable'
            ($out | Sort-Object Row).TaskId | Should -Be ($first | Sort-Object Row).TaskId
            Get-SubmitCount $emu | Should -Be 3
            # The torn tail was cut: every line of the journal parses again (the header and six records).
            (Get-Content $journal | Where-Object { $_ } | ForEach-Object { $null = $_ | ConvertFrom-Json; 1 }).Count | Should -Be 7
        }

        It 'lets Get-KlingTask, Wait-KlingTask and Save-KlingVideo pick up from the journal' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 0.3 } | Out-Null
            $submitted = @(New-Rows 3 | New-KlingVideo -Journal $journal)

            $got = @(Get-KlingTask -Journal $journal)
            ($got | Sort-Object Row).TaskId | Should -Be ($submitted | Sort-Object Row).TaskId
            ($got | Sort-Object Row).Name | Should -Be @('row-1', 'row-2', 'row-3')

            $done = @(Wait-KlingTask -Journal $journal -PollInterval 0.1)
            $done.Count | Should -Be 3
            $done | ForEach-Object { $_.Status | Should -Be 'completed' }

            $files = @(Save-KlingVideo -Journal $journal -Path (Join-Path $dir 'out'))
            ($files.Name | Sort-Object) | Should -Be @('row-1.mp4', 'row-2.mp4', 'row-3.mp4')
            Get-SubmitCount $emu | Should -Be 3
        }

        It 'survives kill -9 mid-batch: the rerun bills nothing twice, loses nothing, and names the rows in doubt' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 400 } | Out-Null
            $script = @"
Import-Module '$ModulePath'
1..30 | ForEach-Object { [pscustomobject]@{ prompt = "crash `$_"; Name = "crash-`$_" } } | New-KlingVideo -Journal '$journal' -ThrottleLimit 4 | Out-Null
"@
            $child = Start-ChildPwsh -Script $script -Environment @{ KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey }
            try {
                Wait-Until { @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count -ge 6 } -Seconds 60 -Because 'six rows submitted by the child'
                $child.Kill()   # SIGKILL: no clean-up runs
                $child.WaitForExit(10000) | Should -BeTrue
            }
            finally {
                if (-not $child.HasExited) { $child.Kill() }
            }

            $before = @(Read-JournalLine $journal)
            $latest = @{}
            foreach ($line in $before) { $latest[$line.row] = $line }
            $submittedRows = @($latest.Values | Where-Object type -EQ 'submitted' | ForEach-Object row)
            $inDoubtRows = @($latest.Values | Where-Object type -EQ 'sending' | ForEach-Object row)
            $submittedRows.Count | Should -BeLessThan 30
            $inDoubtRows.Count | Should -BeLessOrEqual 4
            $inDoubtRows.Count | Should -BeGreaterThan 0   # the kill caught POSTs in flight
            $postsBefore = Get-SubmitCount $emu

            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 0 } | Out-Null
            $rows = 1..30 | ForEach-Object { [pscustomobject]@{ prompt = "crash $_"; Name = "crash-$_" } }
            $out = @($rows | New-KlingVideo -Journal $journal -ThrottleLimit 4 -ErrorAction SilentlyContinue -ErrorVariable errs)

            # The rows in doubt are reported, by row, and not sent again.
            ($errs | ForEach-Object { $_.TargetObject.Name }) | Sort-Object | Should -Be ($inDoubtRows | ForEach-Object { "crash-$_" } | Sort-Object)
            foreach ($e in $errs) {
                $e.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown*'
                $e.CategoryInfo.Category | Should -Be 'OperationStopped'
                $e.Exception.Message | Should -Match "^Row \d+ \('crash-\d+'\)"
            }
            # Everything else reaches the pipeline: the earlier tasks with their ids, the rest newly sent.
            $out.Count | Should -Be (30 - $inDoubtRows.Count)
            foreach ($row in $submittedRows) {
                ($out | Where-Object Row -EQ $row).TaskId | Should -Be ($latest[$row].task_id)
            }
            (Get-SubmitCount $emu) - $postsBefore | Should -Be (30 - $submittedRows.Count - $inDoubtRows.Count)
            $billed = Get-AcceptedPerPrompt
            $billed.Values | ForEach-Object { $_ | Should -Be 1 }
        }

        It 'stops at once on Ctrl+C, cancelling the HTTP in flight, with every accepted task on the pipeline and in the journal' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 200 } | Out-Null
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($Module, $Journal)
                        Import-Module $Module
                        1..40 | ForEach-Object { [pscustomobject]@{ prompt = "stop $_" } } | New-KlingVideo -Journal $Journal -ThrottleLimit 4
                    }).AddArgument($ModulePath).AddArgument($journal)
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
                Wait-Until { @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count -ge 3 } -Because 'three rows submitted'
                Invoke-EmulatorControl $emu config -Body @{ latencyMs = 60000 } | Out-Null
                Wait-Until {
                    $open = @{}
                    foreach ($l in Read-JournalLine $journal) { $open[$l.key] = $l.type }
                    @($open.Values | Where-Object { $_ -eq 'sending' }).Count -ge 4
                } -Because 'four POSTs in flight'
                $submittedIds = @(Read-JournalLine $journal | Where-Object type -EQ 'submitted' | ForEach-Object task_id)
                Wait-Until { $output.Count -ge $submittedIds.Count } -Seconds 10 -Because 'the accepted tasks on the pipeline'

                $clock = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Stop()
                # The POSTs in flight would take a minute: stopping in seconds means they were cut off after the grace period, not waited out.
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                { $ps.EndInvoke($handle) } | Should -Throw

                # What was on the pipeline before the stop is journaled; so is whatever was accepted during the grace
                # period (POSTs sent before the latency went up), and the gateway accepted nothing else.
                $journaledIds = @(Read-JournalLine $journal | Where-Object type -EQ 'submitted' | ForEach-Object task_id)
                foreach ($id in $output.TaskId) { $journaledIds | Should -Contain $id }
                $submittedIds | ForEach-Object { $output.TaskId | Should -Contain $_ }
                (Get-Stats).accepted | Should -Be $journaledIds.Count
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'on Ctrl+C starts no new row but lets the POSTs already sent be answered, and journals their tasks' {
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 100 } | Out-Null
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($Module, $Journal)
                        Import-Module $Module
                        1..40 | ForEach-Object { [pscustomobject]@{ prompt = "grace $_" } } | New-KlingVideo -Journal $Journal -ThrottleLimit 4
                    }).AddArgument($ModulePath).AddArgument($journal)
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
                Wait-Until { @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count -ge 3 } -Because 'three rows submitted'
                # The next POSTs take 1.5 s to be answered: well inside the grace period, so none needs to be cut off.
                Invoke-EmulatorControl $emu config -Body @{ latencyMs = 1500 } | Out-Null
                Wait-Until {
                    $open = @{}
                    foreach ($l in Read-JournalLine $journal) { if ($l.key) { $open[$l.key] = $l.type } }
                    @($open.Values | Where-Object { $_ -eq 'sending' }).Count -ge 4
                } -Because 'four POSTs in flight'
                $postsAtStop = Get-SubmitCount $emu
                $ps.Stop()
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'

                $latest = @{}
                foreach ($l in Read-JournalLine $journal) { if ($l.key) { $latest[$l.key] = $l } }
                # Nothing is left "sending" (outcome unknown): every POST that went out was answered and journaled.
                @($latest.Values | Where-Object type -EQ 'sending').Count | Should -Be 0
                $journaled = @($latest.Values | Where-Object type -EQ 'submitted' | ForEach-Object task_id)
                (Get-Stats).accepted | Should -Be $journaled.Count
                # No new row was started after the stop.
                Get-SubmitCount $emu | Should -BeLessOrEqual ($postsAtStop + 4)

                # A rerun takes the journaled tasks as submitted: no OutcomeUnknown, and every row once.
                Invoke-EmulatorControl $emu config -Body @{ latencyMs = 0 } | Out-Null
                $out = @(1..40 | ForEach-Object { [pscustomobject]@{ prompt = "grace $_" } } | New-KlingVideo -Journal $journal -ThrottleLimit 8 -ErrorVariable errs -ErrorAction SilentlyContinue)
                $errs | Should -BeNullOrEmpty
                $out.Count | Should -Be 40
                (Get-AcceptedPerPrompt).Values | ForEach-Object { $_ | Should -Be 1 }
            }
            finally {
                $ps.Dispose()
            }
        }
    }
}
