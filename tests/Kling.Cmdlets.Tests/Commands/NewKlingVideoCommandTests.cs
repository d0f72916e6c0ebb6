using Kling.Emulator;

namespace Kling.Cmdlets.Tests;

/// <summary>
/// New-KlingVideo -WhatIf in a hosted runspace whose host keeps what it was told. Moved from
/// tests/Pester/Images.Tests.ps1 and tests/Pester/MaxCost.Tests.ps1, which started a pwsh each to read the console.
/// </summary>
public sealed class NewKlingVideoCommandTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("kling-cmdlets-").FullName;
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 1 });

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void Uploads_and_sends_nothing_with_WhatIf_and_says_which_files_it_would_upload()
    {
        // A small PNG (its type is in its first bytes) with new content.
        string frame = Path.Combine(work, "whatif.png");
        File.WriteAllBytes(frame, new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(Guid.NewGuid().ToByteArray()).ToArray());
        using KlingRunspace runspace = KlingRunspace.Open();
        runspace.Connect(emulator.GatewayUri, emulator.ApiKey);

        runspace.Invoke("param($frame) New-KlingVideo -Prompt 'dry run' -FirstFrame $frame -WhatIf", frame);
        Assert.Empty(runspace.Errors);
        string said = System.Text.RegularExpressions.Regex.Replace(runspace.HostText, @"\s+", " ");
        Assert.Matches(@"What if:.*after uploading " + System.Text.RegularExpressions.Regex.Escape(frame), said);
        Assert.Empty(Requests("/v1/uploads/images"));
        Assert.Empty(Requests("/v1/videos/generations"));
    }

    [Fact]
    public void WhatIf_gives_each_rows_estimate_and_ends_with_the_total()
    {
        using KlingRunspace runspace = KlingRunspace.Open();
        runspace.Connect(emulator.GatewayUri, emulator.ApiKey);
        runspace.Invoke("""
            @([pscustomobject]@{ model = 'kling-v3'; prompt = 'one'; Name = 'a' },
              [pscustomobject]@{ model = 'kling-v3'; prompt = 'two'; Name = 'b'; mode = 'pro'; duration = '10'; audio = 'yes' }) | New-KlingVideo -WhatIf
            """);
        Assert.Empty(runspace.Errors);
        string said = runspace.HostText;
        Assert.Matches(@"(?s)Row 1 \('a'\).*\(estimate 0\.336 USD\)", said);
        Assert.Matches(@"(?s)Row 2 \('b'\).*\(estimate 1\.344 USD\)", said);
        Assert.Contains("What if: 2 row(s) would cost an estimated 1.68 USD", said);
        Assert.Empty(Requests("/v1/videos/generations"));
    }

    private IEnumerable<RecordedRequest> Requests(string path) =>
        emulator.Requests.Where(r => r.Host == "gateway" && r.Method == "POST" && r.Path.StartsWith(path, StringComparison.Ordinal));
}
