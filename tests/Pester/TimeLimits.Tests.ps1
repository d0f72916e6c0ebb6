BeforeDiscovery {
    $modulePath = if ($env:KLING_MODULE_PATH) { $env:KLING_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Kling/Kling.psd1' }
    Import-Module $modulePath
    $cmdlets = @(Get-Command -Module Kling -CommandType Cmdlet | ForEach-Object Name)
}

Describe 'One name for time limits' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
    }

    It 'names every time-limit parameter of <_> -TimeoutSec (other names only as aliases)' -ForEach $cmdlets {
        foreach ($p in (Get-Command $_).Parameters.Values) {
            if ($p.Name -match 'Time(out|Limit)|Sec(ond)?s?$|Wait(Time|Sec)') {
                $p.Name | Should -BeExactly 'TimeoutSec' -Because "-$($p.Name) of $_ is a time limit"
            }
        }
    }

    It 'keeps Wait-KlingTask -Timeout working as an alias of -TimeoutSec' {
        (Get-Command Wait-KlingTask).Parameters['TimeoutSec'].Aliases | Should -Contain 'Timeout'
        (Get-Command Connect-Kling).Parameters.Keys | Should -Contain 'TimeoutSec'
    }

    It 'writes -TimeoutSec, never -Timeout, in help, README and examples' {
        $files = @(Get-ChildItem (Join-Path $RepoRoot 'docs/en-US') -Filter '*.md') + (Get-Item (Join-Path $RepoRoot 'README.md')) +
            @(Get-ChildItem (Join-Path $RepoRoot 'examples') -Filter '*.ps1')
        foreach ($file in $files) {
            $hits = @(Select-String -LiteralPath $file.FullName -Pattern '-Timeout\b(?!Sec)' -CaseSensitive)
            $hits.Count | Should -Be 0 -Because "$($file.Name) says -Timeout: $($hits.Line -join ' | ')"
        }
    }
}
