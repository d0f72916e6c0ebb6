using Kling.Core.Gallery;
using Xunit;

namespace Kling.Core.Tests;

public class GalleryTotalsTests
{
    [Fact]
    public void Adds_up_videos_their_known_seconds_and_known_costs_and_counts_rows_without_a_video()
    {
        var cards = new[]
        {
            new GalleryCard { State = GalleryCardState.Saved, Duration = 5, CostUsd = 0.56 },
            new GalleryCard { State = GalleryCardState.Saved, Duration = 10 },
            new GalleryCard { State = GalleryCardState.Saved, CostUsd = 1.0 },
            new GalleryCard { State = GalleryCardState.Failed, Duration = 5, CostUsd = 0 },
            new GalleryCard { State = GalleryCardState.NotSent },
            new GalleryCard { State = GalleryCardState.InDoubt },
            new GalleryCard { State = GalleryCardState.NoFile },
        };

        GalleryTotals totals = GalleryTotals.Of(cards);

        Assert.Equal((3, 15, 1.56, 3), (totals.Videos, totals.Seconds, Math.Round(totals.CostUsd, 10), totals.Costed));
        Assert.Equal((1, 1, 1, 1), (totals.Failed, totals.NotSent, totals.InDoubt, totals.NoFile));
    }

    [Fact]
    public void No_cards_is_nothing()
    {
        GalleryTotals totals = GalleryTotals.Of(Array.Empty<GalleryCard>());
        Assert.Equal((0, 0, 0.0, 0), (totals.Videos, totals.Seconds, totals.CostUsd, totals.Costed));
    }
}
