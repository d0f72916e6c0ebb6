Describe 'Local images' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5

        function New-ImageFile {
            <# Writes a small image whose type is given by its first bytes (not its name); its content is new every time. #>
            param([Parameter(Mandatory)] [string] $Path, [ValidateSet('png', 'jpeg', 'gif', 'webp', 'text')] [string] $Kind = 'png')
            $head = switch ($Kind) {
                'png' { [byte[]] (0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) }
                'jpeg' { [byte[]] (0xFF, 0xD8, 0xFF, 0xE0) }
                'gif' { [Text.Encoding]::ASCII.GetBytes('GIF89a') }
                'webp' { [Text.Encoding]::ASCII.GetBytes('RIFF') + [byte[]] (1, 0, 0, 0) + [Text.Encoding]::ASCII.GetBytes('WEBP') }
                'text' { [Text.Encoding]::ASCII.GetBytes('this is not an image at all') }
            }
            $body = [guid]::NewGuid().ToByteArray()
            New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
            [IO.File]::WriteAllBytes($Path, [byte[]] ($head + $body))
            $Path
        }

        function Get-UploadRequest { @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/uploads/images*') }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        # The upload cache lasts the session; every image file below has new content, so no test sees another's uploads.
        $script:work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $work | Out-Null
    }

    It 'uploads local frames from a CSV, resolving relative paths against the PowerShell location' {
        New-ImageFile (Join-Path $work 'frames/bud.png') | Out-Null
        New-ImageFile (Join-Path $work 'frames/flower.jpg') -Kind jpeg | Out-Null
        New-ImageFile (Join-Path $work 'frames/a.gif') -Kind gif | Out-Null
        New-ImageFile (Join-Path $work 'frames/b.webp') -Kind webp | Out-Null
        @(
            'Name,prompt,first_frame,last_frame,image'
            'bloom,The bud opens,frames/bud.png,frames/flower.jpg,'
            'morph,<<<image_1>>> into <<<image_2>>>,,,frames/a.gif;frames/b.webp'
            'plain,No images at all,,,'
        ) | Set-Content (Join-Path $work 'rows.csv')
        # The process directory is not $work: only the PowerShell location is.
        [IO.Directory]::GetCurrentDirectory() | Should -Not -Be $work
        Push-Location $work
        try { $tasks = @(Import-Csv rows.csv | New-KlingVideo) }
        finally { Pop-Location }

        $tasks.Count | Should -Be 3
        @(Get-UploadRequest).Count | Should -Be 4
        $bodies = @(Get-SubmitBody $emu)
        $bloom = $bodies | Where-Object prompt -EQ 'The bud opens'
        $bloom.image_urls.Count | Should -Be 2
        $bloom.image_urls | ForEach-Object { $_ | Should -BeLike "$($emu.Storage)/uploads/*" }
        $bloom.image_urls[0] | Should -BeLike '*.png'
        $bloom.image_urls[1] | Should -BeLike '*.jpg'
        # The first frame URL serves the very bytes of bud.png.
        $served = Join-Path $TestDrive 'served.bin'
        Invoke-WebRequest -Uri $bloom.image_urls[0] -OutFile $served
        (Get-FileHash $served).Hash | Should -Be (Get-FileHash (Join-Path $work 'frames/bud.png')).Hash
        ($bodies | Where-Object prompt -Like '*into*').image_urls.Count | Should -Be 2
        ($bodies | Where-Object prompt -EQ 'No images at all').PSObject.Properties.Name | Should -Not -Contain 'image_urls'
        ($tasks | Where-Object Name -EQ 'bloom').Request.ImageUrls | Should -Be $bloom.image_urls
    }

    It 'turns a CSV with local image paths into videos in a folder, end to end' {
        New-ImageFile (Join-Path $work 'in/frames/start.png') | Out-Null
        New-ImageFile (Join-Path $work 'in/frames/end.webp') -Kind webp | Out-Null
        @(
            'Name,prompt,first_frame,last_frame'
            'opening,The door opens,frames/start.png,frames/end.webp'
            'closing,The door closes,frames/end.webp,frames/start.png'
            'still,Nothing moves,frames/start.png,'
        ) | Set-Content (Join-Path $work 'in/batch.csv')
        Push-Location (Join-Path $work 'in')
        try { $files = @(Import-Csv batch.csv | New-KlingVideo -ThrottleLimit 3 | Wait-KlingTask -PollInterval 0.2 | Save-KlingVideo -Path ../out) }
        finally { Pop-Location }
        ($files.Name | Sort-Object) | Should -Be @('closing.mp4', 'opening.mp4', 'still.mp4')
        $files | ForEach-Object { $_.Directory.FullName | Should -Be (Join-Path $work 'out'); $_.Length | Should -BeGreaterThan 0 }
        @(Get-UploadRequest).Count | Should -Be 2
    }

    It 'uploads a first frame shared by 30 rows exactly once, with 8 rows in flight' {
        $frame = New-ImageFile (Join-Path $work 'shared.png')
        $rows = 1..30 | ForEach-Object { [pscustomobject]@{ prompt = "shared frame $_"; first_frame = $frame } }
        $tasks = @($rows | New-KlingVideo -ThrottleLimit 8)
        $tasks.Count | Should -Be 30
        @(Get-UploadRequest).Count | Should -Be 1
        $urls = @(Get-SubmitBody $emu | ForEach-Object { $_.image_urls[0] } | Sort-Object -Unique)
        $urls.Count | Should -Be 1
    }

    It 'rejects <case> before anything is sent, naming the row and field, and goes on' -ForEach @(
        @{ case = 'a text file named .png'; field = 'first_frame'; make = { param($p) New-ImageFile $p -Kind text | Out-Null }; text = '*not a JPEG, PNG, WebP or GIF*' }
        @{ case = 'an image over 20 MB'; field = 'first_frame'; make = { param($p) $f = [IO.File]::Create($p); $f.Write([byte[]] (0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A), 0, 8); $f.SetLength(21MB); $f.Dispose() }; text = '*at most 20 MB*' }
        @{ case = 'a missing file'; field = 'first_frame'; make = { param($p) }; text = '*does not exist*' }
    ) {
        $bad = Join-Path $work 'bad.png'
        & $make $bad
        $good = New-ImageFile (Join-Path $work 'good.png')
        $rows = @(
            [pscustomobject]@{ prompt = 'good one'; first_frame = $good }
            [pscustomobject]@{ prompt = 'bad one'; first_frame = $bad; Name = 'broken' }
            [pscustomobject]@{ prompt = 'good two'; first_frame = $good }
        )
        $tasks = @($rows | New-KlingVideo -ErrorVariable errs -ErrorAction SilentlyContinue)
        $tasks.Count | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRow,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].Exception.Row | Should -Be 2
        $errs[0].Exception.Fields | Should -Be @($field)
        $errs[0].Exception.Message | Should -BeLike "Row 2 ('broken')*"
        $errs[0].Exception.Message | Should -BeLike $text
        $errs[0].Exception.Message | Should -BeLike "*$bad*"
        @(Get-UploadRequest).Count | Should -Be 1
        @(Get-SubmitBody $emu | Where-Object prompt -EQ 'bad one').Count | Should -Be 0
    }

    It 'passes URLs through without uploading' {
        $task = New-KlingVideo -Prompt 'from the web' -FirstFrame 'https://cdn.example/a.png' -LastFrame 'https://cdn.example/b.png'
        @(Get-UploadRequest).Count | Should -Be 0
        (Get-SubmitBody $emu).image_urls | Should -Be @('https://cdn.example/a.png', 'https://cdn.example/b.png')
        $task.Request.ImageUrls | Should -Be @('https://cdn.example/a.png', 'https://cdn.example/b.png')
    }

    It 'refuses a last frame without a first frame, and images given two ways' {
        $rows = @(
            [pscustomobject]@{ prompt = 'only last'; last_frame = 'https://cdn.example/b.png' }
            [pscustomobject]@{ prompt = 'both'; first_frame = 'https://cdn.example/a.png'; image = 'https://cdn.example/c.png' }
        )
        $tasks = @($rows | New-KlingVideo -ErrorVariable errs -ErrorAction SilentlyContinue)
        $tasks.Count | Should -Be 0
        $errs.Count | Should -Be 2
        $errs[0].Exception.Fields | Should -Be @('last_frame')
        $errs[1].Exception.Fields | Should -Be @('image')
        Get-SubmitCount $emu | Should -Be 0
    }

    # 'uploads and sends nothing with -WhatIf, and says which files it would upload' runs in-process:
    # tests/Kling.Cmdlets.Tests/Commands/NewKlingVideoCommandTests.cs.

    It 'makes no upload and no submission when a journaled batch is run again' {
        $frame = New-ImageFile (Join-Path $work 'journaled.png')
        $journal = Join-Path $work 'batch.jsonl'
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ prompt = "journaled $_"; first_frame = $frame } }
        $first = @($rows | New-KlingVideo -Journal $journal)
        $first.Count | Should -Be 3
        (Get-Content -Raw $journal) | Should -Not -BeLike '*sha256:*'
        # A new session (a fresh process) has an empty upload cache: nothing must be uploaded again anyway.
        $script = "Import-Module '$ModulePath'; `$rows = 1..3 | ForEach-Object { [pscustomobject]@{ prompt = ""journaled `$_""; first_frame = '$frame' } }; @(`$rows | New-KlingVideo -Journal '$journal').TaskId -join ','"
        Reset-Emulator $emu
        $again = Invoke-ChildPwsh -Script $script -Environment @{ KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey }
        $again.ExitCode | Should -Be 0
        ($again.Output.Trim().Split("`n")[-1].Trim().Split(',') | Sort-Object) | Should -Be ($first.TaskId | Sort-Object)
        @(Get-UploadRequest).Count | Should -Be 0
        Get-SubmitCount $emu | Should -Be 0
    }

    It 'uploads again when the image file changes' {
        $frame = New-ImageFile (Join-Path $work 'changing.png')
        New-KlingVideo -Prompt 'before' -FirstFrame $frame | Out-Null
        New-KlingVideo -Prompt 'same file' -FirstFrame $frame | Out-Null
        @(Get-UploadRequest).Count | Should -Be 1
        New-ImageFile $frame | Out-Null
        New-KlingVideo -Prompt 'after' -FirstFrame $frame | Out-Null
        @(Get-UploadRequest).Count | Should -Be 2
    }

    It 'writes the upload as strict servers read it: name and filename quoted, the part''s Content-Type, a non-ASCII name as ASCII plus filename* (issue 13, point 1)' {
        $plain = New-ImageFile (Join-Path $work 'bud.png')
        $chinese = New-ImageFile (Join-Path $work '花蕾 1.jpg') -Kind jpeg
        $uploads = @(Send-KlingImage -Path $plain, $chinese)
        $uploads.Count | Should -Be 2
        # The emulator, like a strict server, refuses unquoted parameters with 400 "multipart field file required".
        @(Get-UploadRequest | ForEach-Object status) | Should -Be @(200, 200)
        $parts = @(Get-UploadRequest | ForEach-Object { $_.parts })
        $parts[0] | Should -BeExactly 'Content-Disposition: form-data; name="file"; filename="bud.png"; Content-Type: image/png'
        $parts[1] | Should -BeExactly "Content-Disposition: form-data; name=`"file`"; filename=`"__ 1.jpg`"; filename*=UTF-8''%E8%8A%B1%E8%95%BE%201.jpg; Content-Type: image/jpeg"
        # The gateway read the original name back from filename*.
        $uploads[1].FileName | Should -Be '花蕾 1.jpg'
        # The README demo's bloom row: local frames go up and the row is submitted.
        $task = New-KlingVideo -Prompt 'The bud opens' -FirstFrame $plain -LastFrame $chinese
        $task.TaskId | Should -Not -BeNullOrEmpty
    }

    It 'reports a failed upload as that row''s UploadFailed error, billing nothing' {
        $frame = New-ImageFile (Join-Path $work 'refused.png')
        Add-EmulatorFault $emu @{ route = 'upload'; kind = 'status'; status = 400; times = 1; message = '图片无效 (invalid image)' }
        $task = New-KlingVideo -Prompt 'refused upload' -FirstFrame $frame -ErrorVariable errs -ErrorAction SilentlyContinue
        $task | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'UploadFailed,*'
        $errs[0].Exception.Message | Should -BeLike "Row 1: *$frame*图片无效*"
        Get-SubmitCount $emu | Should -Be 0
    }

    Describe 'Send-KlingImage' {
        It 'uploads files and writes their URLs, from the cache the second time unless -Force' {
            $a = New-ImageFile (Join-Path $work 'send/a.png')
            $b = New-ImageFile (Join-Path $work 'send/b.jpg') -Kind jpeg
            $first = @(Send-KlingImage -Path (Join-Path $work 'send/*'))
            $first.Count | Should -Be 2
            $first[0] | Should -BeOfType ([Kling.Core.ImageUpload])
            ($first | Sort-Object FileName).ContentType | Should -Be @('image/png', 'image/jpeg')
            $first | ForEach-Object { $_.Url | Should -BeLike "$($emu.Storage)/uploads/*"; $_.FromCache | Should -BeFalse }
            $first[0].ExpiresAt - $first[0].CreatedAt | Should -Be ([timespan]::FromHours(72))
            @(Get-UploadRequest).Count | Should -Be 2

            $second = Get-ChildItem (Join-Path $work 'send') | Send-KlingImage
            $second | ForEach-Object { $_.FromCache | Should -BeTrue }
            @(Get-UploadRequest).Count | Should -Be 2
            Send-KlingImage -LiteralPath $a -Force | Out-Null
            @(Get-UploadRequest).Count | Should -Be 3
            Get-HeaderValue (Get-UploadRequest)[0] 'Authorization' | Should -Be "Bearer $($emu.ApiKey)"
        }

        It 'resolves relative paths against the PowerShell location' {
            New-ImageFile (Join-Path $work 'rel/x.gif') -Kind gif | Out-Null
            Push-Location (Join-Path $work 'rel')
            try { $up = Send-KlingImage -Path 'x.gif' }
            finally { Pop-Location }
            $up.Path | Should -Be (Join-Path $work 'rel/x.gif')
        }

        It 'reports a missing file and a non-image per file and goes on' {
            $good = New-ImageFile (Join-Path $work 'ok.png')
            $text = New-ImageFile (Join-Path $work 'text.png') -Kind text
            $ups = @(Send-KlingImage -LiteralPath (Join-Path $work 'none.png'), $text, $good -ErrorVariable errs -ErrorAction SilentlyContinue)
            $ups.Count | Should -Be 1
            $errs.Count | Should -Be 2
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -Be (Join-Path $work 'none.png')
            $errs[1].CategoryInfo.Category | Should -Be 'InvalidData'
            $errs[1].Exception.Message | Should -BeLike '*not a JPEG, PNG, WebP or GIF*'
            @(Get-UploadRequest).Count | Should -Be 1
        }

        It 'uploads nothing with -WhatIf' {
            $f = New-ImageFile (Join-Path $work 'dry.png')
            Send-KlingImage -Path $f -WhatIf | Should -BeNullOrEmpty
            @(Get-UploadRequest).Count | Should -Be 0
        }
    }
}
