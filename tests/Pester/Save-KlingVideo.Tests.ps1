Describe 'Save-KlingVideo' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5

        function Wait-LinkExpired {
            <# Until the storage host refuses the task's result link: past its expires_at (whole seconds). #>
            param([Parameter(Mandatory)] $Task)
            Wait-Until { [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -gt $Task.ExpiresAt.ToUnixTimeSeconds() } -Seconds 10 -Because 'the result link to expire'
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

    Describe 'Save-KlingVideo' {
        It 'saves <Name>.mp4 byte for byte and outputs the FileInfo with the task id' {
            $task = New-CompletedTask -Name 'sunrise'
            $file = $task | Save-KlingVideo -Path $dest
            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.Name | Should -Be 'sunrise.mp4'
            $file.TaskId | Should -Be $task.TaskId
            $file.Length | Should -Be 300000
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            [Text.Encoding]::ASCII.GetString($bytes, 4, 4) | Should -Be 'ftyp'
            $reference = Join-Path $TestDrive 'reference.bin'
            Invoke-WebRequest -Uri $task.VideoUrl[0] -OutFile $reference
            (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $reference).Hash
            Get-ChildItem $dest -Filter '*.partial' | Should -BeNullOrEmpty
        }

        It 'numbers the files of a task with several results' {
            Invoke-EmulatorControl $emu config -Body @{ resultCount = 2 } | Out-Null
            $task = New-CompletedTask -Name 'pair'
            @($task.VideoUrl).Count | Should -Be 2
            $files = $task | Save-KlingVideo -Path $dest
            $files.Name | Should -Be @('pair-1.mp4', 'pair-2.mp4')
            $files | ForEach-Object { $_.Length | Should -Be 300000 }
        }

        It 'names the file after the task id when there is no name' {
            $task = New-CompletedTask
            ($task | Save-KlingVideo -Path $dest).Name | Should -Be "$($task.TaskId).mp4"
        }

        It 'never sends the API key or cookies to the download host' {
            $task = New-CompletedTask -Name 'private'
            $task | Save-KlingVideo -Path $dest | Out-Null
            $downloads = @(Get-EmulatorRequest $emu -HostName storage)
            $downloads.Count | Should -BeGreaterThan 0
            foreach ($d in $downloads) {
                Get-HeaderValue $d 'Authorization' | Should -BeNullOrEmpty
                Get-HeaderValue $d 'Cookie' | Should -BeNullOrEmpty
                ($d | ConvertTo-Json -Depth 5) | Should -Not -BeLike "*$($emu.ApiKey)*"
            }
            # ... while the gateway did get it, in the Authorization header.
            $gatewayCall = @(Get-EmulatorRequest $emu -HostName gateway -Method POST)[0]
            Get-HeaderValue $gatewayCall 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
        }

        It 'makes names safe: <label> becomes <expected>' -ForEach @(
            @{ label = '../../escape'; expected = '_.._escape.mp4' }
            @{ label = '..\..\escape'; expected = '_.._escape.mp4' }
            @{ label = 'CON'; expected = '_CON.mp4' }
            @{ label = 'a:b*c?d|e'; expected = 'a_b_c_d_e.mp4' }
            @{ label = '猫 挥手'; expected = '猫 挥手.mp4' }
        ) {
            $task = New-CompletedTask -Name $label
            $file = $task | Save-KlingVideo -Path $dest
            $file.Name | Should -Be $expected
            $file.Directory.FullName | Should -Be (Get-Item $dest).FullName
            @(Get-ChildItem (Split-Path $dest) -Filter '*.mp4').Count | Should -Be 0
        }

        It 'gives tasks that share a name distinct files' {
            $tasks = @(New-CompletedTask -Name 'same'; New-CompletedTask -Name 'same')
            $files = $tasks | Save-KlingVideo -Path $dest
            $files.Name | Should -Be @('same.mp4', 'same_2.mp4')
        }

        It 'resolves a relative -Path against the current PowerShell location' {
            $task = New-CompletedTask -Name 'relative'
            New-Item -ItemType Directory $dest | Out-Null
            Push-Location $dest
            try { $file = $task | Save-KlingVideo -Path 'sub' }
            finally { Pop-Location }
            $file.FullName | Should -Be (Join-Path (Get-Item $dest).FullName 'sub/relative.mp4')
        }

        It 'keeps a file it did not write unless -Force, saving beside it, and overwrites with -Force' {
            $task = New-CompletedTask -Name 'exists'
            New-Item -ItemType Directory $dest | Out-Null
            Set-Content -Path (Join-Path $dest 'exists.mp4') -Value 'old'
            $file = $task | Save-KlingVideo -Path $dest -WarningVariable warn -WarningAction SilentlyContinue
            $warn.Count | Should -Be 1
            $file.Name | Should -Be 'exists_2.mp4'
            $file.Length | Should -Be 300000
            (Get-Item (Join-Path $dest 'exists.mp4')).Length | Should -BeLessThan 10
            $task | Save-KlingVideo -Path $dest -Force | Out-Null
            (Get-Item (Join-Path $dest 'exists.mp4')).Length | Should -Be 300000
        }

        It 'skips a video it already saved on a rerun, without downloading it again' {
            $task = New-CompletedTask -Name 'again'
            $first = $task | Save-KlingVideo -Path $dest
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            $second = $task | Save-KlingVideo -Path $dest -WarningVariable warn
            $second.FullName | Should -Be $first.FullName
            $warn.Count | Should -Be 0
            (Invoke-EmulatorControl $emu stats).downloads | Should -Be 0
            $task | Save-KlingVideo -Path $dest -Force | Out-Null
            (Invoke-EmulatorControl $emu stats).downloads | Should -Be 1
        }

        It 'never takes another task''s file for its own: a later task with the same name gets name_2' {
            $old = New-CompletedTask -Name 'sunset' -Prompt 'yesterday'
            $oldFile = $old | Save-KlingVideo -Path $dest
            $new = New-CompletedTask -Name 'sunset' -Prompt 'today'
            $newFile = $new | Save-KlingVideo -Path $dest -WarningVariable collision -WarningAction SilentlyContinue
            $collision.Count | Should -Be 1
            $newFile.Name | Should -Be 'sunset_2.mp4'
            $newFile.TaskId | Should -Be $new.TaskId
            (Get-FileHash $oldFile.FullName).Hash | Should -Not -Be (Get-FileHash $newFile.FullName).Hash
            # ... and a rerun of either finds its own file.
            ($new | Save-KlingVideo -Path $dest -WarningVariable warn).Name | Should -Be 'sunset_2.mp4'
            ($old | Save-KlingVideo -Path $dest -WarningVariable +warn).Name | Should -Be 'sunset.mp4'
            $warn.Count | Should -Be 0
        }

        It 'downloads nothing with -WhatIf' {
            $task = New-CompletedTask -Name 'whatif'
            $task | Save-KlingVideo -Path $dest -WhatIf
            Test-Path (Join-Path $dest 'whatif.mp4') | Should -BeFalse
            @(Get-EmulatorRequest $emu -HostName storage).Count | Should -Be 0
        }

        It 'says it would overwrite with -Force -WhatIf, and leaves the existing file alone' {
            $task = New-CompletedTask
            $existing = Join-Path $dest "$($task.TaskId).mp4"
            New-Item -ItemType Directory $dest -Force | Out-Null
            Set-Content $existing 'not a video'
            # In a child, whose host prints the "What if:" line where it can be read.
            $run = Invoke-ChildPwsh -Script "Import-Module '$ModulePath'; '$($task.TaskId)' | Save-KlingVideo -Path '$dest' -Force -WhatIf" -Environment @{ KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey }
            $run.Output | Should -Match ('What if: .*Overwrite the existing file with the video of task ' + $task.TaskId)
            Get-Content $existing | Should -Be 'not a video'
            @(Get-EmulatorRequest $emu -HostName storage).Count | Should -Be 0
        }

        It 'looks up tasks given by id and saves them' {
            $task = New-CompletedTask
            $file = $task.TaskId | Save-KlingVideo -Path $dest
            $file.Name | Should -Be "$($task.TaskId).mp4"
        }

        It 'reports a task that is not completed yet, and a failed one, as errors and goes on' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 60 } | Out-Null
            $running = New-KlingVideo -Prompt 'still running'
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 0.2 } | Out-Null
            $failed = New-KlingVideo -Prompt 'doomed [fail]'
            $good = New-CompletedTask -Name 'good'
            Wait-Until { (Get-KlingTask $failed.TaskId).IsFinished } -Because 'the doomed task to fail'
            $files = $running, $failed, $good | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue
            @($files).Name | Should -Be 'good.mp4'
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotCompleted,*'
            $errs[0].TargetObject.TaskId | Should -Be $running.TaskId
            $errs[0].Exception.Message | Should -BeLike '*nothing to download yet. Pipe it through Wait-KlingTask first.'
            # A failed task has nothing to wait for: the error says it failed, why, and that there is nothing to download.
            $errs[1].CategoryInfo.Category | Should -Be 'InvalidResult'
            $errs[1].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            $errs[1].TargetObject.TaskId | Should -Be $failed.TaskId
            $errs[1].Exception.GatewayMessage | Should -Not -BeNullOrEmpty
            $errs[1].Exception.Message | Should -BeLike "Task $($failed.TaskId) failed (code 1301): $($errs[1].Exception.GatewayMessage)*nothing to download*"
            $errs[1].Exception.Message | Should -Not -BeLike '*Wait-KlingTask*'
        }

        It 'reports a cancelled task as such, with its reason, without looking it up again' {
            $cancelled = [Kling.Core.KlingTask]::new('task_cancelledbyuser')
            $cancelled.Name = 'dropped'
            $cancelled.Status = 'cancelled'
            $cancelled.Error = 'cancelled by the user'
            $cancelled | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TaskFailed,*'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $errs[0].TargetObject.TaskId | Should -Be 'task_cancelledbyuser'
            $errs[0].Exception.Message | Should -BeLike "Task task_cancelledbyuser ('dropped') was cancelled: cancelled by the user*nothing to download*"
            $errs[0].Exception.Message | Should -Not -BeLike '*Wait-KlingTask*'
            @(Get-EmulatorRequest $emu) | Should -BeNullOrEmpty
        }

        It 'reports an expired result link clearly and leaves no file behind' {
            Invoke-EmulatorControl $emu config -Body @{ resultTtl = 1 } | Out-Null
            $task = New-CompletedTask -Name 'expired'
            Wait-LinkExpired $task
            $file = $task | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue
            $file | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -BeLike '*expired*'
            Test-Path (Join-Path $dest 'expired.mp4') | Should -BeFalse
            @(Get-ChildItem $dest -ErrorAction SilentlyContinue).Count | Should -Be 0
        }

        It 'completes a download whose connection was cut, with a byte-exact file' {
            $task = New-CompletedTask -Name 'cut'
            Invoke-EmulatorControl $emu config -Body @{ cutAfterBytes = 100000; cutTimes = 1 } | Out-Null
            $file = $task | Save-KlingVideo -Path $dest
            $file.Length | Should -Be 300000
            $reference = Join-Path $TestDrive 'cut-reference.bin'
            Invoke-WebRequest -Uri $task.VideoUrl[0] -OutFile $reference
            (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $reference).Hash
        }
    }

    Describe 'robust downloads' {
        BeforeAll {
            function Save-Reference {
                param($Task, [int] $Index = 0)
                $path = Join-Path $TestDrive "reference-$([guid]::NewGuid().ToString('n')).bin"
                Invoke-WebRequest -Uri @($Task.VideoUrl)[$Index] -OutFile $path
                $path
            }
        }

        It 'resumes a cut connection with Range from the bytes on disk, ending byte-exact' {
            $task = New-CompletedTask -Name 'resume'
            $reference = Save-Reference $task
            Reset-Emulator $emu -Config @{ videoBytes = 300000; cutAfterBytes = 100000; cutTimes = 2 }
            $file = $task | Save-KlingVideo -Path $dest
            (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $reference).Hash
            $requests = Get-FileDownload
            $requests.Count | Should -Be 3
            Get-HeaderValue $requests[0] 'Range' | Should -BeNullOrEmpty
            Get-HeaderValue $requests[1] 'Range' | Should -Be 'bytes=100000-'
            Get-HeaderValue $requests[2] 'Range' | Should -Be 'bytes=200000-'
            $requests[1].status | Should -Be 206
            Get-ChildItem $dest -Filter '*.partial' | Should -BeNullOrEmpty
        }

        It 'starts again from byte 0 when the host ignores Range' {
            $task = New-CompletedTask -Name 'norange'
            $reference = Save-Reference $task
            Reset-Emulator $emu -Config @{ videoBytes = 300000; cutAfterBytes = 120000; cutTimes = 1; rangeSupport = $false }
            $file = $task | Save-KlingVideo -Path $dest
            $file.Length | Should -Be 300000
            (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $reference).Hash
            $requests = Get-FileDownload
            $requests.Count | Should -Be 2
            Get-HeaderValue $requests[1] 'Range' | Should -Be 'bytes=120000-'
            $requests[1].status | Should -Be 200
        }

        It 'resumes the partial file a killed run left behind' {
            $task = New-CompletedTask -Name 'leftover'
            $reference = Save-Reference $task
            New-Item -ItemType Directory $dest | Out-Null
            $head = [IO.File]::ReadAllBytes($reference)[0..(123456 - 1)]
            [IO.File]::WriteAllBytes((Join-Path $dest "leftover.mp4.$($task.TaskId).partial"), [byte[]] $head)
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            $file = $task | Save-KlingVideo -Path $dest
            (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $reference).Hash
            $requests = Get-FileDownload
            $requests.Count | Should -Be 1
            Get-HeaderValue $requests[0] 'Range' | Should -Be 'bytes=123456-'
            Get-ChildItem $dest -Filter '*.partial' | Should -BeNullOrEmpty
        }

        It 'never resumes from another task''s partial file, and restarts one longer than the file' {
            $task = New-CompletedTask -Name 'mine'
            $reference = Save-Reference $task
            New-Item -ItemType Directory $dest | Out-Null
            [IO.File]::WriteAllBytes((Join-Path $dest 'mine.mp4.task_someoneelse.partial'), [byte[]]::new(5000))
            [IO.File]::WriteAllBytes((Join-Path $dest "mine.mp4.$($task.TaskId).partial"), [byte[]]::new(400000))
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            $file = $task | Save-KlingVideo -Path $dest
            (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $reference).Hash
            $requests = Get-FileDownload
            $requests.status | Should -Be @(416, 200)
            Test-Path (Join-Path $dest 'mine.mp4.task_someoneelse.partial') | Should -BeTrue
        }

        It 'retries a download host that answers 500' {
            $task = New-CompletedTask -Name 'flaky'
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            Add-EmulatorFault $emu @{ route = 'download'; kind = 'status'; status = 503; times = 2 }
            $file = $task | Save-KlingVideo -Path $dest
            $file.Length | Should -Be 300000
            (Get-FileDownload).status | Should -Be @(503, 503, 200)
        }

        It 'refreshes an expired link once from the task status, then downloads' {
            Invoke-EmulatorControl $emu config -Body @{ resultTtl = 1; freshLinks = $true } | Out-Null
            $task = New-CompletedTask -Name 'refreshed'
            Wait-LinkExpired $task
            $statusBefore = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike "/v1/tasks/$($task.TaskId)*").Count
            $file = $task | Save-KlingVideo -Path $dest
            $file.Length | Should -Be 300000
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike "/v1/tasks/$($task.TaskId)*").Count | Should -Be ($statusBefore + 1)
            (Get-FileDownload).status | Should -Be @(403, 200)
        }

        It 'says clearly when the refreshed link is still expired, after one status read' {
            Invoke-EmulatorControl $emu config -Body @{ resultTtl = 1 } | Out-Null
            $task = New-CompletedTask -Name 'gone'
            Wait-LinkExpired $task
            $statusBefore = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike "/v1/tasks/$($task.TaskId)*").Count
            $task | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -BeLike '*expired*no fresh link*'
            $errs[0].TargetObject.TaskId | Should -Be $task.TaskId
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike "/v1/tasks/$($task.TaskId)*").Count | Should -Be ($statusBefore + 1)
            (Get-FileDownload).Count | Should -Be 1
        }

        It 'has no -Parallel switch (downloads always overlap, up to -ThrottleLimit)' {
            (Get-Command Save-KlingVideo).Parameters.Keys | Should -Not -Contain 'Parallel'
        }

        It 'downloads up to -ThrottleLimit files at once, each byte-exact' {
            $tasks = @(1..6 | ForEach-Object { [pscustomobject]@{ prompt = "parallel $_"; Name = "p$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            Reset-Emulator $emu -Config @{ videoBytes = 300000; downloadDelayMs = 300 }
            $files = @($tasks | Save-KlingVideo -Path $dest -ThrottleLimit 3)
            $files.Count | Should -Be 6
            ($files.Name | Sort-Object) | Should -Be @('p1.mp4', 'p2.mp4', 'p3.mp4', 'p4.mp4', 'p5.mp4', 'p6.mp4')
            $stats = Invoke-EmulatorControl $emu stats
            $stats.downloads | Should -Be 6
            $stats.maxDownloadsInFlight | Should -Be 3
            foreach ($f in $files) {
                $task = $tasks | Where-Object TaskId -EQ $f.TaskId
                (Get-FileHash $f.FullName).Hash | Should -Be (Get-FileHash (Save-Reference $task)).Hash
            }
        }

        It 'overlaps up to 4 downloads by default, with no switch, each byte-exact and written in input order' {
            $tasks = @(1..8 | ForEach-Object { [pscustomobject]@{ prompt = "overlap $_"; Name = "o$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            # The first four downloads each wait at the storage host until all four have arrived.
            Invoke-RestMethod -Method Post -Uri "$($emu.Storage)/_emulator/download-barrier?count=4" | Out-Null
            $files = @($tasks | Save-KlingVideo -Path $dest)
            $files.Name | Should -Be @($tasks | ForEach-Object { "$($_.Name).mp4" })
            $stats = Invoke-EmulatorControl $emu stats
            $stats.downloads | Should -Be 8
            $stats.maxDownloadsInFlight | Should -Be 4
            foreach ($f in $files) {
                (Get-FileHash $f.FullName).Hash | Should -Be (Get-FileHash (Save-Reference ($tasks | Where-Object TaskId -EQ $f.TaskId))).Hash
            }
            @(Get-Content (Join-Path $dest '.kling-saved.jsonl')).Count | Should -Be 8
        }

        It 'never holds up the cmdlets upstream while a file downloads' {
            $tasks = @(1..2 | ForEach-Object { [pscustomobject]@{ prompt = "upstream $_"; Name = "u$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            # The first download is held at the storage host until a second one arrives: the second task must be read
            # (upstream must run) while the first file is still downloading.
            Invoke-RestMethod -Method Post -Uri "$($emu.Storage)/_emulator/download-barrier?count=2" | Out-Null
            $files = @(& {
                    $tasks[0]
                    Wait-Until { (Invoke-EmulatorControl $emu stats).downloads -ge 1 } -Seconds 20 -Because 'the first download reached the host'
                    $tasks[1]
                } | Save-KlingVideo -Path $dest)
            # In the order given: Wait-KlingTask gives the tasks in the order they finished, not always u1 first.
            $files.Name | Should -Be @($tasks | ForEach-Object { "$($_.Name).mp4" })
            (Invoke-EmulatorControl $emu stats).maxDownloadsInFlight | Should -Be 2
        }

        It 'downloads one file at a time with -ThrottleLimit 1, in input order' {
            $tasks = @(1..3 | ForEach-Object { [pscustomobject]@{ prompt = "serial $_"; Name = "s$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            Reset-Emulator $emu -Config @{ videoBytes = 300000; downloadDelayMs = 200 }
            $files = @($tasks | Save-KlingVideo -Path $dest -ThrottleLimit 1)
            $files.Name | Should -Be @($tasks | ForEach-Object { "$($_.Name).mp4" })
            (Invoke-EmulatorControl $emu stats).maxDownloadsInFlight | Should -Be 1
        }

        It 'skips files already complete on a rerun and downloads only the missing ones' {
            $tasks = @(1..3 | ForEach-Object { [pscustomobject]@{ prompt = "rerun $_"; Name = "r$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            $tasks[0..1] | Save-KlingVideo -Path $dest | Out-Null
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            $files = @($tasks | Save-KlingVideo -Path $dest -WarningAction SilentlyContinue)
            $files.Count | Should -Be 3
            (Invoke-EmulatorControl $emu stats).downloads | Should -Be 1
        }

        It 'shows one overall bar and a child bar per file, a few updates a second at most' {
            $tasks = @(1..4 | ForEach-Object { [pscustomobject]@{ prompt = "bars $_"; Name = "b$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            # Paced downloads on a frozen clock: each file sends its first slice and waits until the test moves the clock,
            # so each is running (and shown) for as long as the test needs, however slow the machine. A fixed delay let a
            # busy machine finish a file between two progress updates, and its bar was never drawn.
            Reset-Emulator $emu -Config @{ videoBytes = 300000; downloadBytesPerSecond = 300000 }
            Invoke-EmulatorControl $emu clock -Body @{ freeze = $true } | Out-Null
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($Module, $Tasks, $Dest)
                        Import-Module $Module
                        $Tasks | Save-KlingVideo -Path $Dest -ThrottleLimit 2
                    }).AddArgument($ModulePath).AddArgument($tasks).AddArgument($dest)
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $handle = $ps.BeginInvoke()
                foreach ($bars in 2, 4) {
                    # -ThrottleLimit 2: two files at a time, each shown while it waits for the clock, then one second for both.
                    Wait-Until { @($ps.Streams.Progress | Where-Object ParentActivityId -GT 0 | Sort-Object Activity -Unique).Count -ge $bars } -Because "$bars files' bars"
                    Invoke-EmulatorControl $emu clock -Body @{ advanceSeconds = 1 } | Out-Null
                }
                $files = @($ps.EndInvoke($handle))
                $clock.Stop()
                $files.Count | Should -Be 4 -Because ($ps.Streams.Error -join "; ")
                $overall = @($ps.Streams.Progress | Where-Object Activity -EQ 'Saving Kling videos')
                $children = @($ps.Streams.Progress | Where-Object ParentActivityId -EQ $overall[0].ActivityId)
                $overall.Count | Should -BeGreaterThan 1
                $overall[0].StatusDescription | Should -Match '^\d+ of 4 file\(s\) saved, [\d.]+ MB'
                $overall[-1].RecordType | Should -Be 'Completed'
                ($children.Activity | Sort-Object -Unique) | Should -Be @('b1.mp4', 'b2.mp4', 'b3.mp4', 'b4.mp4')
                @($children | Where-Object RecordType -EQ 'Completed').Count | Should -BeLessOrEqual 4
                @($overall | Where-Object RecordType -NE 'Completed').Count | Should -BeLessOrEqual ([math]::Ceiling($clock.Elapsed.TotalSeconds * 4) + 1)
            }
            finally {
                Invoke-EmulatorControl $emu clock -Body @{ resume = $true } | Out-Null
                $ps.Dispose()
            }
        }

        It 'stops at once on Ctrl+C, cancelling the downloads in flight; a rerun completes them' {
            $tasks = @(1..3 | ForEach-Object { [pscustomobject]@{ prompt = "stop $_"; Name = "stop$_" } } | New-KlingVideo | Wait-KlingTask -PollInterval 0.1)
            # Each download would wait a minute before its first byte.
            Reset-Emulator $emu -Config @{ videoBytes = 300000; downloadDelayMs = 60000 }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($Module, $Tasks, $Dest)
                        Import-Module $Module
                        $Tasks | Save-KlingVideo -Path $Dest -ThrottleLimit 3
                    }).AddArgument($ModulePath).AddArgument($tasks).AddArgument($dest)
                $handle = $ps.BeginInvoke()
                Wait-Until { (Invoke-EmulatorControl $emu stats).downloads -ge 3 } -Seconds 20 -Because 'three downloads started'
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally {
                $ps.Dispose()
            }
            @(Get-ChildItem $dest -Filter '*.mp4').Count | Should -Be 0
            # A rerun finishes every file, byte-exact.
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            $files = @($tasks | Save-KlingVideo -Path $dest)
            $files.Count | Should -Be 3
            foreach ($f in $files) {
                $f.Length | Should -Be 300000
                (Get-FileHash $f.FullName).Hash | Should -Be (Get-FileHash (Save-Reference ($tasks | Where-Object TaskId -EQ $f.TaskId))).Hash
            }
            @(Get-ChildItem $dest -Filter '*.partial').Count | Should -Be 0
        }

        It 'never sends the key to the download host, also when resuming and refreshing' {
            Invoke-EmulatorControl $emu config -Body @{ resultTtl = 1; freshLinks = $true } | Out-Null
            $task = New-CompletedTask -Name 'nokey'
            Wait-LinkExpired $task
            Invoke-EmulatorControl $emu config -Body @{ cutAfterBytes = 50000; cutTimes = 1 } | Out-Null
            $task | Save-KlingVideo -Path $dest | Out-Null
            $downloads = Get-FileDownload
            $downloads.Count | Should -Be 3
            foreach ($d in $downloads) {
                Get-HeaderValue $d 'Authorization' | Should -BeNullOrEmpty
                Get-HeaderValue $d 'Cookie' | Should -BeNullOrEmpty
                ($d | ConvertTo-Json -Depth 5) | Should -Not -BeLike "*$($emu.ApiKey)*"
            }
        }
    }
}
