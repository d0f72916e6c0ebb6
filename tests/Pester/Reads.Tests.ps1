# Issue 20 (points 4, 5, 6 and a smaller one) and issue 19 (point 3, last sentence): what the module makes of what it
# reads from the gateway: a read that gets no answer, a balance that does not read, a failed task's words (the key
# echoed in them, which kind of failure they tell), status calls that fail until Wait-KlingTask gives up.
Describe 'Reading the gateway' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:secret = 'sk-READS-SECRET-5c1e9a7b'
        $script:emu = Start-KlingEmulator -TaskSeconds 0.2 -ExtraArgument @('--api-key', $secret)
        $script:key = ConvertTo-SecureString $secret -AsPlainText -Force
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    Describe 'A read that gets no answer (issue 20, point 4)' {
        It 'is an OperationTimeout of the read, not a submission that may have been billed: <Name>' -ForEach @(
            @{ Name = 'Get-KlingBalance'; Route = 'balance'; Path = '/v1/balance' }
            @{ Name = 'Get-KlingTask'; Route = 'task'; Path = '/v1/tasks/*' }
        ) {
            $task = New-KlingVideo -Prompt 'submitted before the gateway stopped answering'
            Connect-Kling -BaseUrl $emu.Gateway -ApiKey $key -TimeoutSec 1
            Add-EmulatorFault $emu @{ route = $Route; kind = 'hold'; times = 100 }
            if ($Name -eq 'Get-KlingBalance') { $out = Get-KlingBalance -ErrorVariable errs -ErrorAction SilentlyContinue }
            else { $out = Get-KlingTask -TaskId $task.TaskId -ErrorVariable errs -ErrorAction SilentlyContinue }

            $out | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'GatewayTimeout,*'
            $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $errs[0].Exception.OutcomeUnknown | Should -BeFalse
            $errs[0].Exception.Message | Should -BeLike "GET $Path*got no answer within 1 s. Nothing is billed by a read: run it again later, or give the gateway more time with Connect-Kling -TimeoutSec."
            ($errs[0] | Format-List * -Force | Out-String -Width 400) | Should -Not -BeLike '*may have been*'
            ($errs[0] | Format-List * -Force | Out-String -Width 400) | Should -Not -BeLike '*submission*'
            # Reads bill nothing, so they were tried again (4 times in all) before giving up.
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike $Path).Count | Should -Be 4
        }
    }

    Describe 'A balance that does not read (issue 20, point 5)' {
        It 'reads <Body> as Remaining <Remaining>, Used <Used>, Unlimited <Unlimited>' -ForEach @(
            @{ Body = '{"success":true,"remain_balance":12.5,"used_balance":3.1,"unlimited_quota":false}'; Remaining = 12.5; Used = 3.1; Unlimited = $false }
            @{ Body = '{"success":"true","remain_balance":"12.5","used_balance":"3.10","unlimited_quota":"false"}'; Remaining = 12.5; Used = 3.1; Unlimited = $false }
            @{ Body = '{"code":200,"data":{"remain_balance":7.25,"used_balance":0,"unlimited_quota":false}}'; Remaining = 7.25; Used = 0; Unlimited = $false }
            @{ Body = '{"success":true,"data":{"remain_balance":"0","used_balance":"100"}}'; Remaining = 0; Used = 100; Unlimited = $false }
            @{ Body = '{"success":true,"remain_balance":-1,"used_balance":2,"unlimited_quota":false}'; Remaining = $null; Used = 2; Unlimited = $true }
            @{ Body = '{"success":true,"unlimited_quota":true,"used_balance":2}'; Remaining = $null; Used = 2; Unlimited = $true }
            @{ Body = '{"success":true,"remain_balance":1e3}'; Remaining = 1000; Used = $null; Unlimited = $false }
        ) {
            Add-EmulatorFault $emu @{ route = 'balance'; kind = 'reply'; body = $Body }
            $balance = Get-KlingBalance -ErrorVariable errs
            $errs.Count | Should -Be 0
            $balance.Remaining | Should -Be $Remaining
            $balance.Used | Should -Be $Used
            $balance.Unlimited | Should -Be $Unlimited
        }

        It 'refuses <Body> as BalanceUnavailable quoting <Quoted>, instead of a balance of nothing' -ForEach @(
            @{ Body = '{"success":true,"remain_balance":"N/A","used_balance":1,"unlimited_quota":false}'; Quoted = 'remain_balance "N/A"' }
            @{ Body = '{"success":true,"remain_balance":"1,234.50","used_balance":1,"unlimited_quota":false}'; Quoted = 'remain_balance "1,234.50"' }
            @{ Body = '{"success":true,"used_balance":1,"unlimited_quota":false}'; Quoted = 'no remain_balance' }
            @{ Body = '{"success":true,"remain_balance":null,"used_balance":1}'; Quoted = 'remain_balance null' }
            @{ Body = '{"success":true,"remain_balance":{"usd":5}}'; Quoted = 'remain_balance {"usd":5}' }
            @{ Body = '{"code":200,"data":{"remain_balance":"NaN"}}'; Quoted = 'remain_balance "NaN"' }
            @{ Body = '{"success":true,"remain_balance":12.5,"used_balance":"N/A"}'; Quoted = 'used_balance "N/A"' }
            @{ Body = '{"code":200,"data":[{"remain_balance":5}]}'; Quoted = 'no remain_balance' }
            @{ Body = '["ok"]'; Quoted = 'no remain_balance' }
        ) {
            Add-EmulatorFault $emu @{ route = 'balance'; kind = 'reply'; body = $Body }
            $balance = Get-KlingBalance -ErrorVariable errs -ErrorAction SilentlyContinue
            $balance | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'BalanceUnavailable,*'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $errs[0].TargetObject | Should -Be 'Key'
            $errs[0].Exception.Message | Should -BeLike "*$([WildcardPattern]::Escape($Quoted))*"
            $errs[0].Exception.Message | Should -BeLike "*$([WildcardPattern]::Escape($Body))*"
            # Not tried again: the same answer would come back.
            @(Get-EmulatorRequest $emu -HostName gateway -PathLike '/v1/balance').Count | Should -Be 1
        }

        It 'never quotes the key from a balance that does not read' {
            Add-EmulatorFault $emu @{ route = 'balance'; kind = 'reply'; body = "{`"success`":true,`"remain_balance`":`"N/A for $secret`"}" }
            Get-KlingBalance -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'BalanceUnavailable,*'
            $errs[0].Exception.Message | Should -BeLike '*N/A for `*`*`**'
            ($errs[0] | Format-List * -Force | Out-String -Width 400) + $errs[0].Exception.ToString() | Should -Not -BeLike "*$secret*"
        }
    }

    Describe 'The key echoed in a failed task''s message (issue 20, point 6)' {
        It 'is redacted from the task, Wait-KlingTask''s error, $Error, Export-Clixml and a transcript' {
            Reset-Emulator $emu @{ failMessage = 'upstream refused the call with Authorization: Bearer {key}'; failCode = 'E-{key}' }
            $transcript = Join-Path $TestDrive 'transcript.txt'
            $clixml = Join-Path $TestDrive 'errors.clixml'
            $script = @"
`$ErrorActionPreference = 'Continue'
Import-Module '$ModulePath'
Start-Transcript -Path '$transcript' | Out-Null
`$task = New-KlingVideo -Prompt 'doomed [fail]'
`$task | Wait-KlingTask -PollInterval 0.1
'----- ERROR -----'
`$Error[0] | Out-String -Width 400
`$Error[0] | Format-List * -Force | Out-String -Width 400
`$Error[0].Exception | Format-List * -Force | Out-String -Width 400
`$Error[0].Exception.ToString()
`$Error[0].TargetObject | Format-List * -Force | Out-String -Width 400
`$Error | Export-Clixml -Path '$clixml' -Depth 6
'----- TASK -----'
Get-KlingTask -TaskId `$task.TaskId | Format-List * -Force | Out-String -Width 400
Stop-Transcript | Out-Null
"@
            $result = Invoke-ChildPwsh -Script $script -Environment @{ KLING_API_KEY = $secret; KLING_BASE_URL = $emu.Gateway }
            # The gateway did echo the key (otherwise finding nothing proves nothing) ...
            $echoed = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*' | Where-Object status -EQ 200)
            $echoed.Count | Should -BeGreaterThan 0
            $result.Output | Should -BeLike '*TaskFailed*'
            $result.Output | Should -BeLike '*ended failed (code E-`*`*`*): upstream refused the call with Authorization: Bearer `*`*`**'
            $result.Output | Should -BeLike '*GatewayMessage*Bearer `*`*`**'
            $result.Output | Should -BeLike '*----- TASK -----*Error *: upstream refused the call with Authorization: Bearer `*`*`**'
            # ... and the key is in none of what was shown or kept.
            $result.Output | Should -Not -BeLike "*$secret*"
            Get-Content $transcript -Raw | Should -BeLike '*Bearer `*`*`**'
            Get-Content $transcript -Raw | Should -Not -BeLike "*$secret*"
            Get-Content $clixml -Raw | Should -BeLike '*Bearer `*`*`**'
            Get-Content $clixml -Raw | Should -Not -BeLike "*$secret*"
        }

        It 'is redacted from the KlingTask Wait-KlingTask and Get-KlingTask give, and from the error''s GatewayMessage and ErrorCode' {
            Reset-Emulator $emu @{ failMessage = 'token {key} refused'; failCode = '{key}' }
            $task = New-KlingVideo -Prompt 'doomed [fail]'
            $task | Wait-KlingTask -PollInterval 0.1 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].Exception.GatewayMessage | Should -Be 'token *** refused'
            $errs[0].Exception.ErrorCode | Should -Be '***'
            $errs[0].TargetObject.Error | Should -Be 'token *** refused'
            $errs[0].TargetObject.ErrorCode | Should -Be '***'
            (Get-KlingTask -TaskId $task.TaskId).Error | Should -Be 'token *** refused'
        }
    }

    Describe 'Which kind of failure a failed task met (issue 19, point 3)' {
        It 'tells <Kind> from code <Code> and message ''<Message>'' <Language>' -ForEach @(
            @{ Code = '1301'; Message = 'failed'; Kind = 'ContentRefused' }
            # The emulator's own moderation message, in each language it writes, under a code that tells nothing.
            @{ Code = '1'; Message = $null; Language = 'en'; Kind = 'ContentRefused' }
            @{ Code = '1'; Message = $null; Language = 'zh'; Kind = 'ContentRefused' }
            @{ Code = '1'; Message = $null; Language = 'ko'; Kind = 'ContentRefused' }
            @{ Code = '1'; Message = $null; Language = 'ja'; Kind = 'ContentRefused' }
            @{ Code = '1'; Message = 'The prompt violates our usage policy'; Kind = 'ContentRefused' }
            @{ Code = '1'; Message = '输入内容涉及敏感信息'; Kind = 'ContentRefused' }
            @{ Code = '5000'; Message = 'failed'; Kind = 'GatewayFailed' }
            @{ Code = '1'; Message = 'Internal server error'; Kind = 'GatewayFailed' }
            @{ Code = '1'; Message = 'upstream timeout'; Kind = 'GatewayFailed' }
            @{ Code = '1'; Message = '上游服务超时'; Kind = 'GatewayFailed' }
            @{ Code = '1'; Message = 'something else went wrong'; Kind = $null }
        ) {
            Reset-Emulator $emu @{ failMessage = $Message; failCode = $Code }
            if ($Language) { Connect-Kling -BaseUrl $emu.Gateway -ApiKey $key -Language $Language }
            $task = New-KlingVideo -Prompt 'doomed [fail]'
            $task | Wait-KlingTask -PollInterval 0.1 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            $errs[0].TargetObject.FailureKind | Should -Be $Kind
            (Get-KlingTask -TaskId $task.TaskId).FailureKind | Should -Be $Kind
            switch ($Kind) {
                'ContentRefused' {
                    $errs[0].Exception.Message | Should -BeLike '*. The content was refused (moderation, safety or policy).'
                    $errs[0].ErrorDetails.RecommendedAction | Should -BeLike '*Change the prompt or the images*'
                }
                'GatewayFailed' {
                    $errs[0].Exception.Message | Should -BeLike '*. The gateway failed (an internal error, a timeout or an upstream fault), not the content.'
                    $errs[0].ErrorDetails.RecommendedAction | Should -BeLike '*same row again may succeed*'
                }
                default {
                    $errs[0].Exception.Message | Should -BeLike "*ended failed (code 1): $Message"
                    $errs[0].ErrorDetails | Should -BeNullOrEmpty
                }
            }
        }

        It 'has no FailureKind on a task that did not fail' {
            $done = New-KlingVideo -Prompt 'fine' | Wait-KlingTask -PollInterval 0.1
            $done.Status | Should -Be 'completed'
            $done.FailureKind | Should -BeNullOrEmpty
        }
    }

    Describe 'Status calls that fail until -Timeout (issue 20, smaller)' {
        It 'says the status calls failed and with what, not only that the task was still submitted' {
            $task = New-KlingVideo -Prompt 'never heard of again'
            # Retry-After 0: the client's tries of each status call come back to back, so the watcher sees them fail at once.
            Add-EmulatorFault $emu @{ route = 'task'; status = 500; retryAfter = '0'; times = 100000; message = 'upstream exploded' }
            $task | Wait-KlingTask -Timeout 3 -PollInterval 0.2 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'WaitTimedOut,*'
            $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $errs[0].Exception.Message | Should -BeLike "Task $($task.TaskId) was still submitted after 3 s: its status could not be read (the last * failed; the last error: The gateway answered HTTP 500 (server_error, code 500): upstream exploded)*"
            $errs[0].Exception.Message | Should -BeLike "*wait again with Wait-KlingTask -TaskId $($task.TaskId)*"
        }

        It 'says nothing of failed calls when the status was read' {
            Reset-Emulator $emu @{ taskSeconds = 60 }
            $task = New-KlingVideo -Prompt 'slow'
            $task | Wait-KlingTask -Timeout 1 -PollInterval 0.2 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -BeLike "Task $($task.TaskId) was still * after 1 s; it is not lost*"
            $errs[0].Exception.Message | Should -Not -BeLike '*status could not be read*'
        }
    }
}
