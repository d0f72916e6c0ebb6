using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Concurrent submission against the emulator.</summary>
public sealed class BatchSubmitterTests : SubmitterSuite
{
    public BatchSubmitterTests()
        : base("batch")
    {
    }

    [Fact]
    public void Keeps_up_to_the_throttle_limit_in_flight()
    {
        emulator.Options.LatencyMs = 150;
        using var submitter = new BatchSubmitter(Client(), 6, null);
        for (int i = 1; i <= 24; i++)
        {
            submitter.Start(new SubmissionItem(i, $"r{i}", new VideoRequest { Prompt = $"row {i}" }, null, null));
        }

        List<SubmissionOutcome> outcomes = Drain(submitter);
        Assert.Equal(24, outcomes.Count(o => o.Task != null));
        Assert.Equal(Enumerable.Range(1, 24), outcomes.Select(o => o.Task!.Row).OrderBy(r => r));
        int most = JsonDocument.Parse(JsonSerializer.Serialize(emulator.Stats)).RootElement.GetProperty("maxSubmitsInFlight").GetInt32();
        Assert.InRange(most, 4, 6);
    }

    [Fact]
    public void Survives_a_429_storm_with_every_row_submitted_exactly_once()
    {
        emulator.Options.Submit429Rate = 0.3;
        emulator.Options.MaxConcurrentSubmits = 3;
        emulator.Options.LatencyMs = 30;
        using var journal = SubmissionJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(Client(), 8, journal) { MaxRateLimitRetries = 50 };
        for (int i = 1; i <= 40; i++)
        {
            var request = new VideoRequest { Prompt = $"row {i}" };
            submitter.Start(new SubmissionItem(i, null, request, journal.KeyFor(request), null));
        }

        List<SubmissionOutcome> outcomes = Drain(submitter);
        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(40, outcomes.Count(o => o.Task != null));
        var accepted = emulator.Requests.Where(r => r.Method == "POST" && r.Status == 200).Select(r => r.Body).ToList();
        Assert.Equal(40, accepted.Count);
        Assert.Equal(40, accepted.Distinct().Count());
        Assert.True(submitter.Concurrency.LowestLimit < 8, "repeated 429s lower the concurrency");
        Assert.Equal(40, SubmissionJournal.ReadTasks(journalPath).Count);
    }

    [Fact]
    public void Stops_sending_after_a_401_and_reports_the_rest_as_not_sent()
    {
        var client = new KlingClient(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString("wrong"), "test"));
        using var submitter = new BatchSubmitter(client, 4, null);
        for (int i = 1; i <= 10; i++)
        {
            submitter.Start(new SubmissionItem(i, null, new VideoRequest { Prompt = $"row {i}" }, null, null));
        }

        var outcomes = new List<SubmissionOutcome>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (submitter.Outstanding > 0 && DateTimeOffset.UtcNow < deadline)
        {
            if (submitter.TryTake(TimeSpan.FromMilliseconds(100), out SubmissionOutcome? o))
            {
                outcomes.Add(o!);
                if (o!.Error?.StopsBatch == true)
                {
                    submitter.Stop();
                }
            }
        }

        Assert.Equal(1, outcomes.Count(o => o.Error?.Kind == GatewayErrorKind.Authentication));
        Assert.Equal(9, outcomes.Count(o => o.NotSent));
        Assert.Single(emulator.Requests, r => r.Method == "POST");
    }

    [Fact]
    public void Shutdown_lets_the_posts_already_sent_be_answered_and_journals_their_tasks()
    {
        emulator.Options.LatencyMs = 1000;
        using var journal = SubmissionJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(Client(), 4, journal);
        for (int i = 1; i <= 12; i++)
        {
            var request = new VideoRequest { Prompt = $"row {i}" };
            submitter.Start(new SubmissionItem(i, null, request, journal.KeyFor(request), null));
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (MaxSubmitsInFlight() < 4 && DateTimeOffset.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.Equal(4, MaxSubmitsInFlight());
        IReadOnlyList<KlingTask> accepted = submitter.Shutdown(BatchSubmitter.StopGrace);

        // Row 1 went alone, then 4 were on the wire: all 5 answered within the grace, none left "outcome unknown".
        Assert.Equal(5, accepted.Count);
        Assert.Equal(5, emulator.Requests.Count(r => r.Method == "POST" && r.Status == 200));
        Assert.Equal(accepted.Select(t => t.TaskId).OrderBy(id => id), SubmissionJournal.ReadTasks(journalPath).Select(t => t.TaskId).OrderBy(id => id));
        foreach (string line in File.ReadAllLines(journalPath).Where(l => l.Contains("\"sending\"")))
        {
            string key = JsonDocument.Parse(line).RootElement.GetProperty("key").GetString()!;
            Assert.Contains(File.ReadAllLines(journalPath), l => l.Contains(key) && !l.Contains("\"sending\""));
        }
    }

    private int MaxSubmitsInFlight() =>
        JsonDocument.Parse(JsonSerializer.Serialize(emulator.Stats)).RootElement.GetProperty("maxSubmitsInFlight").GetInt32();
}
