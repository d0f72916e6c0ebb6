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

    Describe 'Keys from a credential or a vault, and Get-KlingConfig' {
        It 'takes the key from a credential''s password' {
            $credential = [pscredential]::new('ignored', (ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force))
            Connect-Kling -Credential $credential -BaseUrl $emu.Gateway
            (New-KlingVideo -Prompt 'by credential').TaskId | Should -Match '^task_'
            Get-HeaderValue @(Get-EmulatorRequest $emu -HostName gateway -Method POST)[0] 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
            (Get-KlingConfig).KeySource | Should -Be 'Connect-Kling -Credential'
        }

        It 'says how to install SecretManagement when -Vault is used without it' {
            $run = Invoke-ChildPwsh -Script "Import-Module '$ModulePath'; try { Connect-Kling -Vault Store -SecretName Kling } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.Exception.Message }" -Environment @{ PSModulePath = (Join-Path $TestDrive 'no-modules') }
            $run.Output | Should -BeLike '*SecretManagementMissing,Kling.Commands.ConnectKlingCommand*'
            $run.Output | Should -BeLike '*NotInstalled*'
            $run.Output | Should -BeLike '*Install-PSResource Microsoft.PowerShell.SecretManagement*'
        }

        It 'reads the key from a SecretManagement vault (<kind> secret)' -ForEach @(
            @{ kind = 'string' }, @{ kind = 'securestring' }, @{ kind = 'credential' }
        ) {
            # A stand-in SecretManagement module with the same name and Get-Secret signature.
            $modules = Join-Path $TestDrive "modules-$kind"
            $dir = Join-Path $modules 'Microsoft.PowerShell.SecretManagement'
            New-Item -ItemType Directory $dir -Force | Out-Null
            $value = switch ($kind) {
                'string' { "'$($emu.ApiKey)'" }
                'securestring' { "(ConvertTo-SecureString '$($emu.ApiKey)' -AsPlainText -Force)" }
                'credential' { "[pscredential]::new('u', (ConvertTo-SecureString '$($emu.ApiKey)' -AsPlainText -Force))" }
            }
            Set-Content (Join-Path $dir 'Microsoft.PowerShell.SecretManagement.psm1') @"
function Get-Secret { param([string] `$Name, [string] `$Vault)
    if (`$Vault -ne 'Store' -or `$Name -ne 'Kling') { throw "no secret '`$Name' in '`$Vault'" }
    $value
}
"@
            $script = "Import-Module '$ModulePath'; Connect-Kling -Vault Store -SecretName Kling -BaseUrl '$($emu.Gateway)'; (New-KlingVideo -Prompt 'from the vault').TaskId; (Get-KlingConfig).KeySource; try { Connect-Kling -Vault Store -SecretName Other } catch { `$_.FullyQualifiedErrorId }"
            $run = Invoke-ChildPwsh -Script $script -Environment @{ PSModulePath = $modules }
            $run.Output | Should -Match 'task_\w+'
            $run.Output | Should -BeLike "*Connect-Kling -Vault 'Store' -SecretName 'Kling'*"
            $run.Output | Should -BeLike '*SecretUnavailable,Kling.Commands.ConnectKlingCommand*'
            $run.Output | Should -Not -BeLike "*$($emu.ApiKey)*"
            Get-HeaderValue @(Get-EmulatorRequest $emu -HostName gateway -Method POST)[0] 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
        }

        It 'shows where the settings come from, and never the key' {
            $env:KLING_API_KEY = $emu.ApiKey
            $config = Get-KlingConfig
            $config | Should -BeOfType ([Kling.Core.KlingConfig])
            $config.BaseUrl | Should -Be 'https://xcompute.us/'
            $config.BaseUrlSource | Should -Be 'default'
            $config.HasKey | Should -BeTrue
            $config.KeySource | Should -Be '$env:KLING_API_KEY'
            $config.RequestTimeout | Should -Be ([timespan]::FromSeconds(100))
            $config.UserAgent | Should -BeLike 'Kling-PowerShell/*'
            ($config | Format-List * | Out-String) | Should -Not -BeLike "*$($emu.ApiKey)*"

            $env:KLING_BASE_URL = $emu.Gateway
            (Get-KlingConfig).BaseUrlSource | Should -Be '$env:KLING_BASE_URL'
            Connect-Kling -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUrl $emu.Gateway -TimeoutSec 30
            $config = Get-KlingConfig
            $config.BaseUrlSource | Should -Be 'Connect-Kling'
            $config.KeySource | Should -Be 'Connect-Kling -ApiKey'
            $config.RequestTimeout | Should -Be ([timespan]::FromSeconds(30))
            Disconnect-Kling
            Remove-Item Env:KLING_API_KEY
            $config = Get-KlingConfig
            $config.HasKey | Should -BeFalse
            $config.KeySource | Should -Be 'none'
            @(Get-EmulatorRequest $emu).Count | Should -Be 0
        }
    }

    Describe 'Connect-Kling -Proxy' {
        AfterEach {
            Invoke-EmulatorControl $emu config -Body @{ proxyCredential = $null } | Out-Null
        }

        It 'sends every call through the proxy: submit, status, upload and download' {
            $frame = Join-Path $TestDrive 'proxied.png'
            [IO.File]::WriteAllBytes($frame, [byte[]] (0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [guid]::NewGuid().ToByteArray())
            Connect-Kling -ApiKey (ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force) -BaseUrl $emu.Gateway -Proxy $emu.Proxy
            $file = New-KlingVideo -Prompt 'through the proxy' -FirstFrame $frame | Wait-KlingTask -PollInterval 0.2 | Save-KlingVideo -Path (Join-Path $TestDrive 'proxied')
            $file.Length | Should -BeGreaterThan 0
            $proxied = @(Get-EmulatorRequest $emu -HostName proxy)
            @($proxied | Where-Object { $_.method -eq 'POST' -and $_.path -like '/v1/videos/generations*' }).Count | Should -Be 1
            @($proxied | Where-Object { $_.method -eq 'POST' -and $_.path -like '/v1/uploads/images*' }).Count | Should -Be 1
            @($proxied | Where-Object { $_.path -like '/v1/tasks/*' }).Count | Should -BeGreaterThan 0
            @($proxied | Where-Object { $_.path -like '/files/*' }).Count | Should -Be 1
            # The key rides only in the gateway's requests; the download went through the proxy without it.
            Get-HeaderValue ($proxied | Where-Object { $_.path -like '/files/*' }) 'Authorization' | Should -BeNullOrEmpty
            (Get-KlingConfig).Proxy | Should -BeLike "$($emu.Proxy)*"
        }

        It 'uses the system proxy (http_proxy) when no -Proxy is given, for the gateway and the download host' {
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$file = New-KlingVideo -Prompt 'through the system proxy' | Wait-KlingTask -PollInterval 0.2 | Save-KlingVideo -Path '$(Join-Path $TestDrive 'system-proxy')'
'saved=' + `$file.Length
"@
            $run = Invoke-ChildPwsh -Script $script -Environment @{
                KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey; http_proxy = $emu.Proxy; no_proxy = ''
            }
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match 'saved=[1-9]'
            $proxied = @(Get-EmulatorRequest $emu -HostName proxy)
            @($proxied | Where-Object { $_.method -eq 'POST' -and $_.path -like '/v1/videos/generations*' }).Count | Should -Be 1
            @($proxied | Where-Object { $_.path -like '/files/*' }).Count | Should -Be 1
        }

        It 'authenticates to the proxy with -ProxyCredential, and fails clearly without it' {
            Invoke-EmulatorControl $emu config -Body @{ proxyCredential = 'kling:proxy-pass' } | Out-Null
            $key = ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force
            Connect-Kling -ApiKey $key -BaseUrl $emu.Gateway -Proxy $emu.Proxy
            # Every call would fail the same way, so it stops the command, like a bad key.
            $rows = 1..3 | ForEach-Object { [pscustomobject]@{ prompt = "no proxy credential $_" } }
            $failure = $null
            try { $rows | New-KlingVideo -ThrottleLimit 1 } catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty
            $failure.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $failure.Exception.Message | Should -BeLike '*407*-ProxyCredential*'
            Get-SubmitCount $emu | Should -Be 0
            @(Get-EmulatorRequest $emu -HostName proxy).Count | Should -Be 1

            $credential = [pscredential]::new('kling', (ConvertTo-SecureString 'proxy-pass' -AsPlainText -Force))
            Connect-Kling -ApiKey $key -BaseUrl $emu.Gateway -Proxy $emu.Proxy -ProxyCredential $credential
            (New-KlingVideo -Prompt 'with proxy credential').TaskId | Should -Match '^task_'
            Get-SubmitCount $emu | Should -Be 1
            (Get-KlingConfig).Proxy | Should -BeLike '*(as kling)'
            (Get-KlingConfig | Out-String) | Should -Not -BeLike '*proxy-pass*'
        }
    }
}
