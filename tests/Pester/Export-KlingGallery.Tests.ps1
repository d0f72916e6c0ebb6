# Export-KlingGallery: a real batch on the emulator, the page written from sidecars (written here by hand, as
# SIDECAR.md fixes them) and from the index joined with the journal, then loaded in headless Chromium and its DOM
# checked: one video per saved file, the prompts as text, an injected prompt inert, the filter narrowing the cards.
# When the browser cannot run, the browser tests fail under CI=true or KLING_REQUIRE_BROWSER=1 (.ci/run installs
# it and sets that) and are skipped, saying why, elsewhere.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:emu = Start-KlingEmulator -TaskSeconds 0.3
    Use-Emulator $emu
    $script:results = Join-Path $RepoRoot 'out/test-results'
    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ('kling-gallery-' + [guid]::NewGuid().ToString('n'))
    $script:out = Join-Path $work 'out'
    $script:journal = Join-Path $work 'batch.journal.jsonl'
    New-Item -ItemType Directory -Force -Path $out | Out-Null

    function Find-Chromium {
        <# The browser ($env:KLING_CHROMIUM, else the first on PATH), and why it cannot run when it cannot: no problem when it loaded a page. #>
        if ($env:KLING_CHROMIUM) {
            if (-not (Test-Path -LiteralPath $env:KLING_CHROMIUM -PathType Leaf)) { return @{ Exe = $null; Problem = "`$env:KLING_CHROMIUM names '$env:KLING_CHROMIUM', which is not a file" } }
            $exe = $env:KLING_CHROMIUM
        }
        else { $exe = foreach ($name in 'chromium', 'chromium-browser', 'google-chrome') {
            $found = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($found) { $found.Source; break }
        } }
        if (-not $exe) { return @{ Exe = $null; Problem = 'no chromium on PATH (Debian: apt-get install -y chromium; .ci/run installs it)' } }
        $probe = Invoke-Chromium -Exe $exe -Arguments @('--dump-dom', 'data:text/html,<p>kling-probe</p>')
        if ($probe.ExitCode -ne 0 -or $probe.Output -notlike '*kling-probe*') {
            return @{ Exe = $exe; Problem = "$exe could not load a page (exit $($probe.ExitCode)): $($probe.Error)" }
        }
        @{ Exe = $exe; Problem = $null }
    }

    function Invoke-Chromium {
        <# Headless Chromium with its own profile; what it printed, its errors and exit code. Killed after 120 s. #>
        param([string] $Exe = $script:browser.Exe, [Parameter(Mandatory)] [string[]] $Arguments)
        $profileDir = Join-Path ([IO.Path]::GetTempPath()) ('kling-chromium-' + [guid]::NewGuid().ToString('n'))
        $psi = [System.Diagnostics.ProcessStartInfo]::new($Exe)
        foreach ($a in @('--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', "--user-data-dir=$profileDir") + $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        try {
            $p = [System.Diagnostics.Process]::Start($psi)
            $stdout = $p.StandardOutput.ReadToEndAsync()
            $stderr = $p.StandardError.ReadToEndAsync()
            if (-not $p.WaitForExit(120000)) { $p.Kill($true); throw "chromium did not finish within 120 s: $($Arguments -join ' ')" }
            $p.WaitForExit()
            [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
        }
        finally {
            Remove-Item -Recurse -Force $profileDir -ErrorAction SilentlyContinue
        }
    }

    function Assert-Browser {
        <# Loud when the browser cannot run: a failure under CI, a skip that says why elsewhere. #>
        if ($script:browser.Problem) {
            $why = "headless Chromium cannot run, so the gallery was NOT tested in a browser: $($script:browser.Problem)"
            if ($env:CI -eq 'true' -or $env:KLING_REQUIRE_BROWSER -eq '1') { throw $why }
            Set-ItResult -Skipped -Because $why
            return $false
        }
        $true
    }

    function Get-Dom {
        <# The page's DOM after its script ran, as Chromium serialises it. #>
        param([Parameter(Mandatory)] [string] $Page, [string] $Query = '')
        $url = [Uri]::new($Page).AbsoluteUri + $Query
        $run = Invoke-Chromium -Arguments @('--dump-dom', $url)
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output
    }

    function Get-Cards {
        <# Each <article> of a dumped DOM: shown or hidden, its video's src and its prompt as text. #>
        param([Parameter(Mandatory)] [string] $Dom)
        foreach ($m in [regex]::Matches($Dom, '(?s)<article(?<attrs>[^>]*)>(?<body>.*?)</article>')) {
            $body = $m.Groups['body'].Value
            $src = [regex]::Match($body, '<video[^>]*\ssrc="(?<s>[^"]*)"').Groups['s'].Value
            $prompt = [regex]::Match($body, '(?s)<p class="prompt"[^>]*>(?<p>.*?)</p>')
            $name = [regex]::Match($body, '(?s)<span class="name"[^>]*>(?<n>.*?)</span>').Groups['n'].Value
            [pscustomobject]@{
                Hidden = $m.Groups['attrs'].Value -match '\shidden'
                Class  = [regex]::Match($m.Groups['attrs'].Value, 'class="(?<c>[^"]*)"').Groups['c'].Value
                Src    = if ($src) { [Uri]::UnescapeDataString([System.Net.WebUtility]::HtmlDecode($src)) } else { $null }
                Name   = [System.Net.WebUtility]::HtmlDecode($name)
                Prompt = if ($prompt.Success) { [System.Net.WebUtility]::HtmlDecode($prompt.Groups['p'].Value) } else { $null }
                Html   = $body
            }
        }
    }

    $script:browser = Find-Chromium

    # The batch: a prompt that would run a script, one that would add an element with a handler, Chinese and Arabic
    # prompts, a task the gateway fails (the emulator's [fail] marker) and a row it refuses (build_request_failed).
    $script:rows = @(
        [pscustomobject]@{ Name = 'refused'; prompt = 'A lighthouse at night'; model = 'kling-v3'; mode = 'std'; duration = 5 }
        [pscustomobject]@{ Name = 'heron'; prompt = 'A heron lifts off the water at dawn'; model = 'kling-v3'; mode = 'pro'; duration = 5 }
        [pscustomobject]@{ Name = 'lantern'; prompt = '<script>window.pwned=1</script> a paper lantern drifts'; model = 'kling-v3'; mode = 'std'; duration = 5 }
        [pscustomobject]@{ Name = 'kite'; prompt = '<img src=x onerror="window.pwned=2"> a kite over the dunes" onerror="window.pwned=3'; model = 'kling-v2-6'; mode = 'std'; duration = 10 }
        [pscustomobject]@{ Name = 'cat-zh'; prompt = '让猫向镜头挥手，慢镜头'; model = 'kling-video-o1'; mode = 'pro'; duration = 5 }
        [pscustomobject]@{ Name = 'heron-ar'; prompt = 'مالك الحزين يطير فوق الماء'; model = 'kling-v3'; mode = 'std'; duration = 8 }
        [pscustomobject]@{ Name = 'storm'; prompt = 'A storm over the sea [fail]'; model = 'kling-v3'; mode = 'std'; duration = 5 }
    )
    Add-EmulatorFault $emu @{ route = 'submit'; kind = 'status'; status = 500; message = 'build_request_failed: invalid size: 3:5, allowed: 16:9, 9:16, 1:1'; times = 1 }
    $script:files = @($rows | New-KlingVideo -Journal $journal -ErrorAction SilentlyContinue |
        Wait-KlingTask -PollInterval 0.1 -ErrorAction SilentlyContinue | Tee-Object -Variable done |
        Save-KlingVideo -Path $out)
    $script:done = @($done)
    $script:saved = @($rows | Where-Object { $_.Name -notin 'refused', 'storm' })

    # The same videos with sidecars and no index: the page must need nothing else.
    $script:withSidecars = Join-Path $work 'videos'
    New-Item -ItemType Directory -Path $withSidecars | Out-Null
    foreach ($file in $files) {
        $task = $done | Where-Object TaskId -eq $file.TaskId
        Copy-Item -LiteralPath $file.FullName -Destination $withSidecars
        $sidecar = [ordered]@{
            kind = 'kling.video/1'; module = 'Kling 0.1.0'; file = $file.Name; taskId = $task.TaskId; row = $task.Row; name = $task.Name
            model = $task.Request.Model; mode = $task.Mode; duration = $task.Duration; prompt = $task.Request.Prompt
            costUsd = $task.Cost; bytes = $file.Length; resultHost = '127.0.0.1'
        }
        [IO.File]::WriteAllText((Join-Path $withSidecars ($file.Name + '.json')), ($sidecar | ConvertTo-Json), [Text.UTF8Encoding]::new($false))
    }
}

AfterAll {
    Close-TestEmulator $emu
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

Describe 'Export-KlingGallery' {
    It 'the batch saved a video per row that completed (the set-up this file stands on)' {
        @($files).Count | Should -Be $saved.Count
        (Get-ChildItem $withSidecars -Filter *.json).Count | Should -Be $saved.Count
    }

    It 'writes index.html in the folder, marked as Kling''s, and gives it as the file system''s object' {
        $page = Export-KlingGallery -Path $out -Journal $journal
        $page | Should -BeOfType [System.IO.FileInfo]
        $page.FullName | Should -Be (Join-Path $out 'index.html')
        $page.Length | Should -BeGreaterThan 0
        $html = Get-Content -Raw -LiteralPath $page.FullName -Encoding utf8
        $html | Should -BeLike '*<meta charset="utf-8">*'
        $html | Should -BeLike '*<meta name="generator" content="Kling Export-KlingGallery">*'
        $html | Should -Not -Match '(src|href)="(https?:)?//' -Because 'the page loads nothing from the network'
    }

    It 'never overwrites a file it did not write: ResourceExists, targeting the path, the file unchanged' {
        $mine = Join-Path $work 'mine.html'
        Set-Content -LiteralPath $mine -Value '<html>my notes</html>' -NoNewline
        $err = $null
        try { Export-KlingGallery -Path $out -OutFile $mine } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty -Because 'a file Kling did not write stops the command'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.FullyQualifiedErrorId | Should -BeLike 'GalleryFileExists,*'
        $err.TargetObject | Should -Be $mine
        Get-Content -Raw -LiteralPath $mine | Should -Be '<html>my notes</html>'
        Export-KlingGallery -Path $out -OutFile (Join-Path $work 'fresh.html') | Should -Not -BeNullOrEmpty
        Export-KlingGallery -Path $out -OutFile (Join-Path $work 'fresh.html') | Should -Not -BeNullOrEmpty -Because 'its own page is rewritten'
    }

    It 'without a key asks the gateway nothing: a task with no video here stays a card saying so, and a warning says why' {
        $key = $env:KLING_API_KEY
        try {
            $env:KLING_API_KEY = $null
            $before = @(Get-EmulatorRequest $emu -HostName gateway).Count
            $page = Export-KlingGallery -Path $out -Journal $journal -OutFile (Join-Path $work 'nokey.html') -WarningVariable warned 3>$null
            @($warned).Count | Should -Be 1
            "$($warned[0])" | Should -BeLike '*1 task(s) of the journal have no video in the folder; no Kling API key is set*'
            @(Get-EmulatorRequest $emu -HostName gateway).Count | Should -Be $before
            $html = Get-Content -Raw -LiteralPath $page.FullName -Encoding utf8
            $html | Should -Match '(?s)<article class="nofile"[^>]*>(?:(?!</article>).)*storm(?:(?!</article>).)*no video of this task in the folder'
            $html | Should -Match '(?s)<article class="notsent"[^>]*>(?:(?!</article>).)*build_request_failed'
        }
        finally {
            $env:KLING_API_KEY = $key
        }
    }

    Context 'in headless Chromium' {
        It 'from the index and the journal: one video per saved file, the prompts as text, the failed and refused rows with their reasons' {
            if (-not (Assert-Browser)) { return }
            $page = Export-KlingGallery -Path $out -Journal $journal
            $dom = Get-Dom $page.FullName
            $cards = @(Get-Cards $dom)

            $videos = @($cards | Where-Object Src)
            $videos.Count | Should -Be $files.Count
            ($videos.Src | Sort-Object) | Should -Be ($files.Name | Sort-Object)
            foreach ($row in $saved) {
                ($videos | Where-Object Name -eq $row.Name).Prompt | Should -BeExactly $row.prompt
            }
            $failed = $cards | Where-Object Class -eq 'failed'
            $failed.Name | Should -Be 'storm'
            $failed.Html | Should -BeLike '*Content moderation failed*'
            $refused = $cards | Where-Object Class -eq 'notsent'
            $refused.Name | Should -Be 'refused'
            $refused.Html | Should -BeLike '*build_request_failed: invalid size: 3:5*'
            $dom | Should -BeLike "*<b>$($files.Count)</b> videos*"
        }

        It 'from sidecars alone (no index, no journal): the same videos and prompts, the injected prompts inert; keeps a screenshot' {
            if (-not (Assert-Browser)) { return }
            Remove-Item -LiteralPath (Join-Path $withSidecars '.kling-saved.jsonl') -ErrorAction SilentlyContinue
            $page = Export-KlingGallery -Path $withSidecars
            $dom = Get-Dom $page.FullName
            $cards = @(Get-Cards $dom)

            $cards.Count | Should -Be $saved.Count
            ($cards.Src | Sort-Object) | Should -Be ($files.Name | Sort-Object)
            foreach ($row in $saved) {
                ($cards | Where-Object Name -eq $row.Name).Prompt | Should -BeExactly $row.prompt
            }
            ($cards | Where-Object Name -eq 'cat-zh').Html | Should -BeLike '*dir="auto"*'
            $dom | Should -Not -BeLike '*id="kling-pwned"*' -Because 'no script from a prompt ran'
            [regex]::Matches($dom, '<script').Count | Should -Be 1 -Because 'the page''s own script is its only one'
            [regex]::Matches($dom, '<img').Count | Should -Be 0 -Because 'no element came from a prompt'
            $dom | Should -Not -Match '<[a-zA-Z][^<>]*\son[a-z]+\s*=' -Because 'no handler attribute came from a prompt (the prompt''s "onerror=" is text)'

            $shot = Join-Path $results 'gallery.png'
            Remove-Item -LiteralPath $shot -ErrorAction SilentlyContinue
            $run = Invoke-Chromium -Arguments @("--screenshot=$shot", '--window-size=1280,900', '--hide-scrollbars', [Uri]::new($page.FullName).AbsoluteUri)
            $run.ExitCode | Should -Be 0 -Because $run.Error
            (Get-Item -LiteralPath $shot).Length | Should -BeGreaterThan 10000
            [IO.File]::ReadAllBytes($shot)[1..3] | Should -Be @(0x50, 0x4E, 0x47) -Because 'it is a PNG'
        }

        It 'the filter narrows the cards (?q= in the address) and the sort orders them by cost' {
            if (-not (Assert-Browser)) { return }
            $page = Export-KlingGallery -Path $out -Journal $journal
            $shown = @(Get-Cards (Get-Dom $page.FullName '?q=heron') | Where-Object { -not $_.Hidden })
            ($shown.Name | Sort-Object) | Should -Be @('heron', 'heron-ar')
            $shown = @(Get-Cards (Get-Dom $page.FullName '?q=KLING-V2-6') | Where-Object { -not $_.Hidden })
            $shown.Name | Should -Be 'kite'
            $shown = @(Get-Cards (Get-Dom $page.FullName '?q=%E7%8C%AB') | Where-Object { -not $_.Hidden })
            $shown.Name | Should -Be 'cat-zh'
            @(Get-Cards (Get-Dom $page.FullName '?q=nothing-matches') | Where-Object { -not $_.Hidden }).Count | Should -Be 0

            $byCost = @(Get-Cards (Get-Dom $page.FullName '?sort=cost') | Where-Object Src)
            $costs = foreach ($c in $byCost) { ($done | Where-Object Name -eq $c.Name).Cost }
            $costs | Should -Be @($costs | Sort-Object -Descending)
        }
    }
}
