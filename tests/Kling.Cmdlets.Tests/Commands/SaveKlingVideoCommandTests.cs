using System.Management.Automation;
using Kling.Emulator;

namespace Kling.Cmdlets.Tests;

/// <summary>
/// What Save-KlingVideo and the task objects give a script, in a hosted runspace: the file system's own objects,
/// -PassThru's tasks with their Files, and a CSV that reads the same in any culture.
/// </summary>
public sealed class SaveKlingVideoCommandTests : IAsyncLifetime
{
    private readonly string work = Directory.CreateTempSubdirectory("kling-cmdlets-").FullName;
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.2, ResultCount = 2, VideoBytes = 2048 });

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void Writes_the_providers_objects_tagged_with_their_task()
    {
        using KlingRunspace runspace = Connected();
        PSObject[] files = runspace.Invoke("""
            param($folder)
            New-KlingVideo -Prompt 'two results' -Name 'pair' | Wait-KlingTask -PollInterval 0.1 -InformationAction Ignore |
                Save-KlingVideo -Path $folder
            """, work).ToArray();
        Assert.Empty(runspace.Errors);
        Assert.Equal(new[] { "pair-1.mp4", "pair-2.mp4" }, files.Select(f => (string)f.Properties["Name"].Value));
        foreach (PSObject file in files)
        {
            Assert.IsType<FileInfo>(file.BaseObject);
            Assert.StartsWith(@"Microsoft.PowerShell.Core\FileSystem::", (string)file.Properties["PSPath"].Value, StringComparison.Ordinal);
            Assert.Equal("pair", file.Properties["TaskName"].Value);
            Assert.Equal(1, file.Properties["Row"].Value);
            Assert.StartsWith("task_", (string)file.Properties["TaskId"].Value, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(file.Properties["Model"].Value as string));
        }
    }

    [Fact]
    public void PassThru_writes_each_task_once_with_its_files_which_export_as_one_column_in_any_culture()
    {
        using KlingRunspace runspace = Connected();
        PSObject[] rows = runspace.Invoke("""
            param($folder)
            [Threading.Thread]::CurrentThread.CurrentCulture = 'de-DE'
            'one', 'two' | ForEach-Object { [pscustomobject]@{ Prompt = 'a clip'; Name = $_ } } |
                New-KlingVideo | Wait-KlingTask -PollInterval 0.1 -InformationAction Ignore |
                Save-KlingVideo -Path $folder -PassThru -ThrottleLimit 1 |
                ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
            """, work).ToArray();
        Assert.Empty(runspace.Errors);
        Assert.Equal(new[] { "one", "two" }, rows.Select(r => (string)r.Properties["Name"].Value).OrderBy(n => n));
        foreach (PSObject row in rows)
        {
            string name = (string)row.Properties["Name"].Value;
            string[] files = ((string)row.Properties["Files"].Value).Split("; ");
            Assert.Equal(new[] { name + "-1.mp4", name + "-2.mp4" }, files.Select(Path.GetFileName));
            Assert.All(files, f => Assert.True(File.Exists(f), f));
            Assert.True(DateTimeOffset.TryParseExact((string)row.Properties["Completed"].Value, "o", null, System.Globalization.DateTimeStyles.None, out _), (string)row.Properties["Completed"].Value);
            Assert.Equal(2, ((string)row.Properties["VideoUrl"].Value).Split("; ").Length);
        }
    }

    private KlingRunspace Connected()
    {
        KlingRunspace runspace = KlingRunspace.Open();
        runspace.Connect(emulator.GatewayUri, emulator.ApiKey);
        return runspace;
    }
}
