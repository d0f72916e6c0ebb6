Describe 'The module manifest' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:built = Join-Path (Split-Path $ModulePath) 'Kling.psd1'
        $script:manifest = Test-ModuleManifest -Path $built -ErrorAction Stop
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

    It 'carries the gallery metadata' {
        $manifest.Description.Length | Should -BeGreaterThan 40
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.CompanyName | Should -Not -BeNullOrEmpty
        $manifest.Copyright | Should -Not -BeNullOrEmpty
        @($manifest.Tags).Count | Should -BeGreaterOrEqual 3
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.ProjectUri.Scheme | Should -Be 'https'
        $manifest.LicenseUri.Scheme | Should -Be 'https'
        (Get-Content -Raw (Join-Path (Split-Path $built) 'LICENSE')) | Should -Match '^MIT License'
        $manifest.LicenseUri.AbsoluteUri | Should -Match 'MIT'
        Test-Path (Join-Path (Split-Path $built) 'LICENSE') | Should -BeTrue
    }

    It 'describes the module as an unofficial client of all the gateway''s Kling models, not of one' {
        $manifest.Description | Should -BeLike '*unofficial*'
        $manifest.Description | Should -BeLike '*not made*Kuaishou*xcompute*'
        $manifest.Description | Should -Not -Match '\bO1\b' -Because 'the module serves every Kling model of the gateway'
    }

    It 'ships the module''s own files only: no XML doc file, no deps.json (help is en-US/Kling.dll-Help.xml)' {
        $folder = Split-Path $built
        @(Get-ChildItem $folder -File | ForEach-Object Name | Sort-Object) |
            Should -Be @('Kling.Core.dll', 'Kling.Core.pdb', 'Kling.dll', 'Kling.format.ps1xml', 'Kling.pdb', 'Kling.psd1', 'Kling.types.ps1xml', 'LICENSE')
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
