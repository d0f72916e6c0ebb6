# Helpers of the suites that pipe rows into New-KlingVideo (Models.Tests.ps1, Models.Rules.Tests.ps1, Columns.Tests.ps1): dot-source it from BeforeAll after common.ps1,
# with the suite's emulator in $emu.

function Invoke-Rows {
    <# Pipes rows into New-KlingVideo; returns the tasks, the non-terminating errors, the warnings and any terminating error. #>
    param([Parameter(Mandatory)] $Rows, [hashtable] $Extra = @{})
    $out = [System.Collections.Generic.List[object]]::new()
    $errs = $null
    $warns = $null
    $thrown = $null
    try {
        $Rows | New-KlingVideo @Extra -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue |
            ForEach-Object { $out.Add($_) }
    }
    catch {
        $thrown = $_
    }
    [pscustomobject]@{
        Output   = $out.ToArray()
        Errors   = @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        Warnings = @($warns | ForEach-Object { "$_" })
        Thrown   = $thrown
    }
}

function Get-Submission {
    <#
    The submissions on the wire, in arrival order: Json (parsed for values) and Raw (the body's JsonElement, for
    JSON types: a duration must be a Number, a boolean True or False, never a String).
    #>
    @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*') | ForEach-Object {
        [pscustomobject]@{ Json = $_.body | ConvertFrom-Json; Raw = [System.Text.Json.JsonDocument]::Parse($_.body).RootElement }
    }
}

function Get-SubmissionOf {
    <# The one submission whose prompt (or, for a prompt-less body, model) is the given one. #>
    param([string] $Prompt, [string] $Model)
    $found = @(Get-Submission | Where-Object { if ($Prompt) { $_.Json.prompt -ceq $Prompt } else { $_.Json.model -ceq $Model } })
    $found.Count | Should -Be 1 -Because "one submission should have prompt '$Prompt' / model '$Model'"
    $found[0]
}

function Get-Kind {
    <# The JSON kind (Number, String, True, False, Object, Array) of a dotted path of a raw body; 'Absent' when missing. #>
    param([Parameter(Mandatory)] $Raw, [Parameter(Mandatory)] [string] $Path)
    $node = $Raw
    foreach ($part in $Path -split '\.') {
        if ($part -match '^\d+$') { $node = $node[[int] $part]; continue }
        $names = @($node.EnumerateObject() | ForEach-Object Name)
        if ($part -cnotin $names) { return 'Absent' }
        $node = $node.GetProperty($part)
    }
    "$($node.ValueKind)"
}

function Get-FieldName {
    param([Parameter(Mandatory)] $Raw)
    @($Raw.EnumerateObject() | ForEach-Object Name)
}

function New-ImageFile {
    <# A small PNG with new content (the upload cache lasts the session, so no test sees another's uploads). #>
    param([Parameter(Mandatory)] [string] $Path)
    $bytes = [byte[]] (0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [guid]::NewGuid().ToByteArray()
    New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
    [IO.File]::WriteAllBytes($Path, $bytes)
    $Path
}

function Get-UploadCount { @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/uploads/images*').Count }
