using System.Net;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>What a rerun does with a row an earlier run left: a failed task sent again in its place, a row in doubt worded by what happened.</summary>
public sealed class JournalRerunTests : IAsyncLifetime
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"kling-rerun-{Guid.NewGuid():n}.jsonl");
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 0.05 });

    public async Task DisposeAsync()
    {
        await emulator.DisposeAsync();
        File.Delete(path);
        File.Delete(JournalLock.PathFor(path));
    }

    private static VideoRequest Request(string prompt) => new() { Prompt = prompt };

    private KlingClient Client() => new(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString(emulator.ApiKey), "test"));

    /// <summary>Submits the rows with the journal (one at a time, in order); returns each row's outcome by prompt.</summary>
    private Dictionary<string, SubmissionOutcome> Submit(params string[] prompts)
    {
        using var journal = SubmissionJournal.Open(path);
        using var submitter = new BatchSubmitter(Client(), 1, journal);
        int row = 0;
        foreach (string prompt in prompts)
        {
            JournalRecall recall = journal.Recall(Request(prompt), ++row, prompt);
            Assert.True(recall.MustSend);
            submitter.Start(new SubmissionItem(row, prompt, Request(prompt), recall.Key, null));
        }

        return SubmitterSuite.Drain(submitter).ToDictionary(o => o.Item.Request.Prompt!);
    }

    private async Task WaitFinishedAsync(IEnumerable<string> taskIds)
    {
        KlingClient client = Client();
        foreach (string id in taskIds)
        {
            while (!(await client.GetTaskAsync(id, CancellationToken.None)).IsFinished)
            {
                await Task.Delay(20);
            }
        }
    }

    [Fact]
    public void A_row_left_sending_by_a_stop_is_worded_as_a_stop_and_a_row_with_an_unclear_answer_by_that_answer()
    {
        using (var journal = SubmissionJournal.Open(path))
        {
            string stopped = journal.KeyFor(Request("stopped"));
            journal.RecordSending(stopped, 1, "s", Request("stopped"));
            string unclear = journal.KeyFor(Request("unclear"));
            journal.RecordSending(unclear, 2, "u", Request("unclear"));
            journal.RecordInDoubt(unclear, 2, "u", new GatewayException(GatewayErrorKind.ServerError, "long message", HttpStatusCode.BadGateway, errorType: "bad_gateway", gatewayMessage: "upstream failed") { OutcomeUnknown = true });
        }

        using var rerun = SubmissionJournal.Open(path);
        GatewayException stop = rerun.Recall(Request("stopped"), 1, "s").InDoubt!;
        Assert.StartsWith("Row 1 ('s') was being submitted when an earlier run stopped", stop.Message);
        Assert.True(stop.OutcomeUnknown);

        GatewayException unclearAnswer = rerun.Recall(Request("unclear"), 2, "u").InDoubt!;
        Assert.StartsWith("Row 2 ('u') was sent by an earlier run", unclearAnswer.Message);
        Assert.Contains("the gateway answered HTTP 502 (bad_gateway): upstream failed", unclearAnswer.Message);
        Assert.DoesNotContain("stopped", unclearAnswer.Message);
        Assert.Contains("not sent again", unclearAnswer.Message);
        Assert.True(unclearAnswer.OutcomeUnknown);
    }

    [Fact]
    public void A_submission_answered_502_keeps_its_reason_in_the_journal_and_stays_in_doubt()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 502, Accepted = true });
        Dictionary<string, SubmissionOutcome> first = Submit("maybe billed", "fine");
        Assert.True(first["maybe billed"].Error!.OutcomeUnknown);

        using var rerun = SubmissionJournal.Open(path);
        JournalRecall recall = rerun.Recall(Request("maybe billed"), 1, "maybe billed");
        Assert.False(recall.MustSend);
        Assert.Contains("HTTP 502", recall.InDoubt!.Message);
        Assert.DoesNotContain("stopped", recall.InDoubt.Message);
        Assert.Equal(first["fine"].Task!.TaskId, rerun.Recall(Request("fine"), 2, "fine").Earlier!.TaskId);
    }

    [Fact]
    public async Task The_scan_finds_the_failed_tasks_and_a_failed_row_is_sent_again_in_place_of_its_task()
    {
        Dictionary<string, SubmissionOutcome> first = Submit("bad [fail]", "good");
        emulator.Options.TaskSeconds = 60;
        string slowId = Submit("slow")["slow"].Task!.TaskId;
        string failedId = first["bad [fail]"].Task!.TaskId;
        string goodId = first["good"].Task!.TaskId;
        await WaitFinishedAsync(new[] { failedId, goodId });
        using (var journal = SubmissionJournal.Open(path))
        {
            // A task the gateway does not know (404): its status cannot be read, so its row is left as it was.
            journal.RecordSending("gone#1", 4, "gone", Request("gone"));
            journal.RecordSubmitted("gone#1", 4, "gone", Request("gone"), "task_gone");
        }

        emulator.Options.FailMarker = "[never]";
        string retriedId;
        using (var journal = SubmissionJournal.Open(path))
        {
            using var scan = new FailedTaskScan(Client(), journal, 4);
            while (await scan.ReadNextAsync(CancellationToken.None))
            {
            }

            Assert.Equal(3, scan.Read);
            Assert.Equal(1, scan.Unreadable);
            Assert.Equal(GatewayErrorKind.NotFound, scan.FirstProblem!.Kind);
            Assert.Equal(1, scan.Failed);
            Assert.True(scan.IsFailed(failedId));

            // Only the failed row is sent again; the completed and the running ones come out as before.
            Assert.Equal(goodId, journal.Recall(Request("good"), 2, "good", scan.IsFailed).Earlier!.TaskId);
            Assert.Equal(slowId, journal.Recall(Request("slow"), 3, "slow", scan.IsFailed).Earlier!.TaskId);
            JournalRecall retry = journal.Recall(Request("bad [fail]"), 1, "bad", scan.IsFailed);
            Assert.True(retry.MustSend);
            Assert.Equal(failedId, retry.Replaces);
            using var submitter = new BatchSubmitter(Client(), 1, journal);
            submitter.Start(new SubmissionItem(1, "bad", Request("bad [fail]"), retry.Key, null) { Replaces = retry.Replaces });
            retriedId = SubmitterSuite.Drain(submitter).Single().Task!.TaskId;
        }

        Assert.NotEqual(failedId, retriedId);

        // A rerun gives the new task; the failed one stays on record in the journal's lines.
        using (var rerun = SubmissionJournal.Open(path))
        {
            Assert.Equal(retriedId, rerun.Recall(Request("bad [fail]"), 1, "bad").Earlier!.TaskId);
        }

        Assert.Contains(failedId, File.ReadAllText(path));
        Assert.Equal(new[] { retriedId, goodId, slowId, "task_gone" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
        Assert.Equal(2, emulator.Requests.Count(r => r.Method == "POST" && r.Body != null && r.Body.Contains("bad [fail]")));
    }

    [Fact]
    public async Task The_scan_stops_at_a_bad_key()
    {
        Dictionary<string, SubmissionOutcome> first = Submit("a");
        using var journal = SubmissionJournal.OpenReadOnly(path);
        var wrongKey = new KlingClient(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString("wrong"), "test"));
        using var scan = new FailedTaskScan(wrongKey, journal, 4);
        GatewayException error = await Assert.ThrowsAsync<GatewayException>(() => scan.ReadNextAsync(CancellationToken.None));
        Assert.True(error.StopsBatch);
        Assert.NotNull(first["a"].Task);
    }
}
