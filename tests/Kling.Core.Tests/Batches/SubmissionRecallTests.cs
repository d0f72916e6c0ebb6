using Kling.Core.Batches;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests.Batches;

/// <summary>
/// What the submitter's recall says of a row before it is sent (New-KlingVideo asks it, and no longer reads the journal
/// itself): the earlier task, the failed task a row is sent again in place of, and rows journaled as not sent.
/// </summary>
public sealed class SubmissionRecallTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"kling-recall-{Guid.NewGuid():n}.jsonl");

    public void Dispose()
    {
        File.Delete(path);
        File.Delete(JournalLock.PathFor(path));
    }

    private static VideoRequest Request(string prompt) => new() { Prompt = prompt };

    /// <summary>A journal in which an earlier run submitted the row <paramref name="prompt"/> as <paramref name="taskId"/>.</summary>
    private void Submitted(string prompt, string taskId)
    {
        using var journal = SubmissionJournal.Open(path);
        string key = journal.Recall(Request(prompt), 1, prompt).Key;
        journal.RecordSending(key, 1, prompt, Request(prompt));
        journal.RecordSubmitted(key, 1, prompt, Request(prompt), taskId);
    }

    [Fact]
    public void Without_a_journal_nothing_is_recalled_and_every_row_is_sent()
    {
        using var recall = new SubmissionRecall(null);

        Assert.Null(recall.Of(Request("a"), 1, "a"));
        Assert.Null(recall.Of(Request("a"), 1, "a", replacing: "task_1"));
        recall.NotSentAfterStop(Request("a"), 1, "a", "over the cap");
        recall.NotSent(null, 1, "a", "over the cap");
        Assert.Throws<InvalidOperationException>(() => recall.ScanFailed(null!));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_row_an_earlier_run_submitted_comes_out_again_unless_its_task_was_piped_in_to_be_replaced()
    {
        Submitted("a", "task_1");

        using (var journal = SubmissionJournal.Open(path))
        using (var recall = new SubmissionRecall(journal))
        {
            JournalRecall? earlier = recall.Of(Request("a"), 1, "a");
            Assert.Equal("task_1", earlier!.Earlier!.TaskId);
            Assert.False(earlier.MustSend);
        }

        using (var journal = SubmissionJournal.Open(path))
        using (var recall = new SubmissionRecall(journal))
        {
            JournalRecall? replaced = recall.Of(Request("a"), 1, "a", replacing: "task_1");
            Assert.True(replaced!.MustSend);
            Assert.Equal("task_1", replaced.Replaces);
        }

        using (var journal = SubmissionJournal.Open(path))
        using (var recall = new SubmissionRecall(journal))
        {
            // Another task piped in: this row's latest line is not it, so the row's own task comes out.
            Assert.Equal("task_1", recall.Of(Request("a"), 1, "a", replacing: "task_other")!.Earlier!.TaskId);
        }
    }

    [Fact]
    public void A_row_after_the_stop_is_journaled_not_sent_unless_the_journal_has_it_already()
    {
        Submitted("paid", "task_paid");

        using (var journal = SubmissionJournal.Open(path))
        using (var recall = new SubmissionRecall(journal))
        {
            recall.NotSentAfterStop(Request("paid"), 1, "paid", "not sent: over the cap");
            recall.NotSentAfterStop(Request("fresh"), 2, "fresh", "not sent: over the cap");
        }

        using (var journal = SubmissionJournal.OpenReadOnly(path))
        {
            Assert.Equal(JournalState.Submitted, journal.StateOf(journal.KeyFor(Request("paid")), out JournalRecord? paid));
            Assert.Equal("task_paid", paid!.TaskId);
            Assert.Equal(JournalState.New, journal.StateOf(journal.KeyFor(Request("fresh")), out JournalRecord? fresh));
            Assert.Equal(SubmissionJournal.NotSent, fresh!.Type);
            Assert.Equal("not sent: over the cap", fresh.Error);
        }
    }

    [Fact]
    public void A_recalled_row_the_cap_stopped_is_journaled_not_sent()
    {
        using (var journal = SubmissionJournal.Open(path))
        using (var recall = new SubmissionRecall(journal))
        {
            JournalRecall? row = recall.Of(Request("capped"), 1, "capped");
            Assert.True(row!.MustSend);
            recall.NotSent(row, 1, "capped", "not sent: over the cap");
        }

        using var reread = SubmissionJournal.OpenReadOnly(path);
        Assert.Equal(JournalState.New, reread.StateOf(reread.KeyFor(Request("capped")), out JournalRecord? record));
        Assert.Equal(SubmissionJournal.NotSent, record!.Type);
    }
}
