Describe 'Connect-Kling' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5
    }

    AfterAll {
        Close-TestEmulator $emu
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
            (New-KlingVideo -Prompt 'x').TaskId | Should -Match '^task_'
            $post = @(Get-EmulatorRequest $emu -HostName gateway -Method POST)[0]
            Get-HeaderValue $post 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
            (Get-KlingConfig).KeySource | Should -Be 'Connect-Kling -ApiKey'
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
            Connect-Kling -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUrl 'https://gateway.example'
            (Get-KlingConfig).BaseUrl | Should -Be 'https://gateway.example/'
            Connect-Kling -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUrl 'http://localhost:1234'
            (Get-KlingConfig).BaseUrl | Should -Be 'http://localhost:1234/'
            (Get-KlingConfig).BaseUrlSource | Should -Be 'Connect-Kling'
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

    Describe 'Keys that cannot go into a header (issue 11, point 4)' {
        BeforeEach {
            $script:journal = Join-Path $TestDrive ("keys-{0}.jsonl" -f [guid]::NewGuid().ToString('n'))
            function New-Rows { 1..3 | ForEach-Object { [pscustomobject]@{ prompt = "key row $_"; Name = "key-$_" } } }
            function Get-UnresolvedSending {
                <# Journal keys whose last line is "sending": a rerun would report them as maybe billed and not send them. #>
                $last = @{}
                foreach ($line in Read-JournalLine $journal) { $last[$line.key] = $line.type }
                @($last.Keys | Where-Object { $last[$_] -eq 'sending' })
            }
        }

        It 'trims a line break around $env:KLING_API_KEY (Get-Content -Raw) and submits every row' {
            $env:KLING_BASE_URL = $emu.Gateway
            $env:KLING_API_KEY = "$($emu.ApiKey)`n"
            $out = @(New-Rows | New-KlingVideo -Journal $journal -ErrorVariable errs -Verbose 4>&1)
            $errs | Should -BeNullOrEmpty
            @($out | Where-Object { $_ -is [Kling.Core.KlingTask] }).Count | Should -Be 3
            (@($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -BeLike '*whitespace*removed*'
            Get-SubmitCount $emu | Should -Be 3
            Get-HeaderValue @(Get-EmulatorRequest $emu -HostName gateway -Method POST)[0] 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
            @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count | Should -Be 3
        }

        It 'trims a line break around the key given to Connect-Kling, says so, and submits' {
            $raw = "$($emu.ApiKey)`r`n"
            Connect-Kling -ApiKey (ConvertTo-SecureString $raw -AsPlainText -Force) -BaseUrl $emu.Gateway -WarningVariable warns -WarningAction SilentlyContinue
            $warns.Count | Should -Be 1
            $warns[0].Message | Should -BeLike '*whitespace*removed*'
            $warns[0].Message | Should -Not -BeLike "*$($emu.ApiKey)*"
            $out = @(New-Rows | New-KlingVideo -Journal $journal -ErrorVariable errs)
            $errs | Should -BeNullOrEmpty
            $out.Count | Should -Be 3
            Get-HeaderValue @(Get-EmulatorRequest $emu -HostName gateway -Method POST)[0] 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
        }

        It 'refuses in Connect-Kling a key with <what>, without showing the key' -ForEach @(
            @{ what = 'a non-ASCII character'; key = 'sk-kling-cl' + [char] 0xE9 + 'secret' }
            @{ what = 'a space'; key = 'sk-kling secret' }
            @{ what = 'a line break'; key = "sk-kling`nsecret" }
        ) {
            $failure = $null
            try { Connect-Kling -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUrl $emu.Gateway } catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty
            $failure.FullyQualifiedErrorId | Should -Be 'InvalidApiKey,Kling.Commands.ConnectKlingCommand'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.Exception.Message | Should -BeLike "*$what*position*"
            $failure.Exception.Message | Should -Not -BeLike '*secret*'
            $failure.TargetObject | Should -BeNullOrEmpty
            (Get-KlingConfig).HasKey | Should -BeFalse
        }

        It 'stops at once with one error for a non-ASCII $env:KLING_API_KEY, sends nothing, and a rerun with the right key sends every row' {
            $env:KLING_BASE_URL = $emu.Gateway
            $env:KLING_API_KEY = $emu.ApiKey + [char] 0xE9
            $failure = $null
            $errs = @()
            try { New-Rows | New-KlingVideo -Journal $journal -ErrorVariable errs } catch { $failure = $_ }
            $failure | Should -Not -BeNullOrEmpty
            $failure.FullyQualifiedErrorId | Should -Be 'InvalidApiKey,Kling.Commands.NewKlingVideoCommand'
            $failure.Exception.Message | Should -BeLike '*KLING_API_KEY*non-ASCII*nothing was sent*'
            $failure.Exception.Message | Should -Not -BeLike "*$($emu.ApiKey)*"
            @($errs).Count | Should -Be 1 -Because 'one clear error, not one per row'
            @(Get-EmulatorRequest $emu).Count | Should -Be 0
            Get-UnresolvedSending | Should -BeNullOrEmpty

            $env:KLING_API_KEY = $emu.ApiKey
            $out = @(New-Rows | New-KlingVideo -Journal $journal -ErrorVariable rerunErrors)
            $rerunErrors | Should -BeNullOrEmpty
            $out.Count | Should -Be 3
            Get-SubmitCount $emu | Should -Be 3
        }

        It 'journals rows as not sent when the gateway refuses the connection, and a rerun against a live gateway sends them' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $closedPort = $listener.LocalEndpoint.Port
            $listener.Stop()
            $env:KLING_API_KEY = $emu.ApiKey
            $env:KLING_BASE_URL = "http://127.0.0.1:$closedPort"
            $out = @(New-Rows | New-KlingVideo -Journal $journal -ThrottleLimit 1 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 0
            $errs.Count | Should -Be 3
            $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'GatewayNetwork,*' }
            ($errs.Exception.Message -join "`n") | Should -Not -BeLike '*billed*'
            Get-UnresolvedSending | Should -BeNullOrEmpty
            @(Read-JournalLine $journal | Where-Object type -EQ 'not_sent').Count | Should -Be 3

            $env:KLING_BASE_URL = $emu.Gateway
            $out = @(New-Rows | New-KlingVideo -Journal $journal -ErrorVariable rerunErrors)
            $rerunErrors | Should -BeNullOrEmpty
            $out.Count | Should -Be 3
            Get-SubmitCount $emu | Should -Be 3
        }
    }

    Describe 'A base URL with a user name or password (issue 11, point 5)' {
        It 'refuses it in Connect-Kling without echoing the password' {
            $failure = $null
            try { Connect-Kling -ApiKey (ConvertTo-SecureString 'k' -AsPlainText -Force) -BaseUrl 'https://kling:hunter2@gateway.example/' } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -Be 'InvalidBaseUrl,Kling.Commands.ConnectKlingCommand'
            $failure.Exception.Message | Should -BeLike '*user*password*'
            $failure.Exception.Message | Should -Not -BeLike '*hunter2*'
            [string] $failure.TargetObject | Should -Not -BeLike '*hunter2*'
            [string] $failure.TargetObject | Should -BeLike '*gateway.example*'
        }

        It 'refuses it from $env:KLING_BASE_URL before sending anything, without echoing the password (<url>)' -ForEach @(
            @{ url = 'http://kling:hunter2@127.0.0.1:9/' }
            @{ url = 'ht tp://kling:hunter2@127.0.0.1:9/' }
        ) {
            $env:KLING_API_KEY = $emu.ApiKey
            $env:KLING_BASE_URL = $url
            $failure = $null
            try { New-KlingVideo -Prompt 'user info' } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -Be 'InvalidBaseUrl,Kling.Commands.NewKlingVideoCommand'
            $failure.Exception.Message | Should -Not -BeLike '*hunter2*'
            [string] $failure.TargetObject | Should -Not -BeLike '*hunter2*'
            $config = $null
            try { Get-KlingConfig } catch { $config = $_ }
            $config.FullyQualifiedErrorId | Should -Be 'InvalidBaseUrl,Kling.Commands.GetKlingConfigCommand'
            [string] $config.TargetObject | Should -Not -BeLike '*hunter2*'
            $config.Exception.Message | Should -Not -BeLike '*hunter2*'
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
