Describe 'What goes on the wire for a submission' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1

        function New-Rows {
            param([string[]] $Prompt)
            $Prompt | ForEach-Object { [pscustomobject]@{ prompt = $_; Name = $_ } }
        }

        function Get-Submission {
            <# The submissions the gateway received, in order: the prompt, the Idempotency-Key and the status answered. #>
            @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*') | ForEach-Object {
                [pscustomobject]@{ Prompt = ($_.body | ConvertFrom-Json).prompt; Key = Get-HeaderValue $_ 'Idempotency-Key'; Status = $_.status }
            }
        }

        function Get-LatestLine {
            <# The latest journal line of each row identity, by the row's name. #>
            param([string] $Path)
            $latest = @{}
            foreach ($line in Read-JournalLine $Path) { if ($line.PSObject.Properties['row']) { $latest[$line.name] = $line } }
            $latest
        }

        function Start-HostedBatch {
            <# New-KlingVideo with the journal in a hosted runspace (stopped as Ctrl+C stops it); returns the PowerShell and its handle. #>
            param([string] $Journal, [string[]] $Prompt)
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($Module, $Journal, $Prompt)
                    Import-Module $Module
                    $Prompt | ForEach-Object { [pscustomobject]@{ prompt = $_; Name = $_ } } | New-KlingVideo -Journal $Journal
                }).AddArgument($ModulePath).AddArgument($Journal).AddArgument($Prompt)
            [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
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
    }

    AfterEach {
        Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
    }

    Describe 'Idempotency-Key' {
        It 'is sent with every POST: one per row (two identical rows are two keys), at most 64 printable ASCII characters' {
            $out = @(New-Rows 'a', 'b', 'a' | New-KlingVideo)
            $out.Count | Should -Be 3

            $keys = @((Get-Submission).Key)
            $keys.Count | Should -Be 3
            foreach ($key in $keys) { $key | Should -Match '^[\x20-\x7E]{1,64}$' }
            @($keys | Sort-Object -Unique).Count | Should -Be 3
        }

        It 'is the row''s own in a journal, shared with no other journal, and the same when a rerun sends the row again' {
            $other = Join-Path $dir 'other.jsonl'
            Add-EmulatorFault $emu @{ route = 'submit'; status = 400; message = 'prompt: refused once'; times = 1 }
            $null = New-Rows 'a', 'b' | New-KlingVideo -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs.Count | Should -Be 1
            $null = New-Rows 'a', 'b' | New-KlingVideo -Journal $other -ThrottleLimit 1

            $sent = @(Get-Submission)
            $sent.Count | Should -Be 4
            @($sent.Key | Sort-Object -Unique).Count | Should -Be 4

            # The row refused with a 400 was journaled not sent; the rerun sends it under the key it had.
            $again = @(New-Rows 'a', 'b' | New-KlingVideo -Journal $journal)
            $again.Count | Should -Be 2
            $resent = @(Get-Submission)[4]
            $resent.Prompt | Should -Be 'a'
            $resent.Status | Should -Be 200
            $resent.Key | Should -Be $sent[0].Key
        }

        It 'stays the same through a 429 and two 409 idempotency_in_progress, each waited out' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 429; retryAfter = '0.1'; times = 1 }
            Add-EmulatorFault $emu @{ route = 'submit'; status = 409; code = 'idempotency_in_progress'; retryAfter = '0.1'; times = 2 }
            $out = @(New-Rows 'a' | New-KlingVideo -Journal $journal -ErrorVariable errs)

            $errs | Should -BeNullOrEmpty
            $out.Count | Should -Be 1
            $sent = @(Get-Submission)
            $sent.Status | Should -Be @(429, 409, 409, 200)
            @($sent.Key | Sort-Object -Unique).Count | Should -Be 1
            $sent[0].Key | Should -Not -BeNullOrEmpty
        }

        It 'stays the same when a 503 idempotency_unavailable (nothing executed) is sent again' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 503; code = 'idempotency_unavailable'; retryAfter = '0.1'; times = 1 }
            $out = @(New-Rows 'a' | New-KlingVideo -Journal $journal -ErrorVariable errs)

            $errs | Should -BeNullOrEmpty
            $out.Count | Should -Be 1
            $sent = @(Get-Submission)
            $sent.Status | Should -Be @(503, 200)
            $sent[1].Key | Should -Be $sent[0].Key
            $sent[0].Key | Should -Not -BeNullOrEmpty
        }

        It 'makes 409 idempotency_key_reused the row''s error (nothing was executed), journaled not sent, and the batch goes on' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 409; code = 'idempotency_key_reused'; times = 1 }
            $out = @(New-Rows 'a', 'b' | New-KlingVideo -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable errs)

            $out.Name | Should -Be @('b')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'GatewayInvalidRequest*'
            $errs[0].Exception.Message | Should -Match "^Row 1 \('a'\)"
            $errs[0].Exception.Message | Should -Match 'idempotency_key_reused'
            $errs[0].Exception.OutcomeUnknown | Should -BeFalse
            (Get-LatestLine $journal)['a'].type | Should -Be 'not_sent'
        }

        It 'makes 409 idempotency_result_indeterminate OutcomeUnknown: the journal keeps "sending" and a rerun does not send the row' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 409; code = 'idempotency_result_indeterminate'; times = 1 }
            $null = New-Rows 'a' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable errs

            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown*'
            $errs[0].Exception.Message | Should -Match 'idempotency_result_indeterminate'
            (Get-LatestLine $journal)['a'].type | Should -Be 'sending'

            $null = New-Rows 'a' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable again
            $again[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown*'
            @(Get-Submission).Count | Should -Be 1
        }

        It 'is stable for a journal of an earlier version (<case>): one line naming the journal''s id is appended once, nothing before it rewritten' -ForEach @(
            @{ case = 'no header'; header = $null }
            @{ case = 'a header without an id'; header = '{"format":"kling-journal","version":1,"created":"2026-01-01T00:00:00+00:00"}' }
        ) {
            # What an earlier version wrote: row 'b' refused (not sent), row 'a' submitted.
            Add-EmulatorFault $emu @{ route = 'submit'; status = 400; message = 'refused'; times = 1 }
            $null = New-Rows 'b' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue
            $null = New-Rows 'a' | New-KlingVideo -Journal $journal
            $records = @(Get-Content $journal | Select-Object -Skip 1 | Where-Object { $_ -and $_ -notmatch '"type":"meta"' })
            $legacy = (@($header) + $records | Where-Object { $_ }) -join "`n"
            [IO.File]::WriteAllText($journal, $legacy + "`n")
            $before = @(Get-Submission).Count
            Add-EmulatorFault $emu @{ route = 'submit'; status = 400; message = 'refused'; times = 1 }

            # Two reruns: the first is refused again, the second sends 'b'; both under one key.
            $null = New-Rows 'b' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue
            $out = @(New-Rows 'b' | New-KlingVideo -Journal $journal)
            $out.Count | Should -Be 1
            $sent = @(Get-Submission | Select-Object -Skip $before)
            $sent.Status | Should -Be @(400, 200)
            $sent[0].Key | Should -Not -BeNullOrEmpty
            $sent[1].Key | Should -Be $sent[0].Key

            $text = [IO.File]::ReadAllText($journal)
            $text.StartsWith($legacy + "`n") | Should -BeTrue
            @($text -split "`n" | Where-Object { $_ -match '"type":"meta"' }).Count | Should -Be 1
            # The meta line is no row: Get-KlingTask still reads what the journal holds.
            (@(Get-KlingTask -Journal $journal -ErrorVariable readErrs).Name | Sort-Object) | Should -Be @('a', 'b')
            $readErrs | Should -BeNullOrEmpty
        }
    }

    Describe 'A 500 that is a refusal' {
        It 'makes a 500 build_request_failed the row''s GatewayInvalidRequest error in the gateway''s words, and a rerun with the journal sends it' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 500; message = 'build_request_failed: invalid size: 3:5, allowed: 16:9, 9:16, 1:1'; times = 1 }
            $out = @(New-Rows 'a', 'b' | New-KlingVideo -Journal $journal -ThrottleLimit 1 -ErrorAction SilentlyContinue -ErrorVariable errs)

            $out.Name | Should -Be @('b')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'GatewayInvalidRequest*'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].Exception.Message | Should -Match "^Row 1 \('a'\)"
            $errs[0].Exception.Message | Should -Match ([regex]::Escape('build_request_failed: invalid size: 3:5, allowed: 16:9, 9:16, 1:1'))
            $errs[0].Exception.Message | Should -Not -Match 'may have been'
            $errs[0].Exception.GatewayMessage | Should -BeLike 'build_request_failed:*'
            (Get-LatestLine $journal)['a'].type | Should -Be 'not_sent'

            $again = @(New-Rows 'a', 'b' | New-KlingVideo -Journal $journal -ErrorVariable rerunErrs)
            $rerunErrs | Should -BeNullOrEmpty
            ($again | Sort-Object Row).Name | Should -Be @('a', 'b')
            $sent = @(Get-Submission)
            $sent.Prompt | Should -Be @('a', 'b', 'a')
            $sent[2].Key | Should -Be $sent[0].Key
        }

        It 'keeps any other 500 OutcomeUnknown: the row is not sent again' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 500; message = 'upstream failed: build_request_failed'; times = 1 }
            $null = New-Rows 'a' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown*'
            (Get-LatestLine $journal)['a'].type | Should -Be 'sending'
        }
    }

    Describe 'Ctrl+C while a row waits' {
        It 'journals a row waiting out <answer> as not sent at once, without waiting out the grace, and a rerun sends it under its key' -ForEach @(
            @{ answer = 'a 429'; fault = @{ route = 'submit'; status = 429; retryAfter = '30'; times = 1 } }
            @{ answer = 'a 409 idempotency_in_progress'; fault = @{ route = 'submit'; status = 409; code = 'idempotency_in_progress'; retryAfter = '30'; times = 1 } }
        ) {
            Add-EmulatorFault $emu $fault
            $run = Start-HostedBatch -Journal $journal -Prompt 'waits'
            try {
                Wait-Until { @(Get-Submission | Where-Object Status -EQ $fault.status).Count -ge 1 } -Because 'the row refused once'
                (Get-LatestLine $journal)['waits'].type | Should -Be 'sending'

                # Retry-After is 30 s, the grace 5 s: a stop in well under 4 s ended the wait instead of sitting out the grace.
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $run.PowerShell.Stop()
                $clock.Stop()
                $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 4

                # Already on disk when the stop returned.
                (Get-LatestLine $journal)['waits'].type | Should -Be 'not_sent'
                @(Get-Submission).Count | Should -Be 1
            }
            finally {
                $run.PowerShell.Dispose()
            }

            $out = @(New-Rows 'waits' | New-KlingVideo -Journal $journal -ErrorVariable errs)
            $errs | Should -BeNullOrEmpty
            $out.Count | Should -Be 1
            $sent = @(Get-Submission)
            $sent.Count | Should -Be 2
            $sent[1].Key | Should -Be $sent[0].Key
        }
    }
}
