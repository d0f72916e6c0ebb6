using System.Management.Automation;
using Kling.Emulator;

namespace Kling.Cmdlets.Tests;

/// <summary>
/// Connect-Kling belongs to the runspace that ran it (issue 11, point 10): hosted runspaces in this process, two
/// emulators (in this process too, on loopback) with different keys. Moved from tests/Pester/Sessions.Tests.ps1.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class ConnectKlingCommandTests : IAsyncLifetime
{
    private const string SubmitScript = "param($who) 1..4 | ForEach-Object { [pscustomobject]@{ prompt = \"$who $_\" } } | New-KlingVideo -ThrottleLimit 2 | ForEach-Object TaskId";

    private GatewayEmulator emuA = null!;
    private GatewayEmulator emuB = null!;
    private IDisposable environment = null!;

    public async Task InitializeAsync()
    {
        emuA = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.5, ApiKey = "key-of-runspace-a" });
        emuB = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.5, ApiKey = "key-of-runspace-b" });
        environment = ProcessEnvironment.Set(("KLING_API_KEY", null), ("KLING_BASE_URL", null));
    }

    public async Task DisposeAsync()
    {
        environment.Dispose();
        await emuA.DisposeAsync();
        await emuB.DisposeAsync();
    }

    [Fact]
    public async Task Keeps_two_runspaces_connected_to_different_gateways_apart_each_sends_its_own_rows_with_its_own_key()
    {
        using KlingRunspace a = KlingRunspace.Open();
        using KlingRunspace b = KlingRunspace.Open();
        a.Connect(emuA.GatewayUri, emuA.ApiKey);
        b.Connect(emuB.GatewayUri, emuB.ApiKey);

        // Both submit at the same time, each on its own pipeline thread.
        Task<IReadOnlyList<PSObject>> fromA = a.InvokeAsync(SubmitScript, "from A");
        Task<IReadOnlyList<PSObject>> fromB = b.InvokeAsync(SubmitScript, "from B");
        Assert.Equal(4, (await fromA).Count);
        Assert.Equal(4, (await fromB).Count);
        Assert.Empty(a.Errors);
        Assert.Empty(b.Errors);

        Assert.Equal(new[] { "from A 1", "from A 2", "from A 3", "from A 4" }, Prompts(emuA));
        Assert.Equal(new[] { "from B 1", "from B 2", "from B 3", "from B 4" }, Prompts(emuB));
        Assert.Equal(new[] { "Bearer " + emuA.ApiKey }, Authorizations(emuA));
        Assert.Equal(new[] { "Bearer " + emuB.ApiKey }, Authorizations(emuB));

        // Each runspace reports its own connection.
        Assert.Equal(emuA.GatewayUri.ToString(), Property(a.Invoke("Get-KlingConfig").Single(), "BaseUrl"));
        Assert.Equal(emuB.GatewayUri.ToString(), Property(b.Invoke("Get-KlingConfig").Single(), "BaseUrl"));
    }

    [Fact]
    public void Lets_a_runspace_that_never_connected_use_the_environment_variables_not_another_runspaces_connection()
    {
        using KlingRunspace connected = KlingRunspace.Open();
        connected.Connect(emuA.GatewayUri, emuA.ApiKey);
        using IDisposable env = ProcessEnvironment.Set(("KLING_BASE_URL", emuB.GatewayUri.ToString()), ("KLING_API_KEY", emuB.ApiKey));
        using KlingRunspace unconnected = KlingRunspace.Open();

        PSObject config = unconnected.Invoke("Get-KlingConfig").Single();
        Assert.Equal("$env:KLING_API_KEY", Property(config, "KeySource"));
        Assert.Equal("$env:KLING_BASE_URL", Property(config, "BaseUrlSource"));
        Assert.Equal(4, unconnected.Invoke(SubmitScript, "unconnected").Count);
        Assert.Empty(unconnected.Errors);
        Assert.Empty(Prompts(emuA));
        Assert.Equal(new[] { "Bearer " + emuB.ApiKey }, Authorizations(emuB));

        // And the connected runspace still has its own connection.
        Assert.StartsWith("task_", Property(connected.Invoke("(New-KlingVideo -Prompt 'connected here').TaskId").Single(), null));
        Assert.Equal(new[] { "connected here" }, Prompts(emuA));
    }

    [Fact]
    public void Gives_ForEach_Object_Parallel_and_Start_ThreadJob_runspaces_the_environment_not_the_callers_connection()
    {
        using KlingRunspace caller = KlingRunspace.Open();
        caller.Connect(emuA.GatewayUri, emuA.ApiKey);
        using IDisposable env = ProcessEnvironment.Set(("KLING_BASE_URL", emuB.GatewayUri.ToString()), ("KLING_API_KEY", emuB.ApiKey));

        const string Script = """
            param($module)
            $parallel = @(1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
                    Import-Module $using:module
                    (New-KlingVideo -Prompt "parallel $_").TaskId
                })
            $threadJob = if (Get-Command Start-ThreadJob -ErrorAction SilentlyContinue) {
                $job = Start-ThreadJob -ScriptBlock { param($m) Import-Module $m; (New-KlingVideo -Prompt 'thread job').TaskId } -ArgumentList $module
                @(Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop).Count
            }
            [pscustomobject]@{ Parallel = $parallel.Count; ThreadJob = $threadJob }
            """;
        PSObject result = caller.Invoke(Script, ModuleUnderTest.ManifestPath).Single();
        Assert.Empty(caller.Errors);
        Assert.Equal(2, (int)result.Properties["Parallel"].Value);
        if (result.Properties["ThreadJob"].Value is int jobs)
        {
            Assert.Equal(1, jobs);
        }

        Assert.Empty(Prompts(emuA));
        Assert.Equal(new[] { "parallel 1", "parallel 2" }, Prompts(emuB).Where(p => p.StartsWith("parallel ", StringComparison.Ordinal)));
        Assert.Equal(new[] { "Bearer " + emuB.ApiKey }, Authorizations(emuB));
    }

    [Fact]
    public void Forgets_the_connection_on_Remove_Module_so_Import_Module_starts_without_it()
    {
        using KlingRunspace runspace = KlingRunspace.Open();
        const string Script = """
            param($m, $url, $key)
            Connect-Kling -ApiKey (ConvertTo-SecureString $key -AsPlainText -Force) -BaseUrl $url
            $before = Get-KlingConfig
            Remove-Module Kling
            Import-Module $m
            $after = Get-KlingConfig
            [pscustomobject]@{ Before = $before.KeySource; After = $after.KeySource; AfterHasKey = $after.HasKey; AfterUrl = $after.BaseUrlSource }
            """;
        PSObject result = runspace.Invoke(Script, ModuleUnderTest.ManifestPath, emuA.GatewayUri.ToString().TrimEnd('/'), emuA.ApiKey).Single();
        Assert.Empty(runspace.Errors);
        Assert.Equal("Connect-Kling -ApiKey", Property(result, "Before"));
        Assert.Equal("none", Property(result, "After"));
        Assert.False((bool)result.Properties["AfterHasKey"].Value);
        Assert.Equal("default", Property(result, "AfterUrl"));
    }

    private static string? Property(PSObject value, string? name) =>
        (name == null ? value.BaseObject : value.Properties[name]?.Value)?.ToString();

    private static IEnumerable<RecordedRequest> Submissions(GatewayEmulator emulator) =>
        emulator.Requests.Where(r => r.Host == "gateway" && r.Method == "POST" && r.Path.StartsWith("/v1/videos/generations", StringComparison.Ordinal));

    private static string[] Prompts(GatewayEmulator emulator) =>
        Submissions(emulator).Select(r => System.Text.Json.JsonDocument.Parse(r.Body!).RootElement.GetProperty("prompt").GetString()!).Order(StringComparer.Ordinal).ToArray();

    private static string[] Authorizations(GatewayEmulator emulator) =>
        Submissions(emulator).Select(r => r.Headers.TryGetValue("Authorization", out string? v) ? v : "").Distinct().ToArray();
}
