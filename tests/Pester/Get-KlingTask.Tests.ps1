Describe 'Get-KlingTask' {
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

    Describe 'Get-KlingTask' {
        It 'reads a running task' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 30 } | Out-Null
            $submitted = New-KlingVideo -Prompt 'slow one'
            $task = Get-KlingTask -TaskId $submitted.TaskId
            $task | Should -BeOfType ([Kling.Core.KlingTask])
            $task.TaskId | Should -Be $submitted.TaskId
            $task.Status | Should -BeIn @('pending', 'processing')
            $task.Created | Should -BeOfType ([datetimeoffset])
            $task.EstimatedSeconds | Should -BeOfType ([double])
            $task.EstimatedSeconds | Should -Be 30
            $task.VideoUrl | Should -BeNullOrEmpty
            $task.IsFinished | Should -BeFalse
        }

        It 'reads a completed task with its result URLs and expiry' {
            $submitted = New-KlingVideo -Prompt 'quick one'
            Wait-Until { (Get-KlingTask $submitted.TaskId).IsFinished } -Because 'the task to finish'
            $task = Get-KlingTask $submitted.TaskId
            $task.Status | Should -Be 'completed'
            $task.Progress | Should -Be 100
            $task.Completed | Should -BeOfType ([datetimeoffset])
            $task.ExpiresAt | Should -BeOfType ([datetimeoffset])
            $task.ExpiresAt | Should -BeGreaterThan ([datetimeoffset]::UtcNow)
            @($task.VideoUrl).Count | Should -Be 1
            $task.VideoUrl[0] | Should -BeLike "$($emu.Storage)/*"
        }

        It 'reads a failed task with the gateway''s reason' {
            $submitted = New-KlingVideo -Prompt 'this one will [fail]'
            Wait-Until { (Get-KlingTask $submitted.TaskId).IsFinished } -Because 'the task to finish'
            $task = Get-KlingTask $submitted.TaskId
            $task.Status | Should -Be 'failed'
            $task.Error | Should -Not -BeNullOrEmpty
            $task.ErrorCode | Should -Not -BeNullOrEmpty
        }

        It 'takes ids from the pipeline by value and by property name (task_id, Id, TaskId)' {
            $a = New-KlingVideo -Prompt 'a'
            $b = New-KlingVideo -Prompt 'b'
            @($a.TaskId | Get-KlingTask).TaskId | Should -Be $a.TaskId
            @([pscustomobject]@{ task_id = $b.TaskId } | Get-KlingTask).TaskId | Should -Be $b.TaskId
            @([pscustomobject]@{ Id = $a.TaskId } | Get-KlingTask).TaskId | Should -Be $a.TaskId
            @($a, $b | Get-KlingTask).TaskId | Should -Be @($a.TaskId, $b.TaskId)
        }

        It 'reports an unknown id as ObjectNotFound and goes on with the next' {
            $good = New-KlingVideo -Prompt 'real'
            $out = 'task_doesnotexist', $good.TaskId | Get-KlingTask -ErrorVariable errs -ErrorAction SilentlyContinue
            @($out).Count | Should -Be 1
            $errs.Count | Should -Be 1
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -Be 'task_doesnotexist'
        }

        It 'retries a status call that failed with 500 and succeeds' {
            $submitted = New-KlingVideo -Prompt 'flaky'
            Add-EmulatorFault $emu @{ route = 'task'; status = 500; times = 2 }
            $task = Get-KlingTask $submitted.TaskId
            $task.TaskId | Should -Be $submitted.TaskId
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*').Count | Should -Be 3
        }

        It 'completes task ids from the session''s recent tasks' {
            $submitted = New-KlingVideo -Prompt 'complete me'
            $line = "Get-KlingTask -TaskId $($submitted.TaskId.Substring(0, 7))"
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Contain $submitted.TaskId
        }
    }
}
