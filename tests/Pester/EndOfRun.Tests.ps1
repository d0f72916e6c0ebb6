# Issue 23, point 5: a word at the end. Each batch cmdlet ends with one line for a person (information stream, tag
# KlingSummary), Ctrl+C in Wait-KlingTask or Save-KlingVideo says what is left and how to go on, and every bar of a
# pipeline keeps moving while another of its cmdlets holds the thread.
Describe 'The end of a run' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5

        . (Join-Path $PSScriptRoot 'HostedRun.ps1')

        function Get-Bars {
            <# The progress records of one activity the run has written so far. #>
            param([Parameter(Mandatory)] $Run, [Parameter(Mandatory)] [string] $Activity)
            @($Run.PowerShell.Streams.Progress | Where-Object { $_.Activity -eq $Activity -and $_.RecordType -ne 'Completed' })
        }

        function Get-Summary {
            <# The closing lines among information records. #>
            param($Records)
            @($Records | Where-Object { $_.Tags -contains 'KlingSummary' } | ForEach-Object { "$($_.MessageData)" })
        }

        function New-RunningTask {
            <# A task that stays running for the length of the test. #>
            param([string] $Name = 'running')
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 600 } | Out-Null
            New-KlingVideo -Prompt "still $Name" -Name $Name
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 0.5 } | Out-Null
        }

        function Stop-Paced {
            <# From now on each download sends its first slice and waits for the test to move the emulator's clock. #>
            Invoke-EmulatorControl $emu config -Body @{ videoBytes = 300000; downloadBytesPerSecond = 300000 } | Out-Null
            Invoke-EmulatorControl $emu clock -Body @{ freeze = $true } | Out-Null
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Reset-Emulator $emu -Config @{ videoBytes = 300000 }
        Use-Emulator $emu
        $script:dest = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    AfterEach {
        Invoke-EmulatorControl $emu clock -Body @{ resume = $true } | Out-Null
    }

    Describe 'One closing line per batch cmdlet' {
        It 'ends New-KlingVideo, Wait-KlingTask and Save-KlingVideo with one line each, on the information stream, never on the pipeline' {
            $rows = @(1..3 | ForEach-Object { [pscustomobject]@{ prompt = "end $_"; Name = "end$_" } }) + [pscustomobject]@{ prompt = 'bad'; Name = 'bad'; aspect_ratio = '4:3' }
            $files = @($rows | New-KlingVideo -InformationVariable submitted -ErrorAction SilentlyContinue |
                    Wait-KlingTask -PollInterval 0.1 -InformationVariable waited |
                    Save-KlingVideo -Path $dest -InformationVariable saved)
            $files.Count | Should -Be 3
            @($files | Where-Object { $_ -isnot [IO.FileInfo] }).Count | Should -Be 0
            Get-Summary $submitted | Should -Be @('3 submitted, 1 refused, 0 in doubt, 1.008 USD estimated.')
            Get-Summary $waited | Should -HaveCount 1
            @(Get-Summary $waited)[0] | Should -Match '^3 completed, 0 failed, .*, 1\.008 USD estimated\.$'
            @($waited | Where-Object { $_.Tags -contains 'KlingSpend' }).Count | Should -Be 1
            Get-Summary $saved | Should -Be @('3 saved (0.9 MB), 0 skipped (already saved), 0 failed.')

            # Again: every video is there already.
            $null = $files.TaskId | Save-KlingVideo -Path $dest -InformationVariable again
            Get-Summary $again | Should -Be @('0 saved, 3 skipped (already saved), 0 failed.')
        }

        It 'counts failed tasks and those given up at the timeout' {
            $ok = New-KlingVideo -Prompt 'fine'
            $failed = New-KlingVideo -Prompt 'fails [fail]'
            $running = New-RunningTask
            $null = @($ok, $failed, $running) | Wait-KlingTask -PollInterval 0.1 -Timeout 3 -InformationVariable waited -ErrorAction SilentlyContinue
            @(Get-Summary $waited)[0] | Should -Match '^1 completed, 1 failed, 1 timed out, '
        }

        It 'says nothing when nothing was processed' {
            $null = @() | Wait-KlingTask -InformationVariable waited
            $null = @() | Save-KlingVideo -Path $dest -InformationVariable saved
            Get-Summary $waited | Should -BeNullOrEmpty
            Get-Summary $saved | Should -BeNullOrEmpty
        }

        It 'shows the lines on the host; -InformationAction SilentlyContinue keeps them off it but still caught' {
            $script = @"
Import-Module '$ModulePath'
`$t = New-KlingVideo -Prompt 'host' -Name 'host' | Wait-KlingTask -PollInterval 0.1
'--- save'
`$null = `$t | Save-KlingVideo -Path '$dest'
'--- silent'
`$null = `$t | Save-KlingVideo -Path '$dest' -InformationAction SilentlyContinue -InformationVariable caught
"CAUGHT: `$(`$caught.MessageData)"
"@
            $run = Invoke-ChildPwsh -Script $script
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $first, $rest = $run.Output -split '--- save'
            $save, $silent = $rest -split '--- silent'
            $first | Should -Match '1 submitted, 0 refused, 0 in doubt, 0\.336 USD estimated\.'
            $first | Should -Match '1 completed, 0 failed, '
            $save | Should -Match '1 saved \(0\.3 MB\), 0 skipped \(already saved\), 0 failed\.'
            ($silent -split "`r?`n" | Where-Object { $_ -match 'skipped' }) | Should -Be @('CAUGHT: 0 saved, 1 skipped (already saved), 0 failed.')
        }
    }

    Describe 'Ctrl+C says what is left' {
        It 'Wait-KlingTask names the tasks still running and the command that goes on' {
            $done = New-KlingVideo -Prompt 'done' -Name 'done'
            $left = @(New-RunningTask -Name 'left1'; New-RunningTask -Name 'left2')
            $run = Start-HostedRun -Script {
                param($Module, $Tasks)
                Import-Module $Module
                $Tasks | Wait-KlingTask -PollInterval 0.2
            } -Argument (, (@($done) + $left))
            try {
                Wait-Until { $run.Output.Count -ge 1 } -Seconds 30 -Because 'the finished task written'
                $run.PowerShell.Stop()
                $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
                $said = @($run.Host.Warnings) -join "`n"
                $said | Should -Match ([regex]::Escape('Wait-KlingTask stopped: 2 of 3 task(s) still running or not yet written'))
                foreach ($t in $left) { $said | Should -Match ([regex]::Escape($t.TaskId)) }
                $said | Should -Not -Match ([regex]::Escape($done.TaskId))
                $said | Should -Match ([regex]::Escape("To go on: Wait-KlingTask -TaskId '$($left[0].TaskId)','$($left[1].TaskId)'"))
            }
            finally {
                Close-HostedRun $run
            }
        }

        It 'Wait-KlingTask -Journal names the journal that holds them' {
            $journal = Join-Path $TestDrive "wait-$([guid]::NewGuid().ToString('n')).jsonl"
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 600 } | Out-Null
            $null = 1..2 | ForEach-Object { [pscustomobject]@{ prompt = "journal $_" } } | New-KlingVideo -Journal $journal
            $run = Start-HostedRun -Script {
                param($Module, $Journal)
                Import-Module $Module
                Wait-KlingTask -Journal $Journal -PollInterval 0.2
            } -Argument $journal
            try {
                Wait-Until { (Invoke-EmulatorControl $emu stats).statusCalls -ge 2 } -Seconds 30 -Because 'both tasks looked at'
                $run.PowerShell.Stop()
                $said = @($run.Host.Warnings) -join "`n"
                $said | Should -Match ([regex]::Escape("2 of 2 task(s) still running or not yet written; they are in the journal $journal"))
                $said | Should -Match ([regex]::Escape("Wait-KlingTask -Journal '$journal'"))
            }
            finally {
                Close-HostedRun $run
            }
        }

        It 'Save-KlingVideo names the tasks whose videos were not saved, and its command saves them' {
            $tasks = @(1..3 | ForEach-Object { [pscustomobject]@{ prompt = "cut $_"; Name = "cut$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            $null = $tasks[0] | Save-KlingVideo -Path $dest
            Stop-Paced
            $run = Start-HostedRun -Script {
                param($Module, $Tasks, $Dest)
                Import-Module $Module
                $Tasks | Save-KlingVideo -Path $Dest -ThrottleLimit 2
            } -Argument $tasks, $dest
            try {
                Wait-Until { (Invoke-EmulatorControl $emu stats).downloads -ge 3 } -Seconds 30 -Because 'two downloads under way'
                $run.PowerShell.Stop()
                $said = @($run.Host.Warnings) -join "`n"
                $said | Should -Match ([regex]::Escape('Save-KlingVideo stopped: the videos of 2 task(s) were not saved'))
                $said | Should -Match ([regex]::Escape("$($tasks[1].TaskId) (row $($tasks[1].Row))"))
                $command = [regex]::Match($said, "To go on: (Save-KlingVideo -TaskId [^\r\n]*?), or the same command again").Groups[1].Value
                $command | Should -Be "Save-KlingVideo -TaskId '$($tasks[1].TaskId)','$($tasks[2].TaskId)' -Path '$dest'"
                $said | Should -Match 'it skips the 1 video\(s\) already saved\.'
            }
            finally {
                Close-HostedRun $run
            }
            Invoke-EmulatorControl $emu clock -Body @{ resume = $true } | Out-Null
            Invoke-EmulatorControl $emu config -Body @{ downloadBytesPerSecond = 0 } | Out-Null
            $files = @(Invoke-Expression $command)
            @($files.TaskId | Sort-Object) | Should -Be @($tasks[1..2].TaskId | Sort-Object)
            @(Get-ChildItem $dest -Filter '*.mp4').Count | Should -Be 3
        }
    }

    Describe 'Progress while another cmdlet of the pipeline holds the thread' {
        It "redraws Save-KlingVideo's bars while Wait-KlingTask waits for a task" {
            $done = New-KlingVideo -Prompt 'saved while waiting' -Name 'moving' | Wait-KlingTask -PollInterval 0.1
            $running = New-RunningTask
            Stop-Paced
            $run = Start-HostedRun -Script {
                param($Module, $Tasks, $Dest)
                Import-Module $Module
                $Tasks | Wait-KlingTask -PollInterval 0.2 | Save-KlingVideo -Path $Dest
            } -Argument @($done, $running), $dest
            try {
                # The download sends its first slice and waits for the clock; Wait-KlingTask waits for the running task.
                Wait-Until { (Invoke-EmulatorControl $emu stats).downloads -ge 1 } -Seconds 30 -Because 'the download started'
                $before = (Get-Bars $run 'Saving Kling videos').Count
                Wait-Until { (Get-Bars $run 'Saving Kling videos').Count -ge $before + 4 } -Seconds 30 -Because "Save-KlingVideo's bar redrawn while Wait-KlingTask waits"
                (Get-Bars $run 'Saving Kling videos')[-1].StatusDescription | Should -Match '^0 of 1 file\(s\) saved'
                @($run.PowerShell.Streams.Progress | Where-Object { $_.Activity -eq 'moving.mp4' }).Count | Should -BeGreaterThan 0
            }
            finally {
                Close-HostedRun $run
            }
        }

        It "redraws Wait-KlingTask's bar while Save-KlingVideo waits for room among its downloads" {
            $done = @(1..3 | ForEach-Object { [pscustomobject]@{ prompt = "room $_"; Name = "room$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            $running = New-RunningTask
            Stop-Paced
            $seen = [hashtable]::Synchronized(@{ Count = 0 })
            $run = Start-HostedRun -Script {
                param($Module, $Tasks, $Dest, $Seen)
                Import-Module $Module
                $Tasks | Wait-KlingTask -PollInterval 0.2 | ForEach-Object { $Seen.Count++; $_ } | Save-KlingVideo -Path $Dest -ThrottleLimit 1
            } -Argument (@($done) + $running), $dest, $seen
            try {
                # -ThrottleLimit 1 holds two files outstanding at most: the third task waits in Save-KlingVideo for room,
                # and the first download waits for the clock, so Save-KlingVideo holds the thread until the test moves it.
                Wait-Until { $seen.Count -ge 3 -and (Invoke-EmulatorControl $emu stats).downloads -ge 1 } -Seconds 30 -Because 'the third task held up for room'
                $before = (Get-Bars $run 'Waiting for Kling tasks').Count
                Wait-Until { (Get-Bars $run 'Waiting for Kling tasks').Count -ge $before + 4 } -Seconds 30 -Because "Wait-KlingTask's bar redrawn while Save-KlingVideo waits"
                (Get-Bars $run 'Waiting for Kling tasks')[-1].StatusDescription | Should -Match '^4 submitted: 1 running, 3 completed'
            }
            finally {
                Close-HostedRun $run
            }
        }
    }
}
