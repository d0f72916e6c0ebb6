using Kling.Core.Wire;
using Kling.Core.Batches;
using Kling.Core.Catalog;
using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests.Batches;

/// <summary>
/// A row's identity is what a rerun finds it by in its journal: if it moved, a rerun after an upgrade would send (and
/// pay for) rows already submitted. These pin it for a row of every model of the catalog and one of an unknown model,
/// in the identities of new journals (version 2: the request's canonical JSON) and of journals of versions 0 and 1 (the
/// request as sent, which pins each row's wire form too). The version-2 values were computed apart from this code, from
/// the requests' JSON in Fixtures/journal-v1.jsonl (keys sorted, nulls dropped, SHA-256). Never change one: bump the
/// journal's version instead.
/// </summary>
public sealed class RowIdentityGoldenTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"kling-identity-golden-{Guid.NewGuid():n}");

    public RowIdentityGoldenTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Each golden row's identity in a new journal, in row order (the repeated o1 row is its second occurrence).</summary>
    private static readonly Dictionary<string, string> Canonical = new()
    {
        ["o1"] = "2e27cd61bae82f6e0913cfe46ab8595e#1",
        ["o1 feature video"] = "10e0cb7fb79a988ca59b4a694a2b6759#1",
        ["v3-omni"] = "b2b6384461fe9e4d07f1a766dc83fb0a#1",
        ["v3"] = "d8f839786b6e9e17f80e5695a627114e#1",
        ["v2-6"] = "7e6dc113140782a7d5611122a5cb00a8#1",
        ["turbo"] = "1838b6e1b6479c366122b0fd25b6f385#1",
        ["v2-6 motion"] = "5228d5d3e2c48392900f7a5d1257e75d#1",
        ["v3 motion"] = "692ea3531228fded5017019f9a412693#1",
        ["unknown"] = "427b1f41b5ea0076c76aa085bee2fb01#1",
        ["o1 again"] = "2e27cd61bae82f6e0913cfe46ab8595e#2",
    };

    /// <summary>The same rows' identities in a journal of version 0 or 1, as the version-1 code wrote them (Fixtures/journal-v1.jsonl).</summary>
    private static readonly Dictionary<string, string> Serialized = new()
    {
        ["o1"] = "a914fdd39d61a06058942f738d0c50f3#1",
        ["o1 feature video"] = "4d70e9fb933a66bc722c7549cec154ed#1",
        ["v3-omni"] = "76dfc6c48f628c1c328c7bb925821ad7#1",
        ["v3"] = "a82b5b20dca3a613e67b60b55692d7c0#1",
        ["v2-6"] = "2b3decf403338bd85c7d104d3cdde5bb#1",
        ["turbo"] = "af039c810d85dab70b1d737ddd1e2c4d#1",
        ["v2-6 motion"] = "bcaedb0d7a9a0c64a506904357f0f5df#1",
        ["v3 motion"] = "a7f2c0270c13ae55fb06abf89a3f115d#1",
        ["unknown"] = "eabe6edcd8af4ba2e779692fc49cc7ac#1",
        ["o1 again"] = "a914fdd39d61a06058942f738d0c50f3#2",
    };

    private Dictionary<string, string> KeysIn(SubmissionJournal journal) =>
        GoldenRows.All().ToDictionary(r => r.Name, r => journal.KeyFor(r.Request));

    private static void AssertEachRow(Dictionary<string, string> expected, Dictionary<string, string> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, key) in expected)
        {
            Assert.True(key == actual[name], $"row '{name}': expected identity {key}, got {actual[name]}");
        }
    }

    [Fact]
    public void Every_model_of_the_catalog_and_an_unknown_model_has_a_golden_row()
    {
        var models = GoldenRows.All().Select(r => r.Request.Model).ToHashSet(StringComparer.Ordinal);
        Assert.All(ModelCatalog.All, m => Assert.Contains(m.Name, models));
        Assert.Null(ModelCatalog.Find(GoldenRows.UnknownModel));
        Assert.Contains(GoldenRows.UnknownModel, models);
    }

    [Fact]
    public void A_new_journal_gives_each_golden_row_its_canonical_identity()
    {
        using var journal = SubmissionJournal.Open(Path.Combine(folder, "new.jsonl"));
        Assert.Equal(2, journal.Version);
        AssertEachRow(Canonical, KeysIn(journal));
    }

    [Theory]
    [InlineData("{\"format\":\"kling-journal\",\"version\":1,\"created\":\"2026-01-01T00:00:00+00:00\",\"id\":\"0123456789abcdef\"}\n", 1)]
    [InlineData("{\"type\":\"not_sent\",\"key\":\"0123456789abcdef0123456789abcdef#1\",\"row\":1,\"error\":\"refused\",\"at\":\"2026-01-01T00:00:00+00:00\"}\n", 0)]
    public void A_journal_of_version_0_or_1_gives_each_golden_row_the_identity_that_version_wrote(string firstLine, int version)
    {
        string path = Path.Combine(folder, "old.jsonl");
        File.WriteAllText(path, firstLine);
        using var journal = SubmissionJournal.Open(path);
        Assert.Equal(version, journal.Version);
        AssertEachRow(Serialized, KeysIn(journal));
    }

    [Fact]
    public void The_canonical_json_of_a_row_is_pinned_too()
    {
        VideoRequest o1 = GoldenRows.All().Single(r => r.Name == "o1").Request;
        VideoRequest unknown = GoldenRows.All().Single(r => r.Name == "unknown").Request;
        Assert.Equal(
            "{\"aspect_ratio\":\"9:16\",\"duration\":10,\"image_urls\":[\"https://img.example/first.png\",\"https://img.example/last.png\"],\"mode\":\"pro\",\"model\":\"kling-video-o1\",\"prompt\":\"让<<<image_1>>>挥手 \\\"quoted\\\"\"}",
            RowIdentityRule.CanonicalRequest.TextOf(o1));
        Assert.Equal(
            "{\"aspect_ratio\":\"21:9\",\"camera\":{\"pan\":\"left\",\"speed\":1.5},\"duration\":42,\"image_urls\":[\"https://img.example/1.png\"],\"loop\":true,\"mode\":\"ultra\",\"model\":\"kling-v9-preview\",\"prompt\":\"x <<<image_1>>>\",\"seed\":7}",
            RowIdentityRule.CanonicalRequest.TextOf(unknown));
    }
}
