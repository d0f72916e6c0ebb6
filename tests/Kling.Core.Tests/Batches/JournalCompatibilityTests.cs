using System.Runtime.CompilerServices;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests.Batches;

/// <summary>
/// Journals users already have keep working: Fixtures/journal-v1.jsonl was written by the version-1 code (before row
/// identities became canonical) submitting <see cref="GoldenRows"/> to the emulator, and is never regenerated.
/// </summary>
public sealed class JournalCompatibilityTests : IAsyncLifetime
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"kling-journal-compat-{Guid.NewGuid():n}");
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 1 });
    }

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private static string Fixture([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", "journal-v1.jsonl");

    /// <summary>The task ids the fixture's run was given, in row order.</summary>
    private static readonly string[] FixtureTasks =
    {
        "task_vc99t7eysia2woyv", "task_wl1iz3ae52itcswu", "task_gftkx4on27bxrckq", "task_isdpe4juy872w1e6", "task_3cum5rkghkyaprab",
        "task_5e4f8g2uzf3751cl", "task_2as0ylebjnlvrkqa", "task_t85zkjo1k2y4r94w", "task_z3rzy0t3pdiga31i", "task_2cv6ls5bc1pw2ane",
    };

    private string CopyOfFixture(bool withHeader = true)
    {
        string path = Path.Combine(folder, "old.jsonl");
        string[] lines = File.ReadAllLines(Fixture());
        File.WriteAllText(path, string.Join("\n", withHeader ? lines : lines.Skip(1)) + "\n");
        return path;
    }

    private KlingClient Client() => new(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString(emulator.ApiKey), "test"));

    /// <summary>A rerun of the golden rows as New-KlingVideo runs one: each row recalled, only those that must be sent started.</summary>
    private List<string> Rerun(string path, IEnumerable<(string Name, VideoRequest Request)> rows)
    {
        var listed = new List<string>();
        using var journal = SubmissionJournal.Open(path);
        using var submitter = new BatchSubmitter(Client(), 1, journal);
        int row = 0;
        foreach (var (name, request) in rows)
        {
            JournalRecall recall = journal.Recall(request, ++row, name);
            if (recall.MustSend)
            {
                submitter.Start(new SubmissionItem(row, name, request, recall.Key, null));
            }
            else
            {
                Assert.Null(recall.InDoubt);
                listed.Add(recall.Earlier!.TaskId);
            }
        }

        listed.AddRange(SubmitterSuite.Drain(submitter).Select(o => o.Task!.TaskId));
        return listed;
    }

    private int Posts() => emulator.Requests.Count(r => r.Method == "POST");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_rerun_over_a_journal_of_an_earlier_version_sends_nothing_and_lists_the_same_tasks(bool withHeader)
    {
        // Without its header: the same lines as the version before headers wrote them (the same identities).
        string path = CopyOfFixture(withHeader);
        byte[] before = File.ReadAllBytes(path);

        Assert.Equal(FixtureTasks, Rerun(path, GoldenRows.All()));
        Assert.Equal(0, Posts());
        Assert.Equal(FixtureTasks, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
        if (withHeader)
        {
            Assert.Equal(before, File.ReadAllBytes(path));
        }
    }

    [Fact]
    public void A_row_added_to_an_old_journal_is_journaled_the_old_way_so_the_next_rerun_sends_nothing_either()
    {
        string path = CopyOfFixture();
        var rows = GoldenRows.All().Append(("new", new VideoRequest { Model = "kling-v3", Prompt = "a row the first run did not have" })).ToList();

        List<string> first = Rerun(path, rows);
        Assert.Equal(1, Posts());
        Assert.Equal(FixtureTasks, first.Take(10));

        Assert.Equal(first, Rerun(path, rows));
        Assert.Equal(1, Posts());
        Assert.Equal(first, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
        Assert.Contains("\"version\":1", File.ReadLines(path).First());
    }
}
