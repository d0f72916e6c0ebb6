Describe 'Test-KlingVideoInput' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        . (Join-Path $PSScriptRoot 'Mp4.ps1')
    }

    BeforeEach {
        $script:work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $work | Out-Null
    }

    It 'reads a good clip''s header and passes it' {
        $clip = New-TestVideo (Join-Path $work 'good.mp4') -Width 1920 -Height 1080 -Seconds 8 -Fps 25
        $check = Test-KlingVideoInput -Path $clip
        $check | Should -BeOfType ([Kling.Core.VideoCheck])
        $check.IsValid | Should -BeTrue
        $check.Problems | Should -BeNullOrEmpty
        $check.Container | Should -Be 'MP4'
        $check.Width | Should -Be 1920
        $check.Height | Should -Be 1080
        [math]::Round($check.FrameRate, 2) | Should -Be 25
        $check.Duration | Should -Be ([timespan]::FromSeconds(8))
        $check.ReferType | Should -Be 'base'
    }

    It 'names every broken rule with the value found' {
        $clip = New-TestVideo (Join-Path $work 'bad.mov') -Brand 'qt  ' -Width 640 -Height 360 -Seconds 12 -Fps 15
        $check = Test-KlingVideoInput -Path $clip
        $check.IsValid | Should -BeFalse
        $check.Container | Should -Be 'MOV'
        $check.Problems | Should -Contain 'width 640 px is outside 720-2160 px'
        $check.Problems | Should -Contain 'height 360 px is outside 720-2160 px'
        $check.Problems | Should -Contain 'frame rate 15 fps is outside 24-60 fps'
        @($check.Problems | Where-Object { $_ -like 'duration 12 s is longer than the 10 s*' }).Count | Should -Be 1
    }

    It 'allows a longer clip as a feature reference' {
        $clip = New-TestVideo (Join-Path $work 'long.mp4') -Seconds 12
        (Test-KlingVideoInput -Path $clip).IsValid | Should -BeFalse
        (Test-KlingVideoInput -Path $clip -ReferType feature).IsValid | Should -BeTrue
    }

    It 'resolves relative paths against the PowerShell location, and takes wildcards' {
        New-TestVideo (Join-Path $work 'clips/a.mp4') | Out-Null
        New-TestVideo (Join-Path $work 'clips/b.mp4') -Fps 120 | Out-Null
        [IO.Directory]::GetCurrentDirectory() | Should -Not -Be $work
        Push-Location $work
        try { $checks = @(Test-KlingVideoInput -Path 'clips/*.mp4') }
        finally { Pop-Location }
        $checks.Count | Should -Be 2
        ($checks | Sort-Object Path).IsValid | Should -Be @($true, $false)
        $checks[0].Path | Should -Be (Join-Path $work 'clips/a.mp4')
    }

    It 'writes only booleans with -Quiet, taking files from Get-ChildItem' {
        New-TestVideo (Join-Path $work 'q/ok.mp4') | Out-Null
        New-TestVideo (Join-Path $work 'q/short.mp4') -Seconds 2 | Out-Null
        $results = @(Get-ChildItem (Join-Path $work 'q') | Sort-Object Name | Test-KlingVideoInput -Quiet)
        $results | Should -Be @($true, $false)
        $results[0] | Should -BeOfType ([bool])
    }

    It 'reports a missing file as an error and checks the rest' {
        $good = New-TestVideo (Join-Path $work 'there.mp4')
        $checks = @(Test-KlingVideoInput -LiteralPath (Join-Path $work 'gone.mp4'), $good -ErrorVariable errs -ErrorAction SilentlyContinue)
        $checks.Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be (Join-Path $work 'gone.mp4')
    }

    It 'says a file that is not MP4 or MOV is not one' {
        $text = Join-Path $work 'notes.mp4'
        Set-Content $text 'not a video'
        $check = Test-KlingVideoInput -Path $text
        $check.IsValid | Should -BeFalse
        $check.Container | Should -BeNullOrEmpty
        $check.Problems[0] | Should -BeLike 'not an MP4 or MOV file*'
    }

    It 'needs no key and no gateway' {
        $clip = New-TestVideo (Join-Path $work 'offline.mp4')
        $run = Invoke-ChildPwsh -Script "Import-Module '$ModulePath'; (Test-KlingVideoInput -Path '$clip').IsValid" -Environment @{ KLING_API_KEY = ''; KLING_BASE_URL = 'https://192.0.2.1' }
        $run.ExitCode | Should -Be 0
        $run.Output.Trim() | Should -Be 'True'
    }

    It 'is what New-KlingVideo points to when a local path is given as the video URL, before sending anything' {
        $emu = Start-KlingEmulator
        try {
            Use-Emulator $emu
            $clip = New-TestVideo (Join-Path $work 'local.mp4')
            Push-Location $work
            try { $task = New-KlingVideo -Prompt 'edit this' -VideoUrl './local.mp4' -ErrorVariable errs -ErrorAction SilentlyContinue }
            finally { Pop-Location }
            $task | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].Exception.Fields | Should -Be @('video_url')
            $errs[0].Exception.Message | Should -BeLike '*no video upload*Test-KlingVideoInput*'
            Get-SubmitCount $emu | Should -Be 0
        }
        finally {
            Close-TestEmulator $emu
        }
    }
}
