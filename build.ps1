<#
.SYNOPSIS
    Builds, tests and demonstrates the Kling module.
.DESCRIPTION
    Build (default): leaves the importable module in out/Kling and the gateway emulator in out/emulator. out/Kling is
           the module exactly as it ships: Kling.dll, Kling.Core.dll, dependencies/, en-US/ help, the format file,
           LICENSE, README.md (with its pictures, docs/images) and CHANGELOG.md; no symbols (they go to out/symbols/Kling), XML doc files or deps.json.
           The built manifest is the source Kling.psd1 with three things filled in by the build:
             - ReleaseNotes: CHANGELOG.md's section for the version (the lines under '## [<version>] - <date>' up to
               the next heading), in place of the source's placeholder line "ReleaseNotes = '...'". A version without
               a section in CHANGELOG.md fails the build. The source manifest keeps the placeholder, so the notes are
               written once, in CHANGELOG.md.
             - ProjectUri, LicenseUri, IconUri: Directory.Build.props' KlingProjectUri, KlingLicenseUri and
               KlingIconUri, each written only when it is given (an empty one is left out rather than pointing
               somewhere wrong). The same KlingProjectUri gives each cmdlet's HelpUri (KlingHelpUri, compiled into
               src/Kling's HelpLinks) and the emulator package's project URL.
           The version, Author, CompanyName and Copyright of Kling.psd1 must equal Directory.Build.props' Version,
           Authors, Company and Copyright (the assemblies and the tool package carry those): the build fails if not.
    Test:  Build, then every suite (each xunit project tests/*/*.Tests.csproj, then Pester for the cmdlets against
           the emulator) and a closing line "N passed, N failed" summing them all. -Filter runs a slice of them;
           -NoBuild runs them on what the last build left (out/ and the test projects' bin/).
    Demo:  Build, start the emulator, and run the README's CSV example end to end into out/demo.
    Bench: Build, then every benchmark under bench/ (not run by CI): each prints its ratios against baselines
           measured in the same run and fails when a goal does not hold.
    Package: Build, then out/package/Kling.<version>.nupkg, made by Publish-PSResource from out/Kling into a local
           folder repository (registered only for the moment of publishing), ready for the PowerShell Gallery, and beside
           it out/package/Kling.Emulator.<version>.nupkg, the emulator as a .NET tool (command kling-emulator) for
           NuGet: dotnet tool install --global Kling.Emulator.
.PARAMETER Filter
    Test only: a slice of the suites by test or file name, matched as part of the name, case-insensitively. In
    xunit, the tests whose fully qualified name (namespace.Class.Method; a class is named like its file) contains
    it (dotnet test --filter "FullyQualifiedName~<Filter>"); in Pester, every test of the files whose name contains
    it, and in the other files the tests whose full name (Describe, Context, It) contains it. A filter that matches
    no test at all fails, so a typo cannot pass for a green run.
.PARAMETER NoBuild
    Test only: no build and no restore; the suites run on the module and emulator in out/ and the test projects'
    last build (dotnet test --no-build). For running a slice again after a build; a stale out/ tests stale code.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Test -Filter Journal
    The journal's xunit classes (JournalTests, JournalRerunTests, ...), tests/Pester/Journal.Tests.ps1 and every
    other test whose name says Journal.
.EXAMPLE
    dotnet pwsh ./build.ps1 Test -Filter 'never re-sends' -NoBuild
    The tests with those words in their name, on the last build.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [ValidateNotNullOrEmpty()]
    [string] $Filter,

    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'Kling'
$emulatorOut = Join-Path $out 'emulator'
$symbolsOut = Join-Path $out 'symbols/Kling'
$resultsDir = Join-Path $out 'test-results'
if ($Task -ne 'Test' -and ($Filter -or $NoBuild)) { throw "-Filter and -NoBuild are for the Test task, not $Task." }

function Invoke-Dotnet {
    # A plain function (no CmdletBinding) so switches like -c and -o pass through to dotnet untouched.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    $properties = Get-BuildProperty
    $version = $properties.Version
    $manifest = Import-PowerShellDataFile (Join-Path $root 'Kling.psd1')
    foreach ($pair in @(@('ModuleVersion', 'Version'), @('Author', 'Authors'), @('CompanyName', 'Company'), @('Copyright', 'Copyright'))) {
        if ($manifest[$pair[0]] -ne $properties.($pair[1])) {
            throw "Kling.psd1 says $($pair[0]) '$($manifest[$pair[0]])' but Directory.Build.props says $($pair[1]) '$($properties.($pair[1]))'; make them agree."
        }
    }
    $releaseNotes = Get-ChangelogSection $version

    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    Invoke-Dotnet publish (Join-Path $root 'src/Kling/Kling.csproj') -c $Configuration -o $moduleOut --nologo -v quiet
    Copy-Item (Join-Path $root 'LICENSE'), (Join-Path $root 'README.md'), (Join-Path $root 'CHANGELOG.md') $moduleOut
    # The README's pictures go with it (docs/images/), so its relative image links resolve in the installed module too.
    $images = New-Item -ItemType Directory (Join-Path $moduleOut 'docs/images') -Force
    Copy-Item (Join-Path $root 'docs/images/*.png') $images
    Write-BuiltManifest -Path (Join-Path $moduleOut 'Kling.psd1') -Properties $properties -ReleaseNotes $releaseNotes
    Get-ChildItem $moduleOut -Filter '*.deps.json' | Remove-Item
    # Symbols are not shipped: they go to out/symbols/Kling, for debugging this build.
    if (Test-Path $symbolsOut) { Remove-Item $symbolsOut -Recurse -Force }
    $null = New-Item -ItemType Directory $symbolsOut
    Get-ChildItem $moduleOut -Recurse -File -Filter '*.pdb' | Move-Item -Destination $symbolsOut
    # Beside the manifest only Kling.dll and Kling.Core.dll; the third-party assemblies go to dependencies/, where
    # Kling's own load context (pwsh 7) or resolve handler (5.1) finds them and nobody else does.
    $dependencies = New-Item -ItemType Directory (Join-Path $moduleOut 'dependencies')
    Get-ChildItem $moduleOut -File | Where-Object { $_.Extension -eq '.dll' -and $_.BaseName -notin 'Kling', 'Kling.Core' } |
        Move-Item -Destination $dependencies
    # Help is built in a child pwsh: it imports the fresh module to read each cmdlet's parameters.
    $pwsh = @(Get-PwshCommand)
    $helpArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command',
        "Import-Module '$root/tools/HelpBuilder.psm1'; Build-KlingHelp -ModulePath '$moduleOut/Kling.psd1' -SourcePath '$root/docs/en-US' -OutputPath '$moduleOut/en-US' | Out-Null")
    & $pwsh[0] @helpArgs
    if ($LASTEXITCODE -ne 0) { throw 'Building the help from docs/en-US failed.' }
    Invoke-Dotnet publish (Join-Path $root 'src/Kling.Emulator/Kling.Emulator.csproj') -c $Configuration -o $emulatorOut --nologo -v quiet
    Write-Host "Built $moduleOut (version $version)"
}

function Get-BuildProperty {
    # Directory.Build.props as MSBuild evaluates it (conditions and derived properties included): the one place of the
    # version, the project's names and its addresses.
    $names = 'Version', 'Authors', 'Company', 'Copyright', 'KlingProjectUri', 'KlingLicenseUri', 'KlingIconUri'
    $json = & dotnet msbuild (Join-Path $root 'src/Kling/Kling.csproj') -nologo @($names | ForEach-Object { "-getProperty:$_" })
    if ($LASTEXITCODE -ne 0) { throw "Reading Directory.Build.props failed: $($json -join "`n")" }
    return ($json -join "`n" | ConvertFrom-Json).Properties
}

function Get-ChangelogSection([string] $Version) {
    # The release notes of a version: CHANGELOG.md's lines under '## [<version>] - <date>', up to the next '## '
    # heading or the link definitions at the end, trimmed.
    $lines = (Get-Content -Raw (Join-Path $root 'CHANGELOG.md')) -split '\r?\n'
    $heading = "^## \[$([regex]::Escape($Version))\] - \d{4}-\d{2}-\d{2}\s*$"
    $start = @(0..($lines.Count - 1) | Where-Object { $lines[$_] -match $heading })
    if ($start.Count -ne 1) { throw "CHANGELOG.md needs one section '## [$Version] - YYYY-MM-DD' for the version being built; found $($start.Count)." }
    $body = for ($i = $start[0] + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^## |^\[[^\]]+\]:\s'; $i++) { $lines[$i] }
    $notes = ($body -join "`n").Trim()
    if (-not $notes) { throw "CHANGELOG.md's section for $Version is empty." }
    return $notes
}

function Write-BuiltManifest([string] $Path, $Properties, [string] $ReleaseNotes) {
    # The source manifest with its placeholder line "ReleaseNotes = '...'" replaced by the release notes and the
    # addresses that are given. Written as UTF-8 with a BOM, so Windows PowerShell 5.1 reads any character of the notes.
    $text = Get-Content -Raw (Join-Path $root 'Kling.psd1')
    $found = [regex]::Matches($text, "(?m)^(?<indent>[ \t]*)ReleaseNotes[ \t]*=[ \t]*'[^'\r\n]*'[ \t]*(?=\r?$)")
    if ($found.Count -ne 1) { throw "Kling.psd1 needs one placeholder line ReleaseNotes = '...' in PSData for the build to fill; found $($found.Count)." }
    $indent = $found[0].Groups['indent'].Value
    # A single-quoted PowerShell string: each quote (PowerShell counts the typographic ones too) doubled.
    $quote = { param([string] $Value) "'" + ($Value -replace "['\u2018\u2019\u201A\u201B]", '$0$0') + "'" }
    $lines = @("${indent}ReleaseNotes = $(& $quote $ReleaseNotes)")
    $addresses = [ordered]@{ ProjectUri = $Properties.KlingProjectUri; LicenseUri = $Properties.KlingLicenseUri; IconUri = $Properties.KlingIconUri }
    foreach ($key in $addresses.Keys) {
        $value = $addresses[$key]
        if (-not $value) { continue }
        $uri = $null
        if (-not [uri]::TryCreate($value, [UriKind]::Absolute, [ref] $uri) -or $uri.Scheme -ne 'https') {
            throw "Directory.Build.props' Kling$key must be an https address (or empty), not '$value'."
        }
        $lines += "${indent}$key = $(& $quote $value)"
    }
    $newline = if ($text -match '\r\n') { "`r`n" } else { "`n" }
    $text = $text.Substring(0, $found[0].Index) + ($lines -join $newline) + $text.Substring($found[0].Index + $found[0].Length)
    [IO.File]::WriteAllText($Path, $text, [Text.UTF8Encoding]::new($true))
    $written = (Import-PowerShellDataFile $Path).PrivateData.PSData
    if ($written.ReleaseNotes -ne $ReleaseNotes) { throw "The built manifest's ReleaseNotes do not read back as CHANGELOG.md's section." }
    foreach ($key in $addresses.Keys) {
        if ("$($written[$key])" -ne "$($addresses[$key])") { throw "The built manifest's $key does not read back as Directory.Build.props gives it." }
    }
}

function Get-PwshCommand {
    # Under 'dotnet pwsh' the process is dotnet itself; the child needs pwsh.dll as its first argument.
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($exe)
}

function Get-PesterModulePath {
    # Pester's version is in Directory.Packages.props, with every other package's; tests/tools/Pester.proj downloads it.
    [xml] $packageVersions = Get-Content -Raw (Join-Path $root 'Directory.Packages.props')
    $version = $packageVersions.SelectSingleNode("//PackageVersion[@Include='Pester']").Version
    if (-not $version) { throw 'Directory.Packages.props has no PackageVersion for Pester.' }
    if (-not $NoBuild) { Invoke-Dotnet restore (Join-Path $root 'tests/tools/Pester.proj') --nologo -v quiet }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else {
        ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    }
    $psd1 = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $version is not in the NuGet package folder ($psd1); run build.ps1 Test without -NoBuild once." }
    return $psd1
}

function Get-TestProject {
    # Every xunit project, found by name: a new tests/<Name>.Tests/<Name>.Tests.csproj joins without editing this file.
    $projects = @(Get-ChildItem -Path (Join-Path $root 'tests/*/*.Tests.csproj') -File | Sort-Object Name)
    if (-not $projects) { throw 'No test project matches tests/*/*.Tests.csproj.' }
    return $projects
}

function ConvertTo-TestFilterValue([string] $Text) {
    # dotnet test --filter reads \ ( ) & | = ! ~ as syntax; escaped, they are matched as written.
    return [regex]::Replace($Text, '[\\()&|=!~]', { param($m) '\' + $m.Value })
}

function Assert-Built {
    foreach ($built in (Join-Path $moduleOut 'Kling.psd1'), (Join-Path $emulatorOut 'Kling.Emulator.dll')) {
        if (-not (Test-Path $built)) { throw "-NoBuild runs on the last build, but $built is missing: run build.ps1 Build (or Test without -NoBuild) first." }
    }
}

function Read-TrxCounts([string] $Directory) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($file in Get-ChildItem $Directory -Filter '*.trx' -ErrorAction SilentlyContinue) {
        [xml] $trx = Get-Content -Raw $file.FullName
        $c = $trx.TestRun.ResultSummary.Counters
        $passed += [int] $c.passed
        $failed += [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        $skipped += [int] $c.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-Test {
    if ($NoBuild) { Assert-Built } else { Invoke-Build }
    # No test writes the user's own task history (each Pester suite also takes a fresh one of its own, in common.ps1).
    $env:KLING_HOME = Join-Path $out 'test-home'
    if (Test-Path $resultsDir) { Remove-Item $resultsDir -Recurse -Force }
    New-Item -ItemType Directory $resultsDir | Out-Null
    $summary = Join-Path $resultsDir 'summary.txt'
    $passed = 0; $failed = 0; $skipped = 0

    foreach ($project in Get-TestProject) {
        $name = $project.BaseName
        $dir = Join-Path $resultsDir $name
        $testArgs = @('test', $project.FullName, '-c', $Configuration, '--nologo', '--logger', "trx;LogFileName=$name.trx", '--results-directory', $dir)
        if ($NoBuild) { $testArgs += '--no-build' }
        if ($Filter) { $testArgs += '--filter', "FullyQualifiedName~$(ConvertTo-TestFilterValue $Filter)" }
        & dotnet @testArgs
        $counts = Read-TrxCounts $dir
        if ($LASTEXITCODE -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }  # a build or host failure counts as a failure
        Write-Host "${name}: $($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
        $passed += $counts.Passed; $failed += $counts.Failed; $skipped += $counts.Skipped
    }

    $pester = Get-PesterModulePath
    $pesterResult = Join-Path $resultsDir 'pester.json'
    $pwsh = @(Get-PwshCommand)
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/Invoke-PesterSuite.ps1'),
        '-PesterPath', $pester, '-ResultPath', $pesterResult)
    if ($Filter) { $pwshArgs += '-Filter', $Filter }
    & $pwsh[0] @pwshArgs
    if (Test-Path $pesterResult) {
        $p = Get-Content -Raw $pesterResult | ConvertFrom-Json
        Write-Host "Pester: $($p.Passed) passed, $($p.Failed) failed, $($p.Skipped) skipped"
        $passed += $p.Passed; $failed += $p.Failed; $skipped += $p.Skipped
        if ($LASTEXITCODE -ne 0 -and $p.Failed -eq 0) { $failed++ }
    }
    else {
        Write-Host 'Pester did not report results.'
        $failed++
    }

    if ($Filter -and $passed + $failed + $skipped -eq 0) {
        Write-Host "No test matches -Filter '$Filter'."
        $failed++
    }

    # The summary file (read by .ci/run) keeps the skipped count; the closing line is the plain "N passed, N failed".
    Set-Content -Path $summary -Value "$passed passed, $failed failed, $skipped skipped"
    Write-Host "$skipped skipped"
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $env:KLING_HOME = Join-Path $out 'demo-home'   # the emulator's tasks stay out of the user's task history
    $pwsh = @(Get-PwshCommand)
    $demoArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'examples/demo.ps1'))
    & $pwsh[0] @demoArgs
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    $env:KLING_HOME = Join-Path $out 'bench-home'   # the emulator's tasks stay out of the user's task history
    $pwsh = @(Get-PwshCommand)
    $failedBenches = @()
    foreach ($bench in Get-ChildItem (Join-Path $root 'bench') -Filter '*.Bench.ps1' | Sort-Object Name) {
        Write-Host "== $($bench.BaseName)"
        $benchArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $bench.FullName)
        & $pwsh[0] @benchArgs
        if ($LASTEXITCODE -ne 0) { $failedBenches += $bench.BaseName }
    }
    if ($failedBenches) {
        Write-Host "Goals not met: $($failedBenches -join ', ')"
        exit 1
    }
}

function Invoke-Package {
    Invoke-Build
    $packageOut = Join-Path $out 'package'
    if (Test-Path $packageOut) { Remove-Item $packageOut -Recurse -Force }
    New-Item -ItemType Directory $packageOut | Out-Null
    $repository = "KlingBuild-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    Register-PSResourceRepository -Name $repository -Uri $packageOut -Trusted
    try {
        Publish-PSResource -Path $moduleOut -Repository $repository
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    $package = Get-ChildItem $packageOut -Filter 'Kling.*.nupkg' | Select-Object -First 1
    if (-not $package) { throw "Publish-PSResource made no package in $packageOut." }
    Write-Host "Packaged $($package.FullName)"
    Invoke-EmulatorPack $packageOut
}

function Invoke-EmulatorPack([string] $Destination) {
    # The emulator as a .NET tool (PackAsTool in its project): users test their scripts against it offline.
    Invoke-Dotnet pack (Join-Path $root 'src/Kling.Emulator/Kling.Emulator.csproj') -c $Configuration -o $Destination --nologo -v quiet
    $tool = Get-ChildItem $Destination -Filter 'Kling.Emulator.*.nupkg' | Select-Object -First 1
    if (-not $tool) { throw "dotnet pack made no Kling.Emulator package in $Destination." }
    Write-Host "Packaged $($tool.FullName)"
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
}
