Describe 'Save-KlingVideo' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5

        function New-CompletedTask {
            param([string] $Name, [string] $Prompt = 'a clip')
            $p = @{ Prompt = $Prompt }
            if ($Name) { $p.Name = $Name }
            New-KlingVideo @p | Wait-KlingTask -PollInterval 0.1
        }
    }

    AfterAll {
        Disconnect-Kling
        Stop-KlingEmulator $emu
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

        It 'keeps an existing file unless -Force, and overwrites with -Force' {
            $task = New-CompletedTask -Name 'exists'
            New-Item -ItemType Directory $dest | Out-Null
            Set-Content -Path (Join-Path $dest 'exists.mp4') -Value 'old'
            $task | Save-KlingVideo -Path $dest -WarningVariable warn -WarningAction SilentlyContinue | Out-Null
            $warn.Count | Should -Be 1
            (Get-Item (Join-Path $dest 'exists.mp4')).Length | Should -BeLessThan 10
            $task | Save-KlingVideo -Path $dest -Force | Out-Null
            (Get-Item (Join-Path $dest 'exists.mp4')).Length | Should -Be 300000
        }

        It 'downloads nothing with -WhatIf' {
            $task = New-CompletedTask -Name 'whatif'
            $task | Save-KlingVideo -Path $dest -WhatIf
            Test-Path (Join-Path $dest 'whatif.mp4') | Should -BeFalse
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
            Start-Sleep -Milliseconds 400
            $files = $running, $failed, $good | Save-KlingVideo -Path $dest -ErrorVariable errs -ErrorAction SilentlyContinue
            @($files).Name | Should -Be 'good.mp4'
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'TaskNotCompleted,*'
            $errs[0].TargetObject.TaskId | Should -Be $running.TaskId
            $errs[1].CategoryInfo.Category | Should -Be 'InvalidResult'
        }

        It 'reports an expired result link clearly and leaves no file behind' {
            Invoke-EmulatorControl $emu config -Body @{ resultTtl = 1 } | Out-Null
            $task = New-CompletedTask -Name 'expired'
            Start-Sleep -Seconds 2.2
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
}
