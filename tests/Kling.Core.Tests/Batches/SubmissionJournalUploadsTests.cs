using Kling.Core.Batches;
using Kling.Core.Media;
using Kling.Core.Wire;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// A rerun's recalled task knows the upload URLs the run that sent it used for the row's local images (from the journal),
/// so its video's sidecar has the body as sent; its request keeps the local files, so a resend would upload them afresh.
/// </summary>
public sealed class SubmissionJournalUploadsTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-recall-uploads-" + Guid.NewGuid().ToString("n"));

    public SubmissionJournalUploadsTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private VideoRequest RowWithImage()
    {
        string png = Path.Combine(folder, "frame.png");
        File.WriteAllBytes(png, ImageTests.Png.Concat(new byte[40]).ToArray());
        LocalImage image = ImageFile.Inspect(png, out _)!;
        return new VideoRequest { Model = "kling-v3", Prompt = "a heron", Images = new List<ImageRef> { ImageRef.FromFile(image) } };
    }

    [Fact]
    public void A_recalled_task_gives_the_body_as_sent_and_its_images_upload_urls()
    {
        string path = Path.Combine(folder, "batch.jsonl");
        VideoRequest row = RowWithImage();
        VideoRequest sent = row.WithImageUrls(_ => "https://uploads.example/a.png");
        using (SubmissionJournal first = SubmissionJournal.Open(path))
        {
            string key = first.KeyFor(row);
            first.RecordSending(key, 1, "heron", sent);
            first.RecordSubmitted(key, 1, "heron", sent, "task_heron");
        }

        using SubmissionJournal again = SubmissionJournal.Open(path);
        KlingTask task = again.Recall(RowWithImage(), 1, "heron").Earlier!;
        Assert.Equal("task_heron", task.TaskId);
        Assert.Equal(GatewayJson.Serialize(sent), task.SentBody);
        TaskImage image = Assert.Single(task.LocalImages());
        Assert.Equal("https://uploads.example/a.png", image.Url);

        // The request still holds the local file: a resend uploads it again rather than send a link that may have expired.
        Assert.NotNull(task.Request!.LocalImages);
    }

    [Fact]
    public void A_journal_line_without_the_upload_leaves_the_body_unknown()
    {
        string path = Path.Combine(folder, "old.jsonl");
        VideoRequest row = RowWithImage();
        using (SubmissionJournal first = SubmissionJournal.Open(path))
        {
            string key = first.KeyFor(row);
            first.RecordSending(key, 1, null, row);
            first.RecordSubmitted(key, 1, null, row, "task_old");
        }

        using SubmissionJournal again = SubmissionJournal.Open(path);
        KlingTask task = again.Recall(RowWithImage(), 1, null).Earlier!;
        Assert.Null(task.SentBody);
        Assert.Null(Assert.Single(task.LocalImages()).Url);
    }
}
