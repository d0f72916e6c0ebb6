Describe 'Packaging' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.5
        # A home of its own: PSResourceGet's repository list and the CurrentUser module folder live under it,
        # so the round trip touches nothing of the machine's.
        # The folders must exist: .NET reports a special folder that does not as '' and PSResourceGet would then
        # write its settings relative to the working directory.
        $script:fakeHome = Join-Path $TestDrive 'home'
        foreach ($d in '.local/share', '.config', '.cache', 'AppData/Local', 'AppData/Roaming') {
            New-Item -ItemType Directory (Join-Path $fakeHome $d) -Force | Out-Null
        }
        $script:isolated = @{
            HOME            = $fakeHome
            XDG_DATA_HOME   = (Join-Path $fakeHome '.local/share')
            XDG_CONFIG_HOME = (Join-Path $fakeHome '.config')
            XDG_CACHE_HOME  = (Join-Path $fakeHome '.cache')
            LOCALAPPDATA    = (Join-Path $fakeHome 'AppData/Local')
            APPDATA         = (Join-Path $fakeHome 'AppData/Roaming')
            USERPROFILE     = $fakeHome
            PSModulePath    = ''
        }
    }

    AfterAll {
        Stop-KlingEmulator $emu
    }

    It 'publishes to a folder repository with Publish-PSResource, installs back with Install-PSResource, imports by name and runs' {
        $repo = Join-Path $TestDrive 'repo'
        New-Item -ItemType Directory $repo | Out-Null
        $moduleDir = Split-Path $ModulePath
        $publish = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name KlingLocal -Uri '$repo' -Trusted
Publish-PSResource -Path '$moduleDir' -Repository KlingLocal
Install-PSResource -Name Kling -Repository KlingLocal -Scope CurrentUser -TrustRepository
(Get-InstalledPSResource -Name Kling).Version.ToString()
"@
        $run = Invoke-ChildPwsh -Script $publish -Environment $isolated -WorkingDirectory $fakeHome
        $run.ExitCode | Should -Be 0 -Because $run.Output
        @(Get-ChildItem $repo -Filter 'Kling.*.nupkg').Count | Should -Be 1
        $run.Output.Trim().Split("`n")[-1].Trim() | Should -Be (Import-PowerShellDataFile $ModulePath).ModuleVersion

        $use = @"
`$ErrorActionPreference = 'Stop'
Import-Module Kling
(Get-Module Kling).ModuleBase
@((Get-Help New-KlingVideo).examples.example).Count
`$env:KLING_BASE_URL = '$($emu.Gateway)'
`$env:KLING_API_KEY = '$($emu.ApiKey)'
(New-KlingVideo -Prompt 'installed from the package' | Wait-KlingTask -PollInterval 0.2).Status
"@
        $run = Invoke-ChildPwsh -Script $use -Environment $isolated -WorkingDirectory $fakeHome
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $lines = $run.Output.Trim().Split("`n") | ForEach-Object Trim
        $lines[0] | Should -BeLike "$fakeHome*Kling*"
        [int] $lines[1] | Should -BeGreaterOrEqual 2
        $lines[-1] | Should -Be 'completed'
        # Everything PSResourceGet and NuGet wrote stayed in the isolated home.
        Test-Path (Join-Path $fakeHome '.local/share/PSResourceGet/PSResourceRepository.xml') | Should -BeTrue
        Test-Path (Join-Path $RepoRoot 'PSResourceGet') | Should -BeFalse
    }

    It 'holds the module, its help, dependencies, LICENSE, README.md and CHANGELOG.md, and no symbols, XML doc files or deps.json' {
        # What build.ps1 Package publishes (out/Kling), read back from the .nupkg itself.
        $repo = Join-Path $TestDrive 'contents'
        New-Item -ItemType Directory $repo | Out-Null
        $publish = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name KlingContents -Uri '$repo' -Trusted
Publish-PSResource -Path '$(Split-Path $ModulePath)' -Repository KlingContents
"@
        $run = Invoke-ChildPwsh -Script $publish -Environment $isolated -WorkingDirectory $fakeHome
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $nupkg = @(Get-ChildItem $repo -Filter 'Kling.*.nupkg')
        $nupkg.Count | Should -Be 1
        $version = (Import-PowerShellDataFile $ModulePath).ModuleVersion
        $nupkg[0].Name | Should -Be "Kling.$version.nupkg"

        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg[0].FullName)
        try {
            $entries = @($zip.Entries | ForEach-Object FullName)
            $nuspecEntry = $zip.Entries | Where-Object FullName -EQ 'Kling.nuspec'
            $reader = [IO.StreamReader]::new($nuspecEntry.Open())
            try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        # The package's own parts (OPC and NuGet) set aside, the rest is the module folder as shipped.
        $module = @($entries | Where-Object { $_ -notmatch '^(_rels/|package/services/|\[Content_Types\]\.xml$|Kling\.nuspec$)' } | Sort-Object)
        foreach ($file in 'Kling.psd1', 'Kling.dll', 'Kling.Core.dll', 'Kling.format.ps1xml', 'Kling.types.ps1xml', 'en-US/Kling.dll-Help.xml',
            'en-US/about_Kling.help.txt', 'en-US/about_Kling_Models.help.txt', 'en-US/about_Kling_Costs.help.txt',
            'LICENSE', 'README.md', 'CHANGELOG.md', 'docs/images/gallery.png', 'dependencies/System.Text.Json.dll') {
            $module | Should -Contain $file
        }
        $module | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty -Because 'symbols are not shipped'
        $module | Where-Object { $_ -like '*.deps.json' } | Should -BeNullOrEmpty
        $module | Where-Object { $_ -like '*.xml' -and $_ -ne 'en-US/Kling.dll-Help.xml' } | Should -BeNullOrEmpty -Because 'the XML doc files are not help'
        # Nothing else: beside the manifest only Kling's own assemblies; third-party ones under dependencies/.
        $module | Where-Object { $_ -notmatch '^(dependencies/[^/]+\.dll|en-US/(Kling\.dll-Help\.xml|about_[A-Za-z_]+\.help\.txt)|docs/images/[^/]+\.png)$' } |
            Should -Be @('CHANGELOG.md', 'Kling.Core.dll', 'Kling.dll', 'Kling.format.ps1xml', 'Kling.psd1', 'Kling.types.ps1xml', 'LICENSE', 'README.md')

        # The gallery's page is made from the nuspec: the project's own names and the release notes of CHANGELOG.md.
        $manifest = Import-PowerShellDataFile $ModulePath
        $nuspec.package.metadata.authors | Should -Be $manifest.Author
        $nuspec.package.metadata.releaseNotes | Should -Not -BeNullOrEmpty
        ($nuspec.package.metadata.releaseNotes -replace '\r\n', "`n") | Should -BeExactly ($manifest.PrivateData.PSData.ReleaseNotes -replace '\r\n', "`n")
        $nuspec.package.metadata.releaseNotes | Should -BeLike '*New-KlingVideo*'
    }
}

# Issue 24, point 5: what a package ships stands on its own. Its words name no file outside the repository (the API
# notes the project was written from are not part of it), and a file shipped inside a package links only to the web
# or to its own headings: a relative link would point at nothing once the file is out of the repository.
Describe 'The words shipped in the packages' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $helpFolder = Join-Path (Split-Path $ModulePath) 'en-US'
        $script:shipped = @(
            (Join-Path $RepoRoot 'README.md'), (Join-Path $RepoRoot 'CHANGELOG.md'), (Join-Path $RepoRoot 'src/Kling.Emulator/README.md')
        ) + @(Get-ChildItem $helpFolder -File | ForEach-Object FullName)
        # Markdown links: [text](target) and <https://...>; the target without a title or anchor.
        function script:Get-MarkdownLink([string] $Text) {
            foreach ($m in [regex]::Matches($Text, '\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')) { $m.Groups[1].Value }
        }
    }

    It 'names no file outside the repository: <_>' -ForEach @('README.md', 'CHANGELOG.md', 'src/Kling.Emulator/README.md', 'docs/gateway.md', 'en-US help') {
        $files = if ($_ -eq 'en-US help') { @($shipped | Where-Object { $_ -like "*en-US*" }) } else { @(Join-Path $RepoRoot $_) }
        $files.Count | Should -BeGreaterThan 0
        foreach ($file in $files) {
            Test-Path $file | Should -BeTrue
            $text = Get-Content -Raw $file
            $text | Should -Not -Match '\.\./shared/|/work/|\bshared/(API|MODELS)\.md' -Because "$file is read where the project's working notes are not"
        }
    }

    It 'links only to the web, its own headings or its own pictures from a file shipped in a package: <_>' -ForEach @('README.md', 'CHANGELOG.md', 'src/Kling.Emulator/README.md') {
        $text = Get-Content -Raw (Join-Path $RepoRoot $_)
        foreach ($target in Get-MarkdownLink $text) {
            if ($_ -eq 'README.md' -and $target -like 'docs/images/*') {
                # The module's README carries its pictures (build.ps1 copies docs/images beside it).
                Test-Path -LiteralPath (Join-Path (Split-Path $ModulePath) $target) | Should -BeTrue -Because "README.md shows $target, which must be shipped beside it"
                continue
            }
            $target | Should -Match '^(https://|#)' -Because "$_ is read inside a package, where a relative link ($target) leads nowhere"
        }
    }

    It 'resolves every relative link of the repository''s own docs to a file in it' {
        foreach ($doc in Get-ChildItem (Join-Path $RepoRoot 'docs') -Filter '*.md' -File) {
            foreach ($target in Get-MarkdownLink (Get-Content -Raw $doc.FullName)) {
                if ($target -match '^(https?://|#|mailto:)') { continue }
                $path = Join-Path $doc.DirectoryName ($target -replace '#.*$')
                Test-Path $path | Should -BeTrue -Because "$($doc.Name) links to $target"
                [IO.Path]::GetFullPath($path) | Should -BeLike "$RepoRoot*" -Because "$($doc.Name) links to $target, outside the repository"
            }
        }
    }
}
