using System.Text.Json;
using Kling.Core.Batches;
using Kling.Core.Media;
using Kling.Core.Requests;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests.Batches;

/// <summary>The journal's format in one place: versions, the key's form, and identities that hang on the request's content alone.</summary>
public sealed class JournalFormatTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"kling-journal-format-{Guid.NewGuid():n}");

    public JournalFormatTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Identity(VideoRequest request) => JournalFormat.KeyOf(new RowIdentity(RowIdentityRule.CanonicalRequest.ContentOf(request), 1));

    [Fact]
    public void A_new_journal_is_written_in_version_2_and_an_old_one_keeps_its_version()
    {
        string fresh = Path.Combine(folder, "new.jsonl");
        using (var journal = SubmissionJournal.Open(fresh))
        {
            journal.RecordSending(journal.KeyFor(new VideoRequest { Prompt = "a" }), 1, null, new VideoRequest { Prompt = "a" });
        }

        using (JsonDocument header = JsonDocument.Parse(File.ReadLines(fresh).First()))
        {
            Assert.Equal(JournalFormat.Version, header.RootElement.GetProperty("version").GetInt32());
            Assert.Equal(2, JournalFormat.Version);
        }

        string old = Path.Combine(folder, "old.jsonl");
        string v1 = "{\"format\":\"kling-journal\",\"version\":1,\"created\":\"2026-01-01T00:00:00+00:00\",\"id\":\"0123456789abcdef\"}\n";
        File.WriteAllText(old, v1);
        using (var journal = SubmissionJournal.Open(old))
        {
            journal.RecordSending(journal.KeyFor(new VideoRequest { Prompt = "a" }), 1, null, new VideoRequest { Prompt = "a" });
        }

        Assert.StartsWith(v1, File.ReadAllText(old));
        using (var reader = SubmissionJournal.OpenReadOnly(old))
        {
            Assert.Equal(1, reader.Version);
        }

        using var missing = SubmissionJournal.OpenReadOnly(Path.Combine(folder, "missing.jsonl"));
        Assert.Equal(2, missing.Version);
    }

    [Fact]
    public void A_request_whose_properties_come_in_another_order_has_the_same_identity()
    {
        var first = new VideoRequest { Model = "kling-v9", Prompt = "x", Extra = GoldenRows.Extra("{\"seed\":7,\"camera\":{\"speed\":1.5,\"pan\":\"left\"}}") };
        var reordered = new VideoRequest { Model = "kling-v9", Prompt = "x", Extra = GoldenRows.Extra("{\"camera\":{\"pan\":\"left\",\"speed\":1.5},\"seed\":7}") };
        Assert.NotEqual(first.ToString(), reordered.ToString());
        Assert.Equal(Identity(first), Identity(reordered));

        // The same content in any order at any level reads as one text.
        Assert.Equal(
            CanonicalJson.Of("{\"a\":[{\"y\":1,\"x\":2}],\"b\":{\"d\":true,\"c\":\"s\"}}"),
            CanonicalJson.Of("{ \"b\": { \"c\": \"s\", \"d\": true }, \"a\": [ { \"x\": 2, \"y\": 1 } ] }"));
    }

    [Fact]
    public void A_field_given_as_null_or_left_out_changes_no_identity_but_an_array_keeps_its_order_and_nulls()
    {
        var plain = new VideoRequest { Model = "kling-v9", Prompt = "x" };
        var withNull = new VideoRequest { Model = "kling-v9", Prompt = "x", Extra = GoldenRows.Extra("{\"seed\":null}") };
        Assert.Contains("\"seed\":null", withNull.ToString());
        Assert.Equal(Identity(plain), Identity(withNull));

        Assert.Equal("{\"a\":[null,2,1]}", CanonicalJson.Of("{\"a\":[null,2,1],\"b\":null}"));
        Assert.NotEqual(CanonicalJson.Of("[1,2]"), CanonicalJson.Of("[2,1]"));
        Assert.NotEqual(
            Identity(new VideoRequest { Prompt = "x", ImageUrls = new List<string> { "https://a.example/1.png", "https://a.example/2.png" } }),
            Identity(new VideoRequest { Prompt = "x", ImageUrls = new List<string> { "https://a.example/2.png", "https://a.example/1.png" } }));
    }

    [Fact]
    public void Numbers_are_kept_as_written_and_strings_escaped_only_where_json_must()
    {
        Assert.Equal("{\"a\":1.50,\"b\":-0,\"c\":1e3}", CanonicalJson.Of("{\"c\":1e3,\"b\":-0,\"a\":1.50}"));
        Assert.Equal(
            "[\"A\\\"\\\\\\b\\t\\n\\f\\r\\u0001é😀/<\"]",
            CanonicalJson.Of("[\"\\u0041\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u00e9\\ud83d\\ude00\\/\\u003c\"]"));

        // A lone surrogate cannot be decoded to UTF-8: kept as written, and a prompt holding one still has an identity.
        Assert.Equal("[\"a\\ud800\"]", CanonicalJson.Of("[\"a\\ud800\"]"));
        Assert.Matches("^[0-9a-f]{32}#1$", Identity(new VideoRequest { Prompt = "a\ud800" }));
    }

    [Fact]
    public void A_local_image_counts_by_its_content_not_where_it_is()
    {
        var local = new LocalImage("/virtual/a.png", "image/png", 10, new string('a', 64));
        var elsewhere = new LocalImage("/elsewhere/b.png", "image/png", 10, new string('a', 64));
        var request = new VideoRequest { Model = "kling-v3", Prompt = "x", Images = new List<ImageRef> { ImageRef.FromFile(local) } };
        Assert.Equal("{\"image_urls\":[\"sha256:" + new string('a', 64) + "\"],\"model\":\"kling-v3\",\"prompt\":\"x\"}", RowIdentityRule.CanonicalRequest.TextOf(request));
        Assert.Equal(Identity(request), Identity(new VideoRequest { Model = "kling-v3", Prompt = "x", Images = new List<ImageRef> { ImageRef.FromFile(elsewhere) } }));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef#1", true)]
    [InlineData("0123456789abcdef0123456789abcdef#999999999", true)]
    [InlineData("0123456789abcdef0123456789abcdef#0", false)]
    [InlineData("0123456789abcdef0123456789abcdef#01", false)]
    [InlineData("0123456789ABCDEF0123456789abcdef#1", false)]
    [InlineData("0123456789abcdef0123456789abcdef#1000000000", false)]
    [InlineData("0123456789abcdef0123456789abcde#1", false)]
    [InlineData("meta", false)]
    public void A_key_is_read_back_only_in_the_form_it_is_written(string key, bool isKey)
    {
        Assert.Equal(isKey, JournalFormat.TryParseKey(key, out RowIdentity identity));
        if (isKey)
        {
            Assert.Equal(key, JournalFormat.KeyOf(identity));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("\"2\"")]
    public void A_header_of_a_version_this_one_does_not_read_is_refused_untouched(string version)
    {
        string path = Path.Combine(folder, "other.jsonl");
        File.WriteAllText(path, "{\"format\":\"kling-journal\",\"version\":" + version + "}\n");
        var error = Assert.Throws<JournalException>(() => SubmissionJournal.Open(path).Dispose());
        Assert.Equal(JournalProblem.UnsupportedVersion, error.Problem);
        Assert.Contains("versions 1 to 2", error.Message);
        Assert.Equal("{\"format\":\"kling-journal\",\"version\":" + version + "}\n", File.ReadAllText(path));
    }
}
