using System.Text;
using System.Text.Json;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The journal's file format (header, legacy journals, files that are not journals, torn lines) and its lock.</summary>
public sealed class JournalTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"kling-journal-tests-{Guid.NewGuid():n}");

    public JournalTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string name) => Path.Combine(folder, name);

    private static VideoRequest Request(string prompt) => new() { Prompt = prompt };

    /// <summary>A journal as the previous version wrote it: records only, no header.</summary>
    private static string LegacyLines(string key) =>
        "{\"type\":\"sending\",\"key\":\"" + key + "\",\"row\":1,\"name\":\"old\",\"request\":{\"prompt\":\"a\"},\"at\":\"2026-01-01T00:00:00+00:00\"}\n" +
        "{\"type\":\"submitted\",\"key\":\"" + key + "\",\"row\":1,\"name\":\"old\",\"task_id\":\"task_old\",\"request\":{\"prompt\":\"a\"},\"at\":\"2026-01-01T00:00:01+00:00\"}\n";

    private static JournalException Refused(Action open, JournalProblem problem)
    {
        var error = Assert.Throws<JournalException>(open);
        Assert.Equal(problem, error.Problem);
        return error;
    }

    private static void WriteSubmitted(string path, string key, string taskId)
    {
        using var journal = SubmissionJournal.Open(path);
        journal.RecordSending(key, 1, null, Request(key));
        journal.RecordSubmitted(key, 1, null, Request(key), taskId);
    }

    [Fact]
    public void A_new_journal_starts_with_a_header_naming_its_format_and_version()
    {
        string path = PathOf("new.jsonl");
        using (var journal = SubmissionJournal.Open(path))
        {
            string key = journal.KeyFor(Request("a"));
            journal.RecordSending(key, 1, null, Request("a"));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"format\":\"kling-journal\",\"version\":2", lines[0]);
        using JsonDocument header = JsonDocument.Parse(lines[0]);
        Assert.Equal("kling-journal", header.RootElement.GetProperty("format").GetString());
        Assert.Equal(2, header.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("sending", JsonDocument.Parse(lines[1]).RootElement.GetProperty("type").GetString());

        // Reopened: the header is not taken for a record or an unreadable line, and is not written twice.
        using (var again = SubmissionJournal.Open(path))
        {
            Assert.Equal(0, again.SkippedLines);
        }

        Assert.Single(File.ReadAllLines(path), l => l.Contains("kling-journal"));
    }

    [Fact]
    public void A_row_identity_is_written_as_every_journal_on_disk_holds_it()
    {
        // The hex of the first 16 bytes of the SHA-256 of the request's JSON, '#', the occurrence: a rerun on an older journal finds its rows.
        VideoRequest request = Request("a heron at dawn");
        byte[] digest = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Wire.GatewayJson.Serialize(request)));
        string hex = Convert.ToHexString(digest, 0, 16).ToLowerInvariant();
        using var journal = SubmissionJournal.Open(PathOf("keys.jsonl"));
        Assert.Equal(hex + "#1", journal.KeyFor(request));
        Assert.Equal(hex + "#2", journal.KeyFor(request));
        Assert.Equal(hex + "#3", journal.KeyFor(Request("a heron at dawn")));
    }

    [Fact]
    public void An_empty_file_becomes_a_journal_with_a_header()
    {
        string path = PathOf("empty.jsonl");
        File.WriteAllBytes(path, Array.Empty<byte>());
        using (SubmissionJournal.Open(path))
        {
        }

        string text = File.ReadAllText(path);
        Assert.StartsWith("{\"format\":\"kling-journal\",\"version\":2", text);
        Assert.EndsWith("\n", text);
    }

    [Fact]
    public void A_header_torn_by_a_crash_at_creation_is_written_again()
    {
        string path = PathOf("torn-header.jsonl");
        File.WriteAllText(path, "{\"format\":\"kling-journal\",\"vers");
        using (var journal = SubmissionJournal.Open(path))
        {
            journal.RecordSending("y#1", 1, null, Request("y"));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Equal("kling-journal", JsonDocument.Parse(lines[0]).RootElement.GetProperty("format").GetString());
        Assert.Equal("sending", JsonDocument.Parse(lines[1]).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void A_journal_of_the_previous_version_without_a_header_is_accepted_and_kept_as_it_was()
    {
        // Guards what users have on disk: this passes on the previous version too.
        string path = PathOf("legacy.jsonl");
        string key = new string('a', 32) + "#1";
        File.WriteAllText(path, LegacyLines(key));
        byte[] before = File.ReadAllBytes(path);

        using (var journal = SubmissionJournal.Open(path))
        {
            Assert.Equal(0, journal.SkippedLines);
            Assert.Equal(JournalState.Submitted, journal.StateOf(key, out JournalRecord? record));
            Assert.Equal("task_old", record!.TaskId);
            journal.RecordSending("b#1", 2, null, Request("b"));
        }

        byte[] after = File.ReadAllBytes(path);
        Assert.Equal(before, after.Take(before.Length).ToArray());
        // Its two lines, then the id it lacked (a meta line, once) and the new row's line.
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("{\"type\":\"meta\"", lines[2]);
        Assert.Equal(new[] { "task_old" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
    }

    [Fact]
    public void A_journal_saved_by_an_editor_with_a_BOM_and_CRLF_is_still_a_journal()
    {
        // The help says: to send a row in doubt anyway, delete its lines from the journal. Editors add these.
        string path = PathOf("edited.jsonl");
        WriteSubmitted(path, "e#1", "task_e");
        string text = File.ReadAllText(path).Replace("\n", "\r\n");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        using (var journal = SubmissionJournal.Open(path))
        {
            Assert.Equal(0, journal.SkippedLines);
            Assert.Equal(JournalState.Submitted, journal.StateOf("e#1", out _));
        }

        Assert.Equal(new[] { "task_e" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
    }

    public static TheoryData<string> NotJournals => new()
    {
        "prompt,Name,mode\nsunset over the sea,sunset,pro\ncat,cat,std\n",
        "prompt,Name\r\nno newline at the end,x",
        "\uFEFFprompt;Name\r\nmit BOM;b\r\n",
        "{\"prompt\":\"json lines, but not a journal\"}\n{\"prompt\":\"b\"}\n",
        "{\"format\":\"something-else\",\"version\":1}\n",
        "[1,2,3]\n",
        "\n{\"type\":\"sending\",\"key\":\"k#1\"}\n",

        // Another program's JSON lines with "type" and "key": not a journal unless every line is a record exactly as Kling writes one.
        "{\"type\":\"event\",\"key\":\"abc\",\"value\":1}\n{\"type\":\"event\",\"key\":\"def\",\"value\":2}\n",
        "{\"type\":\"sending\",\"key\":\"k#1\",\"row\":1,\"at\":\"2026-01-01T00:00:00+00:00\",\"user\":\"someone\"}\n",
        "{\"type\":\"sending\",\"key\":\"k#1\",\"row\":\"1\",\"at\":\"2026-01-01T00:00:00+00:00\"}\n",
        "{\"type\":\"sending\",\"key\":\"k#1\"}\n",
        "{\"type\":\"submitted\",\"key\":\"k#1\",\"row\":1,\"task_id\":\"t\",\"at\":\"2026-01-01T00:00:00+00:00\"}\n{\"type\":\"click\",\"key\":\"button-7\"}\n",
    };

    [Theory]
    [MemberData(nameof(NotJournals))]
    public void A_file_that_is_not_a_journal_is_refused_and_left_byte_for_byte(string content)
    {
        string path = PathOf("prompts.csv");
        byte[] before = Encoding.UTF8.GetBytes(content);
        File.WriteAllBytes(path, before);

        JournalException error = Refused(() => SubmissionJournal.Open(path).Dispose(), JournalProblem.NotAJournal);
        Assert.Contains(path, error.Message);
        Assert.Contains("not a Kling journal", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Refused(() => SubmissionJournal.OpenReadOnly(path).Dispose(), JournalProblem.NotAJournal);
        Refused(() => SubmissionJournal.ReadTasks(path), JournalProblem.NotAJournal);
        Assert.Equal(before, File.ReadAllBytes(path));

        // Refused before the lock was taken: nothing was created beside it either.
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    [Fact]
    public void A_folder_given_as_the_journal_is_refused_naming_it_and_nothing_is_created()
    {
        string dir = PathOf("out");
        Directory.CreateDirectory(dir);
        foreach (Action open in new Action[] { () => SubmissionJournal.Open(dir).Dispose(), () => SubmissionJournal.OpenReadOnly(dir).Dispose(), () => SubmissionJournal.ReadTasks(dir) })
        {
            JournalException error = Assert.Throws<JournalException>(open);
            Assert.Contains(dir, error.Message);
            Assert.Contains("is a folder", error.Message);
        }

        // Nothing in it, nothing beside it (no "out.lock").
        Assert.Empty(Directory.GetFileSystemEntries(dir));
        Assert.Equal(new[] { dir }, Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void A_header_less_journal_this_version_appended_to_is_still_a_journal()
    {
        // The lines this version appends to a journal of an earlier version, an in-doubt line with its reason among them.
        string path = PathOf("legacy-appended.jsonl");
        string key = new string('b', 32) + "#1";
        File.WriteAllText(path, LegacyLines(key));
        using (var journal = SubmissionJournal.Open(path))
        {
            journal.RecordSending("c#1", 2, null, Request("c"));
            journal.RecordInDoubt("c#1", 2, null, new Gateway.GatewayException(Gateway.GatewayErrorKind.ServerError, "HTTP 502", System.Net.HttpStatusCode.BadGateway) { OutcomeUnknown = true });
            journal.RecordNotSent("d#1", 3, "d", "HTTP 400");
        }

        using (var again = SubmissionJournal.Open(path))
        {
            Assert.Equal(0, again.SkippedLines);
            Assert.Equal(JournalState.Submitted, again.StateOf(key, out _));
            Assert.Equal(JournalState.OutcomeUnknown, again.StateOf("c#1", out _));
        }

        Assert.Equal(new[] { "task_old" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
    }

    [Fact]
    public void A_journal_of_a_newer_version_is_refused_untouched()
    {
        string path = PathOf("future.jsonl");
        File.WriteAllText(path, "{\"format\":\"kling-journal\",\"version\":3}\n{\"kind\":\"whatever v3 writes\"}\n{\"ty");
        byte[] before = File.ReadAllBytes(path);

        JournalException error = Refused(() => SubmissionJournal.Open(path).Dispose(), JournalProblem.UnsupportedVersion);
        Assert.Contains("version 3", error.Message);
        Refused(() => SubmissionJournal.ReadTasks(path), JournalProblem.UnsupportedVersion);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder));
    }

    [Fact]
    public void Only_a_torn_last_line_is_cut_a_complete_unreadable_line_is_kept()
    {
        string path = PathOf("torn.jsonl");
        WriteSubmitted(path, "x#1", "task_x");

        // A complete line that is no record (someone's edit) stays; it is not ours to remove.
        File.AppendAllText(path, "not a record, but a whole line\n");
        byte[] whole = File.ReadAllBytes(path);
        using (var journal = SubmissionJournal.Open(path))
        {
            Assert.Equal(1, journal.SkippedLines);
            Assert.Equal(JournalState.Submitted, journal.StateOf("x#1", out _));
        }

        Assert.Equal(whole, File.ReadAllBytes(path));

        // A torn last line (no newline: the process died mid-write) is cut, and only it.
        File.AppendAllText(path, "{\"type\":\"sending\",\"key\":\"abc#1\",\"ro");
        using (var journal = SubmissionJournal.Open(path))
        {
            Assert.Equal(2, journal.SkippedLines);
            journal.RecordSending("y#1", 2, null, Request("y"));
        }

        byte[] after = File.ReadAllBytes(path);
        Assert.Equal(whole, after.Take(whole.Length).ToArray());
        string appended = Encoding.UTF8.GetString(after, whole.Length, after.Length - whole.Length);
        Assert.StartsWith("{\"type\":\"sending\",\"key\":\"y#1\"", appended);
        Assert.EndsWith("\n", appended);
    }

    [Fact]
    public void A_torn_multibyte_character_in_the_last_line_is_cut_at_the_right_byte()
    {
        string path = PathOf("cn.jsonl");
        WriteSubmitted(path, "小猫在雪地里#1", "task_cn");
        byte[] good = File.ReadAllBytes(path);
        byte[] line = Encoding.UTF8.GetBytes("{\"type\":\"sending\",\"key\":\"k#1\",\"request\":{\"prompt\":\"小猫");
        File.WriteAllBytes(path, good.Concat(line.Take(line.Length - 1)).ToArray());   // mid-character

        using (var journal = SubmissionJournal.Open(path))
        {
            Assert.Equal(1, journal.SkippedLines);
        }

        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_complete_last_record_without_its_newline_is_kept_and_the_next_one_starts_a_new_line()
    {
        string path = PathOf("no-newline.jsonl");
        using (var journal = SubmissionJournal.Open(path))
        {
            journal.RecordSending("x#1", 1, null, Request("x"));
        }

        File.WriteAllText(path, File.ReadAllText(path).TrimEnd('\n'));
        using (var journal = SubmissionJournal.Open(path))
        {
            Assert.Equal(0, journal.SkippedLines);
            Assert.Equal(JournalState.OutcomeUnknown, journal.StateOf("x#1", out _));
            journal.RecordSubmitted("x#1", 1, null, Request("x"), "task_x");
        }

        Assert.Equal(3, File.ReadAllLines(path).Length);
        Assert.Equal(new[] { "task_x" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
    }

    [Fact]
    public void Read_only_writes_nothing_anywhere()
    {
        string missing = PathOf("sub/never.jsonl");
        using (var journal = SubmissionJournal.OpenReadOnly(missing))
        {
            Assert.False(journal.IsWritable);
            Assert.Equal(JournalState.New, journal.StateOf(journal.KeyFor(Request("a")), out _));
            Assert.Throws<InvalidOperationException>(() => journal.RecordSending("a#1", 1, null, Request("a")));
        }

        Assert.False(Directory.Exists(PathOf("sub")));

        string path = PathOf("torn.jsonl");
        WriteSubmitted(path, "x#1", "task_x");
        File.AppendAllText(path, "{\"type\":\"sen");
        byte[] before = File.ReadAllBytes(path);
        string[] files = Directory.GetFiles(folder);
        using (var journal = SubmissionJournal.OpenReadOnly(path))
        {
            Assert.Equal(1, journal.SkippedLines);
            Assert.Equal(JournalState.Submitted, journal.StateOf("x#1", out _));
        }

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(files, Directory.GetFiles(folder));
    }

    [Fact]
    public void A_journal_belongs_to_one_writer_at_a_time_while_readers_still_read_it()
    {
        string path = PathOf("held.jsonl");
        using (var first = SubmissionJournal.Open(path))
        {
            first.RecordSending("x#1", 1, null, Request("x"));
            first.RecordSubmitted("x#1", 1, null, Request("x"), "task_x");
            byte[] before = File.ReadAllBytes(path);

            JournalException busy = Refused(() => SubmissionJournal.Open(path).Dispose(), JournalProblem.InUse);
            Assert.Contains(path, busy.Message);
            Assert.Contains("in use", busy.Message);
            Assert.Equal(before, File.ReadAllBytes(path));

            // Readers (Get-KlingTask -Journal, a -WhatIf run) are not writers: they still read it.
            Assert.Equal(new[] { "task_x" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));
            using (var reader = SubmissionJournal.OpenReadOnly(path))
            {
                Assert.Equal(JournalState.Submitted, reader.StateOf("x#1", out _));
            }

            first.RecordSending("more#1", 2, null, Request("more"));
        }

        // Released with the first run: the next run opens it.
        using var next = SubmissionJournal.Open(path);
        Assert.Equal(JournalState.Submitted, next.StateOf("x#1", out _));
        Assert.Equal(JournalState.OutcomeUnknown, next.StateOf("more#1", out _));
    }

    [Fact]
    public void Concurrent_appends_are_whole_lines_even_when_longer_than_a_buffer()
    {
        string path = PathOf("busy.jsonl");
        string prompt = new string('猫', 2500);   // about 7.5 KB of UTF-8
        using (var journal = SubmissionJournal.Open(path))
        {
            Parallel.For(0, 64, i => journal.RecordSending($"k#{i}", i, null, Request(prompt + i)));
        }

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(65, lines.Length);
        foreach (string line in lines.Skip(1))
        {
            using JsonDocument record = JsonDocument.Parse(line);
            Assert.Equal("sending", record.RootElement.GetProperty("type").GetString());
        }
    }

    [Fact]
    public void Listing_the_tasks_gives_each_accepted_row_at_its_first_line_with_its_latest_line_and_first_request()
    {
        string path = PathOf("listing.jsonl");
        string again, unknown, plain, edited = "hand written#1";
        using (var journal = SubmissionJournal.Open(path))
        {
            again = journal.KeyFor(Request("again"));
            unknown = journal.KeyFor(Request("in doubt"));
            plain = journal.KeyFor(Request("plain"));

            // A row refused once, then accepted by a later run under another row number and name.
            journal.RecordSending(again, 1, "first-name", Request("again"));
            journal.RecordSending(unknown, 2, "doubt", Request("in doubt"));
            journal.RecordNotSent(again, 1, "first-name", "refused");
            journal.RecordSending(plain, 3, "plain", Request("plain"));
            journal.RecordSending(edited, 4, "edited", Request("edited"));
            journal.RecordSubmitted(edited, 4, "edited", Request("edited"), "task_edited");
            journal.RecordSubmitted(plain, 3, "plain", Request("plain"), "task_plain");
            journal.RecordSending(again, 7, "later-name", Request("again"));
            journal.RecordSubmitted(again, 7, "later-name", Request("again"), "task_again");
        }

        KlingTask[] tasks = SubmissionJournal.ReadTasks(path).ToArray();

        // In the order of each identity's first line; the row in doubt is no task.
        Assert.Equal(new[] { "task_again", "task_plain", "task_edited" }, tasks.Select(t => t.TaskId));
        Assert.Equal(new[] { 7, 3, 4 }, tasks.Select(t => t.Row));
        Assert.Equal(new[] { "later-name", "plain", "edited" }, tasks.Select(t => t.Name));
        Assert.Equal(new[] { "again", "plain", "edited" }, tasks.Select(t => t.Request!.Prompt));
        Assert.All(tasks, t => Assert.Equal(KlingTaskStatus.Submitted, t.Status));
        Assert.Equal(tasks.Select(t => t.TaskId), SubmissionJournal.StreamTasks(path).Select(t => t.TaskId));
    }

    [Fact]
    public void Identities_that_differ_only_in_how_they_are_written_stay_apart_when_listing()
    {
        // Kling writes lower-case hex and the occurrence without leading zeros; a hand-edited line may not.
        string path = PathOf("spellings.jsonl");
        string hex = new string('a', 32);
        File.WriteAllText(path, string.Concat(
            Line(hex + "#1", "submitted", "task_lower"),
            Line(hex.ToUpperInvariant() + "#1", "sending", null),
            Line(hex + "#01", "submitted", "task_zero"),
            Line(hex + "#1", "sending", null)));

        // The lower-case identity's latest line is "sending" (in doubt): no task; the two other spellings are their own rows.
        Assert.Equal(new[] { "task_zero" }, SubmissionJournal.ReadTasks(path).Select(t => t.TaskId));

        static string Line(string key, string type, string? taskId) =>
            $"{{\"type\":\"{type}\",\"key\":\"{key}\",\"row\":1{(taskId == null ? string.Empty : $",\"task_id\":\"{taskId}\"")},\"at\":\"2025-01-01T00:00:00+00:00\"}}\n";
    }
}
