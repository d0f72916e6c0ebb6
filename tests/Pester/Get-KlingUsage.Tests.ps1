# Get-KlingUsage (issue 21, point 5): the gateway's spend report, against the emulator's GET /v1/usage.
Describe 'Get-KlingUsage' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.2
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    It 'reads the last 24 hours by default: one total of what the finished tasks cost, failed ones not counted' {
        $rows = @(
            [pscustomobject]@{ prompt = 'one'; model = 'kling-v3'; duration = 5 }
            [pscustomobject]@{ prompt = 'two'; model = 'kling-v3'; duration = 10 }
            [pscustomobject]@{ prompt = 'three'; model = 'kling-video-o1'; duration = 5 }
            [pscustomobject]@{ prompt = 'four [fail]'; model = 'kling-v3'; duration = 5 }
        )
        $null = $rows | New-KlingVideo | Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue -InformationAction Ignore
        $before = [DateTimeOffset]::UtcNow
        $usage = @(Get-KlingUsage)
        $usage.Count | Should -Be 1
        $usage[0] | Should -BeOfType ([Kling.Core.KlingUsage])
        $usage[0].AmountUsd | Should -Be 1.344
        $usage[0].Credits | Should -Be 13.44
        $usage[0].Requests | Should -Be 3
        $usage[0].Model | Should -BeNullOrEmpty
        $usage[0].Scope | Should -Be 'Key'
        ($usage[0].End - $usage[0].Start).TotalSeconds | Should -BeIn (86400..86402) -Because 'whole seconds: the start rounded down, the end up'
        [math]::Abs(($usage[0].End - $before).TotalSeconds) | Should -BeLessThan 30
        $call = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/usage*')
        $call.Count | Should -Be 1
        $call[0].path | Should -BeLike '*group_by=none*scope=key*'

        $byModel = @(Get-KlingUsage -GroupBy Model -Model kling-v3, kling-video-o1 -Account)
        ($byModel.Model) | Should -Be @('kling-v3', 'kling-video-o1')
        $byModel[0].AmountUsd | Should -Be 1.008
        $byModel[0].Requests | Should -Be 2
        $byModel[0].Scope | Should -Be 'Account'
        $last = @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/usage*')[-1].path
        $last | Should -BeLike '*model=kling-v3,kling-video-o1*group_by=model*scope=account*'

        ($byModel | Format-Table | Out-String) | Should -BeLike '*Model*Date*AmountUsd*Credits*Requests*Scope*kling-v3*1.008*'

        $byDay = @(Get-KlingUsage -GroupBy ModelDate -TimeZone UTC)
        $byDay.Count | Should -Be 2
        $byDay | ForEach-Object { $_.Date | Should -Match '^\d{4}-\d\d-\d\d$' }
    }

    It 'refuses before sending: -Start after -End, more than 50 models, an unknown -GroupBy or time zone' {
        $earlier = @(Get-EmulatorRequest $emu).Count
        { Get-KlingUsage -Start '2026-05-02' -End '2026-05-01' -ErrorAction Stop } | Should -Throw '*-Start*must be before -End*'
        $err = $null
        try { Get-KlingUsage -Model (1..51 | ForEach-Object { "m$_" }) -ErrorAction Stop } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 'Model'
        "$err" | Should -BeLike '*at most 50*'
        { Get-KlingUsage -GroupBy Week } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Kling.Commands.GetKlingUsageCommand'
        { Get-KlingUsage -TimeZone 'Mars/Olympus' -ErrorAction Stop } | Should -Throw '*-TimeZone*Mars/Olympus*'
        @(Get-EmulatorRequest $emu).Count | Should -Be $earlier
    }

    It 'turns the gateway''s 400 codes into errors naming the parameter' {
        Add-EmulatorFault $emu @{ route = 'usage'; status = 400; code = 'invalid_tz'; message = 'tz: unknown' }
        $err = $null
        try { Get-KlingUsage -TimeZone UTC -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'Usageinvalid_tz*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 'TimeZone'
        "$err" | Should -BeLike '-TimeZone:*tz: unknown*'
    }

    It 'reports 503 usage_unavailable as an error, never as zero spend' {
        Invoke-EmulatorControl $emu config -Body @{ usageUnavailable = $true } | Out-Null
        $err = $null
        $out = @(Get-KlingUsage -ErrorVariable err -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UsageUnavailable*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
    }

    It 'waits out a 429 and reads a range longer than 31 days in pieces' {
        Add-EmulatorFault $emu @{ route = 'usage'; status = 429; retryAfter = '0.1'; times = 1 }
        $usage = @(Get-KlingUsage -Start ([DateTimeOffset]::UtcNow.AddDays(-70)))
        $usage.Count | Should -Be 1
        $usage[0].Requests | Should -Be 0
        # One refused call, then three pieces (31 + 31 + 8 days).
        @(Get-EmulatorRequest $emu -HostName gateway -Method GET -PathLike '/v1/usage*').Count | Should -Be 4
    }
}
