BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:emu = Start-KlingEmulator -TaskSeconds 1
}

AfterAll {
    Close-TestEmulator $emu
}

Describe 'Import-Csv | New-KlingVideo | Wait-KlingTask | Save-KlingVideo' {
    BeforeEach {
        Use-FreshEmulator $emu
    }

    It 'turns a mixed CSV into one video per good row and one error per bad row, sending no bad row' {
        $csv = Join-Path $TestDrive 'batch.csv'
        @'
Name,prompt,mode,duration,aspect_ratio,image_urls,video_url,refer_type,keep_original_sound
sunrise,"A sunrise over the sea, slow pan, golden light",std,5,16:9,,,,
猫,让<<<image_1>>>中的猫向镜头挥手,pro,10,9:16,https://img.example/cat.png,,,
empty-cells,"Quotes ""inside"", commas, too",,,,,,,
two-frames,Morph <<<image_1>>> into <<<image_2>>>,,,,https://img.example/a.png;https://img.example/b.png,,,
restyle,Restyle the clip,,,,,https://vid.example/clip.mp4,feature,yes
bad-ratio,A lighthouse,std,5,4:3,,,,
bad-ref,Make <<<image_2>>> dance,,,,https://img.example/only.png,,,
bad-base,Edit the clip,,,,https://img.example/frame.png,https://vid.example/clip.mp4,base,
,,,,,,,,
doomed,This one will [fail] in the gateway,,,,,,,
'@ | Set-Content -Path $csv -Encoding utf8
        $out = Join-Path $TestDrive 'out'
        $files = Import-Csv $csv | New-KlingVideo -ErrorVariable submitErrors -ErrorAction SilentlyContinue |
            Wait-KlingTask -PollInterval 0.2 -ErrorVariable waitErrors -ErrorAction SilentlyContinue |
            Save-KlingVideo -Path $out

        ($files.Name | Sort-Object) | Should -Be (@('sunrise.mp4', '猫.mp4', 'empty-cells.mp4', 'two-frames.mp4', 'restyle.mp4') | Sort-Object)
        $files | ForEach-Object { $_.Length | Should -BeGreaterThan 0 }

        $submitErrors.Count | Should -Be 4
        $submitErrors.Exception.Row | Should -Be @(6, 7, 8, 9)
        $submitErrors | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'InvalidArgument' }
        $waitErrors.Count | Should -Be 1
        $waitErrors[0].TargetObject.Name | Should -Be 'doomed'

        $sent = @(Get-EmulatorRequest $emu -HostName gateway -Method POST -PathLike '/v1/videos/generations*' | ForEach-Object { ($_.body | ConvertFrom-Json).prompt })
        $sent.Count | Should -Be 6
        $sent | Should -Contain '让<<<image_1>>>中的猫向镜头挥手'
        $sent | Should -Contain 'Quotes "inside", commas, too'
        $sent | Should -Not -Contain 'A lighthouse'
    }
}
