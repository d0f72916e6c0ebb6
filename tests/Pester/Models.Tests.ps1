# Every Kling model end to end (issue 12): what New-KlingVideo puts on the wire for each model (field names and JSON
# types), and that the emulator (its own, independent reading of MODELS.md, answering 400 on a broken rule) accepts it.
# The rules refused before sending are in Models.Rules.Tests.ps1.
Describe 'New-KlingVideo and the Kling models' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:emu = Start-KlingEmulator -TaskSeconds 1
        . (Join-Path $PSScriptRoot 'ModelHelpers.ps1')

        # Seven models plus one the module does not know, each row with its own fields; every cell a CSV user would type.
        $script:MixedCsv = @'
Name,model,prompt,mode,duration,aspect_ratio,negative_prompt,audio,watermark,resolution,first_frame,last_frame,image,reference_images,video_url,character_orientation,keep_original_sound,shots,multi_shot,elements,extra
o1,kling-video-o1,o1 row,pro,10,9:16,,,,,https://img.example/o1-first.png,https://img.example/o1-last.png,,,,,,,,,
omni,kling-v3-omni,omni row: <<<image_1>>> to <<<image_3>>>,4k,8,1:1,"blur, text",true,no,,https://img.example/omni-first.png,https://img.example/omni-last.png,,https://img.example/omni-ref.png,,,,,,"[{""name"":""hero"",""description"":""a red fox"",""element_input_urls"":[""https://img.example/fox-1.png"",""https://img.example/fox-2.png""]}]",
v3,kling-v3,v3 row,pro,8,16:9,low quality,yes,true,,,,,,,,,3: The door opens | 5: A dog runs in,,,
v26,kling-v2-6,v2-6 row,pro,10,16:9,noise,yes,false,,https://img.example/v26-first.png,,,,,,,,,,
turbo,kling-3.0-turbo,turbo row,,6,,,,yes,1080p,https://img.example/turbo-first.png,,,,,,,,,,
mc26,kling-v2-6-motion-control,mc26 row,std,,,,,false,,https://img.example/dancer.png,,,,https://vid.example/moves.mp4,video,no,,,,
mc3,kling-v3-motion-control,,pro,,,,,true,,,,https://img.example/skater.png,,https://vid.example/skate.mp4,image,yes,,,,
future,kling-v9-preview,future row,,7,,,,,,,,,,,,,,,,"{""seed"":42,""camera"":{""type"":""orbit"",""speed"":1.5},""loop"":true}"
'@
    }

    AfterAll {
        Close-TestEmulator $emu
    }

    BeforeEach {
        Use-FreshEmulator $emu
        $script:work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $work | Out-Null
    }

    Context 'a CSV mixing every model' {
        It 'sends each row with its model''s own field names and JSON types, and the emulator accepts them all' {
            $r = Invoke-Rows ($MixedCsv | ConvertFrom-Csv)
            $r.Thrown | Should -BeNullOrEmpty
            $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            $r.Output.Count | Should -Be 8
            $r.Output.Name | Sort-Object | Should -Be (@('o1', 'omni', 'v3', 'v26', 'turbo', 'mc26', 'mc3', 'future') | Sort-Object)
            @(Get-Submission).Count | Should -Be 8

            $o1 = Get-SubmissionOf -Prompt 'o1 row'
            $o1.Json.image_urls | Should -Be @('https://img.example/o1-first.png', 'https://img.example/o1-last.png')
            Get-Kind $o1.Raw duration | Should -Be 'Number'
            $o1.Json.duration | Should -Be 10
            $o1.Json.mode | Should -BeExactly 'pro'
            (Get-FieldName $o1.Raw | Sort-Object) | Should -Be (@('aspect_ratio', 'duration', 'image_urls', 'mode', 'model', 'prompt') | Sort-Object)

            $omni = Get-SubmissionOf -Prompt 'omni row: <<<image_1>>> to <<<image_3>>>'
            $omni.Json.mode | Should -BeExactly '4k'
            Get-Kind $omni.Raw duration | Should -Be 'Number'
            $omni.Json.duration | Should -Be 8
            $omni.Json.negative_prompt | Should -BeExactly 'blur, text'
            Get-Kind $omni.Raw audio | Should -Be 'True'
            Get-Kind $omni.Raw watermark | Should -Be 'False'
            Get-Kind $omni.Raw image_urls | Should -Be 'Absent'
            $omni.Json.image_with_roles.role | Should -Be @('first_frame', 'last_frame', 'reference')
            $omni.Json.image_with_roles.url | Should -Be @('https://img.example/omni-first.png', 'https://img.example/omni-last.png', 'https://img.example/omni-ref.png')
            $omni.Json.element_list.Count | Should -Be 1
            $omni.Json.element_list[0].name | Should -BeExactly 'hero'
            $omni.Json.element_list[0].description | Should -BeExactly 'a red fox'
            $omni.Json.element_list[0].element_input_urls | Should -Be @('https://img.example/fox-1.png', 'https://img.example/fox-2.png')

            $v3 = Get-SubmissionOf -Prompt 'v3 row'
            Get-Kind $v3.Raw multi_shot | Should -Be 'True'
            $v3.Json.shot_type | Should -BeExactly 'customize'
            $v3.Json.multi_prompt.index | Should -Be @(1, 2)
            $v3.Json.multi_prompt.prompt | Should -Be @('The door opens', 'A dog runs in')
            $v3.Json.multi_prompt.duration | Should -Be @(3, 5)
            Get-Kind $v3.Raw multi_prompt.0.duration | Should -Be 'Number'
            Get-Kind $v3.Raw multi_prompt.1.index | Should -Be 'Number'
            Get-Kind $v3.Raw audio | Should -Be 'True'
            Get-Kind $v3.Raw watermark | Should -Be 'True'
            $v3.Json.negative_prompt | Should -BeExactly 'low quality'

            $v26 = Get-SubmissionOf -Prompt 'v2-6 row'
            $v26.Json.image_urls | Should -Be @('https://img.example/v26-first.png')
            Get-Kind $v26.Raw audio | Should -Be 'True'
            Get-Kind $v26.Raw watermark | Should -Be 'False'
            Get-Kind $v26.Raw duration | Should -Be 'Number'

            $turbo = Get-SubmissionOf -Prompt 'turbo row'
            $turbo.Json.first_frame_image | Should -BeExactly 'https://img.example/turbo-first.png'
            $turbo.Json.resolution | Should -BeExactly '1080p'
            Get-Kind $turbo.Raw duration | Should -Be 'Number'
            Get-Kind $turbo.Raw watermark | Should -Be 'True'
            foreach ($absent in 'mode', 'image_urls', 'negative_prompt', 'audio') { Get-Kind $turbo.Raw $absent | Should -Be 'Absent' -Because "turbo takes no $absent" }

            $mc26 = Get-SubmissionOf -Prompt 'mc26 row'
            $mc26.Json.image_url | Should -BeExactly 'https://img.example/dancer.png'
            $mc26.Json.video_url | Should -BeExactly 'https://vid.example/moves.mp4'
            $mc26.Json.character_orientation | Should -BeExactly 'video'
            $mc26.Json.keep_original_sound | Should -BeExactly 'no'
            Get-Kind $mc26.Raw watermark_info.enabled | Should -Be 'False'
            foreach ($absent in 'duration', 'aspect_ratio', 'video_list', 'image_urls', 'watermark') { Get-Kind $mc26.Raw $absent | Should -Be 'Absent' -Because "motion control takes no $absent" }

            $mc3 = Get-SubmissionOf -Model 'kling-v3-motion-control'
            $mc3.Json.image_url | Should -BeExactly 'https://img.example/skater.png'
            $mc3.Json.video_url | Should -BeExactly 'https://vid.example/skate.mp4'
            $mc3.Json.character_orientation | Should -BeExactly 'image'
            $mc3.Json.keep_original_sound | Should -BeExactly 'yes'
            $mc3.Json.mode | Should -BeExactly 'pro'
            Get-Kind $mc3.Raw watermark_info.enabled | Should -Be 'True'
            Get-Kind $mc3.Raw duration | Should -Be 'Absent'

            $future = Get-SubmissionOf -Prompt 'future row'
            $future.Json.model | Should -BeExactly 'kling-v9-preview'
            Get-Kind $future.Raw duration | Should -Be 'Number'
            $future.Json.duration | Should -Be 7
            Get-Kind $future.Raw seed | Should -Be 'Number'
            Get-Kind $future.Raw camera | Should -Be 'Object'
            Get-Kind $future.Raw camera.speed | Should -Be 'Number'
            $future.Json.camera.speed | Should -Be 1.5
            Get-Kind $future.Raw loop | Should -Be 'True'
            $task = (Invoke-EmulatorControl $emu tasks) | Where-Object model -EQ 'kling-v9-preview'
            @($task.extraFields) | Should -Contain 'seed'
            @($task.extraFields) | Should -Contain 'camera'
        }

        It 'binds the new parameters by their PowerShell names as columns too' {
            $rows = @'
Prompt,Model,Mode,Duration,NegativePrompt,Audio,Watermark,FirstFrame,ReferenceImages,Element,MultiShot,Shot,AdditionalBody
by names,kling-v3-omni,pro,6,no text,yes,no,https://img.example/f.png,https://img.example/r.png,"{""name"":""cat"",""description"":""a cat"",""element_input_urls"":[""https://img.example/c1.png"",""https://img.example/c2.png""]}",yes,2: one | 4: two,"{""seed"":5}"
turbo by names,kling-3.0-turbo,,5,,,true,,,,false,,
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            $s = Get-SubmissionOf -Prompt 'by names'
            $s.Json.negative_prompt | Should -BeExactly 'no text'
            Get-Kind $s.Raw audio | Should -Be 'True'
            Get-Kind $s.Raw watermark | Should -Be 'False'
            $s.Json.image_with_roles.role | Should -Be @('first_frame', 'reference')
            $s.Json.element_list[0].name | Should -BeExactly 'cat'
            $s.Json.shot_type | Should -BeExactly 'customize'
            $s.Json.multi_prompt.duration | Should -Be @(2, 4)
            $s.Json.seed | Should -Be 5
            $t = Get-SubmissionOf -Prompt 'turbo by names'
            Get-Kind $t.Raw watermark | Should -Be 'True'
            Get-Kind $t.Raw multi_shot | Should -Be 'Absent' -Because 'a MultiShot cell "false" is off, and turbo takes no multi-shot'
        }

        It 'warns once per batch for each model outside the catalog, naming it' {
            $rows = @(
                [pscustomobject]@{ prompt = 'a'; model = 'kling-v9-preview' }
                [pscustomobject]@{ prompt = 'b'; model = 'kling-video-o1' }
                [pscustomobject]@{ prompt = 'c'; model = 'kling-v9-preview' }
                [pscustomobject]@{ prompt = 'd'; model = 'KLING-V9-PREVIEW' }
                [pscustomobject]@{ prompt = 'e'; model = 'kling-x2' }
                [pscustomobject]@{ prompt = 'f'; model = 'kling-v3' }
            )
            $r = Invoke-Rows $rows
            $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            @(Get-Submission).Count | Should -Be 6
            $r.Warnings.Count | Should -Be 2
            $r.Warnings[0] | Should -BeLike "*'kling-v9-preview'*catalog*Get-KlingModel*"
            $r.Warnings[1] | Should -BeLike "*'kling-x2'*"
            $r.Warnings | Where-Object { $_ -like '*kling-v3*' -and $_ -notlike '*kling-v9*' } | Should -BeNullOrEmpty

            # A new batch is a new batch: it says it again.
            (Invoke-Rows @([pscustomobject]@{ prompt = 'g'; model = 'kling-v9-preview' })).Warnings.Count | Should -Be 1
        }

        It 'warns about an unknown model on the command line too, and sends only the generic fields it was given' {
            $null = New-KlingVideo -Prompt 'kite' -Model kling-v4 -WarningVariable w -WarningAction SilentlyContinue
            @($w).Count | Should -Be 1
            "$($w[0])" | Should -BeLike "*'kling-v4'*"
            $body = Get-SubmissionOf -Prompt 'kite'
            (Get-FieldName $body.Raw | Sort-Object) | Should -Be @('model', 'prompt')
        }

        It 'completes -Model from the catalog' {
            $line = 'New-KlingVideo -Prompt x -Model kling-v3'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $names = @($result.CompletionMatches.CompletionText)
            foreach ($m in 'kling-v3-omni', 'kling-v3', 'kling-v3-motion-control') { $names | Should -Contain $m }
            $names | Should -Not -Contain 'kling-video-o1'
        }
    }

    Context 'shots' {
        It 'turns a multi_shot cell "false" (or "no", or empty) into no multi-shot at all' {
            $rows = @'
prompt,model,multi_shot
off false,kling-v3,false
off no,kling-v3,no
off empty,kling-v3,
on true,kling-v3,true
on yes,kling-v3,YES
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows
            $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            foreach ($p in 'off false', 'off no', 'off empty') {
                $s = Get-SubmissionOf -Prompt $p
                Get-Kind $s.Raw multi_shot | Should -BeIn @('Absent', 'False') -Because "'$p' must not turn multi-shot on"
                Get-Kind $s.Raw shot_type | Should -Be 'Absent'
            }

            foreach ($p in 'on true', 'on yes') {
                $s = Get-SubmissionOf -Prompt $p
                Get-Kind $s.Raw multi_shot | Should -Be 'True'
                $s.Json.shot_type | Should -BeExactly 'intelligence'
            }
        }

        It 'reads -Shot as a cell and as hashtables into the same multi_prompt' {
            New-KlingVideo -Model kling-v3-omni -Prompt 'as a cell' -Duration 8 -Shot '3: The door opens | 5: A dog runs in' | Out-Null
            New-KlingVideo -Model kling-v3-omni -Prompt 'as hashtables' -Duration 8 -Shot @{ Prompt = 'The door opens'; Duration = 3 }, @{ Prompt = 'A dog runs in'; Duration = 5 } | Out-Null
            New-KlingVideo -Model kling-v3-omni -Prompt 'as objects' -Duration 8 -Shot ([pscustomobject]@{ Prompt = 'The door opens'; Duration = '3' }), ([pscustomobject]@{ Prompt = 'A dog runs in'; Duration = 5 }) | Out-Null
            foreach ($p in 'as a cell', 'as hashtables', 'as objects') {
                $s = Get-SubmissionOf -Prompt $p
                Get-Kind $s.Raw multi_shot | Should -Be 'True'
                $s.Json.shot_type | Should -BeExactly 'customize'
                $s.Json.multi_prompt.index | Should -Be @(1, 2)
                $s.Json.multi_prompt.prompt | Should -Be @('The door opens', 'A dog runs in')
                $s.Json.multi_prompt.duration | Should -Be @(3, 5)
                Get-Kind $s.Raw multi_prompt.1.duration | Should -Be 'Number'
            }
        }

        It 'sends -MultiShot alone as shot_type intelligence' {
            New-KlingVideo -Model kling-v3 -Prompt 'let it cut' -Duration 10 -MultiShot | Out-Null
            $s = Get-SubmissionOf -Prompt 'let it cut'
            Get-Kind $s.Raw multi_shot | Should -Be 'True'
            $s.Json.shot_type | Should -BeExactly 'intelligence'
            Get-Kind $s.Raw multi_prompt | Should -Be 'Absent'
        }

        It 'lets -MultiShot on the command line win over the rows'' multi_shot cells, as any parameter does' {
            $rows = @'
prompt,model,multi_shot
cell no,kling-v3,no
cell unreadable,kling-v3,maybe
'@ | ConvertFrom-Csv
            $r = Invoke-Rows $rows @{ MultiShot = $true }
            $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            foreach ($p in 'cell no', 'cell unreadable') { (Get-SubmissionOf -Prompt $p).Json.shot_type | Should -BeExactly 'intelligence' }
        }

        It 'sends nothing about shots with -MultiShot:$false' {
            New-KlingVideo -Model kling-v3 -Prompt 'one shot' -MultiShot:$false | Out-Null
            $s = Get-SubmissionOf -Prompt 'one shot'
            Get-Kind $s.Raw multi_shot | Should -BeIn @('Absent', 'False')
            Get-Kind $s.Raw shot_type | Should -Be 'Absent'
        }
    }

    Context 'local images for every image field' {
        It 'uploads frames, references, element images and motion control''s image once each, and sends their URLs' {
            foreach ($f in 'first.png', 'last.png', 'ref.png', 'el1.png', 'el2.png', 'dancer.png', 'turbo.png') { New-ImageFile (Join-Path $work $f) | Out-Null }
            Push-Location $work
            try {
                $omni = New-KlingVideo -Model kling-v3-omni -Prompt 'omni files' -FirstFrame first.png -LastFrame last.png -ReferenceImage ref.png -Element @{ Name = 'hero'; Description = 'a fox'; Image = 'el1.png', 'el2.png' }
                # The same files again (the first frame as an element image too): no new upload.
                $again = New-KlingVideo -Model kling-v3-omni -Prompt 'omni again' -FirstFrame first.png -Element @{ Name = 'hero'; Description = 'a fox'; Images = 'el1.png;first.png' }
                $mc = New-KlingVideo -Model kling-v2-6-motion-control -Prompt 'mc file' -Image dancer.png -VideoUrl 'https://vid.example/a.mp4'
                $turbo = New-KlingVideo -Model kling-3.0-turbo -Prompt 'turbo file' -FirstFrame turbo.png
            }
            finally { Pop-Location }

            @($omni, $again, $mc, $turbo).Count | Should -Be 4
            Get-UploadCount | Should -Be 7
            $uploaded = "$($emu.Storage)/uploads/*"

            $s = Get-SubmissionOf -Prompt 'omni files'
            $s.Json.image_with_roles.role | Should -Be @('first_frame', 'last_frame', 'reference')
            $s.Json.image_with_roles.url | ForEach-Object { $_ | Should -BeLike $uploaded }
            @($s.Json.image_with_roles.url | Select-Object -Unique).Count | Should -Be 3
            $s.Json.element_list[0].element_input_urls.Count | Should -Be 2
            $s.Json.element_list[0].element_input_urls | ForEach-Object { $_ | Should -BeLike $uploaded }

            $a = Get-SubmissionOf -Prompt 'omni again'
            $a.Json.image_with_roles[0].url | Should -Be $s.Json.image_with_roles[0].url
            $a.Json.element_list[0].element_input_urls | Should -Be @($s.Json.element_list[0].element_input_urls[0], $s.Json.image_with_roles[0].url)

            (Get-SubmissionOf -Prompt 'mc file').Json.image_url | Should -BeLike $uploaded
            (Get-SubmissionOf -Prompt 'turbo file').Json.first_frame_image | Should -BeLike $uploaded
        }

        It 'refuses a missing local reference image before uploading or sending anything' {
            New-ImageFile (Join-Path $work 'first.png') | Out-Null
            Push-Location $work
            try { $r = Invoke-Rows @([pscustomobject]@{ model = 'kling-v3-omni'; prompt = 'x'; first_frame = 'first.png'; reference_images = 'missing.png' }) }
            finally { Pop-Location }
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].Exception.Fields | Should -Contain 'reference_images'
            Get-UploadCount | Should -Be 0
            Get-SubmitCount $emu | Should -Be 0
        }
    }

    Context '-AdditionalBody' {
        It 'merges a hashtable into the body, nested values keeping their JSON types' {
            $extra = @{ seed = 42; ratio = 0.5; loop = $true; camera = @{ type = 'orbit'; speed = 2; path = @(1, 2, 3) }; tags = @('a', 'b') }
            New-KlingVideo -Model kling-v3 -Prompt 'with extras' -Duration 5 -AdditionalBody $extra | Out-Null
            $s = Get-SubmissionOf -Prompt 'with extras'
            Get-Kind $s.Raw seed | Should -Be 'Number'
            Get-Kind $s.Raw ratio | Should -Be 'Number'
            Get-Kind $s.Raw loop | Should -Be 'True'
            Get-Kind $s.Raw camera | Should -Be 'Object'
            Get-Kind $s.Raw camera.type | Should -Be 'String'
            Get-Kind $s.Raw camera.speed | Should -Be 'Number'
            Get-Kind $s.Raw camera.path | Should -Be 'Array'
            Get-Kind $s.Raw camera.path.2 | Should -Be 'Number'
            Get-Kind $s.Raw tags | Should -Be 'Array'
            $s.Json.seed | Should -Be 42
            $s.Json.camera.path | Should -Be @(1, 2, 3)
            $s.Json.tags | Should -Be @('a', 'b')
            $s.Json.duration | Should -Be 5
            $task = (Invoke-EmulatorControl $emu tasks) | Select-Object -First 1
            @($task.extraFields) | Should -Contain 'seed'
            @($task.extraFields) | Should -Contain 'camera'
        }

        It 'merges an object and a JSON cell the same way' {
            $rows = @(
                [pscustomobject]@{ prompt = 'object'; model = 'kling-video-o1'; extra = [pscustomobject]@{ seed = 7; style = [pscustomobject]@{ warm = $false } } }
                [pscustomobject]@{ prompt = 'json cell'; model = 'kling-video-o1'; extra = '{"seed": 7, "style": {"warm": false}}' }
            )
            $r = Invoke-Rows $rows
            $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            foreach ($p in 'object', 'json cell') {
                $s = Get-SubmissionOf -Prompt $p
                Get-Kind $s.Raw seed | Should -Be 'Number'
                Get-Kind $s.Raw style.warm | Should -Be 'False'
            }
        }

        It 'makes a value that contains itself that row''s error instead of converting it forever' {
            $loop = @{ seed = 1 }
            $loop.self = $loop
            $rows = @(
                [pscustomobject]@{ Name = 'loop'; prompt = 'x'; extra = $loop }
                [pscustomobject]@{ Name = 'fine'; prompt = 'y'; extra = @{ seed = 2 } }
            )
            $r = Invoke-Rows $rows
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].Exception.Message | Should -BeLike "Row 1 ('loop')*self*"
            @(Get-Submission).Json.prompt | Should -Be @('y')
        }

        It 'makes a key colliding with a field the module sets that row''s error, and sends the others' {
            $rows = @(
                [pscustomobject]@{ Name = 'clash'; prompt = 'x'; model = 'kling-v3'; duration = '5'; extra = '{"duration": 10}' }
                [pscustomobject]@{ Name = 'clash2'; prompt = 'y'; model = 'kling-video-o1'; extra = @{ prompt = 'another prompt' } }
                [pscustomobject]@{ Name = 'fine'; prompt = 'z'; model = 'kling-v3'; extra = '{"seed": 1}' }
            )
            $r = Invoke-Rows $rows
            $r.Errors.Count | Should -Be 2
            $r.Errors[0].Exception.Message | Should -BeLike "Row 1 ('clash')*duration*"
            $r.Errors[1].Exception.Message | Should -BeLike "Row 2 ('clash2')*prompt*"
            @(Get-Submission).Count | Should -Be 1
            (Get-Submission).Json.prompt | Should -Be 'z'
        }
    }

    Context '-Journal with every model' {
        It 'sends nothing new on a rerun of the mixed CSV, and a changed new field makes that row new' {
            $csv = Join-Path $work 'mixed.csv'
            $journal = Join-Path $work 'mixed.journal.jsonl'
            $MixedCsv | Set-Content $csv -Encoding utf8
            $first = Invoke-Rows (Import-Csv $csv) @{ Journal = $journal }
            $first.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 8

            $again = Invoke-Rows (Import-Csv $csv) @{ Journal = $journal }
            $again.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            Get-SubmitCount $emu | Should -Be 8
            ($again.Output.TaskId | Sort-Object) | Should -Be ($first.Output.TaskId | Sort-Object)

            foreach ($change in @(
                    @{ name = 'omni'; column = 'negative_prompt'; value = 'blur, text, logos' }
                    @{ name = 'v3'; column = 'shots'; value = '4: The door opens | 4: A dog runs in' }
                    @{ name = 'future'; column = 'extra'; value = '{"seed":43,"camera":{"type":"orbit","speed":1.5},"loop":true}' }
                    @{ name = 'mc26'; column = 'watermark'; value = 'true' }
                )) {
                $before = Get-SubmitCount $emu
                $rows = Import-Csv $csv
                ($rows | Where-Object Name -EQ $change.name).($change.column) = $change.value
                $rows | Export-Csv $csv -NoTypeInformation -Encoding utf8
                $r = Invoke-Rows (Import-Csv $csv) @{ Journal = $journal }
                $r.Errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
                Get-SubmitCount $emu | Should -Be ($before + 1) -Because "changing $($change.column) of row $($change.name) makes only that row new"
                $r.Output.Count | Should -Be 8
            }
        }
    }
}
