Describe 'Sending failed tasks again' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.2

        function New-Rows {
            param([string[]] $Prompt)
            $Prompt | ForEach-Object { [pscustomobject]@{ prompt = $_; Name = $_ -replace '\s*\[fail\]', '' } }
        }

        function Get-PostedPrompt {
            <# The prompts of the submissions the gateway received after the first $Skip. #>
            param([int] $Skip)
            @(Get-SubmitBody $emu | Select-Object -Skip $Skip | ForEach-Object prompt)
        }

        function Wait-Status {
            <# Waits until the journal's tasks read as these statuses (counts by status). #>
            param([string] $Journal, [hashtable] $Count)
            Wait-Until {
                $tasks = @(Get-KlingTask -Journal $Journal)
                @($Count.Keys | Where-Object { @($tasks | Where-Object Status -EQ $_).Count -ne $Count[$_] }).Count -eq 0
            } -Because "the journal's tasks to be $(($Count.GetEnumerator() | ForEach-Object { "$($_.Value) $($_.Key)" }) -join ', ')"
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

    Describe 'New-KlingVideo -Journal -RetryFailed' {
        It 'sends exactly the failed rows again; completed, running and in-doubt rows are not sent; the journal keeps both ids' {
            # Row 1's POST is answered 502 but accepted (in doubt); rows 3 and 4 fail; a fifth row is still running at the rerun.
            Add-EmulatorFault $emu @{ route = 'submit'; status = 502; times = 1; accepted = $true }
            $rows = New-Rows 'in doubt', 'fine', 'bad one [fail]', 'bad two [fail]'
            $first = @($rows | New-KlingVideo -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable firstErrors)
            $first.Count | Should -Be 3
            $firstErrors.Count | Should -Be 1
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 600 } | Out-Null
            $running = New-Rows 'slow' | New-KlingVideo -Journal $journal
            Wait-Status $journal @{ failed = 2; completed = 1 }
            $failedIds = @(Get-KlingTask -Journal $journal | Where-Object Status -EQ 'failed').TaskId
            Invoke-EmulatorControl $emu config -Body @{ failMarker = '[never]'; taskSeconds = 0.2 } | Out-Null
            $posts = Get-SubmitCount $emu

            $all = New-Rows 'in doubt', 'fine', 'bad one [fail]', 'bad two [fail]', 'slow'
            $out = @($all | New-KlingVideo -Journal $journal -RetryFailed -ErrorAction SilentlyContinue -ErrorVariable errs)

            Get-PostedPrompt -Skip $posts | Sort-Object | Should -Be @('bad one [fail]', 'bad two [fail]')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown*'
            $errs[0].Exception.Message | Should -BeLike "Row 1 ('in doubt')*"
            ($out | Sort-Object Row).Name | Should -Be @('fine', 'bad one', 'bad two', 'slow')
            ($out | Where-Object Name -EQ 'fine').TaskId | Should -Be ($first | Where-Object Name -EQ 'fine').TaskId
            ($out | Where-Object Name -EQ 'slow').TaskId | Should -Be $running.TaskId
            $retried = @($out | Where-Object Name -Like 'bad*')
            $retried.TaskId | ForEach-Object { $failedIds | Should -Not -Contain $_ }

            # The journal keeps the failed tasks on record beside the tasks sent in their place.
            $journaled = @(Read-JournalLine $journal | Where-Object type -EQ 'submitted' | ForEach-Object task_id)
            $failedIds + $retried.TaskId | ForEach-Object { $journaled | Should -Contain $_ }

            # A rerun without -RetryFailed gives the new tasks and sends nothing; so do the readers.
            $posts = Get-SubmitCount $emu
            $rerun = @($all | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable rerunErrors)
            Get-SubmitCount $emu | Should -Be $posts
            $rerunErrors.Count | Should -Be 1
            ($rerun | Where-Object Name -Like 'bad*' | Sort-Object Row).TaskId | Should -Be ($retried | Sort-Object Row).TaskId
            $listed = @(Get-KlingTask -Journal $journal).TaskId
            $retried.TaskId | ForEach-Object { $listed | Should -Contain $_ }
            $failedIds | ForEach-Object { $listed | Should -Not -Contain $_ }

            # Once the tasks sent again complete, -RetryFailed has nothing left to send.
            Wait-Status $journal @{ failed = 0; completed = 3 }
            $null = @($all | New-KlingVideo -Journal $journal -RetryFailed -ErrorAction SilentlyContinue)
            Get-SubmitCount $emu | Should -Be $posts
        }

        It 'without -Journal is a parameter error, and nothing is sent' {
            $err = $null
            try { New-Rows 'a' | New-KlingVideo -RetryFailed } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'RetryFailedWithoutJournal*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -Match '-Journal'
            Get-SubmitCount $emu | Should -Be 0
        }

        It 'under -WhatIf reads the statuses but sends nothing and writes nothing' {
            $null = New-Rows 'bad [fail]', 'good' | New-KlingVideo -Journal $journal
            Wait-Status $journal @{ failed = 1; completed = 1 }
            $bytes = [IO.File]::ReadAllBytes($journal)
            $files = @(Get-ChildItem $dir).Name
            $reads = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*').Count

            $out = @(New-Rows 'bad [fail]', 'good' | New-KlingVideo -Journal $journal -RetryFailed -WhatIf)

            $out.Name | Should -Be @('good')
            Get-SubmitCount $emu | Should -Be 2
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*').Count | Should -Be ($reads + 2)
            [IO.File]::ReadAllBytes($journal) | Should -Be $bytes
            @(Get-ChildItem $dir).Name | Should -Be $files
        }
    }

    Describe 'Failed tasks piped in' {
        It 'sends a failed task again with the request it carries (<source>)' -ForEach @(
            @{ source = 'the TargetObject of Wait-KlingTask''s error' }, @{ source = 'Wait-KlingTask''s error record' }, @{ source = 'Get-KlingTask -Journal' }
        ) {
            # Fields no parameter binds from a task by name (model, aspect ratio, negative prompt), and some that do (Mode, Duration, Name).
            $row = @{ Prompt = 'piped [fail]'; Name = 'piped'; Model = 'kling-v3'; Mode = 'pro'; Duration = '10'; AspectRatio = '9:16'; NegativePrompt = 'blur' }
            $null = New-KlingVideo @row -Journal $journal | Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed*'
            $failed[0].TargetObject | Should -BeOfType ([Kling.Core.KlingTask])
            $piped = switch -Wildcard ($source) {
                'the TargetObject*' { $failed[0].TargetObject }
                'Wait-KlingTask*' { $failed[0] }
                'Get-KlingTask*' { Get-KlingTask -Journal $journal }
            }
            Invoke-EmulatorControl $emu config -Body @{ failMarker = '[never]' } | Out-Null

            $again = @($piped | New-KlingVideo -ErrorVariable errs)

            $errs | Should -BeNullOrEmpty
            $again.Count | Should -Be 1
            $again[0].TaskId | Should -Not -Be $failed[0].TargetObject.TaskId
            $again[0].Name | Should -Be 'piped'
            $bodies = @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*').body
            $bodies.Count | Should -Be 2
            $bodies[1] | Should -Be $bodies[0]
        }

        It 'sends it as it is, whatever the command line says, with a warning' {
            $null = New-KlingVideo -Prompt 'as it was [fail]' -Mode pro | Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue -ErrorVariable failed
            Invoke-EmulatorControl $emu config -Body @{ failMarker = '[never]' } | Out-Null
            $again = @($failed[0].TargetObject | New-KlingVideo -Mode std -Duration 10 -WarningVariable warned)
            $again.Count | Should -Be 1
            $warned.Count | Should -Be 1
            $warned[0].Message | Should -Match '-Mode, -Duration'
            $bodies = @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*').body
            $bodies[1] | Should -Be $bodies[0]
        }

        It 'makes a task that is not failed, or that carries no request, that row''s error, and sends nothing' {
            $done = New-KlingVideo -Prompt 'fine' -Name 'fine' | Wait-KlingTask -PollInterval 0.1
            $null = New-KlingVideo -Prompt 'no request [fail]' | Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue -ErrorVariable failed
            $byId = Get-KlingTask -TaskId $failed[0].TargetObject.TaskId
            $byId.Status | Should -Be 'failed'
            $posts = Get-SubmitCount $emu

            $out = @($done, $byId | New-KlingVideo -ErrorAction SilentlyContinue -ErrorVariable errs)

            $out | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be $posts
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotFailed*'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $errs[0].Exception.Message | Should -BeLike "Row 1 ('fine'): task $($done.TaskId) is completed, not failed or cancelled*"
            $errs[0].TargetObject.TaskId | Should -Be $done.TaskId
            $errs[1].FullyQualifiedErrorId | Should -BeLike 'TaskWithoutRequest*'
            $errs[1].Exception.Message | Should -BeLike "Row 2: task $($byId.TaskId) carries no request*"
        }

        It 'with -Journal journals the task sent again like any row, and a rerun of the same pipe sends nothing' {
            $null = New-Rows 'again [fail]', 'fine' | New-KlingVideo -Journal $journal
            Wait-Status $journal @{ failed = 1; completed = 1 }
            $failedTasks = @(Get-KlingTask -Journal $journal | Where-Object Status -EQ 'failed')
            Invoke-EmulatorControl $emu config -Body @{ failMarker = '[never]' } | Out-Null

            $again = @($failedTasks | New-KlingVideo -Journal $journal)
            Get-SubmitCount $emu | Should -Be 3
            $again.Count | Should -Be 1
            $lines = @(Read-JournalLine $journal | Where-Object type -EQ 'submitted' | Where-Object name -EQ 'again')
            $lines.task_id | Should -Be @($failedTasks[0].TaskId, $again[0].TaskId)

            $third = @($failedTasks | New-KlingVideo -Journal $journal)
            $third.TaskId | Should -Be $again.TaskId
            Get-SubmitCount $emu | Should -Be 3
            @(Get-KlingTask -Journal $journal).TaskId | Should -Contain $again[0].TaskId
        }
    }
}
