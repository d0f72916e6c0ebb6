using System.Text;
using System.Text.Json;
using Kling.Core.Batches;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

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
