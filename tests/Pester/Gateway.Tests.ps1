# Issue 13: the gateway as it really is (balance, language, the errors it really sends).
Describe 'The gateway as it really is' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3
        $script:key = ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force
    }

    AfterAll {
        Remove-Item Env:KLING_LANGUAGE -ErrorAction SilentlyContinue
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        Remove-Item Env:KLING_LANGUAGE -ErrorAction SilentlyContinue
    }

    Describe 'Get-KlingBalance (point 2)' {
        It 'reads the key''s balance, and the account''s with -Account' {
            Reset-Emulator $emu @{ balance = 5; accountBalance = 120.5 }
            $before = Get-KlingBalance
            $before | Should -BeOfType ([Kling.Core.KlingBalance])
            $before.Scope | Should -Be 'Key'
            $before.Remaining | Should -Be 5
            $before.Used | Should -Be 0
            $before.Unlimited | Should -BeFalse
            @(New-KlingVideo -Prompt 'one'; New-KlingVideo -Prompt 'two').Count | Should -Be 2
            $after = Get-KlingBalance
            $after.Remaining | Should -Be 3
            $after.Used | Should -Be 2
            $account = Get-KlingBalance -Account
            $account.Scope | Should -Be 'Account'
            $account.Remaining | Should -Be 120.5
            $account.Used | Should -Be 2
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/balance').Count | Should -Be 2
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/user/balance').Count | Should -Be 1
            ($after | Format-Table | Out-String) | Should -BeLike '*Remaining*Used*Unlimited*Scope*'
        }

        It 'shows an unlimited balance (remain_balance -1) as Unlimited with no Remaining' {
            $balance = Get-KlingBalance
            $balance.Unlimited | Should -BeTrue
            $balance.Remaining | Should -BeNullOrEmpty
        }

        It 'reports HTTP 200 with success:false as an error carrying the gateway''s message' {
            Add-EmulatorFault $emu @{ route = 'balance'; kind = 'unsuccessful'; message = '令牌额度查询失败 (quota lookup failed)' }
            $balance = Get-KlingBalance -ErrorVariable errs -ErrorAction SilentlyContinue
            $balance | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'BalanceUnavailable,*'
            $errs[0].Exception.Message | Should -BeLike '*令牌额度查询失败 (quota lookup failed)*'
            @(Get-EmulatorRequest $emu -HostName gateway -PathLike '/v1/balance').Count | Should -Be 1
        }

        It 'stops with an authentication error for a bad key, and retries a 502' {
            Add-EmulatorFault $emu @{ route = 'balance'; status = 502 }
            (Get-KlingBalance).Remaining | Should -BeNullOrEmpty
            @(Get-EmulatorRequest $emu -HostName gateway -PathLike '/v1/balance').Count | Should -Be 2
            $env:KLING_API_KEY = 'not-the-key'
            { Get-KlingBalance -ErrorAction Stop } | Should -Throw -ErrorId 'GatewayAuthentication,*'
        }
    }

    Describe 'Messages in the user''s language (point 3)' {
        It 'sends Connect-Kling -Language on every status call and shows the failed task''s message in it' {
            Connect-Kling -ApiKey $key -BaseUrl $emu.Gateway -Language zh
            (Get-KlingConfig).Language | Should -Be 'zh'
            (Get-KlingConfig).LanguageSource | Should -Be 'Connect-Kling'
            $task = New-KlingVideo -Prompt 'doomed [fail]' | Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -BeLike '*内容审核未通过*'
            (Get-KlingTask -TaskId $errs[0].TargetObject.TaskId).Error | Should -Be '内容审核未通过'
            $status = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*')
            $status.Count | Should -BeGreaterThan 1
            $status | ForEach-Object { $_.path | Should -BeLike '*?language=zh' }
        }

        It 'takes $env:KLING_LANGUAGE when Connect-Kling gave none, and English is the default' {
            $failed = New-KlingVideo -Prompt 'doomed [fail]'
            $failed | Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue | Out-Null
            (Get-KlingTask -TaskId $failed.TaskId).Error | Should -Be 'Content moderation failed'
            (Get-KlingConfig).Language | Should -Be 'en'
            (Get-KlingConfig).LanguageSource | Should -Be 'default'
            $env:KLING_LANGUAGE = 'ja'
            (Get-KlingTask -TaskId $failed.TaskId).Error | Should -Be 'コンテンツ審査に合格しませんでした'
            (Get-KlingConfig).LanguageSource | Should -Be '$env:KLING_LANGUAGE'
            (@(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*'))[-1].path | Should -BeLike '*?language=ja'
        }

        It 'refuses a language the gateway does not know, before sending anything' {
            { Connect-Kling -ApiKey $key -Language xx } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
            $env:KLING_LANGUAGE = 'xx'
            { Get-KlingTask -TaskId task_x -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLanguage,*'
            @(Get-EmulatorRequest $emu).Count | Should -Be 0
        }

        It 'completes -Language with the ten languages' {
            $line = 'Connect-Kling -Language '
            $found = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            @($found.CompletionMatches.CompletionText | Sort-Object) | Should -Be @('de', 'en', 'es', 'fr', 'id', 'ja', 'ko', 'pt', 'ru', 'zh')
        }
    }

    Describe 'Errors the gateway really sends (point 4)' {
        It 'stops the batch on 403 like 401, saying the key lacks permission, with the gateway''s type kept' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 403; type = 'permission_error'; message = '该令牌无权使用此模型' }
            $rows = 1..4 | ForEach-Object { [pscustomobject]@{ prompt = "row $_" } }
            $err = $null
            try { $rows | New-KlingVideo -ThrottleLimit 4 | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'GatewayAuthentication,*'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err.Exception.Message | Should -BeLike '*HTTP 403 (permission_error*该令牌无权使用此模型*permission*'
            Get-SubmitCount $emu | Should -Be 1
        }

        It 'treats 502, 503 and 504 like 500: a status call is retried, a submission is OutcomeUnknown and not re-sent (<status>)' -ForEach @(
            @{ status = 502 }, @{ status = 503 }, @{ status = 504 }
        ) {
            $task = New-KlingVideo -Prompt 'status through a bad gateway'
            Add-EmulatorFault $emu @{ route = 'task'; status = $status; times = 2 }
            (Get-KlingTask -TaskId $task.TaskId).TaskId | Should -Be $task.TaskId
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*').Count | Should -Be 3

            Add-EmulatorFault $emu @{ route = 'submit'; status = $status; accepted = $true }
            New-KlingVideo -Prompt 'maybe billed' -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*'
            $errs[0].Exception.Message | Should -BeLike "*HTTP $status*"
            Get-SubmitCount $emu | Should -Be 2
        }

        It 'reads an error of a type it does not know (apimart_error) and shows it as given' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 400; type = 'apimart_error'; message = '缺少令牌 (missing key)' }
            New-KlingVideo -Prompt 'odd type' -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'GatewayInvalidRequest,*'
            $errs[0].Exception.Message | Should -BeLike 'Row 1: *HTTP 400 (apimart_error, code 400): 缺少令牌 (missing key)*'
            $errs[0].Exception.ErrorType | Should -Be 'apimart_error'
        }

        It 'reads a submission answered with data as an object ({"id": ...})' {
            Reset-Emulator $emu @{ submitDataAsObject = $true }
            $task = New-KlingVideo -Prompt 'object answer'
            $task.TaskId | Should -BeLike 'task_*'
            ($task | Wait-KlingTask -PollInterval 0.1).Status | Should -Be 'completed'
        }
    }
}
