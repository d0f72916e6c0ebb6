using System.Diagnostics;
using System.Text.Json;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>A stopped batch ends the waits of its rows at once; only POSTs on the wire get the grace.</summary>
public sealed class SubmissionWaitTests : SubmitterSuite
{
    public SubmissionWaitTests()
        : base("wait")
    {
    }

    private void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting for " + what);
            Thread.Sleep(20);
        }
    }

    /// <summary>The latest journal line of each row identity.</summary>
    private Dictionary<string, string> LatestTypes()
    {
        var latest = new Dictionary<string, string>();
        foreach (string line in File.ReadAllLines(journalPath))
        {
            JsonElement root = JsonDocument.Parse(line).RootElement;
            if (root.TryGetProperty("row", out _))
            {
                latest[root.GetProperty("key").GetString()!] = root.GetProperty("type").GetString()!;
            }
        }

        return latest;
    }

    [Theory]
    [InlineData(429, null)]
    [InlineData(409, "idempotency_in_progress")]
    [InlineData(503, "idempotency_unavailable")]
    public void Shutdown_ends_a_wait_after_an_answer_that_executed_nothing_at_once_and_journals_the_row_not_sent(int status, string? code)
    {
        emulator.AddFault(new Fault { Route = "submit", Status = status, Code = code, RetryAfter = "30" });
        using var journal = SubmissionJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(Client(), 4, journal);
        var request = new VideoRequest { Prompt = "waits" };
        submitter.Start(new SubmissionItem(1, "waits", request, journal.KeyFor(request), null));
        WaitFor(() => emulator.Requests.Any(r => r.Method == "POST" && r.Status == status), "the refusal");

        var clock = Stopwatch.StartNew();
        IReadOnlyList<KlingTask> accepted = submitter.Shutdown(BatchSubmitter.StopGrace);
        clock.Stop();

        Assert.Empty(accepted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the stop took {clock.Elapsed.TotalSeconds:0.0} s: the 30 s wait (or the 5 s grace) was sat out");
        Assert.Equal(new[] { SubmissionJournal.NotSent }, LatestTypes().Values);
        Assert.Single(emulator.Requests, r => r.Method == "POST");
    }

    [Fact]
    public void Shutdown_ends_a_wait_for_a_turn_after_a_429_at_once_while_the_post_on_the_wire_gets_its_answer()
    {
        using var journal = SubmissionJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(Client(), 2, journal);
        Start(submitter, journal, 1, "first");
        WaitFor(() => submitter.TryTake(TimeSpan.Zero, out SubmissionOutcome? o) && o!.Task != null, "the first task (the limit opens to 2)");

        // The gateway takes one at a time, answering the second at once with a 429 and Retry-After 0; the first takes 2 s.
        emulator.Options.MaxConcurrentSubmits = 1;
        emulator.Options.ConcurrencyRetryAfter = 0;
        emulator.Options.LatencyMs = 2000;
        Start(submitter, journal, 2, "on the wire");
        WaitFor(() => emulator.Requests.Count(r => r.Method == "POST") == 2, "the slow POST on the wire");
        Start(submitter, journal, 3, "waits for a turn");
        WaitFor(() => emulator.Requests.Any(r => r.Method == "POST" && r.Status == 429), "the 429");

        IReadOnlyList<KlingTask> accepted = submitter.Shutdown(BatchSubmitter.StopGrace);

        Assert.Equal("on the wire", Assert.Single(accepted).Name);
        Dictionary<string, string> latest = LatestTypes();
        Assert.Equal(new[] { SubmissionJournal.Submitted, SubmissionJournal.Submitted, SubmissionJournal.NotSent }, latest.Values);
        Assert.Equal(3, emulator.Requests.Count(r => r.Method == "POST"));
    }

    private static void Start(BatchSubmitter submitter, SubmissionJournal journal, int row, string prompt)
    {
        var request = new VideoRequest { Prompt = prompt };
        submitter.Start(new SubmissionItem(row, prompt, request, journal.KeyFor(request), null));
    }
}
