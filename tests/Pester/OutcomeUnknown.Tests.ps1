# A submission that may or may not have reached the gateway is one kind of error, whatever left it in doubt: its
# FullyQualifiedErrorId starts with OutcomeUnknown and its category is OperationStopped (the row's submission stopped
# with no known outcome, and it is not sent again), whether this run saw the doubt or an earlier run's journal kept it.
Describe 'A submission in doubt (OutcomeUnknown)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1

        function New-Rows {
            param([string[]] $Prompt)
            $Prompt | ForEach-Object { [pscustomobject]@{ prompt = $_; Name = $_ } }
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        $script:journal = Join-Path $TestDrive "$([guid]::NewGuid().ToString('n')).jsonl"
    }

    It 'is OperationStopped after <what>, in this run and in the rerun that reads it from the journal' -ForEach @(
        @{ what = 'a 500'; fault = @{ route = 'submit'; status = 500; times = 1; accepted = $true } }
        @{ what = 'a 502'; fault = @{ route = 'submit'; status = 502; times = 1; accepted = $true } }
        @{ what = 'a connection reset after sending'; fault = @{ route = 'submit'; kind = 'reset'; times = 1 } }
        @{ what = 'a 409 idempotency_result_indeterminate'; fault = @{ route = 'submit'; status = 409; code = 'idempotency_result_indeterminate'; times = 1 } }
        @{ what = 'a 409 idempotency_in_progress that never ends'; fault = @{ route = 'submit'; status = 409; code = 'idempotency_in_progress'; retryAfter = '0'; times = 50 } }
    ) {
        Add-EmulatorFault $emu $fault
        $null = New-Rows 'in doubt' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable first
        $null = New-Rows 'in doubt' | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue -ErrorVariable again

        foreach ($e in @($first) + @($again)) {
            $e.FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*'
            $e.CategoryInfo.Category | Should -Be 'OperationStopped'
            $e.TargetObject.Name | Should -Be 'in doubt'
        }
        $first.Count | Should -Be 1
        $again.Count | Should -Be 1
        $again[0].Exception.Message | Should -BeLike "*earlier run*"
    }
}
