using System.Text;
using System.Text.Json;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The journal's id and the Idempotency-Key of each row of it.</summary>
public sealed class JournalIdTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"kling-id-{Guid.NewGuid():n}.jsonl");
    private readonly string other = Path.Combine(Path.GetTempPath(), $"kling-id-{Guid.NewGuid():n}.jsonl");

    public void Dispose()
    {
        foreach (string file in new[] { path, other })
        {
            File.Delete(file);
            File.Delete(JournalLock.PathFor(file));
        }
    }

    private static VideoRequest Request(string prompt) => new() { Prompt = prompt };

    private static string[] KeysOf(SubmissionJournal journal, params string[] prompts) =>
        prompts.Select(p => journal.IdempotencyKeyFor(journal.KeyFor(Request(p)))).ToArray();

    [Fact]
    public void A_new_journal_names_its_id_in_its_header_and_gives_each_row_a_key_of_its_own_that_a_rerun_finds_again()
    {
        string[] keys;
        string id;
        using (var journal = SubmissionJournal.Open(path))
        {
            id = journal.Id!;
            keys = KeysOf(journal, "a", "a", "b");
        }

        Assert.Matches("^[0-9a-f]{16}$", id);
        Assert.Equal(id, JsonDocument.Parse(File.ReadLines(path).First()).RootElement.GetProperty("id").GetString());
        Assert.Equal(3, keys.Distinct().Count());
        Assert.All(keys, key => Assert.True(IdempotencyKey.IsValid(key), key));
        Assert.All(keys, key => Assert.StartsWith(id + "-", key));
        using var again = SubmissionJournal.Open(path);
        Assert.Equal(keys, KeysOf(again, "a", "a", "b"));
    }

    [Fact]
    public void Two_journals_never_share_a_key()
    {
        using var first = SubmissionJournal.Open(path);
        using var second = SubmissionJournal.Open(other);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Empty(KeysOf(first, "a", "b").Intersect(KeysOf(second, "a", "b")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_journal_of_an_earlier_version_gets_its_id_in_one_meta_line_appended_once(bool headerWithoutId)
    {
        using (var journal = SubmissionJournal.Open(path))
        {
            string key = journal.KeyFor(Request("a"));
            journal.RecordSending(key, 1, "a", Request("a"));
            journal.RecordSubmitted(key, 1, "a", Request("a"), "task_a");
        }

        string[] records = File.ReadAllLines(path).Skip(1).ToArray();
        string earlier = (headerWithoutId ? "{\"format\":\"kling-journal\",\"version\":1,\"created\":\"2026-01-01T00:00:00+00:00\"}\n" : string.Empty) +
                  string.Join("\n", records) + "\n";
        File.WriteAllText(path, earlier);

        string id;
        string[] keys;
        using (var journal = SubmissionJournal.Open(path))
        {
            JournalRecall recall = journal.Recall(Request("a"), 1, "a");
            Assert.Equal("task_a", recall.Earlier?.TaskId);
            Assert.Equal(0, journal.SkippedLines);
            id = journal.Id!;
            keys = new[] { journal.IdempotencyKeyFor(recall.Key), journal.IdempotencyKeyFor(journal.KeyFor(Request("b"))) };
        }

        string text = File.ReadAllText(path);
        Assert.StartsWith(earlier, text);
        string meta = Assert.Single(text.Substring(earlier.Length).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(id, JsonDocument.Parse(meta).RootElement.GetProperty("id").GetString());

        using (var again = SubmissionJournal.Open(path))
        {
            Assert.Equal(id, again.Id);
            Assert.Equal(keys, KeysOf(again, "a", "b"));
            Assert.Equal(0, again.SkippedLines);
            Assert.Equal("task_a", Assert.Single(again.LatestTasks()).TaskId);
        }

        Assert.Equal(text, File.ReadAllText(path));
        Assert.Equal(new[] { "task_a" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
    }

    [Fact]
    public void A_read_only_open_of_a_journal_without_an_id_writes_nothing()
    {
        File.WriteAllText(path, "{\"type\":\"sending\",\"key\":\"abc#1\",\"row\":1,\"at\":\"2026-01-01T00:00:00+00:00\"}\n");
        using (var journal = SubmissionJournal.OpenReadOnly(path))
        {
            Assert.Null(journal.Id);
        }

        Assert.Single(File.ReadAllLines(path));
    }

    [Fact]
    public void A_key_that_would_be_too_long_is_the_scope_and_a_digest()
    {
        string key = IdempotencyKey.Within("0123456789abcdef", new string('x', 60) + "#1");

        Assert.True(IdempotencyKey.IsValid(key));
        Assert.StartsWith("0123456789abcdef-", key);
        Assert.Equal(key, IdempotencyKey.Within("0123456789abcdef", new string('x', 60) + "#1"));
        Assert.NotEqual(key, IdempotencyKey.Within("0123456789abcdef", new string('x', 60) + "#2"));
        Assert.Equal("0123456789abcdef-abc-2", IdempotencyKey.Within("0123456789abcdef", "abc#2"));
    }
}
