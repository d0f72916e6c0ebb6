Describe 'No colour codes when the output is redirected' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3

        function Invoke-Redirected {
            <#
                Runs a script file in a fresh pwsh as cron or a CI log would: standard output and error redirected to pipes,
                a terminal that takes colours (TERM), and none of this suite's own PlainText set-up (not Invoke-ChildPwsh).
            #>
            param([Parameter(Mandatory)] [string] $File, [string[]] $Arguments = @(), [hashtable] $Environment = @{})
            $pwsh = @(Get-PwshCommand)
            $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
            foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $Arguments) { $psi.ArgumentList.Add($a) }
            $psi.Environment.Remove('NO_COLOR') | Out-Null
            $psi.Environment['TERM'] = 'xterm-256color'
            foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string] $Environment[$k] }
            $psi.RedirectStandardInput = $true
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $psi.UseShellExecute = $false
            $p = [System.Diagnostics.Process]::Start($psi)
            $p.StandardInput.Close()
            $stdout = $p.StandardOutput.ReadToEndAsync()
            $stderr = $p.StandardError.ReadToEndAsync()
            if (-not $p.WaitForExit(180000)) { $p.Kill(); throw "$File did not finish within 180 s." }
            [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $stdout.Result + $stderr.Result }
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    It 'the demo (build.ps1 Demo''s script) writes no escape sequence into redirected output' {
        $run = Invoke-Redirected (Join-Path $RepoRoot 'examples/demo.ps1') -Environment @{ KLING_HOME = $env:KLING_HOME }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'videos saved'
        $run.Output | Should -Match 'TaskId'   # its table was written
        $run.Output | Should -Not -Match "`e\[" -Because 'a log or a pipe gets plain text'
    }

    It 'examples/scheduled-batch.ps1 writes none into its redirected output (cron) or its log' {
        Reset-Emulator $emu
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $dir | Out-Null
        try {
            $csv = Join-Path $dir 'prompts.csv'
            "Name,prompt,aspect_ratio,colour`none,First clip,,red`nbad,Second clip,4:3,blue" | Set-Content $csv -Encoding utf8
            $run = Invoke-Redirected (Join-Path $RepoRoot 'examples/scheduled-batch.ps1') -Arguments '-Csv', $csv, '-OutFolder', (Join-Path $dir 'videos') -Environment @{
                KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey; KLING_HOME = $env:KLING_HOME
                PSModulePath   = (Split-Path (Split-Path $ModulePath)) + [IO.Path]::PathSeparator + $env:PSModulePath
            }
            $run.ExitCode | Should -Be 1 -Because $run.Output
            $run.Output | Should -Match "WARNING: The column 'colour'"
            $run.Output | Should -Match "Row 2 \('bad'\)"
            $run.Output | Should -Not -Match "`e\["
            $log = @(Get-ChildItem (Join-Path $dir 'videos/logs') -Filter 'kling-*.log')
            Get-Content -Raw $log[0].FullName | Should -Not -Match "`e\["
        }
        finally {
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
        }
    }

    It 'the cmdlets'' own warnings, errors, closing lines and views carry none under <Name>' -ForEach @(
        @{ Name = 'NO_COLOR'; Environment = @{ NO_COLOR = '1' }; Prelude = '' }
        @{ Name = 'PlainText'; Environment = @{}; Prelude = "`$PSStyle.OutputRendering = 'PlainText'" }
    ) {
        Reset-Emulator $emu
        $dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $dir | Out-Null
        $script = Join-Path $dir 'run.ps1'
        @"
$Prelude
Import-Module '$ModulePath'
@([pscustomobject]@{ Name = 'a'; prompt = 'x'; colour = 'red' }, [pscustomobject]@{ Name = 'b'; prompt = 'y'; aspect_ratio = '4:3' }) |
    New-KlingVideo | Wait-KlingTask -PollInterval 0.1 | Save-KlingVideo -Path '$dir' | Format-Table Name, Length
Get-KlingModel | Select-Object -First 1 | Format-List
Get-KlingConfig
"@ | Set-Content -LiteralPath $script -Encoding utf8
        try {
            $run = Invoke-Redirected $script -Environment ($Environment + @{ KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey; KLING_HOME = $env:KLING_HOME })
            $run.Output | Should -Match "WARNING: The column 'colour'"
            $run.Output | Should -Match "Row 2 \('b'\)"
            $run.Output | Should -Match 'a\.mp4'
            $run.Output | Should -Not -Match "`e\[" -Because 'neither Kling nor its views write colour codes of their own'
        }
        finally {
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
        }
    }
}
