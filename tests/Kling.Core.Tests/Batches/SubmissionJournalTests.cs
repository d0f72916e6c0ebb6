using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests;

public sealed class SubmissionJournalTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"kling-journal-{Guid.NewGuid():n}.jsonl");

    public void Dispose()
    {
        File.Delete(path);
        File.Delete(JournalLock.PathFor(path));
    }

    private static VideoRequest Request(string prompt) => new() { Prompt = prompt };

    [Fact]
    public void Identical_rows_are_distinct_submissions_with_stable_keys()
    {
        string a1, a2, b1;
        using (var journal = SubmissionJournal.Open(path))
        {
            a1 = journal.KeyFor(Request("a"));
            a2 = journal.KeyFor(Request("a"));
            b1 = journal.KeyFor(Request("b"));
        }

        Assert.NotEqual(a1, a2);
        Assert.NotEqual(a1, b1);
        using var again = SubmissionJournal.Open(path);
        Assert.Equal(a1, again.KeyFor(Request("a")));
        Assert.Equal(a2, again.KeyFor(Request("a")));
    }

    [Fact]
    public void A_rerun_knows_what_was_submitted_what_was_in_flight_and_what_was_never_sent()
    {
        using (var journal = SubmissionJournal.Open(path))
        {
            string done = journal.KeyFor(Request("done"));
            journal.RecordSending(done, 1, "d", Request("done"));
            journal.RecordSubmitted(done, 1, "d", Request("done"), "task_1");
            string inFlight = journal.KeyFor(Request("in flight"));
            journal.RecordSending(inFlight, 2, null, Request("in flight"));
            string refused = journal.KeyFor(Request("refused"));
            journal.RecordSending(refused, 3, null, Request("refused"));
            journal.RecordNotSent(refused, 3, null, "400");
        }

        using var rerun = SubmissionJournal.Open(path);
        Assert.Equal(JournalState.Submitted, rerun.StateOf(rerun.KeyFor(Request("done")), out JournalRecord? record));
        Assert.Equal("task_1", record!.TaskId);
        Assert.Equal(JournalState.OutcomeUnknown, rerun.StateOf(rerun.KeyFor(Request("in flight")), out _));
        Assert.Equal(JournalState.New, rerun.StateOf(rerun.KeyFor(Request("refused")), out _));
        Assert.Equal(JournalState.New, rerun.StateOf(rerun.KeyFor(Request("never seen")), out _));
        Assert.Equal(new[] { "task_1" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
        Assert.Equal("d", SubmissionJournal.ReadTasks(path)[0].Name);
    }

    [Fact]
    public void A_torn_last_line_is_ignored_and_cut_off()
    {
        string key;
        using (var journal = SubmissionJournal.Open(path))
        {
            key = journal.KeyFor(Request("x"));
            journal.RecordSending(key, 1, null, Request("x"));
            journal.RecordSubmitted(key, 1, null, Request("x"), "task_x");
        }

        File.AppendAllText(path, "{\"type\":\"sending\",\"key\":\"abc#1\",\"ro");
        using (var journal = SubmissionJournal.Open(path))
        {
            Assert.Equal(1, journal.SkippedLines);
            Assert.Equal(JournalState.Submitted, journal.StateOf(key, out _));
            string other = journal.KeyFor(Request("y"));
            journal.RecordSending(other, 2, null, Request("y"));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(4, lines.Length);   // the header and three records
        Assert.All(lines, line => JsonDocument.Parse(line));
    }
}
