using Kling.Core;
using Kling.Core.Gallery;
using Xunit;

namespace Kling.Core.Tests;

public class GalleryBuilderTests
{
    [Fact]
    public void A_video_without_a_sidecar_takes_its_row_name_and_request_from_the_journal_by_task_id()
    {
        using var folder = new GalleryFolder();
        folder.Journal(
            (1, "heron", GalleryFolder.Request("a heron lifts off", "kling-v3", "pro", 8), "task_1", null),
            (2, "fox", GalleryFolder.Request("a fox in snow", "kling-v2-6", "std", 10), "task_2", null));
        folder.Saved("fox.mp4", "task_2", cost: 0.7);
        folder.Saved("heron.mp4", "task_1", cost: 1.12);

        GalleryContent gallery = GalleryBuilder.Build(folder.Path, JournalRows.Read(folder.JournalPath));

        Assert.Equal(new[] { "heron.mp4", "fox.mp4" }, gallery.Cards.Select(c => c.File));
        GalleryCard heron = gallery.Cards[0];
        Assert.Equal((1, "heron", "kling-v3", "pro", 8, "a heron lifts off", 1.12, "task_1", "index+journal"),
            (heron.Row, heron.Name, heron.Model, heron.Mode, heron.Duration, heron.Prompt, heron.CostUsd, heron.TaskId, heron.Source));
        Assert.Equal(GalleryCardState.Saved, heron.State);
        Assert.Equal(10, heron.Bytes);
    }

    [Fact]
    public void Without_a_journal_a_video_without_a_sidecar_is_just_its_file_task_bytes_and_cost()
    {
        using var folder = new GalleryFolder();
        folder.Saved("clip.mp4", "task_9", bytes: 12, cost: 0.5);

        GalleryCard card = Assert.Single(GalleryBuilder.Build(folder.Path, null).Cards);

        Assert.Equal(("clip.mp4", "task_9", 12L, 0.5, "index"), (card.File, card.TaskId, card.Bytes, card.CostUsd, card.Source));
        Assert.Null(card.Row);
        Assert.Null(card.Prompt);
        Assert.Null(card.Model);
    }

    [Fact]
    public void A_sidecar_comes_before_the_index_and_the_journal_fills_only_what_it_leaves_out()
    {
        using var folder = new GalleryFolder();
        folder.Journal((3, "journal-name", GalleryFolder.Request("the journal's prompt", "kling-v3", "std", 5), "task_s", null));
        folder.Saved("s.mp4", "task_s", cost: 9);
        folder.Sidecar("s.mp4", """{"kind":"kling.video/1","file":"s.mp4","taskId":"task_s","name":"sidecar-name","model":"kling-v3-omni","prompt":"the sidecar's prompt","costUsd":0.84,"future":{"x":1}}""");

        GalleryCard card = Assert.Single(GalleryBuilder.Build(folder.Path, JournalRows.Read(folder.JournalPath)).Cards);

        Assert.Equal(("sidecar-name", "kling-v3-omni", "the sidecar's prompt", 0.84, "sidecar"), (card.Name, card.Model, card.Prompt, card.CostUsd, card.Source));
        Assert.Equal((3, "std", 5), (card.Row, card.Mode, card.Duration));
    }

    [Fact]
    public void A_file_the_index_names_but_that_is_gone_or_cut_gets_no_card_and_a_json_that_is_no_sidecar_is_ignored()
    {
        using var folder = new GalleryFolder();
        folder.Saved("gone.mp4", "task_g");
        File.Delete(Path.Combine(folder.Path, "gone.mp4"));
        folder.Saved("cut.mp4", "task_c", bytes: 10);
        File.WriteAllBytes(Path.Combine(folder.Path, "cut.mp4"), new byte[4]);
        File.WriteAllBytes(Path.Combine(folder.Path, "other.mp4"), new byte[4]);
        folder.Sidecar("other.mp4", """{"kind":"something.else/1","prompt":"not ours"}""");
        folder.Sidecar("broken.mp4", "{");

        Assert.Empty(GalleryBuilder.Build(folder.Path, null).Cards);
    }

    [Fact]
    public void With_a_journal_rows_that_made_no_video_get_cards_with_the_reason()
    {
        using var folder = new GalleryFolder();
        folder.Journal(
            (1, "saved", GalleryFolder.Request("one"), "task_1", null),
            (2, "refused", GalleryFolder.Request("two"), null, "build_request_failed: invalid size: 3:5"),
            (3, "doubt", GalleryFolder.Request("three"), null, null),
            (4, "running", GalleryFolder.Request("four"), "task_4", null));
        folder.Saved("saved.mp4", "task_1");

        var cards = GalleryBuilder.Build(folder.Path, JournalRows.Read(folder.JournalPath)).Cards;

        Assert.Equal(new[] { GalleryCardState.Saved, GalleryCardState.NotSent, GalleryCardState.InDoubt, GalleryCardState.NoFile }, cards.Select(c => c.State));
        Assert.Equal(new int?[] { 1, 2, 3, 4 }, cards.Select(c => c.Row));
        Assert.Equal("build_request_failed: invalid size: 3:5", cards[1].Reason);
        Assert.Equal("two", cards[1].Prompt);
        Assert.Contains("may have been accepted and billed", cards[2].Reason);
        Assert.Equal("task_4", cards[3].TaskId);
        Assert.All(cards.Skip(1), c => Assert.Null(c.File));
    }

    [Fact]
    public void A_failed_task_takes_the_gateway_s_reason_and_its_refund()
    {
        var card = new GalleryCard { State = GalleryCardState.NoFile, TaskId = "task_f" };
        var task = new KlingTask("task_f") { Status = KlingTaskStatus.Failed, ErrorCode = "1301", Error = "Content moderation failed", Cost = 0 };

        GalleryBuilder.ApplyStatus(card, task);

        Assert.Equal((GalleryCardState.Failed, "failed (1301): Content moderation failed", 0.0), (card.State, card.Reason, card.CostUsd));
    }

    [Fact]
    public void A_task_with_several_videos_counts_its_cost_once()
    {
        using var folder = new GalleryFolder();
        folder.Saved("multi.mp4", "task_m", cost: 1.5, index: 0);
        folder.Saved("multi_2.mp4", "task_m", index: 1);
        folder.Sidecar("multi.mp4", """{"kind":"kling.video/1","taskId":"task_m","index":1,"costUsd":1.5}""");
        folder.Sidecar("multi_2.mp4", """{"kind":"kling.video/1","taskId":"task_m","index":2,"costUsd":1.5}""");

        GalleryContent gallery = GalleryBuilder.Build(folder.Path, null);

        Assert.Equal(2, gallery.Totals.Videos);
        Assert.Equal(1.5, gallery.Totals.CostUsd);
        Assert.Equal(1, gallery.Totals.Costed);
    }
}
