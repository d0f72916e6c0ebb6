@{
    RootModule           = 'Kling.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5a0b8f2e-6d1c-4e53-9a7b-2f4c8e1d9b36'
    # The project's own names, as Directory.Build.props says them (build.ps1 checks): not Kling, the vendor's brand.
    Author               = 'The Kling module contributors'
    CompanyName          = 'The Kling module contributors'
    Copyright            = '(c) The Kling module contributors. MIT License.'
    Description          = 'An unofficial PowerShell client (binary cmdlets) for the Kling video-generation models served by the xcompute gateway, all of them: CSV rows in, videos on disk, every row checked against its model''s rules before any money is spent. Not made or endorsed by Kuaishou (the maker of Kling) or by xcompute.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('Kling.format.ps1xml')
    TypesToProcess       = @('Kling.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-Kling'
        'Disconnect-Kling'
        'Get-KlingConfig'
        'Get-KlingBalance'
        'Get-KlingUsage'
        'New-KlingVideo'
        'Get-KlingTask'
        'Wait-KlingTask'
        'Save-KlingVideo'
        'Send-KlingImage'
        'Test-KlingVideoInput'
        'Get-KlingModel'
        'Measure-KlingCost'
        'Export-KlingGallery'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS', 'video', 'ai', 'kling',
                'video-generation', 'text-to-video', 'image-to-video', 'GenerativeAI', 'xcompute')
            # build.ps1 Build writes into the built manifest (out/Kling/Kling.psd1), in place of the line below, the
            # ReleaseNotes of CHANGELOG.md's section for ModuleVersion, and ProjectUri, LicenseUri and IconUri from
            # Directory.Build.props (KlingProjectUri, KlingLicenseUri, KlingIconUri), each left out when empty.
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
