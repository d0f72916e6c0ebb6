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
        $check.Model | Should -Be 'kling-video-o1'
        $check.CharacterOrientation | Should -BeNullOrEmpty
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

    Context 'motion control' {
        It 'checks 3 to 10 s with orientation image and 3 to 30 s with orientation video' {
            $clip = New-TestVideo (Join-Path $work 'dance.mp4') -Seconds 20
            $image = Test-KlingVideoInput -Path $clip -Model kling-v3-motion-control -CharacterOrientation image
            $image.IsValid | Should -BeFalse
            $image.Model | Should -Be 'kling-v3-motion-control'
            $image.CharacterOrientation | Should -Be 'image'
            $image.ReferType | Should -BeNullOrEmpty
            $image.Problems | Should -Be @('duration 20 s is longer than the 10 s kling-v3-motion-control takes with character orientation image (orientation video takes up to 30 s)')

            (Test-KlingVideoInput -Path $clip -Model kling-v2-6-motion-control -CharacterOrientation video).IsValid | Should -BeTrue
            $long = New-TestVideo (Join-Path $work 'long.mp4') -Seconds 31
            (Test-KlingVideoInput -Path $long -Model kling-v2-6-motion-control -CharacterOrientation video).Problems |
                Should -Be @('duration 31 s is longer than the 30 s kling-v2-6-motion-control takes with character orientation video')
            $short = New-TestVideo (Join-Path $work 'short.mp4') -Seconds 2
            (Test-KlingVideoInput -Path $short -Model kling-v3-motion-control).Problems | Should -Be @('duration 2 s is shorter than the 3 s minimum')
        }

        It 'takes -CharacterOrientation alone as motion control' {
            $clip = New-TestVideo (Join-Path $work 'twelve.mp4') -Seconds 12
            (Test-KlingVideoInput -Path $clip).IsValid | Should -BeFalse -Because 'a base reference video lasts at most 10 s'
            $check = Test-KlingVideoInput -Path $clip -CharacterOrientation video
            $check.IsValid | Should -BeTrue
            $check.Model | Should -BeNullOrEmpty
            $check.CharacterOrientation | Should -Be 'video'
            (Test-KlingVideoInput -Path $clip -CharacterOrientation image).Problems[0] | Should -BeLike 'duration 12 s is longer than the 10 s motion control takes with character orientation image*'
        }

        It 'needs a file under 100 MB, where video_list allows 200 MB' {
            $big = New-TestVideo (Join-Path $work 'big.mp4') -MdatBytes (120MB)
            (Test-KlingVideoInput -Path $big).IsValid | Should -BeTrue
            $check = Test-KlingVideoInput -Path $big -Model kling-v3-motion-control -CharacterOrientation video
            $check.IsValid | Should -BeFalse
            $check.Problems | Should -Be @('size 120.0 MB must be under 100 MB for kling-v3-motion-control')
        }

        It 'does not hold a motion clip to video_list''s pixel and frame-rate limits' {
            $clip = New-TestVideo (Join-Path $work 'phone.mov') -Brand 'qt  ' -Width 640 -Height 360 -Fps 15
            (Test-KlingVideoInput -Path $clip).IsValid | Should -BeFalse
            (Test-KlingVideoInput -Path $clip -Model kling-v3-motion-control -Quiet) | Should -BeTrue
        }

        It 'refuses a use the model does not have, before reading any file, naming the models that do' {
            $clip = New-TestVideo (Join-Path $work 'any.mp4')
            { Test-KlingVideoInput -Path $clip -Model kling-v3 } | Should -Throw '*kling-v3 takes no reference video*kling-v3-motion-control*'
            { Test-KlingVideoInput -Path $clip -Model kling-v3-motion-control -ReferType base } | Should -Throw '*takes no refer type*-CharacterOrientation*'
            { Test-KlingVideoInput -Path $clip -Model kling-video-o1 -CharacterOrientation image } | Should -Throw '*kling-video-o1 takes no character orientation*'
            $err = { Test-KlingVideoInput -Path $clip -Model kling-3.0-turbo } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'VideoRulesNotApplicable,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'checks only MP4/MOV and a video track for a model it does not know, and warns once' {
            $a = New-TestVideo (Join-Path $work 'u/a.mp4') -Seconds 1 -Width 320 -Height 240
            $b = Join-Path $work 'u/b.mp4'
            Set-Content $b 'not a video'
            $checks = @(Test-KlingVideoInput -LiteralPath $a, $b -Model kling-v9-future -WarningVariable warnings -WarningAction SilentlyContinue)
            $checks.IsValid | Should -Be @($true, $false)
            $checks[0].Model | Should -Be 'kling-v9-future'
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike "*does not know the model 'kling-v9-future'*not checked*"
        }

        It 'uses the video_list rules of kling-v3-omni like kling-video-o1''s' {
            $clip = New-TestVideo (Join-Path $work 'omni.mp4') -Seconds 12
            $check = Test-KlingVideoInput -Path $clip -Model kling-v3-omni
            $check.Model | Should -Be 'kling-v3-omni'
            $check.ReferType | Should -Be 'base'
            $check.IsValid | Should -BeFalse
            (Test-KlingVideoInput -Path $clip -Model kling-v3-omni -ReferType feature).IsValid | Should -BeTrue
        }

        It 'completes -Model from the catalog' {
            $line = 'Test-KlingVideoInput -Path x.mp4 -Model kling-v'
            $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $names | Should -Contain 'kling-v3-motion-control'
            $names | Should -Contain 'kling-v2-6-motion-control'
            $names | Should -Not -Contain 'kling-3.0-turbo'
        }
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

    # 'needs no key and no gateway' runs in-process: tests/Kling.Cmdlets.Tests/Commands/TestKlingVideoInputCommandTests.cs.

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
