using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// What the suites that submit through a <see cref="BatchSubmitter"/> share: an emulator of their own per test, a journal
/// path no other test uses (deleted with its lock afterwards), a client with short backoffs, and draining a submitter.
/// </summary>
public abstract class SubmitterSuite : IAsyncLifetime
{
    protected SubmitterSuite(string name)
    {
        journalPath = Path.Combine(Path.GetTempPath(), $"kling-{name}-{Guid.NewGuid():n}.jsonl");
    }

    protected GatewayEmulator emulator = null!;

    protected readonly string journalPath;

    public async Task InitializeAsync() => emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 1 });

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        File.Delete(journalPath);
        File.Delete(JournalLock.PathFor(journalPath));
    }

    protected KlingClient Client() =>
        new(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString(emulator.ApiKey), "test")) { Retry = { BaseDelay = TimeSpan.FromMilliseconds(20) } };

    /// <summary>Every outcome of the rows started, taken as they come (a minute at most: a lost outcome fails the test, not the run).</summary>
    internal static List<SubmissionOutcome> Drain(BatchSubmitter submitter)
    {
        var outcomes = new List<SubmissionOutcome>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (submitter.Outstanding > 0 && DateTimeOffset.UtcNow < deadline)
        {
            if (submitter.TryTake(TimeSpan.FromMilliseconds(100), out SubmissionOutcome? o))
            {
                outcomes.Add(o!);
            }
        }

        return outcomes;
    }
}
