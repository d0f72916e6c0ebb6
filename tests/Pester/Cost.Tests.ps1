# What tasks cost (issue 21, points 4 and 6): the gateway's cost on each finished task, the spend of a wait, the cost
# in the saved-file index, and the balance's unit and credits; all against the emulator, which prices by its own list.
Describe 'What it did cost' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 0.3
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    Describe 'KlingTask.Cost and Credits' {
        It 'carries the gateway''s cost and credits on a completed task, the refund''s 0 on a failed one, null while running' {
            Invoke-EmulatorControl $emu clock -Body @{ freeze = $true } | Out-Null
            $ok = New-KlingVideo -Model kling-v3 -Prompt 'a fox' -Duration 5
            $bad = New-KlingVideo -Model kling-v3 -Prompt 'a fox [fail]' -Duration 10
            $running = Get-KlingTask $ok.TaskId
            $running.Cost | Should -BeNullOrEmpty
            $running.Credits | Should -BeNullOrEmpty
            Invoke-EmulatorControl $emu clock -Body @{ advanceSeconds = 2 } | Out-Null
            $done = Get-KlingTask $ok.TaskId
            $done.Cost | Should -Be 0.336
            $done.Credits | Should -Be 3.36
            $failed = Get-KlingTask $bad.TaskId
            $failed.Status | Should -Be 'failed'
            $failed.Cost | Should -Be 0
            $failed.Credits | Should -Be 0
        }

        It 'reads a cost sent as numeric text, and leaves Cost null when the gateway does not say' {
            Invoke-EmulatorControl $emu config -Body @{ costAsText = $true } | Out-Null
            $task = New-KlingVideo -Model kling-v3 -Prompt 'a fox' -Duration 10 | Wait-KlingTask -PollInterval 0.1
            $task.Cost | Should -Be 0.672
            $task.Credits | Should -Be 6.72
            Invoke-EmulatorControl $emu config -Body @{ costOnStatus = $false } | Out-Null
            $task = New-KlingVideo -Model kling-v3 -Prompt 'a fox' | Wait-KlingTask -PollInterval 0.1
            $task.Cost | Should -BeNullOrEmpty
            $task.Credits | Should -BeNullOrEmpty
        }
    }

    Describe 'Wait-KlingTask''s spend' {
        It 'ends with one line for a person on the information stream, not the pipeline: completed, failed, spent, estimated' {
            $rows = @(
                [pscustomobject]@{ prompt = 'one'; model = 'kling-v3'; duration = 5 }
                [pscustomobject]@{ prompt = 'two'; model = 'kling-v3'; duration = 10 }
                [pscustomobject]@{ prompt = 'three [fail]'; model = 'kling-v3'; duration = 5 }
            )
            $out = @($rows | New-KlingVideo | Wait-KlingTask -PollInterval 0.1 -InformationVariable info -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 2
            $out | ForEach-Object { $_ | Should -BeOfType ([Kling.Core.KlingTask]) }
            $lines = @($info | Where-Object { $_.Tags -contains 'KlingSpend' })
            $lines.Count | Should -Be 1
            "$($lines[0].MessageData)" | Should -Be '2 completed, 1 failed, 1.008 USD spent, 1.344 USD estimated.'
        }

        It 'shows the spend so far in its progress while tasks still run' {
            Invoke-EmulatorControl $emu config -Body @{ taskSeconds = 1 } | Out-Null
            Invoke-EmulatorControl $emu clock -Body @{ freeze = $true } | Out-Null
            $first = New-KlingVideo -Model kling-v3 -Prompt 'first' -Duration 5
            Invoke-EmulatorControl $emu clock -Body @{ advanceSeconds = 2 } | Out-Null
            $second = New-KlingVideo -Model kling-v3 -Prompt 'second' -Duration 5
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($Module, $Tasks)
                        Import-Module $Module
                        $Tasks | Wait-KlingTask -PollInterval 0.1 -InformationAction Ignore
                    }).AddArgument($ModulePath).AddArgument(@($first, $second))
                $running = $ps.BeginInvoke()
                # The first task is done and the second cannot finish until the clock moves: the bar must say what the first cost.
                Wait-Until -Seconds 30 -Because 'a progress record with the first task''s cost' {
                    @($ps.Streams.Progress | Where-Object { $_.StatusDescription -like '*1 running, 1 completed, 0 failed, 0.336 USD spent*' }).Count -gt 0
                }
                Invoke-EmulatorControl $emu clock -Body @{ advanceSeconds = 2 } | Out-Null
                @($ps.EndInvoke($running)).Count | Should -Be 2
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'says nothing estimated for tasks New-KlingVideo did not price (looked up by id)' {
            $task = New-KlingVideo -Model kling-v3 -Prompt 'one' -Duration 5
            $task.EstimatedCost | Should -Be 0.336
            $null = $task.TaskId | Wait-KlingTask -PollInterval 0.1 -InformationVariable info
            "$(@($info | Where-Object { $_.Tags -contains 'KlingSpend' })[0].MessageData)" | Should -Be '1 completed, 0 failed, 0.336 USD spent.'
        }

        It 'says the spend is not reported when the gateway gives no cost, never 0 USD' {
            Invoke-EmulatorControl $emu config -Body @{ costOnStatus = $false } | Out-Null
            $null = New-KlingVideo -Prompt 'one' | Wait-KlingTask -PollInterval 0.1 -InformationVariable info
            "$(@($info | Where-Object { $_.Tags -contains 'KlingSpend' })[0].MessageData)" | Should -Be '1 completed, 0 failed, spent not reported by the gateway, 0.336 USD estimated.'
        }
    }

    Describe 'The saved-file index''s cost' {
        It 'notes each saved file''s cost in .kling-saved.jsonl, and still reads lines written without one' {
            $folder = Join-Path $TestDrive "cost-$([guid]::NewGuid().ToString('n'))"
            New-Item -ItemType Directory $folder | Out-Null
            # A line from before costs were noted, for a task of an earlier run: still read (its file is skipped on a rerun).
            $old = New-KlingVideo -Prompt 'old' -Name old | Wait-KlingTask -PollInterval 0.1
            $null = $old | Save-KlingVideo -Path $folder
            $index = Join-Path $folder '.kling-saved.jsonl'
            $line = Get-Content $index | Select-Object -First 1 | ConvertFrom-Json -AsHashtable
            $line.Remove('cost'); $line.Remove('credits')
            Set-Content $index (($line | ConvertTo-Json -Compress) + "`n") -NoNewline

            $task = New-KlingVideo -Model kling-v3 -Prompt 'new' -Name new -Duration 5 | Wait-KlingTask -PollInterval 0.1
            $null = $task | Save-KlingVideo -Path $folder
            $again = @($old | Save-KlingVideo -Path $folder)
            @(Get-FileDownload).Count | Should -Be 2 -Because 'the old line still says old.mp4 holds that task'
            $lines = @(Get-Content $index | ConvertFrom-Json)
            $new = $lines | Where-Object taskId -eq $task.TaskId
            $new.cost | Should -Be 0.336
            $new.credits | Should -Be 3.36
            ($lines | Where-Object taskId -eq $old.TaskId).PSObject.Properties.Name | Should -Not -Contain 'cost'
        }
    }

    Describe 'Get-KlingBalance''s unit and credits' {
        It 'says USD when the gateway names no unit, and shows remain_credits and used_credits when sent' {
            Reset-Emulator $emu @{ balance = 5; taskSeconds = 0.2 }
            $null = New-KlingVideo -Model kling-v3 -Prompt 'one' -Duration 5 | Wait-KlingTask -PollInterval 0.1
            $balance = Get-KlingBalance
            $balance.Unit | Should -Be 'USD'
            $balance.Remaining | Should -Be 4
            $balance.RemainingCredits | Should -Be 40
            $balance.UsedCredits | Should -Be 3.36
            $table = $balance | Format-Table | Out-String
            $table | Should -BeLike '*Remaining*Used*Unit*CreditsLeft*CreditsUsed*Unlimited*Scope*'
            $table | Should -BeLike '*USD*40*3.36*'
        }

        It 'takes the unit the gateway names, and leaves the credits empty when it sends none' {
            Reset-Emulator $emu @{ balanceCurrency = 'cny'; balanceCredits = $false }
            $balance = Get-KlingBalance -Account
            $balance.Unit | Should -Be 'CNY'
            $balance.RemainingCredits | Should -BeNullOrEmpty
            $balance.UsedCredits | Should -BeNullOrEmpty
        }

        It 'refuses credits it cannot read rather than showing none' {
            Add-EmulatorFault $emu @{ route = 'balance'; kind = 'reply'; body = '{"success":true,"remain_balance":5,"used_balance":1,"remain_credits":"N/A"}' }
            $err = $null
            $balance = Get-KlingBalance -ErrorVariable err -ErrorAction SilentlyContinue
            $balance | Should -BeNullOrEmpty
            "$($err[0])" | Should -BeLike '*remain_credits "N/A" is not a number*'
        }
    }
}
