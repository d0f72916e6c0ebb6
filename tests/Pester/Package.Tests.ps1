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
}
