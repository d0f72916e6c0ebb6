# build.ps1 Test -Filter on the Pester side (tests/Invoke-PesterSuite.ps1 in a fresh pwsh, as build.ps1 runs it): every
# test of the files whose name contains the words, and in the other files only the tests whose name does.
Describe 'A slice of the Pester suites (build.ps1 Test -Filter)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:pester = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'

        function Invoke-Slice {
            <# Runs the suite runner with -Filter; returns its exit code and the counts it wrote. #>
            param([Parameter(Mandatory)] [string] $Filter)
            $result = Join-Path $TestDrive "$([guid]::NewGuid().ToString('n')).json"
            $run = Invoke-ChildPwsh @"
& '$RepoRoot/tests/Invoke-PesterSuite.ps1' -PesterPath '$pester' -ResultPath '$result' -Filter '$($Filter -replace "'", "''")'
exit `$LASTEXITCODE
"@
            # The names of the tests run, from the NUnit file beside the counts (the console lists passed tests only at
            # the Detailed verbosity, not at CI's Normal).
            [xml] $nunit = Get-Content -Raw ([IO.Path]::ChangeExtension($result, '.xml'))
            $ran = @($nunit.SelectNodes('//test-case[@executed="True"]') | ForEach-Object { $_.GetAttribute('description') })
            [pscustomobject]@{ ExitCode = $run.ExitCode; Counts = Get-Content -Raw $result | ConvertFrom-Json; Output = $run.Output; Ran = $ran }
        }
    }

    It 'runs every test of a file named by the filter, and nothing else when no test name says it' {
        $tests = @(Select-String -Path (Join-Path $PSScriptRoot 'Manifest.Tests.ps1') -Pattern "^\s*It '").Count
        $slice = Invoke-Slice 'manifest.tests'
        $slice.ExitCode | Should -Be 0 -Because $slice.Output
        $slice.Counts.Passed | Should -Be $tests
        $slice.Counts.Failed | Should -Be 0
    }

    It 'runs, from files not named by the filter, only the tests whose name contains it' {
        $slice = Invoke-Slice 'AN UNOFFICIAL CLIENT of all'
        $slice.ExitCode | Should -Be 0 -Because $slice.Output
        $slice.Counts.Passed | Should -Be 1
        $slice.Ran | Should -Be @("describes the module as an unofficial client of all the gateway's Kling models, not of one")
    }
}
