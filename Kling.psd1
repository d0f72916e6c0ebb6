@{
    RootModule           = 'Kling.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5a0b8f2e-6d1c-4e53-9a7b-2f4c8e1d9b36'
    Author               = 'Kling contributors'
    CompanyName          = 'Kling'
    Copyright            = '(c) Kling contributors. MIT License.'
    Description          = 'An unofficial PowerShell client (binary cmdlets) for the Kling video-generation models served by the xcompute gateway, all of them: CSV rows in, videos on disk, every row checked against its model''s rules before any money is spent. Not made or endorsed by Kuaishou (the maker of Kling) or by xcompute.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('Kling.format.ps1xml')
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
            # The gallery page is where users find the module; LICENSE (MIT) also ships in the module folder.
            ProjectUri   = 'https://www.powershellgallery.com/packages/Kling'
            LicenseUri   = 'https://spdx.org/licenses/MIT.html'
            Tags         = @('Kling', 'Video', 'AI', 'GenerativeAI', 'xcompute', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'First release: New-KlingVideo (validated, throttled, journaled batches; local images uploaded once), Wait-KlingTask (one polling scheduler), Save-KlingVideo (resumable, parallel downloads), Send-KlingImage, Test-KlingVideoInput, Get-KlingTask, Get-KlingBalance, Connect-Kling (key, credential or vault; -Language), Get-KlingConfig, Disconnect-Kling.'
        }
    }
}
