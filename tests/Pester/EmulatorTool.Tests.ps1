# Issue 13, point 6: the emulator as a .NET tool users install and run to test their scripts offline.
Describe 'kling-emulator, the .NET tool' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        # What build.ps1 Package does for the tool, into this test's own folder.
        $script:packages = Join-Path $TestDrive 'package'
        & dotnet pack (Join-Path $RepoRoot 'src/Kling.Emulator/Kling.Emulator.csproj') -c Release -o $packages --nologo -v quiet
        $LASTEXITCODE | Should -Be 0
        # Installed from that folder only (no other feed), into a tool path and a package cache of its own.
        $script:config = Join-Path $TestDrive 'NuGet.Config'
        Set-Content $config "<?xml version=`"1.0`" encoding=`"utf-8`"?>`n<configuration><packageSources><clear /><add key=`"local`" value=`"$packages`" /></packageSources></configuration>"
        $script:tools = Join-Path $TestDrive 'tools'
        $script:tool = Join-Path $tools ($(if ($IsWindows) { 'kling-emulator.exe' } else { 'kling-emulator' }))
        $script:process = $null
    }

    AfterAll {
        Disconnect-Kling
        if ($process -and -not $process.HasExited) { $process.Kill(); [void] $process.WaitForExit(5000) }
    }

    It 'ships its README and no symbols, with the version and the authors of Directory.Build.props' {
        $nupkg = @(Get-ChildItem $packages -Filter 'Kling.Emulator.*.nupkg')
        $nupkg.Count | Should -Be 1
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg[0].FullName)
        try {
            $entries = @($zip.Entries | ForEach-Object FullName)
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'Kling.Emulator.nuspec').Open())
            try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        $entries | Should -Contain 'README.md'
        $entries | Should -Contain 'tools/net10.0/any/Kling.Emulator.dll'
        $entries | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty -Because 'symbols are not shipped'
        $nuspec.package.metadata.readme | Should -Be 'README.md'
        $nuspec.package.metadata.version | Should -Be (Import-PowerShellDataFile $ModulePath).ModuleVersion
        $nuspec.package.metadata.authors | Should -Be (Import-PowerShellDataFile $ModulePath).Author
    }

    It 'is packed as Kling.Emulator with the command kling-emulator, installs into a tool path, prints how to connect, serves a batch and stops' {
        $nupkg = @(Get-ChildItem $packages -Filter 'Kling.Emulator.*.nupkg')
        $nupkg.Count | Should -Be 1
        $nupkg[0].Name | Should -Be "Kling.Emulator.$((Import-PowerShellDataFile $ModulePath).ModuleVersion).nupkg"

        $previous = $env:NUGET_PACKAGES
        $env:NUGET_PACKAGES = Join-Path $TestDrive 'nuget-cache'
        try {
            $install = & dotnet tool install Kling.Emulator --tool-path $tools --configfile $config 2>&1
        }
        finally {
            $env:NUGET_PACKAGES = $previous
        }
        $LASTEXITCODE | Should -Be 0 -Because ($install -join "`n")
        Test-Path $tool | Should -BeTrue

        # As a user runs it: no arguments at all.
        $psi = [System.Diagnostics.ProcessStartInfo]::new($tool)
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $script:process = [System.Diagnostics.Process]::Start($psi)
        $lines = [Collections.Generic.List[string]]::new()
        while (-not ($lines -match 'Ctrl\+C')) {
            $next = $process.StandardOutput.ReadLineAsync()
            if (-not $next.Wait([TimeSpan]::FromSeconds(30)) -or $null -eq $next.Result) { throw "kling-emulator printed only: $($lines -join "`n") $($process.StandardError.ReadToEnd())" }
            $lines.Add($next.Result)
        }

        # The first line stays machine-readable (tests/Emulator.psm1 reads it); the words for people follow.
        $info = $lines[0] | ConvertFrom-Json
        $info.gateway | Should -BeLike 'http://127.0.0.1:*'
        $info.apiKey | Should -BeLike 'kling-emu-*'
        $text = $lines -join "`n"
        $text | Should -BeLike "*Gateway URL: $($info.gateway)*"
        $text | Should -BeLike "*API key:     $($info.apiKey)*"
        $text | Should -BeLike "*Connect-Kling -BaseUrl $($info.gateway) -ApiKey *"

        # A user's script, as the banner says to connect.
        Connect-Kling -BaseUrl $info.gateway -ApiKey (ConvertTo-SecureString $info.apiKey -AsPlainText -Force)
        $rows = 'dawn', 'noon', 'dusk' | ForEach-Object { [pscustomobject]@{ Name = $_; prompt = "The sky at $_" } }
        $out = Join-Path $TestDrive 'videos'
        $files = @($rows | New-KlingVideo | Wait-KlingTask -PollInterval 0.2 | Save-KlingVideo -Path $out)
        ($files.Name | Sort-Object) | Should -Be @('dawn.mp4', 'dusk.mp4', 'noon.mp4')
        (Get-KlingBalance).Used | Should -Be 3

        # It stops on SIGTERM (and Ctrl+C), as a service or a terminal stops it: cleanly, with exit code 0.
        if ($IsWindows) { $process.Kill() }
        else { & kill -TERM $process.Id }
        $process.WaitForExit(15000) | Should -BeTrue
        if (-not $IsWindows) {
            $stderr = $process.StandardError.ReadToEnd()
            $process.ExitCode | Should -Be 0 -Because $stderr
            $stderr | Should -Not -BeLike '*Unhandled exception*'
        }
    }
}
