Describe 'Security' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5 -ExtraArgument @('--api-key', 'sk-KLING-SECRET-7f3a9c2e51')
    }

    AfterAll {
        Stop-KlingEmulator $emu
    }

    BeforeEach {
        Reset-Emulator $emu
    }

    Describe 'The API key never leaks' {
        It 'appears in no output stream, error, exception, file or download request of a full batch with -Verbose and -Debug' {
            $out = Join-Path $TestDrive 'videos'
            $frame = Join-Path $TestDrive 'frame.png'
            [IO.File]::WriteAllBytes($frame, [byte[]] (0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [guid]::NewGuid().ToByteArray())
            $script = @"
`$ErrorActionPreference = 'Continue'
`$DebugPreference = 'Continue'
`$VerbosePreference = 'Continue'
`$InformationPreference = 'Continue'
`$WarningPreference = 'Continue'
Import-Module '$ModulePath'
`$rows = @(
    [pscustomobject]@{ prompt = 'good one'; Name = 'good' }
    [pscustomobject]@{ prompt = 'bad ratio'; aspect_ratio = '4:3' }
    [pscustomobject]@{ prompt = 'will [fail]'; Name = 'failing' }
    [pscustomobject]@{ prompt = 'with a local first frame'; Name = 'framed'; first_frame = '$frame' }
)
function Add-Fault(`$json) { `$DebugPreference = 'SilentlyContinue'; `$VerbosePreference = 'SilentlyContinue'; Invoke-RestMethod -Method Post -Uri '$($emu.Gateway)/_emulator/faults' -ContentType 'application/json' -Body `$json | Out-Null }
& {
    `$rows | New-KlingVideo -Verbose -Debug | Wait-KlingTask -PollInterval 0.1 -Verbose -Debug | Save-KlingVideo -Path '$out' -Verbose -Debug
    # A gateway that echoes the key back in its error message must not make Kling print it.
    Add-Fault ('{"route":"submit","status":400,"times":1,"message":"bad request echo ' + `$env:KLING_API_KEY + '"}')
    New-KlingVideo -Prompt 'gateway rejects' -Verbose -Debug
    Add-Fault '{"route":"submit","status":500,"times":1}'
    New-KlingVideo -Prompt 'server error' -Verbose -Debug
    Add-Fault '{"route":"task","status":500,"times":10}'
    Get-KlingTask -TaskId task_unknown -Verbose -Debug
    # Uploads: a refusal that echoes the key, then one that works.
    Add-Fault ('{"route":"upload","status":400,"times":1,"message":"upload echo ' + `$env:KLING_API_KEY + '"}')
    Send-KlingImage -Path '$frame' -Force -Verbose -Debug
    Send-KlingImage -Path '$frame' -Force -Verbose -Debug
} *>&1 | Out-String -Width 400
'----- ERRORS -----'
`$Error | ForEach-Object { `$_ | Format-List * -Force | Out-String -Width 400; `$_.Exception.ToString(); `$_.Exception | Format-List * -Force | Out-String -Width 400 }
`$env:KLING_API_KEY = 'sk-WRONG-KEY-0b1d'
try { New-KlingVideo -Prompt 'unauthorised' -Verbose -Debug *>&1 | Out-String } catch { `$_ | Format-List * -Force | Out-String; `$_.Exception.ToString() }
"@
            $result = Invoke-ChildPwsh -Script $script -Environment @{ KLING_API_KEY = $emu.ApiKey; KLING_BASE_URL = $emu.Gateway }
            # The run did real work (otherwise finding nothing proves nothing) ...
            $result.Output | Should -BeLike '*POST*v1/videos/generations*'
            $result.Output | Should -BeLike '*GET*v1/tasks/*'
            $result.Output | Should -BeLike '*Row 2*aspect_ratio*'
            $result.Output | Should -BeLike '*TaskFailed*'
            $result.Output | Should -BeLike '*OutcomeUnknown*'
            $result.Output | Should -BeLike '*bad request echo `*`*`**'
            $result.Output | Should -BeLike '*authentication_error*'
            $result.Output | Should -BeLike '*POST*v1/uploads/images*'
            $result.Output | Should -BeLike '*UploadFailed*upload echo `*`*`**'
            Test-Path (Join-Path $out 'good.mp4') | Should -BeTrue
            Test-Path (Join-Path $out 'framed.mp4') | Should -BeTrue
            # ... and the keys are nowhere in it.
            $result.Output | Should -Not -BeLike '*sk-KLING-SECRET-7f3a9c2e51*'
            $result.Output | Should -Not -BeLike '*sk-WRONG-KEY-0b1d*'
            Get-ChildItem $out -Recurse -File -Force | ForEach-Object {
                [IO.File]::ReadAllText($_.FullName) | Should -Not -BeLike '*sk-KLING-SECRET*'
            }
            foreach ($r in @(Get-EmulatorRequest $emu -HostName storage)) {
                ($r | ConvertTo-Json -Depth 5) | Should -Not -BeLike '*sk-KLING-SECRET*'
            }
        }

        It 'keeps the key out of the task objects and the request they carry' {
            $env:KLING_API_KEY = $emu.ApiKey
            $env:KLING_BASE_URL = $emu.Gateway
            try {
                $task = New-KlingVideo -Prompt 'inspect me'
                ($task | ConvertTo-Json -Depth 6) | Should -Not -BeLike '*sk-KLING-SECRET*'
                ($task | Format-List * -Force | Out-String) | Should -Not -BeLike '*sk-KLING-SECRET*'
            }
            finally {
                Remove-Item Env:KLING_API_KEY, Env:KLING_BASE_URL -ErrorAction SilentlyContinue
            }
        }
    
        It 'does not follow a gateway redirect to another host, so the key never reaches it' {
            $env:KLING_API_KEY = $emu.ApiKey
            $env:KLING_BASE_URL = $emu.Gateway
            try {
                $task = New-KlingVideo -Prompt 'redirected later'
                Add-EmulatorFault $emu @{ route = 'task'; kind = 'redirect'; status = 307; times = 10; location = "$($emu.Storage)/steal-key" }
                Get-KlingTask -TaskId $task.TaskId -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
                $errs.Count | Should -Be 1
                $errs[0].Exception.Message | Should -BeLike '*307*does not follow redirects*'
                # A redirect is not retried either: one status call.
                @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike "/v1/tasks/$($task.TaskId)*").Count | Should -Be 1
                @(Get-EmulatorRequest $emu -HostName storage).Count | Should -Be 0
                @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/tasks/*').Count | Should -BeGreaterThan 0
            }
            finally {
                Remove-Item Env:KLING_API_KEY, Env:KLING_BASE_URL -ErrorAction SilentlyContinue
            }
        }
    }
}
