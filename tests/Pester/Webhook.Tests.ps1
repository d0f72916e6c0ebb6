# Issue 24, point 7: -Webhook (CSV column webhook, alias webhook_url / WebhookUrl) is sent as the body's top-level
# "webhook" string; before anything is sent it must be a public https URL, or the row is refused, naming the row and
# the field. The emulator accepts and records the field; it never calls out.
Describe 'New-KlingVideo -Webhook' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        . (Join-Path $PSScriptRoot 'ModelHelpers.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1
        $script:hook = 'https://hooks.example.com/kling'
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    It 'sends -Webhook as the top-level webhook string on <Model>' -ForEach @(
        @{ Model = 'kling-video-o1' }, @{ Model = 'kling-v3' }, @{ Model = 'kling-v9-preview' }
    ) {
        New-KlingVideo -Model $Model -Prompt "hooked $Model" -Webhook " $hook " -WarningAction SilentlyContinue | Out-Null
        $s = Get-SubmissionOf -Prompt "hooked $Model"
        Get-Kind $s.Raw webhook | Should -Be 'String'
        $s.Raw.GetProperty('webhook').GetString() | Should -BeExactly $hook
    }

    It 'binds a CSV column webhook, and webhook_url; a row without one sends no webhook field' {
        $rows = @"
Name,prompt,webhook
one,by column,$hook
two,no hook,
"@ | ConvertFrom-Csv
        $r = Invoke-Rows $rows
        $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
        (Get-SubmissionOf -Prompt 'by column').Raw.GetProperty('webhook').GetString() | Should -BeExactly $hook
        Get-Kind (Get-SubmissionOf -Prompt 'no hook').Raw webhook | Should -Be 'Absent'
        [pscustomobject]@{ prompt = 'by alias'; webhook_url = "$hook/alias" } | New-KlingVideo | Out-Null
        (Get-SubmissionOf -Prompt 'by alias').Raw.GetProperty('webhook').GetString() | Should -BeExactly "$hook/alias"
    }

    It 'refuses <Url> in its row, naming the row and the field, before any request (<Why>)' -ForEach @(
        @{ Url = 'http://hooks.example.com/kling'; Why = 'https' }
        @{ Url = 'ftp://hooks.example.com/kling'; Why = 'https' }
        @{ Url = 'hooks.example.com/kling'; Why = 'absolute' }
        @{ Url = 'https://localhost/kling'; Why = 'loopback' }
        @{ Url = 'https://127.0.0.1/kling'; Why = 'loopback' }
        @{ Url = 'https://[::1]/kling'; Why = 'loopback' }
        @{ Url = 'https://10.1.2.3/kling'; Why = 'private' }
        @{ Url = 'https://172.16.0.9/kling'; Why = 'private' }
        @{ Url = 'https://192.168.1.20/kling'; Why = 'private' }
        @{ Url = 'https://[fd00::5]/kling'; Why = 'private' }
        @{ Url = 'https://169.254.169.254/latest'; Why = 'link-local' }
        @{ Url = 'https://[fe80::1]/kling'; Why = 'link-local' }
        @{ Url = 'https://printer.local/kling'; Why = '.local' }
        @{ Url = 'https://intranet/kling'; Why = 'a public name' }
        @{ Url = 'https://user:secret@hooks.example.com/kling'; Why = 'password' }
        @{ Url = 'https://hooks.example.com:8443/kling'; Why = 'port' }
    ) {
        $rows = @(
            [pscustomobject]@{ Name = 'fine'; prompt = 'fine row' }
            [pscustomobject]@{ Name = 'hooked'; prompt = 'bad hook'; webhook = $Url }
        )
        $r = Invoke-Rows $rows
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRow,*'
        $r.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $r.Errors[0].Exception.Message | Should -BeLike "Row 2 ('hooked')*webhook*$Why*"
        $r.Errors[0].Exception.Message | Should -Not -BeLike '*secret*'
        @(Get-Submission | ForEach-Object { $_.Json.prompt }) | Should -Be @('fine row')
        { New-KlingVideo -Prompt 'bad hook' -Webhook $Url -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRow,*'
        Get-SubmitCount $emu | Should -Be 1
    }

    It 'leaves the field to -Webhook: -AdditionalBody may not set webhook' {
        New-KlingVideo -Prompt 'extra hook' -AdditionalBody @{ webhook = $hook } -ErrorAction SilentlyContinue -ErrorVariable errs | Out-Null
        $errs[0].Exception.Message | Should -BeLike "*'webhook'*which the module sets*"
        Get-SubmitCount $emu | Should -Be 0
    }

    It 'is checked by Measure-KlingCost too, which prices a row with a good webhook as without' {
        $priced = Measure-KlingCost -Prompt 'priced' -Webhook $hook
        $plain = Measure-KlingCost -Prompt 'priced'
        $priced.RefusedRows | Should -Be 0
        $priced.MaxUsd | Should -BeGreaterThan 0
        "$($priced.MinUsd)/$($priced.MaxUsd)" | Should -Be "$($plain.MinUsd)/$($plain.MaxUsd)"
        $refused = Measure-KlingCost -Prompt 'priced' -Webhook 'https://10.0.0.1/' -ErrorAction SilentlyContinue -ErrorVariable errs
        $refused.RefusedRows | Should -Be 1
        $errs[0].Exception.Message | Should -BeLike "Row 1*webhook*private*"
        Get-SubmitCount $emu | Should -Be 0
    }

    It 'says in its help that the gateway calls <url>/callback and that Kling still polls' {
        $text = (Get-Help New-KlingVideo -Parameter Webhook | Out-String) -replace '\s+', ' '
        $text | Should -BeLike '*/callback*'
        $text | Should -BeLike '*poll*'
    }
}
