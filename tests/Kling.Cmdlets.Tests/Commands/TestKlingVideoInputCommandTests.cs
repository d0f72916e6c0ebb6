using System.Management.Automation;

namespace Kling.Cmdlets.Tests;

/// <summary>Test-KlingVideoInput in a hosted runspace. Moved from tests/Pester/Test-KlingVideoInput.Tests.ps1, which started a pwsh for it.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class TestKlingVideoInputCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("kling-cmdlets-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Needs_no_key_and_no_gateway()
    {
        // No key, and a base URL nothing answers at (TEST-NET-1): reading a clip's header asks no one.
        using IDisposable env = ProcessEnvironment.Set(("KLING_API_KEY", ""), ("KLING_BASE_URL", "https://192.0.2.1"));
        using KlingRunspace runspace = KlingRunspace.Open();
        string mp4Writer = Path.Combine(ModuleUnderTest.RepositoryRoot, "tests", "Pester", "Mp4.ps1");
        PSObject valid = runspace.Invoke("param($writer, $clip) . $writer; (Test-KlingVideoInput -Path (New-TestVideo $clip)).IsValid", mp4Writer, Path.Combine(work, "offline.mp4")).Single();
        Assert.Empty(runspace.Errors);
        Assert.True((bool)valid.BaseObject);
    }
}
