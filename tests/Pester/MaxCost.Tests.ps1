# New-KlingVideo -MaxCost (issue 21): a run never commits more than its cap, counting rows in flight; the rest is sent by a rerun.
Describe 'New-KlingVideo -MaxCost' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1
        # The default row (kling-v3, std, 5 s, no sound) by the built-in list: 5 x 0.0672 = 0.336 USD.
        $script:rowUsd = [decimal] '0.336'

        function script:New-Rows {
            param([int] $Count)
            1..$Count | ForEach-Object { [pscustomobject]@{ model = 'kling-v3'; prompt = "row $_"; Name = "row-$_" } }
        }

        function script:Invoke-Capped {
            <# Pipes rows into New-KlingVideo; returns what came out, the non-terminating errors and any terminating one. #>
            param([Parameter(Mandatory)] $Rows, [hashtable] $Extra = @{})
            $out = [System.Collections.Generic.List[object]]::new()
            $errs = $null
            $thrown = $null
            try {
                $Rows | New-KlingVideo @Extra -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | ForEach-Object { $out.Add($_) }
            }
            catch {
                $thrown = $_
            }
            [pscustomobject]@{ Output = $out.ToArray(); Errors = @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }); Thrown = $thrown }
        }

        function script:Get-AcceptedPrompt {
            <# The prompts the gateway accepted (billed), one per accepted submission. #>
            @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*' | Where-Object status -EQ 200 |
                ForEach-Object { ($_.body | ConvertFrom-Json).prompt })
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

    It 'never commits past the cap with -ThrottleLimit 16 and 200 rows, stops at the first row that does not fit, and a rerun with a higher cap sends exactly the rest' {
        Invoke-EmulatorControl $emu config -Body @{ latencyMs = 30 } | Out-Null
        $rows = @(New-Rows 200)
        $r = Invoke-Capped $rows @{ MaxCost = 10; ThrottleLimit = 16; Journal = $journal }

        # 29 x 0.336 = 9.744 fits under 10; a 30th would make 10.08.
        $accepted = @(Get-AcceptedPrompt)
        ($accepted.Count * $rowUsd) | Should -BeLessOrEqual 10
        $accepted.Count | Should -Be 29
        $r.Output.Count | Should -Be 29
        $r.Output | ForEach-Object { $_.EstimatedCost | Should -Be 0.336 }

        $stop = @($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'BudgetExceeded,*' })
        $stop.Count | Should -Be 1
        $stop[0].CategoryInfo.Category | Should -Be 'QuotaExceeded'
        $stop[0].TargetObject.Name | Should -Be 'row-30'
        $stop[0].Exception.Message | Should -BeLike "Row 30 ('row-30')*0.336 USD*-MaxCost 10 USD*committed 9.744 USD*"
        $stop[0].ErrorDetails.RecommendedAction | Should -BeLike '*Raise -MaxCost*same -Journal*'

        # The rows the cap kept back are journaled as not sent: rows 30 to 200, each once.
        $notSent = @(Get-Content $journal | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.type -eq 'not_sent' })
        @($notSent.row | Sort-Object) | Should -Be @(30..200)
        $notSent[0].error | Should -BeLike '*-MaxCost 10 USD*'

        # Rerun, same journal, higher cap: the 29 paid tasks come out again (not counted: 200 x 0.336 = 67.2 would pass 58),
        # and exactly rows 30..200 are sent.
        $again = Invoke-Capped $rows @{ MaxCost = 58; ThrottleLimit = 16; Journal = $journal }
        $again.Errors | Should -BeNullOrEmpty
        $again.Output.Count | Should -Be 200
        $all = @(Get-AcceptedPrompt)
        $all.Count | Should -Be 200
        $sentNow = @($all | Select-Object -Skip 29 | Sort-Object { [int] ($_ -replace '\D') })
        $sentNow | Should -Be @(30..200 | ForEach-Object { "row $_" })
        ($all | Sort-Object -Unique).Count | Should -Be 200
    }

    It 'counts rows in flight: with every slot busy, no row starts past the cap' {
        Invoke-EmulatorControl $emu config -Body @{ latencyMs = 200 } | Out-Null
        $r = Invoke-Capped @(New-Rows 40) @{ MaxCost = 2; ThrottleLimit = 16 }
        # 5 x 0.336 = 1.68; a 6th would make 2.016.
        @(Get-AcceptedPrompt).Count | Should -Be 5
        (Invoke-EmulatorControl $emu stats).maxSubmitsInFlight | Should -BeLessOrEqual 5
        $r.Output.Count | Should -Be 5
        @($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'BudgetExceeded,*' }).Count | Should -Be 1
    }

    It 'frees the part of a row the gateway refused with a 4xx' {
        Add-EmulatorFault $emu @{ route = 'submit'; status = 400; times = 1; message = 'bad'; type = 'invalid_request_error' }
        $r = Invoke-Capped @(New-Rows 4) @{ MaxCost = 1.01; ThrottleLimit = 1 }
        # Row 1 refused (frees 0.336), rows 2-4 fit: 3 x 0.336 = 1.008.
        $r.Output.Count | Should -Be 3
        @($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'BudgetExceeded,*' }).Count | Should -Be 0
    }

    It 'is a terminating error when the first row does not fit, and nothing is sent' {
        $r = Invoke-Capped @(New-Rows 3) @{ MaxCost = 0.3 }
        $r.Thrown | Should -Not -BeNullOrEmpty
        $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'BudgetExceeded,*'
        Get-SubmitCount $emu | Should -Be 0
    }

    It 'refuses a row whose model has no price, before sending, saying how to price it; a price file prices it' {
        $rows = @([pscustomobject]@{ model = 'kling-v9-preview'; prompt = 'A future'; duration = '5' })
        $r = Invoke-Capped $rows @{ MaxCost = 5 }
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'Unpriced,*'
        $r.Errors[0].Exception.Message | Should -BeLike "Row 1*kling-v9-preview*no price*"
        $r.Errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*-PriceFile*KLING_PRICE_FILE*'
        Get-SubmitCount $emu | Should -Be 0

        $prices = Join-Path $dir 'prices.json'
        Set-Content -Path $prices -Value '{ "kling-v9-preview": { "default": 0.05 } }'
        $priced = Invoke-Capped $rows @{ MaxCost = 5; PriceFile = $prices }
        $priced.Errors | Should -BeNullOrEmpty
        $priced.Output.Count | Should -Be 1
        $priced.Output[0].EstimatedCost | Should -Be 0.25
    }

    It 'refuses a cap of <cap> before anything is sent' -ForEach @(@{ cap = 0 }, @{ cap = -1 }) {
        $r = Invoke-Capped @(New-Rows 1) @{ MaxCost = $cap }
        $r.Thrown | Should -Not -BeNullOrEmpty
        $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        Get-SubmitCount $emu | Should -Be 0
    }

    It 'prices the demo CSV as the README works it by hand, and -MaxCost 5 stops it at row 5 (bloom); 11 sends the rest' {
        Push-Location $RepoRoot
        try {
            $rows = @(Import-Csv examples/prompts.csv)
            $cost = $rows | Measure-KlingCost -ErrorAction SilentlyContinue
            $cost.MinUsd | Should -Be ([decimal] '8.13112')
            $cost.MaxUsd | Should -Be ([decimal] '10.90888')
            $cost.Seconds | Should -Be '55-82'

            $first = Invoke-Capped $rows @{ MaxCost = 5; Journal = $journal }
            @($first.Output.Name | Sort-Object) | Should -Be @('cat-wave', 'dancer', 'morph', 'sunrise')
            $stop = @($first.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'BudgetExceeded,*' })
            $stop[0].Exception.Message | Should -BeLike "Row 5 ('bloom')*3.42848 USD*-MaxCost 5 USD*committed 2.2848 USD*"

            $second = Invoke-Capped $rows @{ MaxCost = 11; Journal = $journal }
            @($second.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'BudgetExceeded,*' }).Count | Should -Be 0
            @($second.Output).Count | Should -Be 8
            @(Get-SubmitBody $emu).Count | Should -Be 8
        }
        finally {
            Pop-Location
        }
    }

    # '-WhatIf gives each row''s estimate and ends with the total' runs in-process:
    # tests/Kling.Cmdlets.Tests/Commands/NewKlingVideoCommandTests.cs.
}
