using System.Text;
using System.Text.Json;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Kling.Emulator;
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

/// <summary>What goes on the wire for a submission: its key, and what each answer that executed nothing (or a refusal) makes of the row.</summary>
public sealed class SubmissionWireTests : SubmitterSuite
{
    public SubmissionWireTests()
        : base("wire")
    {
    }

    private static VideoRequest Request(string prompt = "a fox") => new() { Prompt = prompt };

    private string[] SentKeys() => emulator.Requests.Where(r => r.Method == "POST").Select(r => r.Headers.TryGetValue("Idempotency-Key", out string? k) ? k : "").ToArray();

    private static SubmissionOutcome Take(BatchSubmitter submitter)
    {
        Assert.True(submitter.TryTake(TimeSpan.FromSeconds(30), out SubmissionOutcome? outcome));
        return outcome!;
    }

    [Fact]
    public async Task One_post_carries_the_key_it_is_given()
    {
        await Client().SubmitOnceAsync(Request(), "row-key-1", CancellationToken.None);

        Assert.Equal(new[] { "row-key-1" }, SentKeys());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a key with é")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task A_key_that_is_not_1_to_64_printable_ASCII_characters_is_never_sent(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client().SubmitOnceAsync(Request(), key, CancellationToken.None));
        Assert.Empty(SentKeys());
    }

    [Theory]
    [InlineData(429, null, ResendReason.RateLimited)]
    [InlineData(409, "idempotency_in_progress", ResendReason.InProgress)]
    [InlineData(503, "idempotency_unavailable", ResendReason.Unavailable)]
    public async Task An_answer_that_executed_nothing_is_handed_back_to_be_sent_again(int status, string? code, ResendReason reason)
    {
        emulator.AddFault(new Fault { Route = "submit", Status = status, Code = code, RetryAfter = "1" });
        SubmitAttempt attempt = await Client().SubmitOnceAsync(Request(), "k", CancellationToken.None);

        Assert.Null(attempt.Task);
        Assert.Equal(reason, attempt.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), attempt.SendAgain!.RetryAfter);
    }

    [Fact]
    public async Task A_500_build_request_failed_is_the_rows_invalid_request_in_the_gateways_words()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 500, Message = "build_request_failed: invalid size: 3:5, allowed: 16:9" });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().SubmitAsync(Request(), CancellationToken.None));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.False(error.OutcomeUnknown);
        Assert.Equal("build_request_failed: invalid size: 3:5, allowed: 16:9", error.GatewayMessage);
        Assert.Contains("build_request_failed: invalid size: 3:5, allowed: 16:9", error.Message);
        Assert.Contains("nothing was billed", error.Message);
    }

    [Theory]
    [InlineData(500, null, "upstream failed: build_request_failed")]
    [InlineData(503, null, null)]
    [InlineData(409, "idempotency_result_indeterminate", null)]
    public async Task Any_other_5xx_and_an_indeterminate_result_are_outcome_unknown(int status, string? code, string? message)
    {
        emulator.AddFault(new Fault { Route = "submit", Status = status, Code = code, Message = message });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().SubmitAsync(Request(), CancellationToken.None));

        Assert.True(error.OutcomeUnknown);
    }

    [Fact]
    public async Task A_key_reused_is_the_rows_error_and_nothing_was_executed()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 409, Code = "idempotency_key_reused" });
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().SubmitAsync(Request(), CancellationToken.None));

        Assert.Equal(GatewayErrorKind.InvalidRequest, error.Kind);
        Assert.False(error.OutcomeUnknown);
        Assert.Contains("idempotency_key_reused", error.Message);
    }

    [Fact]
    public void Each_row_keeps_its_key_through_429s_and_409s_in_progress_and_rows_never_share_one()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 429, RetryAfter = "0.05", Times = 2 });
        emulator.AddFault(new Fault { Route = "submit", Status = 409, Code = "idempotency_in_progress", RetryAfter = "0.05", Times = 2 });
        using var submitter = new BatchSubmitter(Client(), 1, null);
        submitter.Start(new SubmissionItem(1, null, Request(), null, null));
        Assert.NotNull(Take(submitter).Task);
        submitter.Start(new SubmissionItem(2, null, Request(), null, null));
        Assert.NotNull(Take(submitter).Task);

        string[] keys = SentKeys();
        Assert.Equal(6, keys.Length);
        Assert.All(keys, key => Assert.True(IdempotencyKey.IsValid(key), key));
        Assert.Single(keys.Take(5).Distinct());
        Assert.NotEqual(keys[0], keys[5]);
    }

    [Fact]
    public void A_journaled_row_is_sent_under_the_journals_key_for_it_or_the_callers_own()
    {
        using var journal = SubmissionJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(Client(), 1, journal);
        string key = journal.KeyFor(Request());
        submitter.Start(new SubmissionItem(1, null, Request(), key, null));
        Assert.NotNull(Take(submitter).Task);
        string again = journal.KeyFor(Request());
        submitter.Start(new SubmissionItem(2, null, Request(), again, null) { IdempotencyKey = "the-callers-own" });
        Assert.NotNull(Take(submitter).Task);

        Assert.Equal(new[] { journal.IdempotencyKeyFor(key), "the-callers-own" }, SentKeys());
    }

    [Fact]
    public void Still_in_progress_after_every_wait_is_outcome_unknown_and_the_journal_keeps_sending()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 409, Code = "idempotency_in_progress", RetryAfter = "0", Times = 3 });
        using var journal = SubmissionJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(Client(), 1, journal) { MaxRateLimitRetries = 2 };
        submitter.Start(new SubmissionItem(1, null, Request(), journal.KeyFor(Request()), null));

        SubmissionOutcome outcome = Take(submitter);
        Assert.True(outcome.Error!.OutcomeUnknown);
        Assert.Contains("still in progress after 2 waits", outcome.Error.Message);
        Assert.Equal(3, SentKeys().Length);
        Assert.Equal(SubmissionJournal.Sending, JsonDocument.Parse(File.ReadLines(journalPath).Last()).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void Unavailable_on_every_try_is_the_rows_error_journaled_not_sent()
    {
        emulator.AddFault(new Fault { Route = "submit", Status = 503, Code = "idempotency_unavailable", RetryAfter = "0", Times = 3 });
        using var journal = SubmissionJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(Client(), 1, journal) { MaxRateLimitRetries = 2 };
        submitter.Start(new SubmissionItem(1, null, Request(), journal.KeyFor(Request()), null));

        SubmissionOutcome outcome = Take(submitter);
        Assert.False(outcome.Error!.OutcomeUnknown);
        Assert.Contains("idempotency_unavailable", outcome.Error.Message);
        Assert.Equal(SubmissionJournal.NotSent, JsonDocument.Parse(File.ReadLines(journalPath).Last()).RootElement.GetProperty("type").GetString());
    }
}
