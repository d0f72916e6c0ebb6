<#
.SYNOPSIS
    Builds, tests and demonstrates the Kling module.
.DESCRIPTION
    Build (default): leaves the importable module in out/Kling and the gateway emulator in out/emulator.
    Test:  Build, then every suite (each xunit project tests/*/*.Tests.csproj, then Pester for the cmdlets against
           the emulator) and a closing line "N passed, N failed" summing them all. -Filter runs a slice of them;
           -NoBuild runs them on what the last build left (out/ and the test projects' bin/).
    Demo:  Build, start the emulator, and run the README's CSV example end to end into out/demo.
    Bench: Build, then every benchmark under bench/ (not run by CI): each prints its ratios against baselines
           measured in the same run and fails when a goal does not hold.
    Package: Build, then out/package/Kling.<version>.nupkg, made by Publish-PSResource into a local folder
           repository (registered only for the moment of publishing), ready for the PowerShell Gallery, and beside
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
$resultsDir = Join-Path $out 'test-results'
if ($Task -ne 'Test' -and ($Filter -or $NoBuild)) { throw "-Filter and -NoBuild are for the Test task, not $Task." }

function Invoke-Dotnet {
    # A plain function (no CmdletBinding) so switches like -c and -o pass through to dotnet untouched.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    $manifest = Import-PowerShellDataFile (Join-Path $root 'Kling.psd1')
    [xml] $props = Get-Content -Raw (Join-Path $root 'Directory.Build.props')
    $version = ($props.Project.PropertyGroup | Where-Object { $_['Version'] } | Select-Object -First 1).Version
    if ($manifest.ModuleVersion -ne $version) {
        throw "Kling.psd1 says version $($manifest.ModuleVersion) but Directory.Build.props says $version; make them agree."
    }

    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    Invoke-Dotnet publish (Join-Path $root 'src/Kling/Kling.csproj') -c $Configuration -o $moduleOut --nologo -v quiet
    Copy-Item (Join-Path $root 'Kling.psd1'), (Join-Path $root 'LICENSE') $moduleOut
    Get-ChildItem $moduleOut -Filter '*.deps.json' | Remove-Item
    # Beside the manifest only Kling.dll and Kling.Core.dll; the third-party assemblies go to dependencies/, where
    # Kling's own load context (pwsh 7) or resolve handler (5.1) finds them and nobody else does.
    $dependencies = New-Item -ItemType Directory (Join-Path $moduleOut 'dependencies')
    Get-ChildItem $moduleOut -File | Where-Object { $_.Extension -in '.dll', '.pdb' -and $_.BaseName -notin 'Kling', 'Kling.Core' } |
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
