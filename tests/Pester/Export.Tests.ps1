Describe 'Objects that export' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5

        function ConvertFrom-IsoTime {
            <# The round-trip ("o") form of a time, or a failure naming the text that is not it. #>
            param([Parameter(Mandatory)] [string] $Text)
            $parsed = [DateTimeOffset]::MinValue
            $ok = [DateTimeOffset]::TryParseExact($Text, 'o', [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::None, [ref] $parsed)
            $ok | Should -BeTrue -Because "'$Text' should be a round-trip ISO 8601 time"
            $parsed
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Reset-Emulator $emu -Config @{ videoBytes = 4096 }
        Use-Emulator $emu
        $script:dest = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    Describe 'Get-KlingTask | Export-Csv' {
        It 'writes one readable value per column: URLs joined, times in ISO 8601, no type names' {
            Invoke-EmulatorControl $emu config -Body @{ resultCount = 2 } | Out-Null
            $done = New-CompletedTask -Name 'pair'
            $task = Get-KlingTask -TaskId $done.TaskId
            $csv = Join-Path $TestDrive 'tasks.csv'
            $task | Export-Csv -LiteralPath $csv -NoTypeInformation -Encoding utf8
            $text = Get-Content -LiteralPath $csv -Raw
            $text | Should -Not -Match 'System\.'
            $row = @(Import-Csv -LiteralPath $csv)
            $row.Count | Should -Be 1
            $row[0].TaskId | Should -Be $task.TaskId
            $row[0].Status | Should -Be 'completed'
            $row[0].VideoUrl | Should -Be (@($task.VideoUrl) -join '; ')
            @($row[0].VideoUrl -split '; ').Count | Should -Be 2
            (ConvertFrom-IsoTime $row[0].Created) | Should -Be $task.Created
            (ConvertFrom-IsoTime $row[0].Completed) | Should -Be $task.Completed
            (ConvertFrom-IsoTime $row[0].ExpiresAt) | Should -Be $task.ExpiresAt
            (ConvertFrom-IsoTime $row[0].LastChecked) | Should -Be $task.LastChecked
            [double]::Parse($row[0].EstimatedSeconds, [Globalization.CultureInfo]::InvariantCulture) | Should -BeGreaterThan 0
        }

        It 'exports a batch''s tasks the same way through ConvertTo-Csv, names as they are' {
            $tasks = @('first, with a comma', 'second "quoted"') | ForEach-Object { [pscustomobject]@{ Prompt = 'a clip'; Name = $_ } } |
                New-KlingVideo | Wait-KlingTask -PollInterval 0.1 -InformationAction Ignore
            $rows = @($tasks | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv)
            $rows.Count | Should -Be 2
            ($rows.Name | Sort-Object) | Should -Be @('first, with a comma', 'second "quoted"')
            $rows | ForEach-Object {
                $_.VideoUrl | Should -BeLike "$($emu.Storage)/*"
                $_.PSObject.Properties.Value -match '^System\.' | Should -BeNullOrEmpty
                $null = ConvertFrom-IsoTime $_.SubmittedAt
            }
        }

        It 'keeps the times usable as times and the URLs as a list' {
            $task = New-CompletedTask -Name 'typed'
            $task.Created | Should -BeOfType ([DateTimeOffset])
            $task.Completed | Should -BeGreaterThan $task.Created.AddSeconds(-1)
            $task.Completed.ToString('yyyy', [Globalization.CultureInfo]::InvariantCulture) | Should -Be $task.Completed.Year.ToString()
            $task.VideoUrl.Count | Should -Be 1
            $task.VideoUrl[0] | Should -BeLike "$($emu.Storage)/*"
        }
    }

    Describe 'Get-KlingTask | ConvertTo-Json' {
        It 'gives time spans as seconds and the URLs as an array' {
            Invoke-EmulatorControl $emu config -Body @{ resultCount = 2 } | Out-Null
            $done = New-CompletedTask -Name 'json'
            $json = Get-KlingTask -TaskId $done.TaskId | ConvertTo-Json -Depth 2 -WarningAction SilentlyContinue
            $parsed = $json | ConvertFrom-Json
            $parsed.PSObject.Properties.Name | Should -Not -Contain 'EstimatedTime'
            $parsed.EstimatedSeconds | Should -BeOfType ([double]) -Because 'a span is written as a number of seconds'
            $parsed.ActualSeconds | Should -BeGreaterThan 0
            $json | Should -Not -Match '"Ticks"'
            $parsed.VideoUrl.Count | Should -Be 2
            $parsed.VideoUrl[0] | Should -BeLike "$($emu.Storage)/*"
        }
    }

    Describe 'Save-KlingVideo output' {
        It 'writes the file system''s own objects, with the task''s id, row, name and model' {
            $task = New-CompletedTask -Name 'sunrise'
            $file = $task | Save-KlingVideo -Path $dest
            $item = Get-Item -LiteralPath (Join-Path $dest 'sunrise.mp4')
            $file | Should -BeOfType ([IO.FileInfo])
            $file.PSPath | Should -Be $item.PSPath
            $file.PSParentPath | Should -Be $item.PSParentPath
            $file.PSProvider.Name | Should -Be 'FileSystem'
            $file.Name | Should -Be 'sunrise.mp4'
            $file.TaskId | Should -Be $task.TaskId
            $file.Row | Should -Be 1
            $file.TaskName | Should -Be 'sunrise'
            $file.Model | Should -Be $task.Request.Model
            $file.Length | Should -Be 4096
            if (-not $IsWindows) {
                foreach ($column in 'UnixMode', 'User', 'Group', 'Size') {
                    $file.$column | Should -Not -BeNullOrEmpty -Because "Get-Item fills $column"
                    $file.$column | Should -Be $item.$column
                }
            }
        }

        It 'writes the same objects for a file found already saved' {
            $task = New-CompletedTask -Name 'again'
            $null = $task | Save-KlingVideo -Path $dest
            $file = $task | Save-KlingVideo -Path $dest
            $file.Name | Should -Be 'again.mp4'
            $file.TaskId | Should -Be $task.TaskId
            $file.PSPath | Should -Be (Get-Item -LiteralPath (Join-Path $dest 'again.mp4')).PSPath
            if (-not $IsWindows) { $file.UnixMode | Should -Not -BeNullOrEmpty }
        }

        It 'shows a table like Get-ChildItem''s' {
            $task = New-CompletedTask -Name 'shown'
            $shown = ($task | Save-KlingVideo -Path $dest | Format-Table | Out-String -Width 200)
            $listed = (Get-ChildItem -LiteralPath $dest -Filter 'shown.mp4' | Format-Table | Out-String -Width 200)
            $header = { param($text) ($text -split "`n" | Where-Object { $_ -match 'LastWriteTime' } | Select-Object -First 1).Trim() }
            & $header $shown | Should -Be (& $header $listed)
            $shown | Should -Match 'shown\.mp4'
            $shown | Should -Match ([regex]::Escape($dest))
        }

        It '-PassThru writes each task once, with its saved files in Files' {
            Invoke-EmulatorControl $emu config -Body @{ resultCount = 2 } | Out-Null
            $tasks = @('one', 'two') | ForEach-Object { [pscustomobject]@{ Prompt = 'a clip'; Name = $_ } } |
                New-KlingVideo | Wait-KlingTask -PollInterval 0.1 -InformationAction Ignore
            $out = @($tasks | Save-KlingVideo -Path $dest -PassThru)
            $out.Count | Should -Be 2
            $out | ForEach-Object { $_ | Should -BeOfType ([Kling.Core.KlingTask]) }
            ($out.TaskId | Sort-Object) | Should -Be ($tasks.TaskId | Sort-Object)
            foreach ($t in $out) {
                @($t.Files).Count | Should -Be 2
                $t.Files | ForEach-Object { Test-Path -LiteralPath $_ -PathType Leaf | Should -BeTrue }
                [IO.Path]::GetFileName(@($t.Files)[0]) | Should -Be "$($t.Name)-1.mp4"
            }
            $out | Export-Csv -LiteralPath (Join-Path $TestDrive 'saved.csv') -NoTypeInformation
            $csv = @(Import-Csv -LiteralPath (Join-Path $TestDrive 'saved.csv'))
            $csv[0].Files | Should -Be (@($out[0].Files) -join '; ')
            ($out[0] | ConvertTo-Json -Depth 1 -WarningAction SilentlyContinue | ConvertFrom-Json).Files.Count | Should -Be 2
        }

        It '-PassThru writes a task whose files were saved before, and nothing for -WhatIf' {
            $task = New-CompletedTask -Name 'kept'
            $null = $task | Save-KlingVideo -Path $dest
            $again = @($task | Save-KlingVideo -Path $dest -PassThru)
            $again.Count | Should -Be 1
            $again[0].TaskId | Should -Be $task.TaskId
            @($again[0].Files) | Should -Be @((Join-Path $dest 'kept.mp4'))
            $other = New-CompletedTask -Name 'not-yet'
            @($other | Save-KlingVideo -Path $dest -PassThru -WhatIf) | Should -BeNullOrEmpty
        }
    }
}
