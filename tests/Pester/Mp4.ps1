# A tiny MP4/MOV writer for the Test-KlingVideoInput suite: ftyp, moov (mvhd, one video trak with tkhd, mdhd,
# hdlr, stts) and an mdat whose body is left sparse. Dot-source it.

function ConvertTo-BigEndian([uint64] $Value, [int] $Bytes) {
    [byte[]] (($Bytes - 1)..0 | ForEach-Object { [byte](($Value -shr (8 * $_)) -band 0xFF) })
}

function New-Mp4Box([string] $Type, [byte[][]] $Parts) {
    $body = [Collections.Generic.List[byte]]::new()
    foreach ($p in $Parts) { if ($p) { $body.AddRange($p) } }
    [byte[]] ((ConvertTo-BigEndian (8 + $body.Count) 4) + [Text.Encoding]::ASCII.GetBytes($Type) + $body.ToArray())
}

function New-TestVideo {
    <# Writes a video file of the given shape; returns its path. #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [int] $Width = 1280, [int] $Height = 720, [double] $Seconds = 5, [double] $Fps = 30,
        [string] $Brand = 'isom', [long] $MdatBytes = 4096
    )
    $scale = 90000
    $frames = [uint64][math]::Round($Seconds * $Fps)
    $delta = [uint64][math]::Round($scale / $Fps)
    $duration = $frames * $delta
    $u32 = { param($v) ConvertTo-BigEndian $v 4 }
    $ascii = { param($s) [Text.Encoding]::ASCII.GetBytes($s) }
    $tkhd = New-Mp4Box 'tkhd' @((& $u32 3), (& $u32 0), (& $u32 0), (& $u32 1), (& $u32 0), (& $u32 $duration), [byte[]]::new(52), (& $u32 ([uint64]$Width -shl 16)), (& $u32 ([uint64]$Height -shl 16)))
    $mdhd = New-Mp4Box 'mdhd' @((& $u32 0), (& $u32 0), (& $u32 0), (& $u32 $scale), (& $u32 $duration), (& $u32 0))
    $hdlr = New-Mp4Box 'hdlr' @((& $u32 0), (& $u32 0), (& $ascii 'vide'), [byte[]]::new(12), (& $ascii "video`0"))
    $stts = New-Mp4Box 'stts' @((& $u32 0), (& $u32 1), (& $u32 $frames), (& $u32 $delta))
    $trak = New-Mp4Box 'trak' @($tkhd, (New-Mp4Box 'mdia' @($mdhd, $hdlr, (New-Mp4Box 'minf' @(, (New-Mp4Box 'stbl' @(, $stts)))))))
    $mvhd = New-Mp4Box 'mvhd' @((& $u32 0), (& $u32 0), (& $u32 0), (& $u32 1000), (& $u32 ([uint64]($Seconds * 1000))), [byte[]]::new(80))
    $ftyp = New-Mp4Box 'ftyp' @((& $ascii $Brand), (& $u32 512), (& $ascii $Brand), (& $ascii 'mp41'))
    $moov = New-Mp4Box 'moov' @($mvhd, $trak)
    New-Item -ItemType Directory -Force (Split-Path $Path) | Out-Null
    $file = [IO.File]::Create($Path)
    try {
        $file.Write($ftyp, 0, $ftyp.Length)
        $file.Write($moov, 0, $moov.Length)
        $mdat = [byte[]] ((ConvertTo-BigEndian (8 + $MdatBytes) 4) + (& $ascii 'mdat'))
        $file.Write($mdat, 0, $mdat.Length)
        $file.SetLength($file.Position + $MdatBytes)
    }
    finally { $file.Dispose() }
    $Path
}
