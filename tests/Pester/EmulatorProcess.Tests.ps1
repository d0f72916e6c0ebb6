# Issue 20, points 7 and 8: the emulator as a process: it stops cleanly on SIGTERM and Ctrl+C (SIGINT), it stays on
# loopback whatever the ASP.NET Core configuration of its environment or folder says, and its key is its own.
Describe 'The emulator process' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:dll = Join-Path $RepoRoot 'out/emulator/Kling.Emulator.dll'

        function Start-EmulatorProcess {
            <#
                The emulator with default signal handling (a test runner started in the background may ignore SIGINT, and a
                child inherits that), its first line read; returns the process, its JSON line and its error output.
            #>
            param([string[]] $Argument = @())
            $psi = [System.Diagnostics.ProcessStartInfo]::new('env')
            foreach ($a in @('--default-signal=INT,TERM', 'dotnet', $dll, '--json-only', '--parent-pid', [string]$PID) + $Argument) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $psi.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($psi)
            $stderr = $process.StandardError.ReadToEndAsync()
            $line = $process.StandardOutput.ReadLineAsync()
            if (-not $line.Wait([TimeSpan]::FromSeconds(30)) -or -not $line.Result) { $process.Kill(); throw "The emulator did not start: $($stderr.Result)" }
            $rest = $process.StandardOutput.ReadToEndAsync()
            [pscustomobject]@{ Process = $process; Info = ($line.Result | ConvertFrom-Json); Stderr = $stderr; Stdout = $rest }
        }

        function Get-ListeningAddress {
            <# The addresses (ip:port) a process listens on, read from /proc (its socket inodes in /proc/net/tcp and tcp6). #>
            param([Parameter(Mandatory)] [int] $ProcessId)
            $inodes = @(Get-ChildItem "/proc/$ProcessId/fd" -ErrorAction SilentlyContinue | ForEach-Object {
                    if ($_.LinkTarget -match '^socket:\[(\d+)\]$') { $Matches[1] }
                })
            foreach ($table in 'tcp', 'tcp6') {
                foreach ($row in @(Get-Content "/proc/net/$table" | Select-Object -Skip 1)) {
                    $f = -split $row
                    if ($f[3] -ne '0A' -or $inodes -notcontains $f[9]) { continue } # 0A: LISTEN
                    $hex, $port = $f[1] -split ':'
                    # Each 32-bit word of the address is written little-endian.
                    $bytes = [byte[]] @(for ($w = 0; $w -lt $hex.Length; $w += 8) { for ($b = 6; $b -ge 0; $b -= 2) { [Convert]::ToByte($hex.Substring($w + $b, 2), 16) } })
                    '{0}:{1}' -f [Net.IPAddress]::new($bytes), [Convert]::ToInt32($port, 16)
                }
            }
        }
    }

    Describe 'Stopping it (issue 20, point 7)' {
        It 'exits 0, without an unhandled exception, on SIG<Signal>' -Skip:$IsWindows -ForEach @(@{ Signal = 'TERM' }, @{ Signal = 'INT' }) {
            $emulator = Start-EmulatorProcess
            try {
                # It serves first, so the stop meets a started host.
                (Invoke-RestMethod "$($emulator.Info.gateway)/_emulator/stats").statusCalls | Should -Be 0
                & kill "-$Signal" $emulator.Process.Id
                $emulator.Process.WaitForExit(30000) | Should -BeTrue
                $emulator.Process.ExitCode | Should -Be 0 -Because $emulator.Stderr.Result
                $emulator.Stderr.Result | Should -Not -BeLike '*Unhandled exception*'
            }
            finally {
                if (-not $emulator.Process.HasExited) { $emulator.Process.Kill() }
            }
        }
    }

    Describe 'Staying on loopback (issue 20, point 8)' {
        It 'listens on 127.0.0.1 only, and says so, with <Name>' -Skip:(-not $IsLinux) -ForEach @(
            @{ Name = 'ASPNETCORE_URLS=http://0.0.0.0:0 and ASPNETCORE_PREFERHOSTINGURLS=true'; Environment = @{ ASPNETCORE_URLS = 'http://0.0.0.0:0'; ASPNETCORE_PREFERHOSTINGURLS = 'true' } }
            @{ Name = 'ASPNETCORE_HTTP_PORTS=0 and ASPNETCORE_PREFERHOSTINGURLS=true'; Environment = @{ ASPNETCORE_HTTP_PORTS = '0'; ASPNETCORE_PREFERHOSTINGURLS = 'true' } }
            @{ Name = 'Kestrel__Endpoints__Open__Url=http://0.0.0.0:0'; Environment = @{ Kestrel__Endpoints__Open__Url = 'http://0.0.0.0:0' } }
            @{ Name = 'an appsettings.json in the current folder'; AppSettings = '{"Kestrel":{"Endpoints":{"Open":{"Url":"http://0.0.0.0:0"}}},"urls":"http://0.0.0.0:0"}' }
        ) {
            $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            New-Item -ItemType Directory $folder | Out-Null
            if ($AppSettings) { Set-Content (Join-Path $folder 'appsettings.json') $AppSettings }
            $emulator = Start-KlingEmulator -Environment $(if ($Environment) { $Environment } else { @{} }) -WorkingDirectory $folder -ExtraArgument '--json-only'
            try {
                $listening = @(Get-ListeningAddress -ProcessId $emulator.Process.Id)
                $listening.Count | Should -Be 3 -Because ($listening -join ', ')
                foreach ($address in $listening) { $address | Should -BeLike '127.0.0.1:*' }
                # The line it prints names the addresses it listens on.
                $said = @($emulator.Gateway, $emulator.Storage, $emulator.Proxy | ForEach-Object { ([Uri] $_).Authority })
                ($said | Sort-Object) | Should -Be ($listening | Sort-Object)
                (Invoke-RestMethod "$($emulator.Gateway)/_emulator/stats").accepted | Should -Be 0
            }
            finally {
                Stop-KlingEmulator $emulator
            }
        }
    }

    Describe 'Its key (issue 20, point 8)' {
        It 'is random for each start unless --api-key gives one, and printed as before' {
            $first = Start-KlingEmulator -ExtraArgument '--json-only'
            $second = Start-KlingEmulator -ExtraArgument '--json-only'
            $given = Start-KlingEmulator -ExtraArgument '--json-only', '--api-key', 'my-own-test-key'
            try {
                $first.ApiKey | Should -Not -Be 'kling-emulator-key'
                $first.ApiKey.Length | Should -BeGreaterOrEqual 32
                $first.ApiKey | Should -Not -Be $second.ApiKey
                $given.ApiKey | Should -Be 'my-own-test-key'
                # The old fixed key opens nothing; the printed one does.
                { Invoke-RestMethod "$($first.Gateway)/v1/balance" -Headers @{ Authorization = 'Bearer kling-emulator-key' } } | Should -Throw '*401*'
                (Invoke-RestMethod "$($first.Gateway)/v1/balance" -Headers @{ Authorization = "Bearer $($first.ApiKey)" }).success | Should -BeTrue
            }
            finally {
                $first, $second, $given | Stop-KlingEmulator
            }
        }
    }
}
