Describe 'Save-KlingVideo and the file system' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3

        function Get-IndexLine {
            param([string] $Folder)
            @(Get-Content -LiteralPath (Join-Path $Folder '.kling-saved.jsonl') -Encoding utf8 | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json })
        }

        function Test-SameBytes {
            param([string] $Path, $Task)
            $reference = Join-Path $TestDrive "reference-$([guid]::NewGuid().ToString('n')).bin"
            Invoke-WebRequest -Uri @($Task.VideoUrl)[0] -OutFile $reference
            (Get-FileHash -LiteralPath $Path).Hash -eq (Get-FileHash -LiteralPath $reference).Hash
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

    It 'two processes saving tasks of the same name into one folder keep both videos, each under its own name, listed once' {
        $tasks = @(New-CompletedTask -Name 'same' -Prompt 'first'; New-CompletedTask -Name 'same' -Prompt 'second')
        # Both downloads wait until both have started, so both processes pick their names before either claims one.
        Invoke-RestMethod -Method Post -Uri "$($emu.Storage)/_emulator/download-barrier?count=2" | Out-Null
        $children = foreach ($t in $tasks) {
            $script = @"
Import-Module '$ModulePath'
`$task = Get-KlingTask -TaskId '$($t.TaskId)'
`$task.Name = 'same'
`$task | Save-KlingVideo -Path '$dest' -WarningAction Continue | ForEach-Object { 'SAVED ' + `$_.Name }
"@
            $file = New-ChildScriptFile $script
            [pscustomobject]@{ File = $file; Process = New-ChildPwsh -File $file -Environment @{ KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey } }
        }
        try {
            $outputs = foreach ($c in $children) {
                $out = $c.Process.StandardOutput.ReadToEndAsync()
                $err = $c.Process.StandardError.ReadToEndAsync()
                $c.Process.WaitForExit(120000) | Should -BeTrue
                $out.Result + $err.Result
            }
        }
        finally {
            foreach ($c in $children) {
                if (-not $c.Process.HasExited) { $c.Process.Kill() }
                Remove-Item $c.File -ErrorAction SilentlyContinue
            }
        }
        (Get-FileDownload).Count | Should -Be 2 -Because ($outputs -join "`n")
        $files = @(Get-ChildItem -LiteralPath $dest -Filter '*.mp4')
        @($files.Name | Sort-Object) | Should -Be @(@('same.mp4', 'same_2.mp4') | Sort-Object) -Because ($outputs -join "`n")
        $index = Get-IndexLine $dest
        $index.Count | Should -Be 2
        @($index.file | Sort-Object -Unique).Count | Should -Be 2
        foreach ($entry in $index) {
            $task = $tasks | Where-Object TaskId -EQ $entry.taskId
            Test-SameBytes (Join-Path $dest $entry.file) $task | Should -BeTrue -Because "$($entry.file) must hold the video of $($entry.taskId)"
        }
        @($index.taskId | Sort-Object) | Should -Be @($tasks.TaskId | Sort-Object)
        ($outputs -join "`n") | Should -Match 'same_2\.mp4'
        Get-ChildItem -LiteralPath $dest -Filter '*.partial' | Should -BeNullOrEmpty
    }

    It 'saves a task named with 200 CJK characters under a name that fits the file system' -Skip:(-not $IsLinux) {
        $label = [string]::new([char]0x732B, 200)
        $task = New-CompletedTask -Name $label
        Reset-Emulator $emu -Config @{ videoBytes = 300000 }
        $file = $task | Save-KlingVideo -Path $dest
        $file.Name | Should -BeLike ('猫*.mp4')
        [Text.Encoding]::UTF8.GetByteCount($file.Name) | Should -BeLessOrEqual 255
        # Room is kept for the temporary name, <name>.mp4.<TaskId>.partial, which must fit too.
        [Text.Encoding]::UTF8.GetByteCount("$($file.Name).$($task.TaskId).partial") | Should -BeLessOrEqual 255
        $file.Length | Should -Be 300000
        (Get-FileDownload).Count | Should -Be 1
        # A rerun finds it.
        ($task | Save-KlingVideo -Path $dest).FullName | Should -Be $file.FullName
        (Get-FileDownload).Count | Should -Be 1
        Test-SameBytes $file.FullName $task | Should -BeTrue
    }

    It 'reports a full disk as the file''s write error at once, naming the path, after one download request' -Skip:(-not $IsLinux) {
        $task = New-CompletedTask -Name 'full'
        Reset-Emulator $emu -Config @{ videoBytes = 300000 }
        New-Item -ItemType Directory $dest | Out-Null
        # The temporary file is /dev/full: every write fails with ENOSPC, also for root.
        $partial = Join-Path $dest "full.mp4.$($task.TaskId).partial"
        New-Item -ItemType SymbolicLink -Path $partial -Target '/dev/full' | Out-Null
        $file = $task | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue
        $file | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
        $errs[0].Exception.Message | Should -BeLike "*$partial*"
        $errs[0].TargetObject.TaskId | Should -Be $task.TaskId
        (Get-FileDownload).Count | Should -Be 1
        Test-Path -LiteralPath $partial | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $dest 'full.mp4') | Should -BeFalse
    }

    It 'a disk that fills up as the index is written: the error names the index, and a rerun finishes that video without a download or a _2' {
        # A small tmpfs, filled so that the video fits and the line in .kling-saved.jsonl does not: root on Linux only (CI).
        $root = if ($IsLinux) { (& id -u) -eq '0' } else { $false }
        if (-not $root) {
            Set-ItResult -Skipped -Because 'mounting a small tmpfs (a disk that fills up) needs root on Linux'
            return
        }

        $mount = Join-Path $TestDrive ('tmpfs-' + [guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $mount | Out-Null
        $mounted = & mount -t tmpfs -o size=1m tmpfs $mount 2>&1
        if ($LASTEXITCODE -ne 0) {
            Set-ItResult -Skipped -Because "a tmpfs could not be mounted here ($mounted)"
            return
        }

        try {
            $task = New-CompletedTask -Name 'indexed'
            Reset-Emulator $emu -Config @{ videoBytes = 300000 }
            $dest = Join-Path $mount 'videos'
            New-Item -ItemType Directory $dest | Out-Null
            # tmpfs counts whole pages: leave room for exactly the video's pages, none for the index's first one.
            $page = 4096
            $videoRoom = [math]::Ceiling(300000 / $page) * $page
            $filler = Join-Path $mount 'filler'
            [IO.File]::WriteAllBytes($filler, [byte[]]::new([IO.DriveInfo]::new($mount).AvailableFreeSpace - $videoRoom))
            [IO.DriveInfo]::new($mount).AvailableFreeSpace | Should -Be $videoRoom

            $file = $task | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue
            $file | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'SavedFileIndexFailed,*'
            $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
            $errs[0].TargetObject.TaskId | Should -Be $task.TaskId
            $partial = Join-Path $dest "indexed.mp4.$($task.TaskId).partial"
            $errs[0].Exception.Message | Should -BeLike "*$(Join-Path $dest '.kling-saved.jsonl')*"
            $errs[0].Exception.Message | Should -BeLike "*$partial*"
            # The complete video waits under its temporary name; nothing stands under the final one.
            (Get-Item -LiteralPath $partial).Length | Should -Be 300000
            Test-Path -LiteralPath (Join-Path $dest 'indexed.mp4') | Should -BeFalse
            (Get-FileDownload).Count | Should -Be 1

            Remove-Item -LiteralPath $filler
            $again = $task | Save-KlingVideo -Path $dest -ErrorVariable errs2 -ErrorAction SilentlyContinue -WarningVariable warns2 -WarningAction SilentlyContinue
            $errs2 | Should -BeNullOrEmpty
            $warns2 | Should -BeNullOrEmpty
            $again.Name | Should -Be 'indexed.mp4'
            $again.Length | Should -Be 300000
            # The rerun asked only whether the bytes on disk are the whole file: none came down again.
            $downloads = @(Get-FileDownload)
            $downloads.Count | Should -Be 2
            Get-HeaderValue $downloads[1] 'Range' | Should -Be 'bytes=300000-'
            @(Get-ChildItem -LiteralPath $dest -Filter '*.mp4').Name | Should -Be 'indexed.mp4'
            Get-ChildItem -LiteralPath $dest -Filter '*.partial' | Should -BeNullOrEmpty
            Test-SameBytes $again.FullName $task | Should -BeTrue
            # And the next run finds it saved.
            ($task | Save-KlingVideo -Path $dest).FullName | Should -Be $again.FullName
            (Get-FileDownload).Count | Should -Be 3 # the reference download of Test-SameBytes, and no other
        }
        finally {
            & umount $mount
        }
    }

    It 'reports a temporary file it cannot open as PermissionDenied or WriteError at once, before any download request' {
        $task = New-CompletedTask -Name 'blocked'
        Reset-Emulator $emu -Config @{ videoBytes = 300000 }
        # A directory where the temporary file would go cannot be opened for writing, also by root or an administrator.
        $partial = Join-Path $dest "blocked.mp4.$($task.TaskId).partial"
        New-Item -ItemType Directory $partial -Force | Out-Null
        $task | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -BeIn @('PermissionDenied', 'WriteError')
        $errs[0].Exception.Message | Should -BeLike "*$partial*"
        $errs[0].TargetObject.TaskId | Should -Be $task.TaskId
        # The temporary file is taken (and held) before anything is asked of the host.
        (Get-FileDownload).Count | Should -Be 0
        Test-Path -LiteralPath $partial -PathType Container | Should -BeTrue
    }

    It 'takes a directory standing under the video''s name as taken, and saves beside it at once' {
        $task = New-CompletedTask -Name 'folder'
        Reset-Emulator $emu -Config @{ videoBytes = 300000 }
        New-Item -ItemType Directory (Join-Path $dest 'folder.mp4') -Force | Out-Null
        $file = $task | Save-KlingVideo -Path $dest -WarningVariable warn -WarningAction SilentlyContinue
        $file.Name | Should -Be 'folder_2.mp4'
        $warn.Count | Should -Be 1
        (Get-FileDownload).Count | Should -Be 1
    }

    It 'reads a journal a chunk of tasks at a time: its first files download before its last tasks are read' {
        Invoke-EmulatorControl $emu config -Body @{ videoBytes = 2048 } | Out-Null
        $journal = Join-Path $TestDrive "chunks-$([guid]::NewGuid().ToString('n')).jsonl"
        $count = 70
        $null = 1..$count | ForEach-Object { [pscustomobject]@{ prompt = "chunk $_"; Name = "chunk-$_" } } | New-KlingVideo -Journal $journal -ThrottleLimit 8
        @(Wait-KlingTask -Journal $journal -PollInterval 0.1).Count | Should -Be $count
        $earlier = @(Get-EmulatorRequest $emu).Count

        $files = @(Save-KlingVideo -Journal $journal -Path $dest -ThrottleLimit 1)
        $files.Count | Should -Be $count
        ($files.Name | Sort-Object -Unique).Count | Should -Be $count

        # The requests of the save, in the order the hosts received them: a status read per task, a download per file.
        $log = @(Get-EmulatorRequest $emu | Select-Object -Skip $earlier)
        $isStatus = { $_.host -eq 'gateway' -and $_.method -eq 'GET' -and $_.path -like '/v1/tasks/*' }
        @($log | Where-Object $isStatus).Count | Should -Be $count
        $firstDownload = [array]::FindIndex($log, [Predicate[object]] { param($r) $r.host -eq 'storage' })
        $firstDownload | Should -BeGreaterThan 0
        # Only the first chunk's statuses were read before a file came down; the rest of the journal after it.
        $readFirst = @($log[0..($firstDownload - 1)] | Where-Object $isStatus).Count
        $readFirst | Should -BeGreaterThan 0
        $readFirst | Should -BeLessOrEqual 32
    }
}
