Describe 'Get-KlingModel' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:seven = @('kling-video-o1', 'kling-v3-omni', 'kling-v3', 'kling-v2-6', 'kling-3.0-turbo', 'kling-v2-6-motion-control', 'kling-v3-motion-control')

        function Get-Completion([string] $Line) {
            # Only the completer's values: with none, PowerShell falls back to file names (ProviderItem results).
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches |
                Where-Object ResultType -EQ 'ParameterValue' | ForEach-Object CompletionText
        }
    }

    Context 'the catalog as objects' {
        It 'writes the seven models the gateway sells, as KlingModel objects' {
            $models = @(Get-KlingModel)
            $models | ForEach-Object { $_ | Should -BeOfType ([Kling.Core.KlingModel]) }
            ($models.Name | Sort-Object) | Should -Be ($seven | Sort-Object)
            foreach ($m in $models) {
                $m.Summary | Should -Not -BeNullOrEmpty -Because "$($m.Name) needs a summary"
                $m.Inputs | Should -Not -BeNullOrEmpty -Because "$($m.Name) takes something"
            }
        }

        It 'says what each model takes: <name>' -ForEach @(
            @{ name = 'kling-video-o1'; modes = @('std', 'pro'); durations = @(5, 10); audio = $false; multiShot = $false }
            @{ name = 'kling-v3-omni'; modes = @('std', 'pro', '4k'); durations = 3..15; audio = $true; multiShot = $true }
            @{ name = 'kling-v3'; modes = @('std', 'pro', '4k'); durations = 3..15; audio = $true; multiShot = $true }
            @{ name = 'kling-v2-6'; modes = @('std', 'pro'); durations = @(5, 10); audio = $true; multiShot = $false }
            @{ name = 'kling-3.0-turbo'; modes = @(); durations = 3..15; audio = $false; multiShot = $false }
            @{ name = 'kling-v3-motion-control'; modes = @('std', 'pro'); durations = @(); audio = $false; multiShot = $false }
        ) {
            $m = Get-KlingModel -Name $name
            @($m.Modes) | Should -Be $modes
            $m.Audio | Should -Be $audio
            $m.MultiShot | Should -Be $multiShot
            if ($durations.Count -eq 0) {
                $m.Durations | Should -BeNullOrEmpty
                $m.AspectRatios | Should -BeNullOrEmpty -Because 'motion control follows the reference video'
            }
            else {
                # "5, 10" or "3-15": the ends are there whichever way the catalog words a range.
                $m.Durations | Should -Match "\b$($durations[0])\b"
                $m.Durations | Should -Match "\b$($durations[-1])\b"
                @($m.AspectRatios) | Should -Be @('16:9', '9:16', '1:1')
            }
        }

        It 'has notes that tell, in plain words, what the gateway''s pages do not say' {
            $omni = Get-KlingModel kling-v3-omni
            $omni.Notes | Should -Not -BeNullOrEmpty
            ($omni.Notes -join ' ') | Should -Match 'does not say'
        }
    }

    Context '-Name' {
        It 'finds a model by its name, in any case' {
            (Get-KlingModel -Name KLING-V2-6).Name | Should -Be 'kling-v2-6'
            (Get-KlingModel kling-3.0-turbo).Name | Should -Be 'kling-3.0-turbo'
        }

        It 'takes wildcards and several names, writing each model once' {
            (Get-KlingModel -Name '*motion-control' | ForEach-Object Name | Sort-Object) | Should -Be @('kling-v2-6-motion-control', 'kling-v3-motion-control')
            @(Get-KlingModel -Name 'kling-v3*').Count | Should -Be 3
            $both = @(Get-KlingModel -Name 'kling-v3', 'kling-v3*', 'kling-v3')
            $both.Count | Should -Be 3
            ($both.Name | Select-Object -Unique).Count | Should -Be 3
        }

        It 'takes names from the pipeline' {
            ('kling-v2-6', 'kling-v3-omni' | Get-KlingModel).Name | Should -Be @('kling-v2-6', 'kling-v3-omni')
        }

        It 'writes an ObjectNotFound error naming a model it does not know and the ones it does, and goes on' {
            $found = @(Get-KlingModel -Name 'kling-v9', 'kling-v2-6' -ErrorVariable errs -ErrorAction SilentlyContinue)
            $found.Name | Should -Be @('kling-v2-6')
            $errs.Count | Should -Be 1
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
            $errs[0].TargetObject | Should -Be 'kling-v9'
            $errs[0].Exception.Message | Should -BeLike "*'kling-v9'*"
            foreach ($name in $seven) { $errs[0].Exception.Message | Should -BeLike "*$name*" }
        }

        It 'is silent when a wildcard matches nothing' {
            $found = @(Get-KlingModel -Name 'sora*' -ErrorVariable errs)
            $found.Count | Should -Be 0
            $errs.Count | Should -Be 0
        }
    }

    Context 'views' {
        It 'shows a table with Name, Modes, Durations, MaxImages, Audio and MultiShot' {
            $text = Get-KlingModel | Out-String -Width 200
            $header = ($text -split "`n" | Where-Object { $_ -match '^Name\s' } | Select-Object -First 1)
            $header | Should -Match '^Name\s+Modes\s+Durations\s+MaxImages\s+Audio\s+MultiShot\b'
            foreach ($name in $seven) { $text | Should -Match "(?m)^$([regex]::Escape($name))\s" }
            $text | Should -Match '(?m)^kling-v3-omni\s+std, pro, 4k\s'
        }

        It 'shows every property in the list view' {
            $text = Get-KlingModel kling-v3-omni | Format-List | Out-String -Width 200
            foreach ($label in 'Name', 'Summary', 'Inputs', 'Modes', 'Durations', 'AspectRatios', 'MaxImages', 'Audio', 'MultiShot', 'Notes') {
                $text | Should -Match "(?m)^$label\s*:"
            }
            $text | Should -Match '(?m)^Modes\s*: std, pro, 4k'
        }
    }

    Context 'tab completion' {
        It 'completes -Model of <command> from the catalog' -ForEach @(
            @{ command = 'New-KlingVideo -Prompt x' }
            @{ command = 'Test-KlingVideoInput -Path x.mp4' }
        ) {
            (Get-Completion "$command -Model ") | Should -Be $seven
            (Get-Completion "$command -Model kling-v2") | Should -Be @('kling-v2-6', 'kling-v2-6-motion-control')
        }

        It 'completes -Name of Get-KlingModel' {
            (Get-Completion 'Get-KlingModel -Name kling-3') | Should -Be @('kling-3.0-turbo')
            (Get-Completion 'Get-KlingModel kling-v3-m') | Should -Be @('kling-v3-motion-control')
        }

        It 'completes -Mode for the -Model already given' {
            (Get-Completion 'New-KlingVideo -Prompt x -Model kling-v3-omni -Mode ') | Should -Be @('std', 'pro', '4k')
            (Get-Completion 'New-KlingVideo -Model kling-3.0-turbo -Mode ') | Should -BeNullOrEmpty -Because 'turbo has -Resolution instead'
            (Get-Completion 'New-KlingVideo -Prompt x -Mode ') | Should -Be @('std', 'pro') -Because 'kling-video-o1 is the default model'
            (Get-Completion 'New-KlingVideo -Model kling-v9-future -Mode ') | Should -Be @('std', 'pro')
        }

        It 'completes -Duration for the -Model already given' {
            (Get-Completion 'New-KlingVideo -Prompt x -Model kling-v2-6 -Duration ') | Should -Be @('5', '10')
            (Get-Completion 'New-KlingVideo -Model kling-v3 -Duration 1') | Should -Be @('10', '11', '12', '13', '14', '15')
            (Get-Completion 'New-KlingVideo -Prompt x -Duration ') | Should -Be @('5', '10')
            (Get-Completion 'New-KlingVideo -Model kling-v3-motion-control -Duration ') | Should -BeNullOrEmpty
        }

        It 'completes -AspectRatio for the -Model already given' {
            (Get-Completion 'New-KlingVideo -Model kling-v3 -AspectRatio ') | Should -Be @("'16:9'", "'9:16'", "'1:1'")
            (Get-Completion 'New-KlingVideo -Model kling-v2-6-motion-control -AspectRatio ') | Should -BeNullOrEmpty
        }
    }

    Context 'help' {
        It 'has an about_Kling_Models topic with every model, the field mapping and the confirmed rules' {
            $about = Get-Help about_Kling_Models | Out-String
            foreach ($text in $seven + @('image_with_roles', 'first_frame_image', 'watermark_info', 'multi_prompt', 'does not say', 'AdditionalBody', 'DOES NOT KNOW')) {
                $about | Should -BeLike "*$text*"
            }
        }
    }

    Context 'prices' {
        It 'shows each model''s prices and the built-in list with its date' {
            $v3 = Get-KlingModel kling-v3
            $v3.Prices | Should -Be 'default 0.0672 · sound 0.1008 · pro 0.0896 · pro-sound 0.1344 · 4k 0.42856 · 4k-sound 0.42856'
            $v3.PriceList | Should -BeLike 'built-in*2026-09*'
            (Get-KlingModel kling-3.0-turbo).Prices | Should -Be '720p 0.1144 · 1080p 0.1432'
            (Get-KlingModel kling-v3 | Format-List | Out-String) | Should -BeLike '*Prices (USD/s)*0.0672*'
        }

        It 'shows a price file''s prices and path ($env:KLING_PRICE_FILE), and refuses a malformed one naming the file and the entry' {
            $file = Join-Path $TestDrive 'prices.json'
            Set-Content $file '{ "kling-v3": { "pro": 0.5 } }'
            $bad = Join-Path $TestDrive 'bad.json'
            Set-Content $bad '{ "kling-v3": { "8k": 0.5 } }'
            try {
                $env:KLING_PRICE_FILE = $file
                $v3 = Get-KlingModel kling-v3
                $thrown = $null
                try { Get-KlingModel -PriceFile $bad } catch { $thrown = $_ }
            }
            finally {
                $env:KLING_PRICE_FILE = $null
            }
            $v3.Prices | Should -Be 'pro 0.5'
            $v3.PriceList | Should -Be "price file $file"
            $thrown.FullyQualifiedErrorId | Should -BeLike 'PriceFileInvalid,*'
            "$thrown" | Should -BeLike "*$bad*'kling-v3.8k' is not a tier of kling-v3*"
        }
    }

    Context '-Online: the models the gateway offers the key (GET /v1/models)' {
        BeforeAll {
            $script:emu = Start-KlingEmulator
            $script:offered = $seven + 'kling-v4' # the emulator also lists kling-v4 (not in the catalog), sora-2 and kolors-v2 (not Kling)
        }

        AfterAll {
            Close-TestEmulator $emu
        }

        BeforeEach {
            Use-FreshEmulator $emu
        }

        It 'lists the Kling models the gateway offers, with Known from the catalog and HasSchema from the gateway' {
            $models = @(Get-KlingModel -Online -WarningAction SilentlyContinue)
            $models | ForEach-Object { $_ | Should -BeOfType ([Kling.Core.KlingOnlineModel]) }
            $models.Name | Should -Be $offered -Because 'in the gateway''s order, without sora-2 and kolors-v2'
            ($models | Where-Object Name -EQ 'kling-v3').Known | Should -BeTrue
            ($models | Where-Object Name -EQ 'kling-v3').HasSchema | Should -BeTrue
            ($models | Where-Object Name -EQ 'kling-v3').Schema | Should -BeLike '*"const":"kling-v3"*'
            ($models | Where-Object Name -EQ 'kling-video-o1').Known | Should -BeTrue
            ($models | Where-Object Name -EQ 'kling-video-o1').HasSchema | Should -BeFalse
            ($models | Where-Object Name -EQ 'kling-v4').Known | Should -BeFalse
            ($models | Where-Object Name -EQ 'kling-v4').HasSchema | Should -BeTrue
            $models | ForEach-Object { $_.Category | Should -Be 'video'; $_.Owner | Should -Be 'kling' }
            $calls = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/models*')
            $calls.Count | Should -Be 1
            [uri]::UnescapeDataString($calls[0].path) | Should -Be '/v1/models?expand=category,parameters'
        }

        It 'warns of a model the catalog lacks, naming it and how to use it today with -AdditionalBody' {
            $null = Get-KlingModel -Online -WarningVariable warned -WarningAction SilentlyContinue
            $warned.Count | Should -Be 1
            "$($warned[0])" | Should -BeLike "*kling-v4*New-KlingVideo -Model kling-v4 -AdditionalBody '{...}'*generic checks*"
            $null = Get-KlingModel -Online -Name kling-v3 -WarningVariable quiet
            $quiet.Count | Should -Be 0 -Because 'kling-v3 is in the catalog'
        }

        It 'filters by -Name with wildcards, says in verbose which catalog models the gateway does not list, and errors on a name not offered' {
            Reset-Emulator $emu -Config @{ listedModels = @('kling-v3', 'kling-v4', 'sora-2'); modelListBare = $true }
            $out = @(Get-KlingModel -Online -Name 'kling-v3*', 'kling-v4', 'KLING-V3' -Verbose -WarningAction SilentlyContinue 4>&1)
            $models = @($out | Where-Object { $_ -is [Kling.Core.KlingOnlineModel] })
            $models.Name | Should -Be @('kling-v3', 'kling-v4')
            $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
            $verbose | Should -BeLike '*does not list*(not written): kling-v3-omni, kling-v3-motion-control.*'
            $verbose | Should -Not -BeLike '*not written)*kling-v2-6*' -Because '-Name did not ask for it'

            $found = @(Get-KlingModel -Online -Name 'sora-2', 'kling-v3' -ErrorVariable errs -ErrorAction SilentlyContinue)
            $found.Name | Should -Be @('kling-v3')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotOffered,*'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].Exception.Message | Should -BeLike "*'sora-2'*kling-v3, kling-v4*"
            @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/models*').Count | Should -Be 2 -Because 'one call per command, however many names'
        }

        It 'needs a key: without one, the usual MissingApiKey error and nothing sent' {
            Disconnect-Kling
            $env:KLING_API_KEY = $null
            { Get-KlingModel -Online } | Should -Throw -ErrorId 'MissingApiKey*'
            @(Get-EmulatorRequest $emu -HostName gateway -PathLike '/v1/models*').Count | Should -Be 0
            @(Get-KlingModel).Count | Should -Be $seven.Count -Because 'the catalog needs no key'
        }

        It 'stops on a key the gateway refuses, with an AuthenticationError' {
            $env:KLING_API_KEY = 'kling-wrong-key-0123456789'
            $thrown = $null
            try { Get-KlingModel -Online -ErrorAction Stop } catch { $thrown = $_ }
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$thrown" | Should -Not -BeLike '*kling-wrong-key-0123456789*'
        }

        It 'never writes the key in verbose or debug output' {
            $text = Get-KlingModel -Online -Verbose -Debug -WarningAction SilentlyContinue *>&1 | Out-String -Width 400
            $text | Should -BeLike '*/v1/models*'
            $text | Should -Not -BeLike "*$($emu.ApiKey)*"
        }

        It 'refuses -PriceFile beside -Online, before any request' {
            { Get-KlingModel -Online -PriceFile (Join-Path $TestDrive 'p.json') } | Should -Throw -ErrorId 'OnlineWithPriceFile*'
            @(Get-EmulatorRequest $emu -HostName gateway -PathLike '/v1/models*').Count | Should -Be 0
        }

        It 'shows a table with Name, Category, Owner, Known and HasSchema' {
            $text = Get-KlingModel -Online -WarningAction SilentlyContinue | Out-String -Width 200
            $header = ($text -split "`n" | Where-Object { $_ -match '^Name\s' } | Select-Object -First 1)
            $header | Should -Match '^Name\s+Category\s+Owner\s+Known\s+HasSchema\b'
            $text | Should -Match '(?m)^kling-v4\s+video\s+kling\s+False\s+True'
        }
    }
}
