Describe 'about_Kling and the model notes say what the module is today' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:about = Get-Help about_Kling | Out-String
        $script:cmdlets = @(Get-Command -Module Kling -CommandType Cmdlet | ForEach-Object Name)
    }

    It 'lists every cmdlet the module exports in its command list' {
        foreach ($name in $cmdlets) {
            $about | Should -Match "(?m)^\s+$([regex]::Escape($name))\s+\S" -Because "about_Kling's list of cmdlets lacks $name"
        }
    }

    It 'names every model of the catalog and points to about_Kling_Models' {
        foreach ($model in Get-KlingModel) {
            $about | Should -Match "(?m)^\s+$([regex]::Escape($model.Name))\s+\S" -Because "about_Kling's MODELS lacks $($model.Name)"
        }
        $about | Should -Match 'MODELS'
        $about | Should -BeLike '*about_Kling_Models*'
    }

    It 'no longer speaks of one model or a count of cmdlets' {
        $about | Should -Not -Match 'Kling Video O1' -Because 'the module serves every Kling model of the gateway'
        $about | Should -Not -Match '\b(\d+|six|seven|eight|nine|ten|eleven|twelve|thirteen) cmdlets\b' -Because 'a count goes stale with the next cmdlet'
    }

    It 'says "unconfirmed" nowhere a user reads: model notes, help topics, cmdlet help, README' {
        foreach ($model in Get-KlingModel) {
            foreach ($note in $model.Notes) {
                $note | Should -Not -Match 'unconfirmed' -Because "a note of $($model.Name) should say it in plain words"
            }
        }
        foreach ($topic in 'about_Kling', 'about_Kling_Models', 'about_Kling_Costs') {
            Get-Help $topic | Out-String | Should -Not -Match 'unconfirmed' -Because "$topic should say it in plain words"
        }
        foreach ($name in $cmdlets) {
            Get-Help $name -Full | Out-String -Width 400 | Should -Not -Match 'unconfirmed' -Because "the help of $name should say it in plain words"
        }
        Get-Content -Raw (Join-Path $RepoRoot 'README.md') | Should -Not -Match 'unconfirmed'
    }
}
