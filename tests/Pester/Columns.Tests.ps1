Describe 'New-KlingVideo columns' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        . (Join-Path $PSScriptRoot 'ModelHelpers.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    Describe 'a column that looks like a parameter but binds to nothing' {
        It 'stops the batch before anything is sent when a column is <column> (did you mean <meant>)' -ForEach @(
            @{ column = 'durations'; meant = 'Duration' }
            @{ column = 'aspect-ratio'; meant = 'AspectRatio' }
            @{ column = 'Promt'; meant = 'Prompt' }
            @{ column = 'image_url'; meant = 'ImageUrl' }
        ) {
            $csv = "prompt,$column,Name`nA lighthouse,10,one`nA kite,10,two"
            if ($column -eq 'Promt') { $csv = "Promt,Name`nA lighthouse,one`nA kite,two" }
            $r = Invoke-Rows ($csv | ConvertFrom-Csv)
            @(Get-EmulatorRequest $emu -HostName gateway -Method POST).Count | Should -Be 0
            $r.Output | Should -BeNullOrEmpty
            $r.Thrown | Should -Not -BeNullOrEmpty -Because 'nothing was accepted, so the stop is terminating'
            $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'ColumnBindsToNothing,*'
            $r.Thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $r.Thrown.Exception.Message | Should -BeLike "Row 1 ('one'): the column '$column' binds to nothing; did you mean '$meant'?*-IgnoreColumn $column if it is meant*"
            $r.Thrown.TargetObject.Name | Should -Be 'one'
            $r.Errors | Where-Object FullyQualifiedErrorId -Like 'InvalidRow,*' | Should -BeNullOrEmpty -Because 'the stop comes before any row is read'
        }

        It 'names every near miss of the row in one error' {
            $r = Invoke-Rows ("Promt,durations`nA kite,10" | ConvertFrom-Csv)
            Get-SubmitCount $emu | Should -Be 0
            $r.Thrown.Exception.Message | Should -BeLike "*'Promt'*'durations'*"
            $r.Thrown.Exception.Message | Should -BeLike "*'Prompt'*'Duration'*"
            $r.Thrown.Exception.Message | Should -BeLike '*-IgnoreColumn Promt, durations*'
            $r.Errors | Should -BeNullOrEmpty
        }

        It 'sends nothing of 1,000 rows with a near miss, and says so once' {
            $rows = 1..1000 | ForEach-Object { [pscustomobject]@{ prompt = "row $_"; durations = '10' } }
            $r = Invoke-Rows $rows
            Get-SubmitCount $emu | Should -Be 0
            $r.Output | Should -BeNullOrEmpty
            $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'ColumnBindsToNothing,*'
            $r.Errors | Should -BeNullOrEmpty
        }

        It 'sends the row when -IgnoreColumn says the column is meant, without a warning' {
            $r = Invoke-Rows ("prompt,durations`nA kite,10" | ConvertFrom-Csv) @{ IgnoreColumn = 'DURATIONS' }
            $r.Thrown | Should -BeNullOrEmpty
            $r.Errors | Should -BeNullOrEmpty
            $r.Warnings | Should -BeNullOrEmpty
            $r.Output.Count | Should -Be 1
            $body = @(Get-SubmitBody $emu)
            $body.Count | Should -Be 1
            $body[0].PSObject.Properties.Name | Should -Not -Contain 'durations'
        }

        It 'stops at a later row with a new near miss: the rows before it are sent and written, no row from it on' {
            $rows = @(
                [pscustomobject]@{ prompt = 'one'; Name = 'a' }
                [pscustomobject]@{ prompt = 'two'; Name = 'b' }
                [pscustomobject]@{ prompt = 'three'; Name = 'c'; durations = '10' }
                [pscustomobject]@{ prompt = 'four'; Name = 'd' }
            )
            $r = Invoke-Rows $rows @{ ThrottleLimit = 1 }
            $r.Output.Row | Should -Be @(1, 2)
            Get-SubmitCount $emu | Should -Be 2
            (Get-SubmitBody $emu).prompt | Should -Be @('one', 'two')
            $r.Thrown | Should -BeNullOrEmpty -Because 'tasks were accepted, so the stop is written after them'
            $stop = @($r.Errors | Where-Object FullyQualifiedErrorId -Like 'ColumnBindsToNothing,*')
            $stop.Count | Should -Be 1
            $stop[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $stop[0].Exception.Message | Should -BeLike "Row 3 ('c'): the column 'durations' binds to nothing; did you mean 'Duration'?*"
            "$stop" | Should -BeLike '*The batch stopped here*2 task(s) accepted before it were written to the pipeline*'
            $r.Warnings | Should -Contain '1 row(s) after the stop were not sent.'
        }
    }

    Describe 'a column far from every parameter' {
        It 'is sent without it, with one warning per batch naming it' {
            $rows = "prompt,notes,Name`none,first,a`ntwo,second,b`nthree,third,c" | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.Count | Should -Be 3
            Get-SubmitCount $emu | Should -Be 3
            $r.Warnings.Count | Should -Be 1
            $r.Warnings[0] | Should -BeLike "*column 'notes' binds to no parameter of New-KlingVideo*-IgnoreColumn notes*"
            (Get-SubmitBody $emu)[0].PSObject.Properties.Name | Should -Not -Contain 'notes'
        }

        It 'names only the columns it has not named yet when a later row brings new ones' {
            $rows = @(
                [pscustomobject]@{ prompt = 'one'; notes = 'x' }
                [pscustomobject]@{ prompt = 'two'; notes = 'y' }
                [pscustomobject]@{ prompt = 'three'; notes = 'z'; category = 'sea' }
            )
            $r = Invoke-Rows $rows
            Get-SubmitCount $emu | Should -Be 3
            $r.Warnings.Count | Should -Be 2
            $r.Warnings[0] | Should -BeLike "*'notes'*"
            $r.Warnings[1] | Should -BeLike "*'category'*"
            $r.Warnings[1] | Should -Not -BeLike "*'notes'*"
        }

        It 'is quiet about it with -IgnoreColumn' {
            $r = Invoke-Rows ("prompt,notes`none,first" | ConvertFrom-Csv) @{ IgnoreColumn = 'notes' }
            $r.Warnings | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 1
        }
    }

    Describe 'inputs that have no columns' {
        BeforeAll {
            if (-not ('KlingColumnsTestRow' -as [type])) {
                Add-Type -TypeDefinition 'public sealed class KlingColumnsTestRow { public string Prompt { get; set; } public string Durations { get; set; } public string Notes { get; set; } }'
            }
        }

        It 'does not check a typed .NET object''s properties' {
            $r = Invoke-Rows ([KlingColumnsTestRow] @{ Prompt = 'A typed row'; Durations = '10'; Notes = 'n' })
            $r.Thrown | Should -BeNullOrEmpty
            $r.Errors | Should -BeNullOrEmpty
            $r.Warnings | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 1
        }

        It 'does not check a piped string, nor a piped task' {
            $r = Invoke-Rows @('A cat waves')
            $r.Warnings | Should -BeNullOrEmpty
            $r.Errors | Should -BeNullOrEmpty
            $task = $r.Output[0]
            $again = Invoke-Rows @($task)
            $again.Warnings | Where-Object { $_ -like '*column*' } | Should -BeNullOrEmpty
            $again.Errors | Where-Object FullyQualifiedErrorId -Like 'ColumnBindsToNothing,*' | Should -BeNullOrEmpty
            $again.Thrown | Where-Object FullyQualifiedErrorId -Like 'ColumnBindsToNothing,*' | Should -BeNullOrEmpty
        }
    }

    Describe 'cells that read wrong' {
        It 'refuses a shot cell with an empty shot (<cell>), naming the field and the shot' -ForEach @(
            @{ cell = '3: a | | 5: b'; shot = 2 }
            @{ cell = '3: a | 5: b |'; shot = 3 }
        ) {
            $r = Invoke-Rows ([pscustomobject]@{ prompt = 'x'; model = 'kling-v3'; duration = '8'; shots = $cell })
            Get-SubmitCount $emu | Should -Be 0
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].Exception.Message | Should -BeLike "Row 1*Field 'shots' shot $shot is empty*"
        }

        It 'refuses an extra cell that gives a key twice, naming the key' {
            $r = Invoke-Rows ([pscustomobject]@{ prompt = 'x'; model = 'kling-v9'; extra = '{"camera": {"speed": 1, "speed": 2}}' })
            Get-SubmitCount $emu | Should -Be 0
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].Exception.Message | Should -BeLike "Row 1*Field 'extra' has the key 'camera.speed' twice*"
        }
    }
}
