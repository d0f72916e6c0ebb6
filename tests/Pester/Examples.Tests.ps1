Describe 'examples/scheduled-batch.ps1' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3
        $script:example = Join-Path $RepoRoot 'examples/scheduled-batch.ps1'

        function Invoke-Example {
            <# Runs the example as a scheduler would: a fresh pwsh, the key in the environment, Kling on PSModulePath. #>
            param([string] $Key = $emu.ApiKey, [string] $More = '')
            $moduleDir = Split-Path (Split-Path $ModulePath)
            $script = "& '$example' -Csv '$csv' -OutFolder '$outDir' $More; exit `$LASTEXITCODE"
            Invoke-ChildPwsh -Script $script -Environment @{
                KLING_BASE_URL = $emu.Gateway
                KLING_API_KEY  = $Key
                PSModulePath   = $moduleDir + [IO.Path]::PathSeparator + $env:PSModulePath
            }
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Reset-Emulator $emu
        $script:dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script:csv = Join-Path $dir 'prompts.csv'
        $script:outDir = Join-Path $dir 'videos'
    }

    AfterEach {
        Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
    }

    It 'exits 0 when every row became a video, keeps a log and a journal without the key' {
        "Name,prompt`none,First clip`ntwo,Second clip" | Set-Content $csv -Encoding utf8
        $run = Invoke-Example
        $run.ExitCode | Should -Be 0 -Because $run.Output
        (Get-ChildItem $outDir -Filter *.mp4).Name | Sort-Object | Should -Be @('one.mp4', 'two.mp4')
        $log = @(Get-ChildItem (Join-Path $outDir 'logs') -Filter 'kling-*.log')
        $log.Count | Should -Be 1
        Get-Content -Raw $log[0].FullName | Should -Not -Match ([regex]::Escape($emu.ApiKey))
        $journal = Join-Path $dir 'prompts.journal.jsonl'
        Test-Path $journal | Should -BeTrue
        Get-Content -Raw $journal | Should -Not -Match ([regex]::Escape($emu.ApiKey))
    }

    It 'exits 1 on a bad row, and a rerun resumes from the journal without paying twice' {
        "Name,prompt,aspect_ratio`none,First clip,`nbad,Second clip,4:3`nthree,Third clip," | Set-Content $csv -Encoding utf8
        $first = Invoke-Example
        $first.ExitCode | Should -Be 1 -Because $first.Output
        (Get-ChildItem $outDir -Filter *.mp4).Name | Sort-Object | Should -Be @('one.mp4', 'three.mp4')
        Get-SubmitCount $emu | Should -Be 2

        $again = Invoke-Example
        $again.ExitCode | Should -Be 1 -Because $again.Output   # the bad row is still bad
        Get-SubmitCount $emu | Should -Be 2                      # nothing sent twice
        $again.Output | Should -Match '2 videos saved'
    }

    It 'exits 2 when the batch stops on a bad key' {
        "prompt`nFirst clip" | Set-Content $csv -Encoding utf8
        $run = Invoke-Example -Key 'not-the-key'
        $run.ExitCode | Should -Be 2 -Because $run.Output
        $run.Output | Should -Not -Match 'not-the-key'
    }

    It 'exits 2 when the balance runs out mid-batch, and still saves the videos already paid for' {
        Invoke-EmulatorControl $emu config -Body @{ balance = 2 } | Out-Null
        "Name,prompt`none,First clip`ntwo,Second clip`nthree,Third clip`nfour,Fourth clip" | Set-Content $csv -Encoding utf8
        $run = Invoke-Example
        $run.ExitCode | Should -Be 2 -Because $run.Output
        @(Get-ChildItem $outDir -Filter *.mp4).Count | Should -Be 2
    }

    It 'takes the key from -KeyFile, a file only its user reads, when the environment has none' {
        "Name,prompt`none,First clip" | Set-Content $csv -Encoding utf8
        $keyFile = Join-Path $dir 'key'
        Set-Content -LiteralPath $keyFile -Value $emu.ApiKey   # with the line break Get-Content -Raw keeps
        $run = Invoke-Example -Key '' -More "-KeyFile '$keyFile'"
        $run.ExitCode | Should -Be 0 -Because $run.Output
        (Get-ChildItem $outDir -Filter *.mp4).Name | Should -Be 'one.mp4'
        $run.Output | Should -Not -Match ([regex]::Escape($emu.ApiKey))
    }

    It 'exits 3 and sends nothing while another process holds the journal (an overlapping scheduled run)' {
        "Name,prompt`none,First clip" | Set-Content $csv -Encoding utf8
        $journal = Join-Path $dir 'prompts.journal.jsonl'
        # This test's process plays the run still going: it holds the journal's lock as New-KlingVideo does.
        $held = [IO.FileStream]::new("$journal.lock", 'OpenOrCreate', 'ReadWrite', 'None', 1)
        try {
            $run = Invoke-Example
        }
        finally {
            $held.Dispose()
        }
        $run.ExitCode | Should -Be 3 -Because $run.Output
        $run.Output | Should -Match 'in[\s|]+use[\s|]+by[\s|]+another[\s|]+run'
        Get-SubmitCount $emu | Should -Be 0
    }

    It 'runs from the README''s crontab line as cron would: sh, $HOME, the key in a file only its user reads' -Skip:$IsWindows {
        $line = @(Select-String -LiteralPath (Join-Path $RepoRoot 'README.md') -Pattern '^0 2 \* \* \*\s+(pwsh .*)$')
        $line.Count | Should -Be 1 -Because 'the README has one crontab line'
        $pwsh = @(Get-PwshCommand)
        $command = ($pwsh | ForEach-Object { "'$_'" }) -join ' '
        $command += $line[0].Matches[0].Groups[1].Value.Substring('pwsh'.Length)
        $cronHome = Join-Path $dir 'home'
        New-Item -ItemType Directory (Join-Path $cronHome 'kling'), (Join-Path $cronHome '.config/kling') | Out-Null
        Copy-Item $example (Join-Path $cronHome 'kling')
        "Name,prompt`none,First clip" | Set-Content (Join-Path $cronHome 'kling/prompts.csv') -Encoding utf8
        $keyFile = Join-Path $cronHome '.config/kling/key'
        Set-Content -LiteralPath $keyFile -Value $emu.ApiKey
        & chmod 600 $keyFile

        $psi = [System.Diagnostics.ProcessStartInfo]::new('sh')
        $psi.ArgumentList.Add('-c'); $psi.ArgumentList.Add($command)
        $psi.Environment['HOME'] = $cronHome
        $psi.Environment['KLING_BASE_URL'] = $emu.Gateway
        $psi.Environment['PSModulePath'] = (Split-Path (Split-Path $ModulePath)) + [IO.Path]::PathSeparator + $env:PSModulePath
        $psi.Environment.Remove('KLING_API_KEY') | Out-Null
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit(120000)) { $p.Kill(); throw 'The crontab line did not finish within 120 s.' }
        $log = Get-Content -Raw (Join-Path $cronHome 'kling/cron.log')
        $p.ExitCode | Should -Be 0 -Because ($out.Result + $err.Result + $log)
        (Get-ChildItem (Join-Path $cronHome 'kling/videos') -Filter *.mp4).Name | Should -Be 'one.mp4'
        $log | Should -Match '1 videos saved, 0 errors'
        $log | Should -Not -Match ([regex]::Escape($emu.ApiKey))
        $log | Should -Not -Match "`e\["
    }
}
