# Measure-KlingCost (issue 21): New-KlingVideo's input and checks, priced by the list; nothing paid sent, no key needed.
Describe 'Measure-KlingCost' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1

        function script:Measure-Rows {
            <# Pipes rows into Measure-KlingCost; returns the output, the non-terminating errors, the warnings and any terminating error. #>
            param([Parameter(Mandatory)] $Rows, [hashtable] $Extra = @{})
            $out = [System.Collections.Generic.List[object]]::new()
            $errs = $null
            $warns = $null
            $thrown = $null
            try {
                $Rows | Measure-KlingCost @Extra -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue |
                    ForEach-Object { $out.Add($_) }
            }
            catch {
                $thrown = $_
            }
            [pscustomobject]@{
                Output   = $out.ToArray()
                Errors   = @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                Warnings = @($warns | ForEach-Object { "$_" })
                Thrown   = $thrown
            }
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        $script:work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $work | Out-Null
        $script:dancer = Join-Path $work 'dancer.png'
        [IO.File]::WriteAllBytes($dancer, [byte[]] (0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [byte[]]::new(64))
        # Worked by hand from the built-in list (USD per second):
        #  1 v3 std 5 s                    5 x 0.0672  = 0.336
        #  2 v3 pro 10 s with sound       10 x 0.1344  = 1.344
        #  3 o1 pro 10 s                  10 x 0.0896  = 0.896
        #  4 v3 motion control, image   3-10 x 0.10288 = 0.30864 - 1.0288
        #  5 v3 20 s                      refused (3 to 15)
        #  6 kling-v9-preview             unpriced
        #  7 turbo 1080p 6 s               6 x 0.1432  = 0.8592
        # Min 3.74384, Max 4.464 USD (44.64 credits); seconds 34-41.
        $script:csv = @"
Name,model,prompt,mode,duration,audio,resolution,image,video_url,character_orientation
a,kling-v3,A cat,std,5,,,,,
b,kling-v3,A dog,pro,10,yes,,,,
c,kling-video-o1,A fox,pro,10,,,,,
d,kling-v3-motion-control,,std,,,,$dancer,https://vid.example/moves.mp4,image
e,kling-v3,Too long,std,20,,,,,
f,kling-v9-preview,A future,,5,,,,,
g,kling-3.0-turbo,A kite,,6,,1080p,,,
"@
    }

    It 'totals a mixed-model CSV as worked by hand, per model too, with refused and unpriced rows counted' {
        $r = Measure-Rows ($csv | ConvertFrom-Csv)
        $r.Thrown | Should -BeNullOrEmpty
        $r.Output.Count | Should -Be 1
        $cost = $r.Output[0]
        $cost | Should -BeOfType Kling.Core.Catalog.KlingCost
        $cost.Rows | Should -Be 7
        $cost.RefusedRows | Should -Be 1
        $cost.UnpricedRows | Should -Be 1
        $cost.MinSeconds | Should -Be 34
        $cost.MaxSeconds | Should -Be 41
        $cost.Seconds | Should -Be '34-41'
        $cost.MinUsd | Should -Be ([decimal] '3.74384')
        $cost.MaxUsd | Should -Be ([decimal] '4.464')
        $cost.MaxCredits | Should -Be ([decimal] '44.64')
        $cost.PriceList | Should -BeLike 'built-in*2026-09*'
        $v3 = $cost.ByModel | Where-Object Model -EQ 'kling-v3'
        $v3.Rows | Should -Be 2
        $v3.MaxUsd | Should -Be ([decimal] '1.68')
        $mc = $cost.ByModel | Where-Object Model -EQ 'kling-v3-motion-control'
        $mc.MinUsd | Should -Be ([decimal] '0.30864')
        $mc.MaxUsd | Should -Be ([decimal] '1.0288')
        ($cost | Format-Table | Out-String) | Should -BeLike '*(all)*4.464*'
    }

    It 'refuses a bad row with its number, worded as New-KlingVideo words it' {
        $r = Measure-Rows ($csv | ConvertFrom-Csv)
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRow,*'
        $r.Errors[0].Exception.Message | Should -BeLike "Row 5 ('e') *'duration' 20*"

        $sent = Invoke-RowsThroughNewKlingVideo ($csv | ConvertFrom-Csv | Select-Object -Index 4)
        $sent.Exception.Message | Should -BeExactly ($r.Errors[0].Exception.Message -replace '^Row 5', 'Row 1')
    }

    It 'names a model without a price in one warning' {
        $rows = "model,prompt,duration`nkling-v9-preview,a,5`nkling-v9-preview,b,5`nmy-model,c,5" | ConvertFrom-Csv
        $r = Measure-Rows $rows
        @($r.Warnings | Where-Object { $_ -like 'No price for*' }).Count | Should -Be 1
        $r.Warnings | Where-Object { $_ -like 'No price for*' } | Should -BeLike '*kling-v9-preview (2 row(s)), my-model (1 row(s))*-PriceFile*'
        $r.Output[0].UnpricedRows | Should -Be 3
        $r.Output[0].MaxUsd | Should -Be 0
    }

    It '-PerRow writes one object per valid row' {
        $r = Measure-Rows ($csv | ConvertFrom-Csv) -Extra @{ PerRow = $true }
        $r.Output.Count | Should -Be 6
        $r.Output[0] | Should -BeOfType Kling.Core.Catalog.KlingRowCost
        $r.Output.Row | Should -Be @(1, 2, 3, 4, 6, 7)
        $d = $r.Output | Where-Object Name -EQ 'd'
        $d.Tier | Should -Be 'default'
        $d.Seconds | Should -Be '3-10'
        $d.MinUsd | Should -Be ([decimal] '0.30864')
        $d.MaxUsd | Should -Be ([decimal] '1.0288')
        ($r.Output | Where-Object Name -EQ 'b').Tier | Should -Be 'pro-sound'
        ($r.Output | Where-Object Name -EQ 'g').Tier | Should -Be '1080p'
        ($r.Output | Where-Object Name -EQ 'f').MaxUsd | Should -BeNullOrEmpty
    }

    It '-PriceFile (and $env:KLING_PRICE_FILE) replaces the built-in list; a malformed one stops it naming the file and the entry' {
        $file = Join-Path $work 'prices.json'
        Set-Content $file '{ "kling-v3": { "default": 0.1, "pro": 0.2 } }'
        $r = Measure-Rows ("model,prompt,mode,duration`nkling-v3,a,std,5`nkling-v3,b,pro,10`nkling-v2-6,c,std,5" | ConvertFrom-Csv) -Extra @{ PriceFile = $file }
        $r.Output[0].MaxUsd | Should -Be ([decimal] '2.5')
        $r.Output[0].UnpricedRows | Should -Be 1
        $r.Output[0].PriceList | Should -BeLike "*$file*"
        (Get-KlingModel kling-v3 -PriceFile $file).Prices | Should -Be 'default 0.1 · pro 0.2'

        $bad = Join-Path $work 'bad.json'
        Set-Content $bad '{ "kling-v3": { "default": -1 } }'
        try {
            $env:KLING_PRICE_FILE = $bad
            $r = Measure-Rows ("model,prompt`nkling-v3,a" | ConvertFrom-Csv)
        }
        finally {
            $env:KLING_PRICE_FILE = $null
        }
        $r.Output | Should -BeNullOrEmpty
        $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'PriceFileInvalid,*'
        "$($r.Thrown)" | Should -BeLike "*$bad*'kling-v3.default'*KLING_PRICE_FILE*"
    }

    It 'refuses a near-miss column as New-KlingVideo refuses it' {
        $rows = "prompt,durations,Name`nA lighthouse,10,one" | ConvertFrom-Csv
        $r = Measure-Rows $rows
        $r.Output | Should -BeNullOrEmpty
        $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'ColumnBindsToNothing,*'
        $sent = Invoke-RowsThroughNewKlingVideo $rows
        $r.Thrown.Exception.Message | Should -BeExactly $sent.Exception.Message
        (Measure-Rows $rows -Extra @{ IgnoreColumn = 'durations' }).Output[0].Rows | Should -Be 1
    }

    It 'sends nothing at all without a key, uploads included' {
        Disconnect-Kling
        $env:KLING_API_KEY = $null
        $r = Measure-Rows ($csv | ConvertFrom-Csv)
        $r.Thrown | Should -BeNullOrEmpty
        $r.Output[0].MaxUsd | Should -Be ([decimal] '4.464')
        $r.Output[0].Balance | Should -BeNullOrEmpty
        $r.Output[0].Covered | Should -BeNullOrEmpty
        @(Get-EmulatorRequest $emu -HostName gateway).Count | Should -Be 0
        @(Get-EmulatorRequest $emu -Method POST).Count | Should -Be 0
    }

    It 'with a key, reads the balance (no POST) and says whether it covers the estimate' {
        Reset-Emulator $emu -Config @{ balance = 5 }
        $r = Measure-Rows ($csv | ConvertFrom-Csv)
        $r.Output[0].Balance | Should -Be 5
        $r.Output[0].Covered | Should -BeTrue
        Reset-Emulator $emu -Config @{ balance = 4 }
        $r = Measure-Rows ($csv | ConvertFrom-Csv)
        $r.Output[0].Balance | Should -Be 4
        $r.Output[0].Covered | Should -BeFalse
        @(Get-EmulatorRequest $emu -Method POST).Count | Should -Be 0
        @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/balance').Count | Should -Be 1
    }
}

function script:Invoke-RowsThroughNewKlingVideo {
    <# New-KlingVideo -WhatIf on the same rows: its first error (terminating or not), for wording comparisons. #>
    param([Parameter(Mandatory)] $Rows)
    $errs = $null
    try {
        $Rows | New-KlingVideo -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
    }
    catch {
        return $_
    }
    @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[0]
}
