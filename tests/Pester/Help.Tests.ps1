BeforeDiscovery {
    $modulePath = if ($env:KLING_MODULE_PATH) { $env:KLING_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Kling/Kling.psd1' }
    Import-Module $modulePath
    $cmdlets = @(Get-Command -Module Kling -CommandType Cmdlet | ForEach-Object Name)
    if ($cmdlets.Count -lt 6) { throw "Expected the Kling cmdlets to be exported, found: $cmdlets" }
}

Describe 'Help' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'
    }

    It '<_> has a synopsis, a description, at least two examples with code, inputs and outputs' -ForEach $cmdlets {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$_ *[<CommonParameters>]*" -Because 'an auto-generated synopsis is only the syntax'
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($e in $help.examples.example) { $e.code | Should -Not -BeNullOrEmpty }
        $help.inputTypes | Should -Not -BeNullOrEmpty
        $help.returnValues | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter of <_>, and only those' -ForEach $cmdlets {
        $command = Get-Command $_
        $help = Get-Help $_ -Full
        $documented = @($help.parameters.parameter | Where-Object { $_ } | ForEach-Object { $_.name })
        $actual = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
        ($documented | Sort-Object) | Should -Be ($actual | Sort-Object)
        foreach ($p in $help.parameters.parameter | Where-Object { $_ }) {
            ($p.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($p.name) of $_ needs a description"
        }
    }

    It 'says which parameters of <_> take wildcards: globbing true where the parameter has [SupportsWildcards], false elsewhere' -ForEach $cmdlets {
        $command = Get-Command $_
        foreach ($p in (Get-Help $_ -Full).parameters.parameter | Where-Object { $_ }) {
            $wildcards = [bool] ($command.Parameters[$p.name].Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $p.globbing | Should -Be $wildcards.ToString().ToLowerInvariant() -Because "-$($p.name) of $_ $(if ($wildcards) { 'takes' } else { 'does not take' }) wildcards"
        }
    }

    It 'says globbing true for Get-KlingModel -Name and the file cmdlets'' -Path, false for their -LiteralPath' {
        (Get-Help Get-KlingModel -Parameter Name).globbing | Should -Be 'true'
        foreach ($cmdlet in 'Send-KlingImage', 'Test-KlingVideoInput') {
            (Get-Help $cmdlet -Parameter Path).globbing | Should -Be 'true' -Because "$cmdlet -Path expands wildcards"
            (Get-Help $cmdlet -Parameter LiteralPath).globbing | Should -Be 'false'
        }
        (Get-Help Get-KlingTask -Parameter TaskId).globbing | Should -Be 'false'
    }

    It 'has an about_Kling topic covering set-up, CSV columns, errors and scheduled tasks' {
        $about = Get-Help about_Kling | Out-String
        foreach ($topic in 'KLING_API_KEY', 'image_urls', 'AuthenticationError', 'SCHEDULED TASKS') {
            $about | Should -BeLike "*$topic*"
        }
    }

    It 'has an about_Kling_Costs topic covering the estimate, the cap, the actual cost, usage and the limits' {
        $about = Get-Help about_Kling_Costs | Out-String
        foreach ($topic in 'THE ESTIMATE', 'Measure-KlingCost', 'THE CAP', '-MaxCost', 'BudgetExceeded', 'WHAT IT DID COST', 'EstimatedCost',
            'Get-KlingUsage', 'THE LIMITS', 'drift', 'own measure', 'Motion control', 'Refunds', 'KLING_PRICE_FILE') {
            $about | Should -BeLike "*$topic*"
        }
    }
}
