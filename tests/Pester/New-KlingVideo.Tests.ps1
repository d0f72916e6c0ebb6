Describe 'New-KlingVideo' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1

        function Invoke-Rows {
            <# Pipes rows into New-KlingVideo; returns what came out, the non-terminating errors and any terminating one. #>
            param([Parameter(Mandatory)] $Rows, [hashtable] $Extra = @{})
            $out = [System.Collections.Generic.List[object]]::new()
            $errs = $null
            $thrown = $null
            try {
                $Rows | New-KlingVideo @Extra -ErrorVariable errs -ErrorAction SilentlyContinue | ForEach-Object { $out.Add($_) }
            }
            catch {
                $thrown = $_
            }
            [pscustomobject]@{ Output = $out.ToArray(); Errors = @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }); Thrown = $thrown }
        }
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    Describe 'New-KlingVideo binding from CSV rows' {
        It 'binds every column by its API name and sends exactly those fields' {
            $rows = @'
prompt,mode,duration,aspect_ratio,image_urls,model,Name
Make <<<image_1>>> wave,pro,10,9:16,https://img.example/a.png,kling-video-o1,wave
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Errors | Should -BeNullOrEmpty
            $body = @(Get-SubmitBody $emu)
            $body.Count | Should -Be 1
            $body[0].prompt | Should -BeExactly 'Make <<<image_1>>> wave'
            $body[0].mode | Should -BeExactly 'pro'
            $body[0].duration | Should -Be 10
            $body[0].duration | Should -BeOfType [long]
            $body[0].aspect_ratio | Should -BeExactly '9:16'
            $body[0].image_urls | Should -Be @('https://img.example/a.png')
            $body[0].model | Should -BeExactly 'kling-video-o1'
            $body[0].PSObject.Properties.Name | Should -Not -Contain 'Name'
        }

        It 'binds the video columns into video_list' {
            $rows = @'
prompt,video_url,refer_type,keep_original_sound,image_urls
Restyle it,https://vid.example/clip.mp4,feature,true,https://img.example/first.png
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Errors | Should -BeNullOrEmpty
            $body = Get-SubmitBody $emu
            $body.video_list.Count | Should -Be 1
            $body.video_list[0].video_url | Should -BeExactly 'https://vid.example/clip.mp4'
            $body.video_list[0].refer_type | Should -BeExactly 'feature'
            $body.video_list[0].keep_original_sound | Should -BeExactly 'yes'
        }

        It 'binds the PowerShell parameter names as columns too' {
            $rows = @'
Prompt,AspectRatio,ImageUrl,VideoUrl,ReferType,KeepOriginalSound
A,1:1,,https://vid.example/clip.mp4,base,no
'@ | ConvertFrom-Csv
            (Invoke-Rows $rows).Errors | Should -BeNullOrEmpty
            $body = Get-SubmitBody $emu
            $body.aspect_ratio | Should -Be '1:1'
            $body.video_list[0].refer_type | Should -Be 'base'
            $body.video_list[0].keep_original_sound | Should -Be 'no'
        }

        It 'treats empty cells as not given, so the API defaults apply' {
            $rows = @'
prompt,mode,duration,aspect_ratio,image_urls,video_url,refer_type,keep_original_sound,model,Name
Just a prompt,,,,,,,,,
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Errors | Should -BeNullOrEmpty
            $body = Get-SubmitBody $emu
            ($body.PSObject.Properties.Name | Sort-Object) | Should -Be @('model', 'prompt')
            $body.model | Should -Be 'kling-video-o1'
            $r.Output[0].Name | Should -BeNullOrEmpty
        }

        It 'keeps quoted commas, quotes and Chinese text intact' {
            $rows = @'
prompt,Name
"A sunrise, slow pan, ""golden"" light",a
让<<<image_1>>>中的猫向镜头挥手,b
'@ | ConvertFrom-Csv
            $rows[1] | Add-Member image_urls 'https://img.example/猫.png'
            $r = Invoke-Rows $rows
            $r.Errors | Should -BeNullOrEmpty
            $bodies = @(Get-SubmitBody $emu)
            $bodies[0].prompt | Should -BeExactly 'A sunrise, slow pan, "golden" light'
            $bodies[1].prompt | Should -BeExactly '让<<<image_1>>>中的猫向镜头挥手'
            $bodies[1].image_urls | Should -Be @('https://img.example/猫.png')
        }

        It 'splits one image_urls cell on semicolons' {
            $rows = @'
prompt,image_urls
Morph <<<image_1>>> into <<<image_2>>>,https://img.example/a.png; https://img.example/b.png
'@ | ConvertFrom-Csv
            (Invoke-Rows $rows).Errors | Should -BeNullOrEmpty
            (Get-SubmitBody $emu).image_urls | Should -Be @('https://img.example/a.png', 'https://img.example/b.png')
        }

        It 'does not carry a value over from the previous row' {
            $rows = @'
prompt,mode,image_urls
first <<<image_1>>>,pro,https://img.example/a.png
second,,
'@ | ConvertFrom-Csv
            (Invoke-Rows $rows).Errors | Should -BeNullOrEmpty
            $bodies = @(Get-SubmitBody $emu)
            $bodies.Count | Should -Be 2
            $bodies[1].PSObject.Properties.Name | Should -Not -Contain 'mode'
            $bodies[1].PSObject.Properties.Name | Should -Not -Contain 'image_urls'
        }

        It 'outputs one task per accepted row with its id, name, row number, status and request' {
            $rows = @'
prompt,Name
one,first
two,second
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Output.Count | Should -Be 2
            $r.Output[0] | Should -BeOfType ([Kling.Core.KlingTask])
            $r.Output[0].TaskId | Should -Match '^task_'
            $r.Output[0].TaskId | Should -Not -Be $r.Output[1].TaskId
            $r.Output.Name | Should -Be @('first', 'second')
            $r.Output.Row | Should -Be @(1, 2)
            $r.Output[0].Status | Should -Be 'submitted'
            $r.Output[1].Request.Prompt | Should -Be 'two'
        }

        It 'accepts parameters on the command line' {
            $task = New-KlingVideo -Prompt 'A fox' -Mode std -Duration 5 -AspectRatio 16:9 -ImageUrl 'https://img.example/a.png', 'https://img.example/b.png' -Name fox
            $task.TaskId | Should -Match '^task_'
            (Get-SubmitBody $emu).image_urls.Count | Should -Be 2
        }
    }

    Describe 'New-KlingVideo tab completion' {
        It 'completes -<parameter> with the API''s values' -ForEach @(
            @{ parameter = 'Mode'; expected = @('std', 'pro') }
            @{ parameter = 'Duration'; expected = @('5', '10') }
            @{ parameter = 'AspectRatio'; expected = @('''16:9''', '''9:16''', '''1:1''') }
            @{ parameter = 'ReferType'; expected = @('base', 'feature') }
            @{ parameter = 'Resolution'; expected = @('720p', '1080p') }
            @{ parameter = 'CharacterOrientation'; expected = @('image', 'video') }
            @{ parameter = 'Audio'; expected = @('yes', 'no') }
            @{ parameter = 'Watermark'; expected = @('yes', 'no') }
            @{ parameter = 'KeepOriginalSound'; expected = @('yes', 'no') }
        ) {
            $line = "New-KlingVideo -Prompt x -$parameter "
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $result.CompletionMatches.CompletionText | Should -Be $expected
        }
    }

    Describe 'New-KlingVideo validation before anything is sent' {
        It 'rejects <case> naming the row and the field <field>' -ForEach @(
            @{ case = 'an empty prompt'; row = @{ prompt = '' }; field = 'prompt' }
            @{ case = 'a blank prompt'; row = @{ prompt = '   ' }; field = 'prompt' }
            @{ case = 'an unknown mode'; row = @{ prompt = 'x'; mode = 'ultra' }; field = 'mode' }
            @{ case = 'a 7 second duration'; row = @{ prompt = 'x'; duration = '7' }; field = 'duration' }
            @{ case = 'a 4:3 aspect ratio'; row = @{ prompt = 'x'; aspect_ratio = '4:3' }; field = 'aspect_ratio' }
            @{ case = 'a third image URL'; row = @{ prompt = 'x'; image_urls = 'https://a.example/1.png;https://a.example/2.png;https://a.example/3.png' }; field = 'image_urls' }
            @{ case = 'a relative image URL'; row = @{ prompt = 'x'; image_urls = 'cat.png' }; field = 'image_urls' }
            @{ case = 'an ftp image URL'; row = @{ prompt = 'x'; image_urls = 'ftp://a.example/1.png' }; field = 'image_urls' }
            @{ case = 'a reference to image 2 of 1'; row = @{ prompt = 'make <<<image_2>>> dance'; image_urls = 'https://a.example/1.png' }; field = 'prompt' }
            @{ case = 'an image reference without images'; row = @{ prompt = '<<<image_1>>> waves' }; field = 'prompt' }
            @{ case = 'a local video path'; row = @{ prompt = 'x'; video_url = 'C:\videos\clip.mp4' }; field = 'video_url' }
            @{ case = 'an unknown refer_type'; row = @{ prompt = 'x'; video_url = 'https://v.example/a.mp4'; refer_type = 'style' }; field = 'refer_type' }
            @{ case = 'frame images with a base video'; row = @{ prompt = 'x'; video_url = 'https://v.example/a.mp4'; image_urls = 'https://a.example/1.png' }; field = 'image_urls' }
            @{ case = 'two images with a feature video'; row = @{ prompt = 'x'; video_url = 'https://v.example/a.mp4'; refer_type = 'feature'; image_urls = 'https://a.example/1.png;https://a.example/2.png' }; field = 'image_urls' }
            @{ case = 'keep_original_sound maybe'; row = @{ prompt = 'x'; video_url = 'https://v.example/a.mp4'; keep_original_sound = 'maybe' }; field = 'keep_original_sound' }
            @{ case = 'refer_type without a video'; row = @{ prompt = 'x'; refer_type = 'base' }; field = 'refer_type' }
            @{ case = 'image URLs joined by a comma'; row = @{ prompt = 'x'; image_urls = 'https://a.example/1.png,https://a.example/2.png' }; field = 'image_urls' }
            @{ case = 'image URLs joined by a space'; row = @{ prompt = 'x'; image_urls = 'https://a.example/1.png https://a.example/2.png' }; field = 'image_urls' }
            @{ case = 'an image URL with a password'; row = @{ prompt = 'x'; first_frame = 'https://me:secret@a.example/1.png' }; field = 'first_frame' }
            @{ case = 'a video URL with a password'; row = @{ prompt = 'x'; video_url = 'https://me:secret@v.example/a.mp4' }; field = 'video_url' }
            @{ case = 'a prompt with a control character'; row = @{ prompt = "a cat`a waves" }; field = 'prompt' }
            @{ case = 'a prompt with an escape sequence'; row = @{ prompt = "a cat `e[31mred" }; field = 'prompt' }
        ) {
            $given = [pscustomobject] $row
            $r = Invoke-Rows @($given)
            $r.Thrown | Should -BeNullOrEmpty
            $r.Output | Should -BeNullOrEmpty
            $r.Errors.Count | Should -Be 1
            $e = $r.Errors[0]
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.FullyQualifiedErrorId | Should -BeLike 'InvalidRow,*'
            $e.Exception.Message | Should -BeLike "Row 1*Field '$field'*"
            $e.TargetObject | Should -Be $given
            $e.Exception.Row | Should -Be 1
            $e.Exception.Fields | Should -Contain $field
            Get-SubmitCount $emu | Should -Be 0
        }

        It 'reports each bad row by number and still submits the good rows' {
            $rows = @'
Name,prompt,aspect_ratio
good-1,one,16:9
bad-2,two,4:3
good-3,three,
bad-4,,1:1
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Output.Name | Should -Be @('good-1', 'good-3')
            $r.Output.Row | Should -Be @(1, 3)
            $r.Errors.Count | Should -Be 2
            $r.Errors[0].Exception.Message | Should -BeLike "Row 2 ('bad-2')*aspect_ratio*"
            $r.Errors[1].Exception.Message | Should -BeLike "Row 4 ('bad-4')*prompt*"
            $r.Errors[1].TargetObject.Name | Should -Be 'bad-4'
            Get-SubmitCount $emu | Should -Be 2
        }

        It 'says to use semicolons for a list joined by commas, and never echoes a password' {
            $r = Invoke-Rows @([pscustomobject]@{ Name = 'pair'; prompt = 'x'; image_urls = 'https://a.example/1.png, https://a.example/2.png' },
                [pscustomobject]@{ Name = 'secret'; prompt = 'x'; image_urls = 'https://me:hunter2@a.example/1.png' })
            $r.Errors.Count | Should -Be 2
            $r.Errors[0].Exception.Message | Should -BeLike "Row 1 ('pair')*Field 'image_urls'*','*separate the URLs in one cell with ';'*"
            $r.Errors[1].Exception.Message | Should -BeLike "Row 2 ('secret')*Field 'image_urls'*password*"
            $r.Errors[1].Exception.Message | Should -Not -BeLike '*hunter2*'
            Get-SubmitCount $emu | Should -Be 0
        }

        It 'counts a row without a prompt property as a row: it is that row''s error and later rows keep their numbers' {
            $rows = @([pscustomobject]@{ prompt = 'one'; Name = 'a' }, [pscustomobject]@{ text = 'no prompt column'; Name = 'b' }, [pscustomobject]@{ prompt = 'three'; Name = 'c' })
            $r = Invoke-Rows $rows
            $r.Thrown | Should -BeNullOrEmpty
            $r.Output.Row | Should -Be @(1, 3)
            $r.Output.Name | Should -Be @('a', 'c')
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRow,*'
            $r.Errors[0].Exception.Message | Should -BeLike "Row 2 ('b')*Field 'prompt'*"
            $r.Errors[0].TargetObject.text | Should -Be 'no prompt column'
            Get-SubmitCount $emu | Should -Be 2
        }

        It 'takes a piped string as the prompt' {
            $r = Invoke-Rows @('A cat waves', 'A dog runs')
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.Row | Should -Be @(1, 2)
            (Get-SubmitBody $emu).prompt | Should -Be @('A cat waves', 'A dog runs')
        }

        It 'sends nothing with -WhatIf and says what would be sent' {
            $rows = @'
prompt,Name
one,a
two,b
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows @{ WhatIf = $true }
            $r.Output | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 0
        }
    }

    Describe 'New-KlingVideo gateway errors' {
        It 'maps a gateway 400 to InvalidArgument with the gateway''s type, code and message, and goes on' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 400; times = 1; message = '参数错误: prompt 太长'; type = 'invalid_request_error' }
            $r = Invoke-Rows (@('one', 'two') | ForEach-Object { [pscustomobject]@{ prompt = $_ } })
            $r.Output.Count | Should -Be 1
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'GatewayInvalidRequest,*'
            $r.Errors[0].Exception.Message | Should -BeLike '*400*invalid_request_error*参数错误: prompt 太长*'
            $r.Errors[0].Exception.ErrorType | Should -Be 'invalid_request_error'
            $r.Errors[0].TargetObject.prompt | Should -Be 'one'
        }

        It 'stops the whole batch on 401 and sends no later row' {
            $env:KLING_API_KEY = 'wrong-key-for-this-test'
            $r = Invoke-Rows (1..4 | ForEach-Object { [pscustomobject]@{ prompt = "row $_" } })
            $r.Thrown | Should -Not -BeNullOrEmpty
            $r.Thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'GatewayAuthentication,*'
            $r.Output | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 1
        }

        It 'stops the whole batch on 402 and keeps the tasks already accepted' {
            Invoke-EmulatorControl $emu config -Body @{ balance = 2 } | Out-Null
            $r = Invoke-Rows (1..5 | ForEach-Object { [pscustomobject]@{ prompt = "row $_"; Name = "n$_" } }) @{ ThrottleLimit = 1 }
            $r.Output.Count | Should -Be 2
            $r.Output.Row | Should -Be @(1, 2)
            # Tasks were accepted, so the stop is written after them rather than thrown through the pipeline.
            $r.Thrown | Should -BeNullOrEmpty
            $stop = @($r.Errors | Where-Object { $_.CategoryInfo.Category -eq 'QuotaExceeded' })
            $stop.Count | Should -Be 1
            $stop[0].FullyQualifiedErrorId | Should -BeLike 'GatewayPaymentRequired,*'
            $stop[0].Exception.ErrorType | Should -Be 'payment_required'
            $stop[0].Exception.Message | Should -BeLike "Row 3 ('n3'): *402*"
            $stop[0].ToString() | Should -BeLike '*batch stopped*2 task(s) accepted before it were written to the pipeline*'
            Get-SubmitCount $emu | Should -Be 3
        }

        It 'sends no new row after a 402 when several are in flight' {
            Invoke-EmulatorControl $emu config -Body @{ balance = 2; latencyMs = 100 } | Out-Null
            $r = Invoke-Rows (1..20 | ForEach-Object { [pscustomobject]@{ prompt = "row $_" } }) @{ ThrottleLimit = 4 }
            $r.Output.Count | Should -Be 2
            @($r.Errors | Where-Object { $_.CategoryInfo.Category -eq 'QuotaExceeded' }).Count | Should -Be 1
            # Sent: the 2 accepted rows, plus at most one window of 4 already on its way when the first 402 came back.
            Get-SubmitCount $emu | Should -BeLessOrEqual 6
        }

        It 'hands every task accepted before a 402 to the rest of the pipeline and to an assignment' {
            # Accepted rows answer slowly and the 402 comes fast: the accepted ones are still in flight when the batch stops.
            Invoke-EmulatorControl $emu config -Body @{ balance = 3; latencyMs = 300 } | Out-Null
            $rows = 1..12 | ForEach-Object { [pscustomobject]@{ prompt = "paid $_"; Name = "p$_" } }
            $tasks = $rows | New-KlingVideo -ThrottleLimit 4 -ErrorAction SilentlyContinue -ErrorVariable errs
            $billed = @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*' | Where-Object status -EQ 200)
            $billed.Count | Should -Be 3
            @($tasks).Count | Should -Be 3
            @($errs | Where-Object { $_.CategoryInfo.Category -eq 'QuotaExceeded' }).Count | Should -Be 1

            Reset-Emulator $emu @{ balance = 3; latencyMs = 300 }
            $done = @($rows | New-KlingVideo -ThrottleLimit 4 -ErrorAction SilentlyContinue | Wait-KlingTask -PollInterval 0.2)
            $done.Count | Should -Be 3
            $done.Status | Sort-Object -Unique | Should -Be 'completed'
        }

        It 'waits out 429 with Retry-After and re-sends (a 429 is not billed)' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 429; times = 2; retryAfter = '1' }
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'busy gateway' })
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.Count | Should -Be 1
            $posts = @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*')
            $posts.Count | Should -Be 3
            $gap = (ConvertTo-Instant $posts[1].time) - (ConvertTo-Instant $posts[0].time)
            $gap.TotalSeconds | Should -BeGreaterOrEqual 0.9
        }

        It 'reports LimitsExceeded when 429 never stops' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 429; times = 50; retryAfter = '0' }
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'always busy' })
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            Get-SubmitCount $emu | Should -Be 11
        }

        It 'never re-sends a submission answered with 500, reports it as outcome unknown, and goes on' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 500; times = 1; accepted = $true }
            $r = Invoke-Rows (@('maybe billed', 'next row') | ForEach-Object { [pscustomobject]@{ prompt = $_ } })
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].CategoryInfo.Category | Should -Be 'OperationStopped'
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*'
            $r.Errors[0].Exception.Message | Should -BeLike '*not sent again*'
            $r.Errors[0].TargetObject.prompt | Should -Be 'maybe billed'
            $r.Output.Count | Should -Be 1
            $r.Output[0].Request.Prompt | Should -Be 'next row'
            $bodies = @(Get-SubmitBody $emu)
            $bodies.Count | Should -Be 2
            @($bodies | Where-Object prompt -eq 'maybe billed').Count | Should -Be 1
        }

        It 'starts every gateway error message with the row''s number and name' {
            Add-EmulatorFault $emu @{ route = 'submit'; status = 500; times = 1; accepted = $true }
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'first'; Name = 'alpha' })
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*'
            $r.Errors[0].Exception.Message | Should -BeLike "Row 1 ('alpha'): *"
            $r.Errors[0].ToString() | Should -BeLike "Row 1 ('alpha'): *"
            Add-EmulatorFault $emu @{ route = 'submit'; kind = 'reset'; times = 1 }
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'second' })
            $r.Errors[0].Exception.Message | Should -BeLike 'Row 1: *'
            Add-EmulatorFault $emu @{ route = 'submit'; status = 400; times = 1; message = 'bad' }
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'ok' }, [pscustomobject]@{ prompt = 'third'; Name = 'gamma' })
            @($r.Errors).Count | Should -Be 1
            $r.Errors[0].Exception.Message | Should -BeLike "Row [12]*: *400*"
        }

        It 'never re-sends a submission whose connection was reset after sending' {
            Add-EmulatorFault $emu @{ route = 'submit'; kind = 'reset'; times = 1 }
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'lost answer' })
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*'
            $r.Errors[0].CategoryInfo.Category | Should -Be 'OperationStopped'
            Get-SubmitCount $emu | Should -Be 1
        }

        It 'reports a submission that got no answer in time as outcome unknown (OperationStopped) and does not re-send it' {
            Connect-Kling -ApiKey (ConvertTo-SecureString $emu.ApiKey -AsPlainText -Force) -BaseUrl $emu.Gateway -TimeoutSec 1
            Invoke-EmulatorControl $emu config -Body @{ latencyMs = 2500 } | Out-Null
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'slow gateway' })
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].CategoryInfo.Category | Should -Be 'OperationStopped'
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'OutcomeUnknown,*'
            # A re-send would have gone out before New-KlingVideo returned, while the first POST was still in flight.
            Wait-Until { (Get-SubmitCount $emu) -ge 1 } -Seconds 10 -Because 'the slow POST to be answered'
            (Invoke-EmulatorControl $emu stats).maxSubmitsInFlight | Should -Be 1
            Get-SubmitCount $emu | Should -Be 1
        }

        It 'reports ConnectionError when the gateway cannot be reached' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $env:KLING_BASE_URL = "http://127.0.0.1:$port"
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'nobody home' })
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'GatewayNetwork,*'
        }

        It 'stops with one clear error before any request when no key is set' {
            Remove-Item Env:KLING_API_KEY
            $r = Invoke-Rows (1..3 | ForEach-Object { [pscustomobject]@{ prompt = "row $_" } })
            $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'MissingApiKey,*'
            $r.Thrown.Exception.Message | Should -BeLike '*KLING_API_KEY*Connect-Kling*'
            @(Get-EmulatorRequest $emu).Count | Should -Be 0
        }

        It 'refuses a plain-http gateway that is not loopback, before any request' {
            $env:KLING_BASE_URL = 'http://xcompute.us'
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'x' })
            $r.Thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidBaseUrl,*'
            $r.Thrown.Exception.Message | Should -BeLike '*http://*loopback*'
        }
    }
}
