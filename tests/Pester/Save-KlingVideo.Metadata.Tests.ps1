Describe 'Save-KlingVideo -Metadata and -NameTemplate' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3

        function Read-Sidecar {
            param([Parameter(Mandatory)] [string] $Path)
            $bytes = [IO.File]::ReadAllBytes($Path)
            # UTF-8 without a byte order mark.
            ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) | Should -BeFalse
            [Text.Encoding]::UTF8.GetString($bytes) | ConvertFrom-Json -AsHashtable
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Reset-Emulator $emu -Config @{ videoBytes = 20000 }
        Use-Emulator $emu
        $script:work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory (Join-Path $work 'frames') | Out-Null
        [IO.File]::WriteAllBytes((Join-Path $work 'frames/heron.png'), [byte[]] (0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13) + [byte[]]::new(64))
        $script:dest = Join-Path $work 'out'
        $script:journal = Join-Path $work 'batch.journal.jsonl'
        # As Import-Csv gives them: every cell a string.
        $script:rows = @(
            'Name,Prompt,Model,Image'
            'heron,a heron lifts off the water,kling-v3,frames/heron.png'
            'fox,"a fox in snow, 夜",,'
        ) | ConvertFrom-Csv
        Push-Location $work
    }

    AfterEach {
        Pop-Location
    }

    It 'names CSV rows by the template and writes each video''s sidecar: what was sent, the costs, the host, never the key' {
        # Wait-KlingTask writes tasks as they finish: sorted by row here.
        $tasks = @($rows | New-KlingVideo -Journal $journal | Wait-KlingTask -PollInterval 0.1 | Sort-Object Row)
        # Wait-KlingTask hands on the row's model, prompt, row and name.
        $tasks.Model | Should -Be @('kling-v3', 'kling-video-o1')
        $tasks.Prompt | Should -Be @('a heron lifts off the water', 'a fox in snow, 夜')
        $tasks.Row | Should -Be @(1, 2)

        $files = @($tasks | Save-KlingVideo -Path $dest -Metadata -NameTemplate '{Row:000}-{Name}')
        $files.Name | Should -Be @('001-heron.mp4', '002-fox.mp4')
        @(Get-ChildItem -LiteralPath $dest -Name -Filter '*.json' | Sort-Object) | Should -Be @('001-heron.mp4.json', '002-fox.mp4.json')
        Get-ChildItem -LiteralPath $dest -Filter '*.tmp' -Force | Should -BeNullOrEmpty

        # The rows are sent at once: each body found by its prompt.
        $sent = @(Get-SubmitBody $emu | Where-Object prompt -EQ 'a heron lifts off the water')
        $sent.Count | Should -Be 1
        $heron = Read-Sidecar (Join-Path $dest '001-heron.mp4.json')
        $heron.kind | Should -Be 'kling.video/1'
        $heron.module | Should -BeLike 'Kling *'
        $heron.file | Should -Be '001-heron.mp4'
        $heron.taskId | Should -Be $tasks[0].TaskId
        $heron.row | Should -Be 1
        $heron.name | Should -Be 'heron'
        $heron.model | Should -Be 'kling-v3'
        $heron.prompt | Should -Be 'a heron lifts off the water'
        $heron.request.prompt | Should -Be 'a heron lifts off the water'
        ($heron.request | ConvertTo-Json -Depth 10 -Compress) | Should -Be ($sent[0] | ConvertTo-Json -Depth 10 -Compress)
        $heron.images.Count | Should -Be 1
        $heron.images[0].path | Should -Be (Join-Path $work 'frames/heron.png')
        $heron.images[0].sha256 | Should -Be (Get-FileHash (Join-Path $work 'frames/heron.png') -Algorithm SHA256).Hash.ToLowerInvariant()
        $heron.images[0].url | Should -Be $sent[0].image_urls[0]
        $heron.estimatedUsd | Should -Be $tasks[0].EstimatedCost
        $heron.costUsd | Should -Be $tasks[0].Cost
        $heron.credits | Should -Be $tasks[0].Credits
        $heron.costUsd | Should -BeGreaterThan 0
        $heron.resultHost | Should -Be ([uri] $tasks[0].VideoUrl[0]).Host
        $heron.bytes | Should -Be 20000
        # Times in the "o" format, with their offset (read from the text: ConvertFrom-Json makes them dates).
        $heronText = Get-Content -LiteralPath (Join-Path $dest '001-heron.mp4.json') -Raw
        foreach ($time in 'createdAt', 'completedAt', 'savedAt') {
            $heronText | Should -Match ('"' + $time + '": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}[+-]\d\d:\d\d"')
        }

        $fox = Read-Sidecar (Join-Path $dest '002-fox.mp4.json')
        $fox.prompt | Should -Be 'a fox in snow, 夜'
        $fox.model | Should -Be 'kling-video-o1'
        $fox.ContainsKey('images') | Should -BeFalse

        foreach ($sidecar in Get-ChildItem -LiteralPath $dest -Filter '*.json') {
            $text = Get-Content -LiteralPath $sidecar.FullName -Raw
            $text | Should -Not -BeLike "*$($emu.ApiKey)*"
            $text | Should -Not -Match '"[^"]*\?[^"]*=' # no signed URL's query
            $text | Should -Not -Match ':\s*null'
        }
        foreach ($task in $tasks) {
            $text = Get-Content -LiteralPath (Join-Path $dest "00$($task.Row)-$($task.Name).mp4.json") -Raw
            $text | Should -Not -BeLike "*$(([uri] $task.VideoUrl[0]).PathAndQuery)*"
        }
    }

    It 'keeps a .json it did not write, with a warning, and still saves the video' {
        $tasks = @($rows | New-KlingVideo | Wait-KlingTask -PollInterval 0.1 | Sort-Object Row)
        New-Item -ItemType Directory $dest | Out-Null
        $foreign = Join-Path $dest '001-heron.mp4.json'
        Set-Content -LiteralPath $foreign -Value '{"notes": "mine"}' -NoNewline
        $files = @($tasks | Save-KlingVideo -Path $dest -Metadata -NameTemplate '{Row:000}-{Name}' -WarningVariable warns -WarningAction SilentlyContinue)
        $files.Name | Should -Be @('001-heron.mp4', '002-fox.mp4')
        Get-Content -LiteralPath $foreign -Raw | Should -Be '{"notes": "mine"}'
        @($warns).Count | Should -Be 1
        "$($warns[0])" | Should -BeLike "*001-heron.mp4.json*not written by Kling*kept*"
        (Read-Sidecar (Join-Path $dest '002-fox.mp4.json')).name | Should -Be 'fox'
    }

    It 'writes sidecars on a rerun for files already saved, from the journal, without downloading again' {
        $rows | New-KlingVideo -Journal $journal | Wait-KlingTask -PollInterval 0.1 | Save-KlingVideo -Path $dest -NameTemplate '{Row:000}-{Name}' | Out-Null
        Get-ChildItem -LiteralPath $dest -Filter '*.json' | Should -BeNullOrEmpty
        $downloads = (Get-FileDownload).Count

        # The journal's tasks carry their rows' model and prompt, too.
        $recorded = @(Get-KlingTask -Journal $journal | Sort-Object Row)
        $recorded.Model | Should -Be @('kling-v3', 'kling-video-o1')
        $recorded.Prompt | Should -Be @('a heron lifts off the water', 'a fox in snow, 夜')

        $files = @(Save-KlingVideo -Journal $journal -Path $dest -Metadata -NameTemplate '{Row:000}-{Name}')
        @($files.Name | Sort-Object) | Should -Be @('001-heron.mp4', '002-fox.mp4')
        (Get-FileDownload).Count | Should -Be $downloads
        $heron = Read-Sidecar (Join-Path $dest '001-heron.mp4.json')
        $heron.row | Should -Be 1
        $heron.model | Should -Be 'kling-v3'
        $heron.request.image_urls[0] | Should -Be (Get-SubmitBody $emu | Where-Object image_urls).image_urls[0]
        $heron.bytes | Should -Be 20000
        $heron.savedAt | Should -Not -BeNullOrEmpty
    }

    It 'writes the body as sent for the tasks a rerun of New-KlingVideo recalls from its journal' {
        $rows | New-KlingVideo -Journal $journal | Out-Null
        $posts = Get-SubmitCount $emu
        $files = @($rows | New-KlingVideo -Journal $journal | Wait-KlingTask -PollInterval 0.1 | Save-KlingVideo -Path $dest -Metadata -NameTemplate '{Row:000}-{Name}')
        Get-SubmitCount $emu | Should -Be $posts
        @($files.Name | Sort-Object) | Should -Be @('001-heron.mp4', '002-fox.mp4')
        $sent = Get-SubmitBody $emu | Where-Object image_urls
        $heron = Read-Sidecar (Join-Path $dest '001-heron.mp4.json')
        ($heron.request | ConvertTo-Json -Depth 10 -Compress) | Should -Be ($sent | ConvertTo-Json -Depth 10 -Compress)
        $heron.images[0].url | Should -Be $sent.image_urls[0]
        $heron.images[0].path | Should -Be (Join-Path $work 'frames/heron.png')
    }

    It 'writes the sidecar of a video resumed from the bytes a stopped run left' {
        $task = $rows[1] | New-KlingVideo | Wait-KlingTask -PollInterval 0.1
        $reference = Join-Path $work 'reference.bin'
        Invoke-WebRequest -Uri $task.VideoUrl[0] -OutFile $reference
        New-Item -ItemType Directory $dest | Out-Null
        [IO.File]::WriteAllBytes((Join-Path $dest "001-fox.mp4.$($task.TaskId).partial"), [byte[]] ([IO.File]::ReadAllBytes($reference)[0..4999]))
        $file = $task | Save-KlingVideo -Path $dest -Metadata -NameTemplate '{Row:000}-{Name}'
        $file.Name | Should -Be '001-fox.mp4'
        Get-HeaderValue (Get-FileDownload)[-1] 'Range' | Should -Be 'bytes=5000-'
        (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash $reference).Hash
        $sidecar = Read-Sidecar "$($file.FullName).json"
        $sidecar.bytes | Should -Be 20000
        $sidecar.taskId | Should -Be $task.TaskId
        $sidecar.row | Should -Be 1
    }

    It 'gives the model to tasks read from the history, which names the model but holds no prompt' {
        $tasks = @($rows | New-KlingVideo | Sort-Object Row)
        $fromHistory = @(Get-KlingTask -History -BatchId $tasks[0].BatchId | Sort-Object Row)
        $fromHistory.TaskId | Should -Be $tasks.TaskId
        $fromHistory.Model | Should -Be @('kling-v3', 'kling-video-o1')
        $fromHistory.Row | Should -Be @(1, 2)
        $fromHistory.Name | Should -Be @('heron', 'fox')
    }

    It 'refuses an unknown placeholder before anything is downloaded, naming it' {
        $task = $rows[1] | New-KlingVideo | Wait-KlingTask -PollInterval 0.1
        $downloads = (Get-FileDownload).Count
        { $task | Save-KlingVideo -Path $dest -NameTemplate '{Row:000}-{Nmae}' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidNameTemplate,*'
        try { $task | Save-KlingVideo -Path $dest -NameTemplate '{Row:000}-{Nmae}' } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*parameter 'NameTemplate'*{Nmae}*"
        try { $task | Save-KlingVideo -Path $dest -NameTemplate '{Row:Q}' } catch { $err = $_ }
        $err.Exception.Message | Should -BeLike '*{Row:Q}*'
        (Get-FileDownload).Count | Should -Be $downloads
        Test-Path -LiteralPath $dest | Should -BeFalse
    }

    It 'names a task given by id, which has no row or model, by what it has' {
        $task = $rows[1] | New-KlingVideo | Wait-KlingTask -PollInterval 0.1
        $file = $task.TaskId | Save-KlingVideo -Path $dest -NameTemplate '{Row:000}{Model}' -Metadata
        $file.Name | Should -Be "$($task.TaskId).mp4"
        $sidecar = Read-Sidecar "$($file.FullName).json"
        $sidecar.ContainsKey('row') | Should -BeFalse
        $sidecar.ContainsKey('request') | Should -BeFalse
        $sidecar.taskId | Should -Be $task.TaskId
    }

    It 'completes the placeholders of -NameTemplate' {
        $line = "Save-KlingVideo -NameTemplate '{Row:000}-{Na"
        $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $matches.CompletionText | Should -Contain "'{Row:000}-{Name}'"
    }
}
