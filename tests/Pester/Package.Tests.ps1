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
        foreach ($file in 'Kling.psd1', 'Kling.dll', 'Kling.Core.dll', 'Kling.format.ps1xml', 'en-US/Kling.dll-Help.xml',
            'en-US/about_Kling.help.txt', 'en-US/about_Kling_Models.help.txt', 'en-US/about_Kling_Costs.help.txt',
            'LICENSE', 'README.md', 'CHANGELOG.md', 'dependencies/System.Text.Json.dll') {
            $module | Should -Contain $file
        }
        $module | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty -Because 'symbols are not shipped'
        $module | Where-Object { $_ -like '*.deps.json' } | Should -BeNullOrEmpty
        $module | Where-Object { $_ -like '*.xml' -and $_ -ne 'en-US/Kling.dll-Help.xml' } | Should -BeNullOrEmpty -Because 'the XML doc files are not help'
        # Nothing else: beside the manifest only Kling's own assemblies; third-party ones under dependencies/.
        $module | Where-Object { $_ -notmatch '^(dependencies/[^/]+\.dll|en-US/(Kling\.dll-Help\.xml|about_[A-Za-z_]+\.help\.txt))$' } |
            Should -Be @('CHANGELOG.md', 'Kling.Core.dll', 'Kling.dll', 'Kling.format.ps1xml', 'Kling.psd1', 'LICENSE', 'README.md')

        # The gallery's page is made from the nuspec: the project's own names and the release notes of CHANGELOG.md.
        $manifest = Import-PowerShellDataFile $ModulePath
        $nuspec.package.metadata.authors | Should -Be $manifest.Author
        $nuspec.package.metadata.releaseNotes | Should -Not -BeNullOrEmpty
        ($nuspec.package.metadata.releaseNotes -replace '\r\n', "`n") | Should -BeExactly ($manifest.PrivateData.PSData.ReleaseNotes -replace '\r\n', "`n")
        $nuspec.package.metadata.releaseNotes | Should -BeLike '*New-KlingVideo*'
    }
}

