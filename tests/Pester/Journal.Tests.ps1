Describe 'The journal' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1

        function New-Rows {
            param([string[]] $Prompt)
            $Prompt | ForEach-Object { [pscustomobject]@{ prompt = $_; Name = $_ } }
        }

        function Get-AcceptedPerPrompt {
            <# How many times the gateway accepted (billed) each prompt. #>
            $counts = @{}
            foreach ($r in @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*' | Where-Object status -EQ 200)) {
                $prompt = ($r.body | ConvertFrom-Json).prompt
                $counts[$prompt] = 1 + [int] $counts[$prompt]
            }
            $counts
        }

        function Start-HeldRun {
            <#
                Starts a batch in another pwsh process with the journal: it sends its first row, then holds the run
                (and the journal) until the release file appears, then sends its second row and exits.
            #>
            param([string] $Journal, [string] $Release)
            $script = @"
Import-Module '$ModulePath'
& {
    [pscustomobject]@{ prompt = 'first'; Name = 'first' }
    while (-not (Test-Path '$Release')) { Start-Sleep -Milliseconds 50 }
    [pscustomobject]@{ prompt = 'second'; Name = 'second' }
} | New-KlingVideo -Journal '$Journal' -ThrottleLimit 1 | Out-Null
"@
            Start-ChildPwsh -Script $script -Environment @{ KLING_BASE_URL = $emu.Gateway; KLING_API_KEY = $emu.ApiKey }
        }

        function Add-WaitingRun {
            <# Gives the runspace a run of these rows with the journal and -WaitForJournal (the caller starts it). #>
            param([powershell] $PowerShell, [object[]] $Row)
            $null = $PowerShell.AddScript({
                    param($Module, $Journal, $Gateway, $Key, $Row)
                    Import-Module $Module
                    $env:KLING_BASE_URL = $Gateway
                    $env:KLING_API_KEY = $Key
                    $Row | New-KlingVideo -Journal $Journal -WaitForJournal
                }).AddArgument($ModulePath).AddArgument($journal).AddArgument($emu.Gateway).AddArgument($emu.ApiKey).AddArgument($Row)
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        $script:dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script:journal = Join-Path $dir 'batch.jsonl'
        $script:release = Join-Path $dir 'release'
    }

    AfterEach {
        Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
    }

    Describe 'One run at a time' {
        It 'stops a second run at once with JournalInUse while another process runs the batch, sending nothing' {
            $child = Start-HeldRun -Journal $journal -Release $release
            try {
                Wait-Until { @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count -ge 1 } -Because 'the other run submitted its first row'
                $before = Get-SubmitCount $emu

                $err = $null
                try { New-Rows 'first', 'second' | New-KlingVideo -Journal $journal -ThrottleLimit 1 }
                catch { $err = $_ }

                $err | Should -Not -BeNullOrEmpty
                $err.FullyQualifiedErrorId | Should -BeLike 'JournalInUse*'
                $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
                $err.TargetObject | Should -Be $journal
                $err.Exception.Message | Should -Match ([regex]::Escape($journal))
                $err.Exception.Message | Should -Match 'in use by another run'
                $err.Exception.Message | Should -Match 'nothing was sent'
                Get-SubmitCount $emu | Should -Be $before

                # Readers still read the journal that the run holds.
                @(Get-KlingTask -Journal $journal).Name | Should -Be @('first')

                New-Item -ItemType File -Path $release | Out-Null
                $child.WaitForExit(60000) | Should -BeTrue
                $child.ExitCode | Should -Be 0
            }
            finally {
                if (-not $child.HasExited) { $child.Kill() }
            }

            $billed = Get-AcceptedPerPrompt
            $billed['first'] | Should -Be 1
            $billed['second'] | Should -Be 1
            # Every line of the journal is whole: the other run's lines were not clobbered.
            @(Get-Content $journal | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json }).Count | Should -Be 5
        }

        It 'with -WaitForJournal waits for the other run with a warning, then sends nothing twice' {
            $child = Start-HeldRun -Journal $journal -Release $release
            $ps = [powershell]::Create()
            try {
                Wait-Until { @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count -ge 1 } -Because 'the other run submitted its first row'
                Add-WaitingRun $ps -Row @([pscustomobject]@{ prompt = 'first'; Name = 'first' }, [pscustomobject]@{ prompt = 'second'; Name = 'second' })
                $handle = $ps.BeginInvoke()

                Wait-Until { $ps.Streams.Warning.Count -ge 1 -or $ps.InvocationStateInfo.State -ne 'Running' } -Because 'a warning that it waits'
                # (Counts only: enumerating a stream of a running PowerShell blocks until it ends.)
                $ps.Streams.Warning.Count | Should -BeGreaterThan 0
                $ps.Streams.Warning[0].Message | Should -Match ([regex]::Escape($journal))
                $ps.Streams.Warning[0].Message | Should -Match 'wait'
                $ps.InvocationStateInfo.State | Should -Be 'Running'
                Get-SubmitCount $emu | Should -Be 1

                New-Item -ItemType File -Path $release | Out-Null
                $child.WaitForExit(60000) | Should -BeTrue
                $child.ExitCode | Should -Be 0
                $output = $ps.EndInvoke($handle)
                $ps.Streams.Error.Count | Should -Be 0

                # It ran after the other run: both rows came from the journal, neither was sent again.
                ($output | Sort-Object Row).Name | Should -Be @('first', 'second')
                ($output.TaskId | Sort-Object) | Should -Be (@(Get-KlingTask -Journal $journal).TaskId | Sort-Object)
                Get-SubmitCount $emu | Should -Be 2
            }
            finally {
                $ps.Dispose()
                if (-not $child.HasExited) { $child.Kill() }
            }
        }

        It 'stops waiting at once on Ctrl+C' {
            $child = Start-HeldRun -Journal $journal -Release $release
            $ps = [powershell]::Create()
            try {
                Wait-Until { @(Read-JournalLine $journal | Where-Object type -EQ 'submitted').Count -ge 1 } -Because 'the other run submitted its first row'
                Add-WaitingRun $ps -Row ([pscustomobject]@{ prompt = 'third' })
                $handle = $ps.BeginInvoke()
                Wait-Until { $ps.Streams.Warning.Count -ge 1 -or $ps.InvocationStateInfo.State -ne 'Running' } -Because 'a warning that it waits'
                # (Counts only: enumerating a stream of a running PowerShell blocks until it ends.)
                $ps.Streams.Warning.Count | Should -BeGreaterThan 0

                $ps.Stop()
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                { $ps.EndInvoke($handle) } | Should -Throw
                Get-SubmitCount $emu | Should -Be 1
            }
            finally {
                $ps.Dispose()
                New-Item -ItemType File -Path $release -ErrorAction SilentlyContinue | Out-Null
                if (-not $child.WaitForExit(60000)) { $child.Kill() }
            }
        }
    }

    Describe 'What is a journal' {
        It 'starts a new journal with a header line naming its format and version' {
            $null = New-Rows 'a' | New-KlingVideo -Journal $journal
            $header = (Get-Content $journal -TotalCount 1) | ConvertFrom-Json
            $header.format | Should -Be 'kling-journal'
            $header.version | Should -Be 2
            @(Get-KlingTask -Journal $journal).Name | Should -Be @('a')
        }

        It 'resumes a journal written by the previous version (no header) without sending anything again' {
            $first = @(New-Rows 'a', 'b' | New-KlingVideo -Journal $journal)
            # What the previous version wrote: the same records, no header.
            $legacy = (Get-Content $journal | Select-Object -Skip 1) -join "`n"
            [IO.File]::WriteAllText($journal, $legacy + "`n")

            $again = @(New-Rows 'a', 'b' | New-KlingVideo -Journal $journal)
            ($again | Sort-Object Row).TaskId | Should -Be ($first | Sort-Object Row).TaskId
            Get-SubmitCount $emu | Should -Be 2
            (Get-Content -Raw $journal).StartsWith($legacy) | Should -BeTrue
        }

        It 'refuses the CSV itself passed as -Journal, leaving it byte for byte<whatIf>' -ForEach @(
            @{ whatIf = '' }, @{ whatIf = ' (under -WhatIf)' }
        ) {
            $csv = Join-Path $dir 'prompts.csv'
            Set-Content -Path $csv -Value "prompt,Name`nsunset over the sea,sunset`na cat in the snow,cat" -NoNewline
            $bytes = [IO.File]::ReadAllBytes($csv)

            $err = $null
            try { Import-Csv $csv | New-KlingVideo -Journal $csv -WhatIf:([bool] $whatIf) }
            catch { $err = $_ }

            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'NotAJournal*'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.TargetObject | Should -Be $csv
            $err.Exception.Message | Should -Match ([regex]::Escape($csv))
            [IO.File]::ReadAllBytes($csv) | Should -Be $bytes
            @(Get-ChildItem $dir).Name | Should -Be @('prompts.csv')
            Get-SubmitCount $emu | Should -Be 0

            # The readers refuse it the same way.
            { Get-KlingTask -Journal $csv } | Should -Throw -ErrorId 'NotAJournal*'
            [IO.File]::ReadAllBytes($csv) | Should -Be $bytes
        }
    }

    Describe 'What is not a journal' {
        It 'refuses another program''s JSON lines whose lines have type and key, leaving them byte for byte<whatIf>' -ForEach @(
            @{ whatIf = '' }, @{ whatIf = ' (under -WhatIf)' }
        ) {
            $events = Join-Path $dir 'events.jsonl'
            Set-Content -Path $events -Value "{""type"":""click"",""key"":""button-7"",""at"":""2026-01-01T00:00:00Z""}`n{""type"":""scroll"",""key"":""page-2""}" -NoNewline
            $bytes = [IO.File]::ReadAllBytes($events)

            $err = $null
            try { New-Rows 'a' | New-KlingVideo -Journal $events -WhatIf:([bool] $whatIf) }
            catch { $err = $_ }

            $err.FullyQualifiedErrorId | Should -BeLike 'NotAJournal*'
            $err.Exception.Message | Should -Match ([regex]::Escape($events))
            { Get-KlingTask -Journal $events } | Should -Throw -ErrorId 'NotAJournal*'
            [IO.File]::ReadAllBytes($events) | Should -Be $bytes
            @(Get-ChildItem $dir).Name | Should -Be @('events.jsonl')
            Get-SubmitCount $emu | Should -Be 0
        }

        It 'says a folder given as -Journal is a folder, naming it, for every cmdlet that takes -Journal (<command>)' -ForEach @(
            @{ command = 'New-KlingVideo' }, @{ command = 'New-KlingVideo -WhatIf' }, @{ command = 'Get-KlingTask' }, @{ command = 'Wait-KlingTask' }, @{ command = 'Save-KlingVideo' }
        ) {
            $folder = Join-Path $dir 'out'
            New-Item -ItemType Directory -Path $folder | Out-Null

            $err = $null
            try {
                switch ($command) {
                    'New-KlingVideo' { New-Rows 'a' | New-KlingVideo -Journal $folder }
                    'New-KlingVideo -WhatIf' { New-Rows 'a' | New-KlingVideo -Journal $folder -WhatIf }
                    'Get-KlingTask' { Get-KlingTask -Journal $folder }
                    'Wait-KlingTask' { Wait-KlingTask -Journal $folder }
                    'Save-KlingVideo' { Save-KlingVideo -Journal $folder -Path (Join-Path $dir 'videos') }
                }
            }
            catch { $err = $_ }

            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'JournalIsAFolder*'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be $folder
            $err.Exception.Message | Should -BeLike "'$folder' is a folder, not a journal file*"
            $err.Exception.Message | Should -Not -Match 'denied'
            @(Get-ChildItem $dir).Name | Should -Be @('out')
            @(Get-ChildItem $folder) | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 0
        }
    }

    Describe 'Rows in doubt on a rerun' {
        It 'words a row whose POST got <what> by what happened, not as a stop' -ForEach @(
            @{ what = 'a 502'; fault = @{ route = 'submit'; status = 502; times = 1; accepted = $true }; said = 'HTTP 502' }
            @{ what = 'a 504'; fault = @{ route = 'submit'; status = 504; times = 1; accepted = $true }; said = 'HTTP 504' }
            @{ what = 'a reset connection'; fault = @{ route = 'submit'; kind = 'reset'; times = 1 }; said = 'failed' }
        ) {
            Add-EmulatorFault $emu $fault
            $null = New-Rows 'maybe billed', 'fine' | New-KlingVideo -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable first
            $first.Count | Should -Be 1
            $posts = Get-SubmitCount $emu

            $out = @(New-Rows 'maybe billed', 'fine' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable errs)

            $out.Name | Should -Be @('fine')
            Get-SubmitCount $emu | Should -Be $posts
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown*'
            $errs[0].Exception.Message | Should -BeLike "Row 1 ('maybe billed') was sent by an earlier run*"
            $errs[0].Exception.Message | Should -Match ([regex]::Escape($said))
            $errs[0].Exception.Message | Should -Match 'may have been accepted and billed'
            $errs[0].Exception.Message | Should -Not -Match 'stopped'
            # The journal keeps why, on a "sending" line (a version without the reason still never re-sends it).
            $last = @(Read-JournalLine $journal | Where-Object name -EQ 'maybe billed')[-1]
            $last.type | Should -Be 'sending'
            $last.error | Should -Match ([regex]::Escape($said))
        }
    }

    Describe '-WhatIf' {
        It 'creates no journal and nothing beside it' {
            $null = New-Rows 'a', 'b' | New-KlingVideo -Journal $journal -WhatIf
            Test-Path $journal | Should -BeFalse
            @(Get-ChildItem $dir) | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 0
        }

        It 'leaves a torn last line as it is, and still re-emits what the journal knows' {
            $first = @(New-Rows 'a' | New-KlingVideo -Journal $journal)
            [IO.File]::AppendAllText($journal, '{"type":"sending","key":"abc')
            $bytes = [IO.File]::ReadAllBytes($journal)
            $files = @(Get-ChildItem $dir).Name

            $out = @(New-Rows 'a', 'b' | New-KlingVideo -Journal $journal -WhatIf -WarningAction SilentlyContinue)
            $out.TaskId | Should -Be $first.TaskId
            [IO.File]::ReadAllBytes($journal) | Should -Be $bytes
            @(Get-ChildItem $dir).Name | Should -Be $files
            Get-SubmitCount $emu | Should -Be 1
        }
    }
}
