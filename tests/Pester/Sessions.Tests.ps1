# Connect-Kling belongs to the runspace that ran it (issue 11, point 10): real runspaces in this process, two
# emulators with different keys.
Describe 'Connections per runspace' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emuA = Start-KlingEmulator -TaskSeconds 0.5 -ExtraArgument '--api-key', 'key-of-runspace-a'
        $script:emuB = Start-KlingEmulator -TaskSeconds 0.5 -ExtraArgument '--api-key', 'key-of-runspace-b'

        function New-KlingRunspace {
            <# A runspace of its own in this process, with Kling imported (the same Kling.dll as this one). #>
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddScript('param($m) Import-Module $m').AddArgument($ModulePath).Invoke()
            $ps.Commands.Clear()
            $ps
        }

        function Invoke-InRunspace {
            param([Parameter(Mandatory)] $PowerShell, [Parameter(Mandatory)] [string] $Script, [object[]] $Arguments = @())
            $PowerShell.Commands.Clear()
            $PowerShell.Streams.Error.Clear()
            $null = $PowerShell.AddScript($Script)
            foreach ($a in $Arguments) { $null = $PowerShell.AddArgument($a) }
            $PowerShell.Invoke()
        }

        function Close-KlingRunspace {
            param($PowerShell)
            if ($PowerShell) {
                $runspace = $PowerShell.Runspace
                $PowerShell.Dispose()
                $runspace.Dispose()
            }
        }

        function Get-Authorization {
            param($Emulator)
            @(Get-EmulatorRequest $Emulator -HostName gateway -Method POST -PathLike '/v1/videos/generations*' | ForEach-Object { Get-HeaderValue $_ 'Authorization' })
        }

        function Get-Prompt {
            param($Emulator)
            @(Get-SubmitBody $Emulator | ForEach-Object prompt)
        }

        $script:submitScript = 'param($who) 1..4 | ForEach-Object { [pscustomobject]@{ prompt = "$who $_" } } | New-KlingVideo -ThrottleLimit 2 | ForEach-Object TaskId'
    }

    AfterAll {
        Disconnect-Kling
        Remove-Item Env:KLING_API_KEY, Env:KLING_BASE_URL -ErrorAction SilentlyContinue
        Stop-KlingEmulator $emuA
        Stop-KlingEmulator $emuB
    }

    BeforeEach {
        Reset-Emulator $emuA
        Reset-Emulator $emuB
        Disconnect-Kling
        Remove-Item Env:KLING_API_KEY, Env:KLING_BASE_URL -ErrorAction SilentlyContinue
        $script:runspaceA = $null
        $script:runspaceB = $null
    }

    AfterEach {
        Close-KlingRunspace $runspaceA
        Close-KlingRunspace $runspaceB
    }

    It 'keeps two runspaces connected to different gateways apart: each sends its own rows with its own key' {
        $script:runspaceA = New-KlingRunspace
        $script:runspaceB = New-KlingRunspace
        $connect = 'param($url, $key) Connect-Kling -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUrl $url'
        Invoke-InRunspace $runspaceA $connect $emuA.Gateway, $emuA.ApiKey
        Invoke-InRunspace $runspaceB $connect $emuB.Gateway, $emuB.ApiKey

        # Both submit at the same time, each on its own pipeline thread.
        $runspaceA.Commands.Clear(); $null = $runspaceA.AddScript($submitScript).AddArgument('from A')
        $runspaceB.Commands.Clear(); $null = $runspaceB.AddScript($submitScript).AddArgument('from B')
        $a = $runspaceA.BeginInvoke()
        $b = $runspaceB.BeginInvoke()
        $tasksA = @($runspaceA.EndInvoke($a))
        $tasksB = @($runspaceB.EndInvoke($b))
        $runspaceA.Streams.Error | Should -BeNullOrEmpty
        $runspaceB.Streams.Error | Should -BeNullOrEmpty
        $tasksA.Count | Should -Be 4
        $tasksB.Count | Should -Be 4

        Get-Prompt $emuA | Sort-Object | Should -Be @('from A 1', 'from A 2', 'from A 3', 'from A 4')
        Get-Prompt $emuB | Sort-Object | Should -Be @('from B 1', 'from B 2', 'from B 3', 'from B 4')
        Get-Authorization $emuA | Sort-Object -Unique | Should -Be "Bearer $($emuA.ApiKey)"
        Get-Authorization $emuB | Sort-Object -Unique | Should -Be "Bearer $($emuB.ApiKey)"

        # Each runspace reports its own connection.
        (Invoke-InRunspace $runspaceA 'Get-KlingConfig').BaseUrl | Should -Be "$($emuA.Gateway)/"
        (Invoke-InRunspace $runspaceB 'Get-KlingConfig').BaseUrl | Should -Be "$($emuB.Gateway)/"
    }

    It 'lets a runspace that never connected use the environment variables, not another runspace''s connection' {
        Connect-Kling -ApiKey (ConvertTo-SecureString $emuA.ApiKey -AsPlainText -Force) -BaseUrl $emuA.Gateway
        $env:KLING_BASE_URL = $emuB.Gateway
        $env:KLING_API_KEY = $emuB.ApiKey
        $script:runspaceB = New-KlingRunspace
        $config = Invoke-InRunspace $runspaceB 'Get-KlingConfig'
        $config.KeySource | Should -Be '$env:KLING_API_KEY'
        $config.BaseUrlSource | Should -Be '$env:KLING_BASE_URL'
        @(Invoke-InRunspace $runspaceB $submitScript 'unconnected').Count | Should -Be 4
        Get-SubmitCount $emuA | Should -Be 0
        Get-Authorization $emuB | Sort-Object -Unique | Should -Be "Bearer $($emuB.ApiKey)"

        # And this runspace still has its own connection.
        (New-KlingVideo -Prompt 'connected here').TaskId | Should -Match '^task_'
        Get-Prompt $emuA | Should -Be 'connected here'
    }

    It 'gives ForEach-Object -Parallel and Start-ThreadJob runspaces the environment, not the caller''s connection' {
        Connect-Kling -ApiKey (ConvertTo-SecureString $emuA.ApiKey -AsPlainText -Force) -BaseUrl $emuA.Gateway
        $env:KLING_BASE_URL = $emuB.Gateway
        $env:KLING_API_KEY = $emuB.ApiKey
        $module = $ModulePath
        $parallel = @(1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:module
                (New-KlingVideo -Prompt "parallel $_").TaskId
            })
        $parallel.Count | Should -Be 2
        if (Get-Command Start-ThreadJob -ErrorAction SilentlyContinue) {
            $job = Start-ThreadJob -ScriptBlock { param($m) Import-Module $m; (New-KlingVideo -Prompt 'thread job').TaskId } -ArgumentList $module
            @(Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop).Count | Should -Be 1
        }

        Get-SubmitCount $emuA | Should -Be 0
        Get-Prompt $emuB | Where-Object { $_ -like 'parallel *' } | Sort-Object | Should -Be @('parallel 1', 'parallel 2')
        Get-Authorization $emuB | Sort-Object -Unique | Should -Be "Bearer $($emuB.ApiKey)"
    }

    It 'forgets the connection on Remove-Module, so Import-Module starts without it' {
        $script:runspaceA = New-KlingRunspace
        $script = @'
param($m, $url, $key)
Connect-Kling -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUrl $url
$before = Get-KlingConfig
Remove-Module Kling
Import-Module $m
$after = Get-KlingConfig
[pscustomobject]@{ Before = $before.KeySource; After = $after.KeySource; AfterHasKey = $after.HasKey; AfterUrl = $after.BaseUrlSource }
'@
        $result = Invoke-InRunspace $runspaceA $script $ModulePath, $emuA.Gateway, $emuA.ApiKey
        $runspaceA.Streams.Error | Should -BeNullOrEmpty
        $result.Before | Should -Be 'Connect-Kling -ApiKey'
        $result.After | Should -Be 'none'
        $result.AfterHasKey | Should -BeFalse
        $result.AfterUrl | Should -Be 'default'
    }
}
