Describe 'Connect-Kling' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5
    }

    AfterAll {
        Disconnect-Kling
        Stop-KlingEmulator $emu
    }

    BeforeEach {
        Reset-Emulator $emu
        Disconnect-Kling
        Remove-Item Env:KLING_API_KEY, Env:KLING_BASE_URL -ErrorAction SilentlyContinue
    }

    Describe 'Connect-Kling and Disconnect-Kling' {
        It 'uses the key and URL given to Connect-Kling, without any environment variable' {
            Connect-Kling -ApiKey (ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force) -BaseUrl $emu.Gateway
            $task = New-KlingVideo -Prompt 'connected'
            $task.TaskId | Should -Match '^task_'
            $post = @(Get-EmulatorRequest $emu -HostName gateway -Method POST)[0]
            Get-HeaderValue $post 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
        }

        It 'prefers the Connect-Kling key over $env:KLING_API_KEY' {
            $env:KLING_API_KEY = 'stale-environment-key'
            $env:KLING_BASE_URL = $emu.Gateway
            Connect-Kling -ApiKey (ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force)
            { New-KlingVideo -Prompt 'x' } | Should -Not -Throw
        }

        It 'forgets the key on Disconnect-Kling' {
            Connect-Kling -ApiKey (ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force) -BaseUrl $emu.Gateway
            Disconnect-Kling
            { New-KlingVideo -Prompt 'x' -ErrorAction Stop } | Should -Throw -ErrorId 'MissingApiKey,Kling.Commands.NewKlingVideoCommand'
            @(Get-EmulatorRequest $emu).Count | Should -Be 0
        }

        It 'refuses http:// for a host that is not loopback' {
            { Connect-Kling -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUrl 'http://gateway.example' } |
                Should -Throw -ErrorId 'InvalidBaseUrl,Kling.Commands.ConnectKlingCommand'
        }

        It 'accepts https:// and loopback http:// URLs' {
            { Connect-Kling -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUrl 'https://gateway.example' } | Should -Not -Throw
            { Connect-Kling -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUrl 'http://localhost:1234' } | Should -Not -Throw
        }

        It 'takes the key as a SecureString only' {
            (Get-Command Connect-Kling).Parameters['ApiKey'].ParameterType | Should -Be ([securestring])
        }
    }
}
