<#
    Builds the module's help from markdown: docs/en-US/<Verb-Noun>.md becomes MAML (Kling.dll-Help.xml) and
    about_*.md becomes about_*.help.txt. Prose (synopsis, description, examples, parameter descriptions,
    inputs, outputs, notes) comes from the markdown; parameter metadata (type, sets, position, aliases,
    pipeline input, mandatory, wildcards from [SupportsWildcards], default values) comes from the built cmdlets
    themselves, so it can never drift from the code.
#>

# WhatIf and Confirm are documented like the cmdlet's own parameters; the rest are <CommonParameters>.
$script:CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'

function Read-HelpMarkdown {
    <# Splits a cmdlet markdown file into its sections. #>
    param([Parameter(Mandatory)] [string] $Path)
    $text = (Get-Content -Raw -Encoding utf8 $Path) -replace "`r`n", "`n"
    $doc = [ordered]@{ Name = $null; Synopsis = ''; Description = ''; Examples = @(); Parameters = @{}; Inputs = @(); Outputs = @(); Notes = ''; Links = @() }
    $section = $null; $sub = $null; $buffer = [System.Collections.Generic.List[string]]::new()
    $flush = {
        $body = ($buffer -join "`n").Trim()
        switch ($section) {
            'SYNOPSIS' { $doc.Synopsis = $body }
            'DESCRIPTION' { $doc.Description = $body }
            'NOTES' { $doc.Notes = $body }
            'EXAMPLES' {
                if ($sub) {
                    $code = ''
                    $m = [regex]::Match($body, '(?s)```(?:powershell)?\n(.*?)\n```')
                    if ($m.Success) { $code = $m.Groups[1].Value.Trim(); $body = $body.Remove($m.Index, $m.Length).Trim() }
                    $doc.Examples += [pscustomobject]@{ Title = $sub; Code = $code; Remarks = $body }
                }
            }
            'PARAMETERS' { if ($sub) { $doc.Parameters[$sub.TrimStart('-')] = $body } }
            'INPUTS' { if ($sub) { $doc.Inputs += [pscustomobject]@{ Type = $sub; Description = $body } } }
            'OUTPUTS' { if ($sub) { $doc.Outputs += [pscustomobject]@{ Type = $sub; Description = $body } } }
            'RELATED LINKS' {
                foreach ($l in [regex]::Matches($body, '\[([^\]]+)\]\(([^)]*)\)')) { $doc.Links += [pscustomobject]@{ Text = $l.Groups[1].Value; Uri = $l.Groups[2].Value } }
            }
        }
        $buffer.Clear()
    }
    $inFence = $false
    foreach ($line in $text -split "`n") {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^# (.+)$') { $doc.Name = $Matches[1].Trim(); continue }
        if (-not $inFence -and $line -match '^## (.+)$') { & $flush; $section = $Matches[1].Trim().ToUpperInvariant(); $sub = $null; continue }
        if (-not $inFence -and $line -match '^### (.+)$') { & $flush; $sub = $Matches[1].Trim(); continue }
        $buffer.Add($line)
    }
    & $flush
    [pscustomobject] $doc
}

function ConvertTo-XmlText([string] $Text) { [System.Security.SecurityElement]::Escape($Text) }

function Write-Paragraphs {
    param([System.Xml.XmlWriter] $Writer, [string] $Text)
    $ns = 'http://schemas.microsoft.com/maml/2004/10'
    foreach ($p in ($Text -split "\n\s*\n")) {
        $t = ($p -replace '\s*\n\s*', ' ').Trim()
        if ($t) { $Writer.WriteElementString('maml', 'para', $ns, $t) }
    }
}

function Build-KlingHelp {
    <#
    .SYNOPSIS
        Writes <module>/en-US/<Assembly>-Help.xml and about_*.help.txt from docs/en-US.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [Parameter(Mandatory)] [string] $SourcePath,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $module = Import-Module $ModulePath -PassThru -Force -ErrorAction Stop
    New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $target = Join-Path $OutputPath "$([IO.Path]::GetFileName($module.ImplementingAssembly.Location))-Help.xml"
    $w = [System.Xml.XmlWriter]::Create($target, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems')
        $w.WriteAttributeString('schema', 'maml')
        $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
        $w.WriteAttributeString('xmlns', 'command', $null, $command)
        $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
        foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
            $file = Join-Path $SourcePath "$($cmd.Name).md"
            if (-not (Test-Path $file)) { throw "No help source for $($cmd.Name): $file is missing." }
            $doc = Read-HelpMarkdown $file
            $params = $cmd.Parameters.Values | Where-Object { $_.Name -notin $script:CommonParameters } | Sort-Object { $_.ParameterSets.Values[0].Position -lt 0 }, { ($_.ParameterSets.Values | ForEach-Object Position | Measure-Object -Maximum).Maximum }, Name
            foreach ($p in $params) {
                if (-not $doc.Parameters.ContainsKey($p.Name)) { throw "$file does not describe the parameter -$($p.Name)." }
            }
            foreach ($documented in $doc.Parameters.Keys) {
                if ($documented -notin @($params.Name)) { throw "$file describes -$documented, which $($cmd.Name) does not have." }
            }

            $w.WriteStartElement('command', 'command', $command)
            $w.WriteStartElement('command', 'details', $command)
            $w.WriteElementString('command', 'name', $command, $cmd.Name)
            $w.WriteStartElement('maml', 'description', $maml); Write-Paragraphs $w $doc.Synopsis; $w.WriteEndElement()
            $w.WriteElementString('command', 'verb', $command, $cmd.Verb)
            $w.WriteElementString('command', 'noun', $command, $cmd.Noun)
            $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $maml); Write-Paragraphs $w $doc.Description; $w.WriteEndElement()

            $defaults = Get-ParameterDefault $cmd

            $w.WriteStartElement('command', 'syntax', $command)
            foreach ($set in $cmd.ParameterSets) {
                $w.WriteStartElement('command', 'syntaxItem', $command)
                $w.WriteElementString('maml', 'name', $maml, $cmd.Name)
                foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $script:CommonParameters }) {
                    $meta = $cmd.Parameters[$sp.Name]
                    if ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }) { continue }
                    Write-ParameterElement $w $meta $sp $doc.Parameters[$sp.Name] $defaults[$sp.Name] $command $maml $dev
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'parameters', $command)
            foreach ($p in $params) {
                $setInfo = $cmd.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $p.Name } | Select-Object -First 1
                Write-ParameterElement $w $p $setInfo $doc.Parameters[$p.Name] $defaults[$p.Name] $command $maml $dev
            }
            $w.WriteEndElement()

            foreach ($pair in @(@('inputTypes', 'inputType', $doc.Inputs), @('returnValues', 'returnValue', $doc.Outputs))) {
                $w.WriteStartElement('command', $pair[0], $command)
                foreach ($item in $pair[2]) {
                    $w.WriteStartElement('command', $pair[1], $command)
                    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $item.Type); $w.WriteEndElement()
                    $w.WriteStartElement('maml', 'description', $maml); Write-Paragraphs $w $item.Description; $w.WriteEndElement()
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            $w.WriteStartElement('maml', 'alertSet', $maml)
            $w.WriteStartElement('maml', 'alert', $maml); Write-Paragraphs $w $doc.Notes; $w.WriteEndElement()
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'examples', $command)
            foreach ($ex in $doc.Examples) {
                $w.WriteStartElement('command', 'example', $command)
                $w.WriteElementString('maml', 'title', $maml, "-------------------------- $($ex.Title) --------------------------")
                $w.WriteElementString('dev', 'code', $dev, $ex.Code)
                $w.WriteStartElement('dev', 'remarks', $dev); Write-Paragraphs $w $ex.Remarks; $w.WriteEndElement()
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteStartElement('command', 'relatedLinks', $command)
            foreach ($l in $doc.Links) {
                $w.WriteStartElement('maml', 'navigationLink', $maml)
                $w.WriteElementString('maml', 'linkText', $maml, $l.Text)
                $w.WriteElementString('maml', 'uri', $maml, $(if ($l.Uri -match '^https?://') { $l.Uri } else { '' }))
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally {
        $w.Dispose()
    }

    foreach ($about in Get-ChildItem $SourcePath -Filter 'about_*.md') {
        $text = (Get-Content -Raw -Encoding utf8 $about.FullName) -replace "`r`n", "`n"
        # Markdown headings become the plain upper-case headings of classic about_ topics.
        $text = [regex]::Replace($text, '(?m)^#{1,2} (.+)$', { param($m) $m.Groups[1].Value.ToUpperInvariant() })
        $text = [regex]::Replace($text, '(?m)^#{3,} (.+)$', { param($m) '  ' + $m.Groups[1].Value })
        Set-Content -Path (Join-Path $OutputPath ($about.BaseName + '.help.txt')) -Value $text -Encoding utf8
    }
    Get-Item $target
}

function Get-ParameterDefault {
    <#
    .SYNOPSIS
        Each parameter's default value as help shows it, read from the cmdlet: a [PSDefaultValue] attribute where
        the default is decided at run time (its Help, else its Value); a switch's False; else the initial value of
        the property on a new instance of the cmdlet, or None where it has none (null, or a value type's zero: the
        parameter was not given).
    #>
    param([Parameter(Mandatory)] [System.Management.Automation.CmdletInfo] $Cmdlet)
    $type = $Cmdlet.ImplementingType
    $instance = [Activator]::CreateInstance($type)
    try {
        $defaults = @{}
        foreach ($p in $Cmdlet.Parameters.Values) {
            $property = $type.GetProperty($p.Name)
            if (-not $property) { $defaults[$p.Name] = $(if ($p.SwitchParameter) { 'False' } else { 'None' }); continue }   # -WhatIf, -Confirm
            $declared = $property.GetCustomAttributes([System.Management.Automation.PSDefaultValueAttribute], $true) | Select-Object -First 1
            $value = if ($declared) { if ($declared.Help) { $declared.Help } else { $declared.Value } } else { $property.GetValue($instance) }
            if ($value -is [System.Management.Automation.SwitchParameter]) { $value = $value.IsPresent }
            elseif (-not $declared -and $null -ne $value -and $value.GetType().IsValueType -and $value.Equals([Activator]::CreateInstance($value.GetType()))) { $value = $null }
            $defaults[$p.Name] = if ($null -eq $value -or ($value -is [string] -and $value -eq '')) { 'None' }
                elseif ($value -is [System.Collections.IEnumerable] -and $value -isnot [string]) { (@($value) | ForEach-Object { [System.Convert]::ToString($_, [cultureinfo]::InvariantCulture) }) -join ', ' }
                else { [System.Convert]::ToString($value, [cultureinfo]::InvariantCulture) }
        }
        $defaults
    }
    finally {
        if ($instance -is [System.IDisposable]) { $instance.Dispose() }
    }
}

function Write-ParameterElement {
    param($w, $meta, $setParameter, [string] $description, [string] $default, $command, $maml, $dev)
    $w.WriteStartElement('command', 'parameter', $command)
    $w.WriteAttributeString('required', $(if ($setParameter.IsMandatory) { 'true' } else { 'false' }))
    $w.WriteAttributeString('variableLength', $(if ($meta.ParameterType.IsArray) { 'true' } else { 'false' }))
    $globbing = [bool] ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $w.WriteAttributeString('globbing', $globbing.ToString().ToLowerInvariant())
    $pipeline = @()
    if ($setParameter.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($setParameter.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
    $w.WriteAttributeString('position', $(if ($setParameter.Position -ge 0) { [string]($setParameter.Position + 1) } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $maml, $meta.Name)
    $w.WriteStartElement('maml', 'description', $maml); Write-Paragraphs $w $description; $w.WriteEndElement()
    $typeName = if ($meta.ParameterType -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } else { $meta.ParameterType.Name }
    $w.WriteStartElement('command', 'parameterValue', $command)
    $w.WriteAttributeString('required', $(if ($meta.ParameterType -eq [System.Management.Automation.SwitchParameter]) { 'false' } else { 'true' }))
    $w.WriteAttributeString('variableLength', 'false')
    $w.WriteString($typeName)
    $w.WriteEndElement()
    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $meta.ParameterType.FullName); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $dev, $default)
    $w.WriteEndElement()
}

Export-ModuleMember -Function Build-KlingHelp, Read-HelpMarkdown
