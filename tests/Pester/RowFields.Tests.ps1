# The row fields are declared once, in the core (Kling.Core.Requests.RowFields); PowerShell binds by the cmdlet's own
# properties and attributes, so each video row cmdlet's parameters are checked against the declaration here (names,
# aliases, types, binding by property name): removing, renaming or adding a field in one place only fails one of these.
# Also what the declaration feeds at run time: one yes/no reader for a -MultiShot cell and an -Audio cell, and an
# element's keys read alike from a hashtable and from a JSON cell. VideoInput, the help sources and the README table are
# checked in tests/Kling.Core.Tests/Requests/RowFieldsTests.cs.
BeforeDiscovery {
    $modulePath = if ($env:KLING_MODULE_PATH) { $env:KLING_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Kling/Kling.psd1' }
    Import-Module $modulePath
    Get-KlingModel -Name kling-video-o1 | Out-Null # loads Kling.Core, whose types the cases come from
    $script:parameterCases = foreach ($command in 'New-KlingVideo', 'Measure-KlingCost') {
        foreach ($field in [Kling.Core.Requests.RowFields]::All) {
            @{ Command = $command; Parameter = $field.Parameter; Aliases = @($field.Aliases); Kind = "$($field.Kind)" }
        }
    }
    $script:imageKeys = @([Kling.Core.Requests.ElementKeys]::Images) | ForEach-Object { @{ Key = $_ } }
}

Describe 'The row fields, declared once' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:typeOf = @{
            Text = [string]; List = [string[]]; Switch = [System.Management.Automation.SwitchParameter]
            Shots = [object[]]; Elements = [object[]]; Body = [object]; Label = [string]
        }
    }

    Context 'the parameters of <_>' -ForEach 'New-KlingVideo', 'Measure-KlingCost' {
        It 'binds by property name exactly the declared fields' {
            $byName = @((Get-Command $_).Parameters.Values |
                Where-Object { @($_.ParameterSets.Values.ValueFromPipelineByPropertyName) -contains $true } |
                ForEach-Object Name)
            $declared = @([Kling.Core.Requests.RowFields]::All.Parameter)
            @($byName | Where-Object { $_ -notin $declared }) | Should -BeNullOrEmpty -Because 'a parameter that binds by property name is a row field, declared in RowFields'
            @($declared | Where-Object { $_ -notin $byName }) | Should -BeNullOrEmpty -Because 'each field RowFields declares is a parameter that binds by property name'

        }
    }

    It '<Command> -<Parameter> has the declared aliases and the type of a <Kind> field' -ForEach $parameterCases {
        $p = (Get-Command $Command).Parameters[$Parameter]
        $p | Should -Not -BeNullOrEmpty -Because "RowFields declares -$Parameter"
        @($p.Aliases | Sort-Object) | Should -Be @($Aliases | Sort-Object)
        $p.ParameterType | Should -Be $typeOf[$Kind]
        @($p.ParameterSets.Values.ValueFromPipelineByPropertyName) | Should -Not -Contain $false
    }

    Context 'at run time' {
        BeforeAll {
            . (Join-Path $PSScriptRoot 'ModelHelpers.ps1')
            $script:emu = Start-KlingEmulator -TaskSeconds 1
        }

        AfterAll {
            Close-TestEmulator $emu
        }

        BeforeEach {
            Use-FreshEmulator $emu
        }

        It 'reads a CSV cell 1 or 0 alike for -MultiShot (a switch) and -Audio (a text), by the one yes/no reader' {
            $rows = @'
prompt,model,duration,multi_shot,audio
cells one,kling-v3,10,1,1
cells zero,kling-v3,10,0,0
cells TRUE,kling-v3,10, TRUE ,TRUE
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            foreach ($p in 'cells one', 'cells TRUE') {
                $s = Get-SubmissionOf -Prompt $p
                Get-Kind $s.Raw multi_shot | Should -Be 'True'
                $s.Json.shot_type | Should -BeExactly 'intelligence'
                Get-Kind $s.Raw audio | Should -Be 'True'
            }

            $s = Get-SubmissionOf -Prompt 'cells zero'
            Get-Kind $s.Raw multi_shot | Should -BeIn @('Absent', 'False')
            Get-Kind $s.Raw shot_type | Should -Be 'Absent'
            Get-Kind $s.Raw audio | Should -Be 'False'
        }

        It 'refuses a cell the reader does not read alike for -MultiShot and -Audio, naming the words it reads' {
            $r = Invoke-Rows ("prompt,model,multi_shot,audio`nmaybe,kling-v3,maybe,2" | ConvertFrom-Csv)
            Get-SubmitCount $emu | Should -Be 0
            $message = $r.Errors[0].Exception.Message
            $message | Should -BeLike "*'multi_shot' 'maybe' is not one of yes, no, true, false, 1, 0*"
            $message | Should -BeLike "*'audio' '2' is not one of yes, no, true, false, 1, 0*"
        }

        It 'reads an element''s images under <Key> alike from a hashtable and from a JSON cell' -ForEach $imageKeys {
            $urls = 'https://img.example/fox-1.png', 'https://img.example/fox-2.png'
            New-KlingVideo -Model kling-v3-omni -Prompt "@fox by hashtable $Key" -Element @{ Name = 'fox'; $Key = $urls } | Out-Null
            $json = @{ name = 'fox'; $Key.ToLowerInvariant() = $urls } | ConvertTo-Json -Compress
            [pscustomobject]@{ prompt = "@fox by cell $Key"; model = 'kling-v3-omni'; elements = $json } | New-KlingVideo | Out-Null
            foreach ($p in "@fox by hashtable $Key", "@fox by cell $Key") {
                $s = Get-SubmissionOf -Prompt $p
                $s.Json.element_list.name | Should -BeExactly 'fox'
                $s.Json.element_list.element_input_urls | Should -Be $urls
            }
        }
    }
}
