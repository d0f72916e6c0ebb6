Describe 'Save-KlingVideo: two processes saving the same tasks into one folder' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.2

        function Start-Saver {
            <#
                A child pwsh that looks its tasks up, says it is ready (a file), waits for its go file, then saves them
                into the folder and prints one line per saved file, warning and error.
            #>
            param([string[]] $TaskId, [string] $Folder, [string] $Ready, [string] $Go, [int] $ThrottleLimit = 2)
            $ids = ($TaskId | ForEach-Object { "'$_'" }) -join ','
            $script = @"
Import-Module '$ModulePath'
`$tasks = @($ids) | Get-KlingTask
New-Item -ItemType File -Path '$Ready' | Out-Null
while (-not (Test-Path -LiteralPath '$Go')) { Start-Sleep -Milliseconds 20 }
`$tasks | Save-KlingVideo -Path '$Folder' -ThrottleLimit $ThrottleLimit -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue |
    ForEach-Object { 'SAVED ' + `$_.TaskId + ' ' + `$_.FullName + ' ' + `$_.Length }
foreach (`$w in `$warns) { 'WARNING ' + `$w }
foreach (`$e in `$errs) { 'ERROR ' + `$e.FullyQualifiedErrorId + ' ' + `$e }
"@
            $file = New-ChildScriptFile $script
            $process = New-ChildPwsh -File $file -Environment @{ KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey }
            [pscustomobject]@{
                File    = $file
                Process = $process
                Out     = $process.StandardOutput.ReadToEndAsync()
                Err     = $process.StandardError.ReadToEndAsync()
                Ready   = $Ready
                Go      = $Go
            }
        }

        function Wait-Saver {
            <# Waits for a saver to end; returns its output lines (stdout and stderr). #>
            param($Saver)
            try {
                $Saver.Process.WaitForExit(120000) | Should -BeTrue -Because 'a saver must end'
                $Saver.Process.WaitForExit()
                @(($Saver.Out.Result + $Saver.Err.Result) -split "`r?`n" | Where-Object { $_ })
            }
            finally {
                if (-not $Saver.Process.HasExited) { $Saver.Process.Kill() }
                Remove-Item -LiteralPath $Saver.File -ErrorAction SilentlyContinue
            }
        }

        function Assert-OneCompleteFilePerTask {
            <#
                The folder holds exactly one complete video per task, under <TaskId>.mp4, each listed once in the index;
                every run reported every task's file (the same path), with no warning or error; each task was
                downloaded once; nothing is left half done.
            #>
            param([object[]] $Tasks, [string] $Folder, [object[]] $Outputs, [int] $Bytes)
            $all = ($Outputs | ForEach-Object { $_ -join "`n" }) -join "`n-----`n"
            foreach ($out in $Outputs) {
                @($out | Where-Object { $_ -like 'WARNING *' -or $_ -like 'ERROR *' }) | Should -BeNullOrEmpty -Because $all
                $saved = @($out | Where-Object { $_ -like 'SAVED *' })
                $saved.Count | Should -Be $Tasks.Count -Because $all
                foreach ($t in $Tasks) {
                    $line = @($saved | Where-Object { ($_ -split ' ')[1] -eq $t.TaskId })
                    $line.Count | Should -Be 1 -Because $all
                    ($line[0] -split ' ')[2] | Should -Be (Join-Path $Folder "$($t.TaskId).mp4") -Because $all
                    ($line[0] -split ' ')[3] | Should -Be $Bytes -Because $all
                }
            }

            # Each video crossed the wire once: the other run waited for it, or found it saved.
            (Get-FileDownload).Count | Should -Be $Tasks.Count -Because $all
            @(Get-ChildItem -LiteralPath $Folder -Filter '*.partial') | Should -BeNullOrEmpty -Because $all
            $files = @(Get-ChildItem -LiteralPath $Folder -Filter '*.mp4')
            Invoke-EmulatorControl $emu config -Body @{ downloadBytesPerSecond = 0 } | Out-Null
            @($files.Name | Sort-Object) | Should -Be @($Tasks | ForEach-Object { "$($_.TaskId).mp4" } | Sort-Object) -Because $all
            foreach ($t in $Tasks) {
                $saved = Join-Path $Folder "$($t.TaskId).mp4"
                (Get-Item -LiteralPath $saved).Length | Should -Be $Bytes -Because "$($t.TaskId).mp4 must be exactly the announced length"
                $reference = Join-Path $TestDrive "reference-$([guid]::NewGuid().ToString('n')).bin"
                Invoke-WebRequest -Uri @($t.VideoUrl)[0] -OutFile $reference
                (Get-FileHash -LiteralPath $saved).Hash | Should -Be (Get-FileHash -LiteralPath $reference).Hash -Because "$($t.TaskId).mp4 must hold that task's video, byte for byte"
            }

            $index = @(Get-Content -LiteralPath (Join-Path $Folder '.kling-saved.jsonl') -Encoding utf8 | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json })
            @($index.taskId | Sort-Object) | Should -Be @($Tasks.TaskId | Sort-Object) -Because 'each task is noted once'
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        $script:dest = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $script:gates = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $gates | Out-Null
    }

    It 'a run that comes to a task another run is downloading waits for it and reports that file: one download, no _2, no error' {
        $tasks = @(New-CompletedTask; New-CompletedTask)
        # Slow downloads (2.5 s a file), so the second run surely comes while the first is writing.
        Invoke-EmulatorControl $emu config -Body @{ videoBytes = 1000000; downloadBytesPerSecond = 400000 } | Out-Null
        $first = Start-Saver -TaskId $tasks.TaskId -Folder $dest -Ready (Join-Path $gates 'ready-1') -Go (Join-Path $gates 'go-1')
        $second = Start-Saver -TaskId $tasks.TaskId -Folder $dest -Ready (Join-Path $gates 'ready-2') -Go (Join-Path $gates 'go-2')
        Wait-Until { (Test-Path -LiteralPath $first.Ready) -and (Test-Path -LiteralPath $second.Ready) } -Because 'both runs to be ready'
        New-Item -ItemType File $first.Go | Out-Null
        # The second run starts once the first has bytes of both videos on disk.
        $partials = $tasks | ForEach-Object { Join-Path $dest "$($_.TaskId).mp4.$($_.TaskId).partial" }
        Wait-Until { @($partials | Where-Object { (Test-Path -LiteralPath $_) -and (Get-Item -LiteralPath $_).Length -gt 0 }).Count -eq 2 } -Because 'the first run to be writing both videos'
        New-Item -ItemType File $second.Go | Out-Null
        $outputs = @((Wait-Saver $first), (Wait-Saver $second))
        Assert-OneCompleteFilePerTask -Tasks $tasks -Folder $dest -Outputs $outputs -Bytes 1000000
    }

    It 'two runs started together on the same tasks (<Order> order) save each task once, completely, and both report it' -ForEach @(
        @{ Order = 'the same' }
        @{ Order = 'reverse' }
    ) {
        $tasks = @(1..6 | ForEach-Object { New-CompletedTask })
        Invoke-EmulatorControl $emu config -Body @{ videoBytes = 300000; downloadBytesPerSecond = 600000 } | Out-Null
        $ids = @($tasks.TaskId)
        $otherIds = if ($Order -eq 'reverse') { @($ids[($ids.Count - 1)..0]) } else { $ids }
        $go = Join-Path $gates 'go'
        $first = Start-Saver -TaskId $ids -Folder $dest -Ready (Join-Path $gates 'ready-1') -Go $go -ThrottleLimit 3
        $second = Start-Saver -TaskId $otherIds -Folder $dest -Ready (Join-Path $gates 'ready-2') -Go $go -ThrottleLimit 3
        Wait-Until { (Test-Path -LiteralPath $first.Ready) -and (Test-Path -LiteralPath $second.Ready) } -Because 'both runs to be ready'
        New-Item -ItemType File $go | Out-Null
        $outputs = @((Wait-Saver $first), (Wait-Saver $second))
        Assert-OneCompleteFilePerTask -Tasks $tasks -Folder $dest -Outputs $outputs -Bytes 300000
    }
}
