# Tab completion and binding read the catalog (issue 22): no completer or ValidateSet keeps a list of its own.
Describe 'Completers from the catalog' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')

        function script:Get-Offer([string] $Line) {
            <# The completer's values only (with none, PowerShell falls back to file names), unquoted. #>
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches |
                    Where-Object ResultType -EQ 'ParameterValue' | ForEach-Object { $_.CompletionText.Trim("'") })
        }

        # The module's own catalog (its core is loaded apart, so found through an object it writes).
        $script:catalog = (Get-KlingModel | Select-Object -First 1).GetType().Assembly.GetType('Kling.Core.Catalog.ModelCatalog', $true)

        # Each completed parameter and the catalog entry's values it must offer.
        $script:values = [ordered]@{
            Mode                 = { param($m) $m.Modes }
            Duration             = { param($m) $m.Durations | ForEach-Object { "$_" } }
            AspectRatio          = { param($m) $m.AspectRatios }
            Resolution           = { param($m) $m.Resolutions }
            ReferType            = { param($m) $m.ReferTypes }
            CharacterOrientation = { param($m) $m.CharacterOrientations }
        }
    }

    It 'New-KlingVideo offers, for every model given with -Model, exactly the values the catalog lists for it' {
        $drift = foreach ($m in $catalog::All) {
            foreach ($p in $values.Keys) {
                $expected = @(& $values[$p] $m)
                $offered = Get-Offer "New-KlingVideo -Prompt x -Model $($m.Name) -$p "
                if (($offered -join ',') -ne ($expected -join ',')) { "$($m.Name) -$p offers '$($offered -join ',')', the catalog lists '$($expected -join ',')'" }
            }
        }
        $drift | Should -BeNullOrEmpty
    }

    It 'without -Model offers the default model''s values, or every model''s where it has none' {
        $default = $catalog::Default
        Get-Offer 'New-KlingVideo -Prompt x -Mode ' | Should -Be @($default.Modes)
        Get-Offer 'New-KlingVideo -Prompt x -ReferType ' | Should -Be @($default.ReferTypes)
        Get-Offer 'New-KlingVideo -Prompt x -Resolution ' | Should -Be @('720p', '1080p')
        Get-Offer 'New-KlingVideo -Prompt x -CharacterOrientation ' | Should -Be @('image', 'video')
    }

    It 'Test-KlingVideoInput completes -ReferType and -CharacterOrientation from the model given' {
        Get-Offer 'Test-KlingVideoInput -Path x.mp4 -ReferType ' | Should -Be @('base', 'feature')
        Get-Offer 'Test-KlingVideoInput -Path x.mp4 -Model kling-v3-motion-control -CharacterOrientation ' | Should -Be @('image', 'video')
        Get-Offer 'Test-KlingVideoInput -Path x.mp4 -Model kling-v3-omni -CharacterOrientation ' | Should -BeNullOrEmpty
    }

    It 'Test-KlingVideoInput refuses a -<parameter> no model takes when binding, naming the values' -ForEach @(
        @{ parameter = 'ReferType'; value = 'style'; allowed = 'base, feature' }
        @{ parameter = 'CharacterOrientation'; value = 'sideways'; allowed = 'image, video' }
    ) {
        $splat = @{ Path = 'nothing-is-read.mp4'; $parameter = $value }
        $err = { Test-KlingVideoInput @splat } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -BeLike "*'$parameter'*'$value' is not one of $allowed*"
    }

    It 'Test-KlingVideoInput binds the catalog''s values in any case' {
        $missing = Join-Path $TestDrive 'missing.mp4'
        Test-KlingVideoInput -Path $missing -ReferType FEATURE -ErrorAction SilentlyContinue -ErrorVariable e1
        Test-KlingVideoInput -LiteralPath $missing -CharacterOrientation Image -ErrorAction SilentlyContinue -ErrorVariable e2
        @($e1 + $e2).FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'FileNotFound,*' }
        @($e1 + $e2).Count | Should -Be 2
    }
}
