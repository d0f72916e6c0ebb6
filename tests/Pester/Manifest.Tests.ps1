Describe 'The module manifest' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:built = Join-Path (Split-Path $ModulePath) 'Kling.psd1'
        $script:manifest = Test-ModuleManifest -Path $built -ErrorAction Stop
        # The one place of the project's names and addresses: Directory.Build.props, as MSBuild evaluates it.
        $props = & dotnet msbuild (Join-Path $RepoRoot 'src/Kling/Kling.csproj') -nologo `
            -getProperty:Version -getProperty:Authors -getProperty:Company -getProperty:Copyright `
            -getProperty:KlingProjectUri -getProperty:KlingLicenseUri -getProperty:KlingIconUri -getProperty:KlingHelpUri
        $LASTEXITCODE | Should -Be 0 -Because ($props -join "`n")
        $script:buildProps = ($props -join "`n" | ConvertFrom-Json).Properties
        # CHANGELOG.md's section for a version: the lines under its '## [version]' heading, up to the next heading.
        function script:Get-ChangelogSection([string] $Version) {
            $lines = (Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md')) -split '\r?\n'
            $start = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match "^## \[$([regex]::Escape($Version))\]" })
            if ($start -lt 0) { return $null }
            $body = for ($i = $start + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^## |^\[[^\]]+\]:\s'; $i++) { $lines[$i] }
            return ($body -join "`n").Trim()
        }
    }

    It 'passes Test-ModuleManifest for both editions from PowerShell 5.1 on' {
        $manifest.Name | Should -Be 'Kling'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version] '5.1')
    }

    It 'exports exactly the cmdlets the module has, listed without wildcards' {
        $data = Import-PowerShellDataFile $built
        $data.CmdletsToExport | ForEach-Object { $_ | Should -Not -Match '[*?]' }
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
        $loaded = (Get-Command -Module Kling -CommandType Cmdlet).Name | Sort-Object
        ($data.CmdletsToExport | Sort-Object) | Should -Be $loaded
    }

    It 'carries the gallery metadata: the project''s own names, tags, and the addresses of Directory.Build.props' {
        $manifest.Description.Length | Should -BeGreaterThan 40
        # The project's own names, not Kling's (the vendor's brand), and the same as the assemblies and the tool package.
        $manifest.Author | Should -Be $buildProps.Authors
        $manifest.CompanyName | Should -Be $buildProps.Company
        $manifest.Copyright | Should -Be $buildProps.Copyright
        foreach ($name in $manifest.Author, $manifest.CompanyName) {
            $name | Should -Not -Match '^\s*(the\s+)?Kling(\s+contributors)?\s*$' -Because 'Kling is the vendor''s brand; the module is unofficial'
            $name | Should -Match 'module'
        }
        $manifest.Copyright | Should -BeLike "*$($buildProps.Authors)*"
        foreach ($tag in 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS', 'video', 'ai', 'kling') {
            $manifest.Tags | Should -Contain $tag
        }
        $manifest.Tags | ForEach-Object { $_ | Should -Not -Match '\s' }
        # Each address as Directory.Build.props gives it, or left out when empty (never pointing somewhere wrong).
        $psData = (Import-PowerShellDataFile $built).PrivateData.PSData
        foreach ($pair in @(@('ProjectUri', 'KlingProjectUri'), @('LicenseUri', 'KlingLicenseUri'), @('IconUri', 'KlingIconUri'))) {
            $given = $buildProps.($pair[1])
            if ($given) {
                $psData[$pair[0]] | Should -Be $given
                ([uri] $given).Scheme | Should -Be 'https'
            }
            else { $psData.ContainsKey($pair[0]) | Should -BeFalse -Because "$($pair[1]) is empty in Directory.Build.props" }
        }
        (Get-Content -Raw (Join-Path (Split-Path $built) 'LICENSE')) | Should -Match '^MIT License'
        if ($manifest.LicenseUri) { $manifest.LicenseUri.AbsoluteUri | Should -Match 'MIT' }
    }

    It 'takes its release notes from CHANGELOG.md''s section for its version' {
        $section = Get-ChangelogSection $buildProps.Version
        $section | Should -Not -BeNullOrEmpty -Because "CHANGELOG.md needs a '## [$($buildProps.Version)] - date' section with its changes"
        (Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md')) | Should -Match "(?m)^## \[$([regex]::Escape($buildProps.Version))\] - \d{4}-\d{2}-\d{2}\s*$"
        (Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md')) | Should -Match '(?m)^## \[Unreleased\]\s*$'
        ($manifest.ReleaseNotes -replace '\r\n', "`n") | Should -BeExactly $section
    }

    It 'gives every cmdlet the HelpUri of its help page under KlingHelpUri, or none when that is empty' {
        $cmdlets = @(Get-Command -Module Kling -CommandType Cmdlet)
        $cmdlets.Count | Should -BeGreaterThan 10
        foreach ($cmdlet in $cmdlets) {
            Test-Path (Join-Path $RepoRoot "docs/en-US/$($cmdlet.Name).md") | Should -BeTrue -Because "$($cmdlet.Name)'s HelpUri names its help source"
            $expected = if ($buildProps.KlingHelpUri) { "$($buildProps.KlingHelpUri)$($cmdlet.Name).md" } else { '' }
            "$($cmdlet.HelpUri)" | Should -BeExactly $expected -Because "$($cmdlet.Name)'s [Cmdlet(HelpUri = ...)] comes from HelpLinks"
        }
        # Each attribute names its constant in HelpLinks, which builds it from KlingHelpUri (written by the build).
        foreach ($source in Get-ChildItem (Join-Path $RepoRoot 'src/Kling/Commands') -Filter '*Command.cs') {
            $attribute = [regex]::Match((Get-Content -Raw $source.FullName), '\[Cmdlet\([^\]]*\)\]').Value
            $attribute | Should -Match "HelpUri = HelpLinks\.$($source.BaseName -replace 'Command$')\b" -Because "$($source.Name)'s HelpUri comes from the one place"
        }
        if ($buildProps.KlingProjectUri) { $buildProps.KlingHelpUri | Should -BeLike "$($buildProps.KlingProjectUri)/*/docs/en-US/" }
        else { $buildProps.KlingHelpUri | Should -BeNullOrEmpty -Because 'without a project address there is no help page to point to' }
    }

    It 'describes the module as an unofficial client of all the gateway''s Kling models, not of one' {
        $manifest.Description | Should -BeLike '*unofficial*'
        $manifest.Description | Should -BeLike '*not made*Kuaishou*xcompute*'
        $manifest.Description | Should -Not -Match '\bO1\b' -Because 'the module serves every Kling model of the gateway'
    }

    It 'ships the module''s own files only: no symbols, no XML doc file, no deps.json (help is en-US/Kling.dll-Help.xml)' {
        $folder = Split-Path $built
        @(Get-ChildItem $folder -File | ForEach-Object Name | Sort-Object) |
            Should -Be @('CHANGELOG.md', 'Kling.Core.dll', 'Kling.dll', 'Kling.format.ps1xml', 'Kling.psd1', 'Kling.types.ps1xml', 'LICENSE', 'README.md')
        @(Get-ChildItem $folder -Recurse -File -Filter '*.pdb').Count | Should -Be 0
        (Get-Content -Raw (Join-Path $folder 'README.md')) | Should -BeExactly (Get-Content -Raw (Join-Path $RepoRoot 'README.md'))
        (Get-Content -Raw (Join-Path $folder 'CHANGELOG.md')) | Should -BeExactly (Get-Content -Raw (Join-Path $RepoRoot 'CHANGELOG.md'))
        @(Get-ChildItem $folder -Recurse -File -Filter '*.xml' | ForEach-Object { [IO.Path]::GetRelativePath($folder, $_.FullName) -replace '\\', '/' }) |
            Should -Be @('en-US/Kling.dll-Help.xml')
    }

    It 'has the version of Directory.Build.props, stamped into the assemblies too' {
        [xml] $props = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props')
        $version = ($props.Project.PropertyGroup | Where-Object { $_['Version'] } | Select-Object -First 1).Version
        $manifest.Version | Should -Be ([version] $version)
        [Reflection.AssemblyName]::GetAssemblyName((Join-Path (Split-Path $built) 'Kling.dll')).Version.ToString(3) | Should -Be $version
        (Get-KlingConfig).ModuleVersion | Should -Be $version
    }
}
