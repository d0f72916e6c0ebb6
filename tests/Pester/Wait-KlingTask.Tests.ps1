Describe 'Wait-KlingTask' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    Describe 'Wait-KlingTask' {
        It 'waits for all tasks at once, not one after another' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 2 } | Out-Null
            # The emulator's clock stands still: no task finishes until the test moves the clock on.
            Invoke-EmulatorControl $emu clock -Body @{ freeze = $true } | Out-Null
            $tasks = 1..6 | ForEach-Object { New-KlingVideo -Prompt "clip $_" -Name "clip-$_" }
            $done = & {
                $tasks
                # Wait-KlingTask holds all six now and watches them in the background. The clock moves on (and every
                # task finishes) only once each has had a status call: a watcher that waited for one task before
                # looking at the next would never get there.
                Wait-Until -Seconds 60 -Because 'a status call for every task while none could finish' {
                    @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*' | ForEach-Object { ($_.path -split '[/?]')[3] } | Sort-Object -Unique).Count -eq 6
                }
                Invoke-EmulatorControl $emu clock -Body @{ advanceSeconds = 3 } | Out-Null
            } | Wait-KlingTask -PollInterval 0.2 -Timeout 60
            @($done).Count | Should -Be 6
            ($done.TaskId | Sort-Object) | Should -Be ($tasks.TaskId | Sort-Object)
            $done | ForEach-Object { $_.Status | Should -Be 'completed' }
        }

        It 'waits for a journal read a few tasks at a time: each task once, with its name, one status call per finished task' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 0.2 } | Out-Null
            $journal = Join-Path $TestDrive "wait-$([guid]::NewGuid().ToString('n')).jsonl"
            $count = 60
            $null = 1..$count | ForEach-Object { [pscustomobject]@{ prompt = "journal clip $_"; Name = "j-$_" } } | New-KlingVideo -Journal $journal -ThrottleLimit 8 | Wait-KlingTask -PollInterval 0.1
            $earlier = @(Get-EmulatorRequest $emu).Count

            # One status call at a time: the journal is read only as the watcher gets to its tasks.
            $done = @(Wait-KlingTask -Journal $journal -ThrottleLimit 1)
            $done.Count | Should -Be $count
            ($done.TaskId | Sort-Object -Unique).Count | Should -Be $count
            ($done.Name | Sort-Object { [int]($_ -replace '\D') }) | Should -Be @(1..$count | ForEach-Object { "j-$_" })
            $done | ForEach-Object { $_.Status | Should -Be 'completed' }
            $calls = @(Get-EmulatorRequest $emu | Select-Object -Skip $earlier | Where-Object { $_.host -eq 'gateway' -and $_.method -eq 'GET' -and $_.path -like '/v1/tasks/*' })
            $calls.Count | Should -Be $count
        }

        It 'keeps the name and row of piped tasks and outputs completed tasks with their URLs' {
            $rows = @'
prompt,Name
one,first
two,second
'@ | ConvertFrom-Csv
            $done = $rows | New-KlingVideo | Wait-KlingTask -PollInterval 0.2
            ($done | Sort-Object Row).Name | Should -Be @('first', 'second')
            ($done | Sort-Object Row).Row | Should -Be @(1, 2)
            $done | ForEach-Object { @($_.VideoUrl).Count | Should -Be 1 }
            $done[0].Request | Should -Not -BeNullOrEmpty
        }

        It 'outputs each task as soon as it completes' {
            # On the emulator's clock, standing still: the slow task takes 1 s, the fast one 0.3 s.
            Invoke-EmulatorControl $emu clock -Body @{ freeze = $true } | Out-Null
            $slow = New-KlingVideo -Prompt 'slow'
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 0.3 } | Out-Null
            $fast = New-KlingVideo -Prompt 'fast'
            # Half a second on, the fast task is done and the slow one is not; it finishes only when the first task
            # out of Wait-KlingTask moves the clock on. Waiting for the slow one first, or for both, never ends.
            Invoke-EmulatorControl $emu clock -Body @{ advanceSeconds = 0.5 } | Out-Null
            $order = @($slow, $fast | Wait-KlingTask -PollInterval 0.1 -Timeout 30 | ForEach-Object {
                    $_.TaskId
                    Invoke-EmulatorControl $emu clock -Body @{ advanceSeconds = 1 } | Out-Null
                })
            $order | Should -Be @($fast.TaskId, $slow.TaskId)
        }

        It 'turns a failed task into a non-terminating InvalidResult error with the task as target' {
            $ok = New-KlingVideo -Prompt 'fine' -Name ok
            $bad = New-KlingVideo -Prompt 'please [fail]' -Name bad
            $done = $ok, $bad | Wait-KlingTask -PollInterval 0.2 -ErrorVariable errs -ErrorAction SilentlyContinue
            @($done).TaskId | Should -Be $ok.TaskId
            $errs.Count | Should -Be 1
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            $errs[0].TargetObject.TaskId | Should -Be $bad.TaskId
            $errs[0].TargetObject.Name | Should -Be 'bad'
            $errs[0].Exception.Message | Should -BeLike "*$($bad.TaskId)*failed*"
        }

        It 'reports every unfinished task as OperationTimeout with its id when -Timeout runs out' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 60 } | Out-Null
            $tasks = 1..3 | ForEach-Object { New-KlingVideo -Prompt "long $_" }
            $done = $tasks | Wait-KlingTask -Timeout 1 -PollInterval 0.2 -ErrorVariable errs -ErrorAction SilentlyContinue
            $done | Should -BeNullOrEmpty
            $errs.Count | Should -Be 3
            $errs | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'OperationTimeout' }
            ($errs.TargetObject.TaskId | Sort-Object) | Should -Be ($tasks.TaskId | Sort-Object)
            $errs[0].Exception.Message | Should -BeLike "*$($errs[0].TargetObject.TaskId)*"
        }

        It 'accepts ids as strings and from objects with task_id' {
            $t = New-KlingVideo -Prompt 'by id'
            @($t.TaskId | Wait-KlingTask -PollInterval 0.2).TaskId | Should -Be $t.TaskId
            @([pscustomobject]@{ task_id = $t.TaskId } | Wait-KlingTask -PollInterval 0.2).Status | Should -Be 'completed'
        }

        It 'rides out status calls that fail with 500 or reset' {
            $t = New-KlingVideo -Prompt 'flaky status'
            Add-EmulatorFault $emu @{ route = 'task'; status = 500; times = 3 }
            Add-EmulatorFault $emu @{ route = 'task'; kind = 'reset'; times = 1 }
            $done = $t | Wait-KlingTask -PollInterval 0.2
            $done.Status | Should -Be 'completed'
        }

        It 'reports an unknown task id as ObjectNotFound without waiting for the timeout' {
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $done = 'task_missing' | Wait-KlingTask -Timeout 600 -ErrorVariable errs -ErrorAction SilentlyContinue
            $done | Should -BeNullOrEmpty
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $sw.Elapsed.TotalSeconds | Should -BeLessThan 300
        }
    }
}
