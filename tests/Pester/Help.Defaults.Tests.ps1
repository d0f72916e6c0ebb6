BeforeDiscovery {
    $modulePath = if ($env:KLING_MODULE_PATH) { $env:KLING_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Kling/Kling.psd1' }
    Import-Module $modulePath
    $cmdlets = @(Get-Command -Module Kling -CommandType Cmdlet | ForEach-Object Name)
}

Describe 'Default values in help' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

        function Get-InitialValue {
            <# What a new instance of the cmdlet holds in the parameter's property before binding. #>
            param([System.Management.Automation.CmdletInfo] $Cmdlet, [string] $Name)
            $instance = [Activator]::CreateInstance($Cmdlet.ImplementingType)
            try { $Cmdlet.ImplementingType.GetProperty($Name).GetValue($instance) }
            finally { if ($instance -is [IDisposable]) { $instance.Dispose() } }
        }
    }

    It 'shows -ThrottleLimit 4, -PollInterval 1.5 and the time limits as Get-Help''s Default value' {
        (Get-Help New-KlingVideo -Parameter ThrottleLimit).defaultValue | Should -Be '4'
        (Get-Help New-KlingVideo -Parameter ThrottleLimit | Out-String) | Should -Match 'Default value\s+4\b'
        (Get-Help Save-KlingVideo -Parameter ThrottleLimit).defaultValue | Should -Be '4'
        (Get-Help Wait-KlingTask -Parameter PollInterval).defaultValue | Should -Be '1.5'
        (Get-Help Wait-KlingTask -Parameter TimeoutSec).defaultValue | Should -Be '3600'
        (Get-Help Connect-Kling -Parameter TimeoutSec).defaultValue | Should -Be '100'
        (Get-Help Get-KlingUsage -Parameter GroupBy).defaultValue | Should -Be 'None'
    }

    It 'says False for every switch of <_>, and for every other parameter its initial value, [PSDefaultValue] or None' -ForEach $cmdlets {
        $cmdlet = Get-Command $_
        foreach ($p in (Get-Help $_ -Full).parameters.parameter | Where-Object { $_ }) {
            $p.defaultValue | Should -Not -BeNullOrEmpty -Because "-$($p.name) of $_ needs a Default value (None where it has none)"
            $property = $cmdlet.ImplementingType.GetProperty($p.name)   # none for -WhatIf and -Confirm
            $declared = if ($property) { $property.GetCustomAttributes([System.Management.Automation.PSDefaultValueAttribute], $true) | Select-Object -First 1 }
            $initial = if ($property) { Get-InitialValue $cmdlet $p.name }
            if ($declared) {
                $p.defaultValue | Should -Be $(if ($declared.Help) { $declared.Help } else { [string] $declared.Value }) -Because "-$($p.name) of $_ declares its default"
            }
            elseif ($cmdlet.Parameters[$p.name].SwitchParameter) {
                $p.defaultValue | Should -Be 'False' -Because "-$($p.name) of $_ is a switch"
            }
            elseif ($null -ne $initial -and -not ($initial.GetType().IsValueType -and $initial.Equals([Activator]::CreateInstance($initial.GetType())))) {
                $p.defaultValue | Should -Be ([Convert]::ToString($initial, [cultureinfo]::InvariantCulture)) -Because "-$($p.name) of $_ starts as $initial"
            }
            else {
                $p.defaultValue | Should -Be 'None' -Because "-$($p.name) of $_ has no default"
            }
        }
    }

    It 'says where a default decided at run time comes from' {
        (Get-Help Connect-Kling -Parameter BaseUrl).defaultValue | Should -BeLike '*KLING_BASE_URL*https://xcompute.us*'
        (Get-Help New-KlingVideo -Parameter Model).defaultValue | Should -Be (Get-KlingModel | Select-Object -First 1).Name
        (Get-Help Measure-KlingCost -Parameter PriceFile).defaultValue | Should -BeLike '*KLING_PRICE_FILE*'
        (Get-Help Get-KlingUsage -Parameter End).defaultValue | Should -Not -Be 'None'
    }
}
