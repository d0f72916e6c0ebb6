# Every Kling model (issue 12): the rules each model's rows are checked against BEFORE anything is sent. A bad row is
# refused with its row, model and field named, while the good rows of the same batch go out; the emulator, with its own
# reading of MODELS.md, would answer 400 to most of these, so a rule missing here would show as a wire error instead.
Describe 'New-KlingVideo refuses what a model does not take' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1
        . (Join-Path $PSScriptRoot 'ModelHelpers.ps1')
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
    }

    Context 'rules checked before sending' {
        # A model's rule broken: the message names the model. A cell that does not read (cell = $true) is the same
        # mistake on every model: the message names the row and the field and says how to write it.
        It 'refuses <case> (<model>) naming the row, the model and the field, and sends the good rows' -ForEach @(
            @{ case = 'duration 8'; model = 'kling-video-o1'; row = @{ duration = '8' }; fields = @('duration') }
            @{ case = 'mode 4k'; model = 'kling-video-o1'; row = @{ mode = '4k' }; fields = @('mode') }
            @{ case = 'duration 16'; model = 'kling-v3-omni'; row = @{ duration = '16' }; fields = @('duration') }
            @{ case = 'mode 8k'; model = 'kling-v3-omni'; row = @{ mode = '8k' }; fields = @('mode') }
            @{ case = '-Image with -FirstFrame'; model = 'kling-v3-omni'; row = @{ image = 'https://img.example/i.png'; first_frame = 'https://img.example/f.png' }; fields = @('image', 'first_frame', 'image_urls', 'image_with_roles') }
            @{ case = '-ImageUrl with -ReferenceImage'; model = 'kling-v3-omni'; row = @{ image_urls = 'https://img.example/i.png'; reference_images = 'https://img.example/r.png' }; fields = @('image', 'image_urls', 'reference_images', 'image_with_roles') }
            @{ case = 'a last frame without a first'; model = 'kling-v3-omni'; row = @{ last_frame = 'https://img.example/l.png' }; fields = @('last_frame', 'image_with_roles') }
            @{ case = 'a negative prompt over 2500 characters'; model = 'kling-v3-omni'; row = @{ negative_prompt = 'n' * 2501 }; fields = @('negative_prompt') }
            @{ case = 'an element with one image'; model = 'kling-v3-omni'; row = @{ elements = '{"name":"hero","description":"a fox","element_input_urls":["https://img.example/1.png"]}' }; fields = @('elements', 'element_list', 'element_input_urls') }
            @{ case = 'an element cell that is not JSON'; model = 'kling-v3-omni'; row = @{ elements = 'hero: a fox' }; fields = @('elements', 'element_list'); cell = $true }
            @{ case = 'a shot prompt over 512 characters'; model = 'kling-v3'; row = @{ duration = '5'; shots = "2: short | 3: $('x' * 513)" }; fields = @('shots', 'multi_prompt') }
            @{ case = 'shots adding up to 7 of 8 seconds'; model = 'kling-v3'; row = @{ duration = '8'; shots = '3: a | 4: b' }; fields = @('shots', 'multi_prompt', 'duration') }
            @{ case = 'seven shots'; model = 'kling-v3'; row = @{ duration = '7'; shots = '1: a | 1: b | 1: c | 1: d | 1: e | 1: f | 1: g' }; fields = @('shots', 'multi_prompt') }
            @{ case = 'a shot without a duration'; model = 'kling-v3'; row = @{ duration = '5'; shots = 'The door opens' }; fields = @('shots', 'multi_prompt'); cell = $true }
            @{ case = 'shots on a model without multi-shot'; model = 'kling-v2-6'; row = @{ duration = '5'; shots = '2: a | 3: b' }; fields = @('shots', 'multi_prompt', 'multi_shot') }
            @{ case = 'three images'; model = 'kling-v3'; row = @{ image_urls = 'https://img.example/1.png;https://img.example/2.png;https://img.example/3.png' }; fields = @('image_urls', 'image') }
            @{ case = 'duration 8'; model = 'kling-v2-6'; row = @{ duration = '8' }; fields = @('duration') }
            @{ case = 'duration 2'; model = 'kling-3.0-turbo'; row = @{ duration = '2' }; fields = @('duration') }
            @{ case = 'an aspect ratio'; model = 'kling-v2-6-motion-control'; row = @{ first_frame = 'https://img.example/f.png'; video_url = 'https://vid.example/a.mp4'; aspect_ratio = '16:9' }; fields = @('aspect_ratio') }
            @{ case = 'a reference video'; model = 'kling-v3'; row = @{ video_url = 'https://vid.example/a.mp4' }; fields = @('video_url', 'video_list') }
            @{ case = 'a last frame in std'; model = 'kling-v2-6'; row = @{ mode = 'std'; first_frame = 'https://img.example/f.png'; last_frame = 'https://img.example/l.png' }; fields = @('last_frame', 'image_urls', 'mode') }
            @{ case = 'audio in std'; model = 'kling-v2-6'; row = @{ audio = 'yes' }; fields = @('audio', 'mode') }
            @{ case = 'audio with a last frame in pro'; model = 'kling-v2-6'; row = @{ mode = 'pro'; audio = 'true'; first_frame = 'https://img.example/f.png'; last_frame = 'https://img.example/l.png' }; fields = @('audio', 'last_frame', 'image_urls') }
            @{ case = 'audio maybe'; model = 'kling-v2-6'; row = @{ mode = 'pro'; audio = 'maybe' }; fields = @('audio'); cell = $true }
            @{ case = 'mode 4k'; model = 'kling-v2-6'; row = @{ mode = '4k' }; fields = @('mode') }
            @{ case = '-Mode'; model = 'kling-3.0-turbo'; row = @{ mode = 'pro' }; fields = @('mode') }
            @{ case = 'a last frame'; model = 'kling-3.0-turbo'; row = @{ first_frame = 'https://img.example/f.png'; last_frame = 'https://img.example/l.png' }; fields = @('last_frame') }
            @{ case = 'a negative prompt'; model = 'kling-3.0-turbo'; row = @{ negative_prompt = 'blur' }; fields = @('negative_prompt') }
            @{ case = 'resolution 4k'; model = 'kling-3.0-turbo'; row = @{ resolution = '4k' }; fields = @('resolution') }
            @{ case = 'audio'; model = 'kling-3.0-turbo'; row = @{ audio = 'yes' }; fields = @('audio') }
            @{ case = 'no video'; model = 'kling-v3-motion-control'; row = @{ first_frame = 'https://img.example/f.png' }; fields = @('video_url') }
            @{ case = 'no image'; model = 'kling-v2-6-motion-control'; row = @{ video_url = 'https://vid.example/a.mp4' }; fields = @('image_url', 'first_frame', 'image') }
            @{ case = 'a duration'; model = 'kling-v3-motion-control'; row = @{ first_frame = 'https://img.example/f.png'; video_url = 'https://vid.example/a.mp4'; duration = '5' }; fields = @('duration') }
            @{ case = 'orientation sideways'; model = 'kling-v2-6-motion-control'; row = @{ first_frame = 'https://img.example/f.png'; video_url = 'https://vid.example/a.mp4'; character_orientation = 'sideways' }; fields = @('character_orientation') }
            @{ case = 'a multi_shot cell maybe'; model = 'kling-v3'; row = @{ multi_shot = 'maybe' }; fields = @('multi_shot'); cell = $true }
            @{ case = 'an ftp first frame'; model = 'kling-v9-preview'; row = @{ first_frame = 'ftp://img.example/f.png' }; fields = @('first_frame'); cell = $true }
            @{ case = 'an extra cell that is not a JSON object'; model = 'kling-v9-preview'; row = @{ extra = '[1, 2]' }; fields = @('extra', 'additional_body', 'AdditionalBody'); cell = $true }
        ) {
            $bad = [pscustomobject] (@{ Name = 'bad'; model = $model; prompt = 'the bad row' } + $row)
            $rows = @(
                [pscustomobject]@{ Name = 'good1'; model = $model; prompt = 'good row one'; first_frame = $(if ($model -like '*motion-control') { 'https://img.example/g.png' }); video_url = $(if ($model -like '*motion-control') { 'https://vid.example/g.mp4' }) }
                $bad
                [pscustomobject]@{ Name = 'good2'; model = 'kling-video-o1'; prompt = 'good row two' }
            )
            $r = Invoke-Rows $rows
            $r.Thrown | Should -BeNullOrEmpty
            $r.Errors.Count | Should -Be 1 -Because ($r.Errors | Out-String)
            $e = $r.Errors[0]
            $e.FullyQualifiedErrorId | Should -BeLike 'InvalidRow,*'
            $e.Exception.Row | Should -Be 2
            $e.TargetObject | Should -Be $bad
            $e.Exception.Message | Should -BeLike "Row 2 ('bad')*"
            if (-not $cell) { $e.Exception.Message | Should -BeLike "*$model*" -Because 'the message names the model' }
            @($e.Exception.Fields | Where-Object { $_ -in $fields }).Count | Should -BeGreaterThan 0 -Because "the fields named ($($e.Exception.Fields -join ', ')) should include one of $($fields -join ', ')"
            # Refused before sending: only the good rows went out.
            @(Get-Submission | ForEach-Object { $_.Json.prompt }) | Sort-Object | Should -Be @('good row one', 'good row two')
            $r.Output.Name | Sort-Object | Should -Be @('good1', 'good2')
        }

        It 'says what the model takes in a duration message' {
            $r = Invoke-Rows @([pscustomobject]@{ prompt = 'x'; model = 'kling-video-o1'; duration = '8' })
            $r.Errors[0].Exception.Message | Should -BeLike '*kling-video-o1*5*10*'
            Get-SubmitCount $emu | Should -Be 0
        }
    }
}
