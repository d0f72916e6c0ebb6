# Kling beside other modules: its third-party assemblies live in out/Kling/dependencies and are loaded through
# Kling's own AssemblyLoadContext (PowerShell 7) or AssemblyResolve handler (Windows PowerShell 5.1).
Describe 'Dependency isolation' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3
        $script:moduleDir = Split-Path $ModulePath

        # Another module that ships an older System.Text.Json and loads it on import.
        [xml] $packages = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Packages.props')
        $decoyVersion = $packages.SelectSingleNode("//DecoyPackage[@Include='System.Text.Json']").Version
        $script:decoyJson = Join-Path (Get-NuGetPackageFolder) "system.text.json/$decoyVersion/lib/netstandard2.0/System.Text.Json.dll"
        $script:otherModule = Join-Path $TestDrive 'OtherModule'
        New-Item -ItemType Directory $otherModule | Out-Null
        Copy-Item $decoyJson $otherModule
        Set-Content (Join-Path $otherModule 'OtherModule.psd1') "@{ ModuleVersion = '1.0.0'; RequiredAssemblies = @('System.Text.Json.dll'); GUID = '$([guid]::NewGuid())' }"

        # A batch that exercises JSON both ways (request bodies, task status, the journal), a download and a Chinese
        # error message from the gateway. It writes what it saw to a UTF-8 file (a console may not be UTF-8).
        $script:batch = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$otherModule/OtherModule.psd1'
Import-Module '$ModulePath'
`$env:KLING_BASE_URL = '$($emu.Gateway)'
`$env:KLING_API_KEY = '$($emu.ApiKey)'
`$out = Join-Path '$TestDrive' ('videos-' + `$PSVersionTable.PSEdition)
`$rows = 1..3 | ForEach-Object { [pscustomobject]@{ Prompt = "小猫在雪地里追蝴蝶 `$_"; Duration = 5 } }
`$saved = `$rows | New-KlingVideo -Journal (Join-Path `$out 'journal.jsonl') | Wait-KlingTask -PollInterval 0.2 | Save-KlingVideo -Path `$out
`$lines = @('saved=' + @(`$saved).Count)
`$lines += 'journal=' + ((Get-Content -Raw -Encoding UTF8 (Join-Path `$out 'journal.jsonl')) -match '小猫在雪地里追蝴蝶 2')
Connect-Kling -ApiKey (ConvertTo-SecureString 'not-the-key' -AsPlainText -Force) -BaseUrl '$($emu.Gateway)'
try { New-KlingVideo -Prompt 'x' -ErrorAction Stop | Out-Null } catch { `$lines += 'error=' + `$_.Exception.Message }
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies()) {
    if (`$a.GetName().Name -eq 'System.Text.Json') { `$lines += 'json=' + `$a.GetName().Version + '|' + `$a.Location }
}
Set-Content -Path (Join-Path `$out 'result.txt') -Value `$lines -Encoding UTF8
"@
    }

    AfterAll {
        Stop-KlingEmulator $emu
    }

    It 'ships only Kling.dll and Kling.Core.dll beside the manifest, the third-party assemblies in dependencies' {
        @(Get-ChildItem $moduleDir -Filter '*.dll' | ForEach-Object Name | Sort-Object) | Should -Be @('Kling.Core.dll', 'Kling.dll')
        Test-Path (Join-Path $moduleDir 'dependencies/System.Text.Json.dll') | Should -BeTrue
        # Kling.dll itself references no third-party assembly: only netstandard, PowerShell and Kling.Core.
        $names = (Get-Module Kling).ImplementingAssembly.GetReferencedAssemblies().Name
        $names | Should -Not -Contain 'System.Text.Json'
    }

    It 'runs a batch after another module loaded an older System.Text.Json (PowerShell 7)' {
        $run = Invoke-ChildPwsh -Script $batch
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $result = Get-Content -Raw -Encoding UTF8 (Join-Path $TestDrive 'videos-Core/result.txt')
        $result | Should -Match 'saved=3'
        $result | Should -Match 'journal=True'
        $result | Should -Match 'error=.*无效的令牌'
        # Every System.Text.Json in the process is at least as new as Kling needs; none is the decoy.
        $json = [regex]::Matches($result, 'json=([\d.]+)\|(.*)') | ForEach-Object { [version] $_.Groups[1].Value }
        @($json).Count | Should -BeGreaterOrEqual 1
        $json | ForEach-Object { $_ | Should -BeGreaterOrEqual ([version] '8.0.0.0') }
    }

    It 'runs the same batch on Windows PowerShell 5.1 beside the older copy, loading its own from dependencies' -Skip:(-not (Get-Command powershell.exe -ErrorAction SilentlyContinue)) {
        $file = Join-Path $TestDrive 'desktop-batch.ps1'
        Set-Content $file $batch -Encoding utf8BOM
        $output = & powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $file 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
        $result = Get-Content -Raw -Encoding UTF8 (Join-Path $TestDrive 'videos-Desktop/result.txt')
        $result | Should -Match 'saved=3'
        $result | Should -Match 'journal=True'
        $result | Should -Match 'error=.*无效的令牌'
        # Side by side: the other module's 6.0 and Kling's own copy from its dependencies folder.
        $result | Should -Match ([regex]::Escape('|' + $otherModule))
        $result | Should -Match ('json=8\.[\d.]+\|' + [regex]::Escape((Join-Path $moduleDir 'dependencies')))
    }

    It 'takes a dependency it ships from its own folder when another module loaded an older version of it first' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
        # The real dependencies are all served by the PowerShell 7 runtime, which is newer; this puts a dependency
        # the runtime lacks into a copy of the module and an older one into another module's folder.
        $copy = Join-Path $TestDrive 'KlingCopy'
        Copy-Item -Recurse $moduleDir $copy
        $decoyDir = Join-Path $TestDrive 'ProbeDecoy'
        New-Item -ItemType Directory $decoyDir | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
function New-ProbeAssembly([string] `$Name, [string] `$Source, [string] `$Path, [string[]] `$Reference = @()) {
    `$runtime = [AppContext]::GetData('TRUSTED_PLATFORM_ASSEMBLIES') -split [IO.Path]::PathSeparator |
        Where-Object { [IO.Path]::GetFileName(`$_) -in 'System.Runtime.dll', 'System.Private.CoreLib.dll' }
    `$refs = @(`$runtime) + `$Reference | ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile(`$_) }
    `$tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText(`$Source)
    `$options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary)
    `$compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create(`$Name, [Microsoft.CodeAnalysis.SyntaxTree[]] @(`$tree), [Microsoft.CodeAnalysis.MetadataReference[]] `$refs, `$options)
    `$stream = [IO.File]::Create(`$Path)
    try { `$result = `$compilation.Emit(`$stream) } finally { `$stream.Dispose() }
    if (-not `$result.Success) { throw (`$result.Diagnostics -join [Environment]::NewLine) }
}
Add-Type -TypeDefinition 'public static class KlingProbeWarmUp { }'   # brings the compiler in
`$dep = '[assembly: System.Reflection.AssemblyVersion("VERSION")] namespace KlingProbe { public static class Dependency { public static string Which() { return "WHO"; } } }'
New-ProbeAssembly KlingProbe.Dependency (`$dep.Replace('VERSION', '1.0.0.0').Replace('WHO', 'the other module''s 1.0')) '$decoyDir/KlingProbe.Dependency.dll'
New-ProbeAssembly KlingProbe.Dependency (`$dep.Replace('VERSION', '2.0.0.0').Replace('WHO', 'Kling''s 2.0')) '$copy/dependencies/KlingProbe.Dependency.dll'
New-ProbeAssembly KlingProbe.User 'namespace KlingProbe { public static class User { public static string Call() { return KlingProbe.Dependency.Which(); } } }' '$copy/KlingProbe.User.dll' -Reference '$copy/dependencies/KlingProbe.Dependency.dll'
"@
        $build = Invoke-ChildPwsh -Script $script
        $build.ExitCode | Should -Be 0 -Because $build.Output

        $use = @"
Add-Type -Path '$decoyDir/KlingProbe.Dependency.dll'
if (`$env:KLING_PROBE_IMPORT) { Import-Module '$copy/Kling.psd1' }
Add-Type -Path '$copy/KlingProbe.User.dll'
try { 'called=' + [KlingProbe.User]::Call() } catch { 'failed=' + `$_.Exception.GetBaseException().Message }
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies()) {
    if (`$a.GetName().Name -eq 'KlingProbe.Dependency') { 'context=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$a).GetType().Name + '|' + `$a.GetName().Version }
}
"@
        # Without Kling, the older copy in the default context is all there is: the call fails.
        $without = Invoke-ChildPwsh -Script $use
        $without.Output | Should -Match 'failed=.*KlingProbe.Dependency, Version=2\.0\.0\.0'

        $with = Invoke-ChildPwsh -Script $use -Environment @{ KLING_PROBE_IMPORT = '1' }
        $with.Output | Should -Match "called=Kling's 2\.0"
        $with.Output | Should -Match 'context=KlingLoadContext\|2\.0\.0\.0'
        $with.Output | Should -Match 'context=DefaultAssemblyLoadContext\|1\.0\.0\.0'
    }
}
