# Issue 24, point 6: the gateway writes task messages in ten languages (en zh ja ko ru fr de id pt es, in any case);
# Connect-Kling -Language and $env:KLING_LANGUAGE take each of them, send it as ?language= on status calls, refuse any
# other code naming the ten, and tab completion offers them. The emulator writes a few and English for the rest.
BeforeDiscovery {
    $script:ten = 'en', 'zh', 'ja', 'ko', 'ru', 'fr', 'de', 'id', 'pt', 'es'
    $script:codeCases = $ten | ForEach-Object { @{ Code = $_ } }
}

Describe 'Task messages in the gateway''s ten languages' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3
        $script:key = ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force
        $script:tenText = 'en, zh, ja, ko, ru, fr, de, id, pt, es'
    }

    AfterAll {
        Remove-Item Env:KLING_LANGUAGE -ErrorAction SilentlyContinue
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        Remove-Item Env:KLING_LANGUAGE -ErrorAction SilentlyContinue
    }

    It 'Connect-Kling -Language takes <Code> in any case and sends it in lower case on status calls' -ForEach $codeCases {
        Connect-Kling -ApiKey $key -BaseUrl $emu.Gateway -Language $Code.ToUpperInvariant()
        (Get-KlingConfig).Language | Should -BeExactly $Code
        $task = New-KlingVideo -Prompt "in $Code"
        Get-KlingTask -TaskId $task.TaskId | Out-Null
        (@(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*'))[-1].path | Should -BeExactly "/v1/tasks/$($task.TaskId)?language=$Code"
    }

    It '$env:KLING_LANGUAGE takes <Code> in any case' -ForEach $codeCases {
        $env:KLING_LANGUAGE = " $($Code.Substring(0, 1).ToUpperInvariant())$($Code.Substring(1)) "
        (Get-KlingConfig).Language | Should -BeExactly $Code
        (Get-KlingConfig).LanguageSource | Should -Be '$env:KLING_LANGUAGE'
        Get-KlingTask -TaskId task_unknown -ErrorAction SilentlyContinue | Out-Null
        (@(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*'))[-1].path | Should -BeLike "*?language=$Code"
    }

    It 'refuses a code outside the ten as a parameter error naming the ten, before sending anything (<Code>)' -ForEach @(
        @{ Code = 'xx' }, @{ Code = 'zh-CN' }, @{ Code = 'english' }
    ) {
        $err = $null
        try { Connect-Kling -ApiKey $key -BaseUrl $emu.Gateway -Language $Code } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $err.Exception.Message | Should -BeLike "*$tenText*"
        $env:KLING_LANGUAGE = $Code
        $err = $null
        try { Get-KlingTask -TaskId task_x -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidLanguage,*'
        $err.Exception.Message | Should -BeLike "*'$Code'*$tenText*"
        @(Get-EmulatorRequest $emu).Count | Should -Be 0
    }

    It 'completes -Language with the ten, in the gateway''s order, and by prefix' {
        $line = 'Connect-Kling -Language '
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('en', 'zh', 'ja', 'ko', 'ru', 'fr', 'de', 'id', 'pt', 'es')
        $line = 'Connect-Kling -Language P'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('pt')
    }

    It 'puts the failed task''s message in <Language> in the task''s error, without the key (<Source>)' -ForEach @(
        @{ Source = 'Connect-Kling'; Language = 'fr'; Message = 'La modération du contenu a échoué' }
        @{ Source = 'env'; Language = 'ES'; Message = 'La moderación del contenido ha fallado' }
        @{ Source = 'env'; Language = 'de'; Message = 'Content moderation failed' }
    ) {
        if ($Source -eq 'env') { $env:KLING_LANGUAGE = $Language } else { Connect-Kling -ApiKey $key -BaseUrl $emu.Gateway -Language $Language }
        $task = New-KlingVideo -Prompt 'doomed [fail]'
        $task | Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue -ErrorVariable errs | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
        $errs[0].Exception.Message | Should -BeLike "*$Message*"
        $errs[0].TargetObject.Error | Should -BeExactly $Message
        $errs[0].TargetObject.FailureKind | Should -Be 'ContentRefused'
        "$($errs[0].Exception.Message) $($errs[0].TargetObject.Error)" | Should -Not -BeLike "*$($emu.ApiKey)*"
        (Get-KlingTask -TaskId $task.TaskId).Error | Should -BeExactly $Message
    }
}
