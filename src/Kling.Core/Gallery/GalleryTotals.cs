using System.Collections.Generic;

namespace Kling.Core.Gallery
{
    /// <summary>A batch's totals on the gallery page: its videos, their seconds and what it cost, and the rows without a video.</summary>
    public sealed class GalleryTotals
    {
        private GalleryTotals()
        {
        }

        /// <summary>Saved videos (cards with a file).</summary>
        public int Videos { get; private set; }

        /// <summary>The seconds of the saved videos whose duration is known.</summary>
        public int Seconds { get; private set; }

        /// <summary>The costs known, added up (each task's cost stands on one card only).</summary>
        public double CostUsd { get; private set; }

        /// <summary>How many cards carry a cost: fewer than the tasks means the total is a lower bound.</summary>
        public int Costed { get; private set; }

        public int Failed { get; private set; }

        public int NotSent { get; private set; }

        public int InDoubt { get; private set; }

        public int NoFile { get; private set; }

        /// <summary>Adds up the cards.</summary>
        public static GalleryTotals Of(IEnumerable<GalleryCard> cards)
        {
            var totals = new GalleryTotals();
            foreach (GalleryCard card in cards)
            {
                switch (card.State)
                {
                    case GalleryCardState.Saved:
                        totals.Videos++;
                        totals.Seconds += card.Duration ?? 0;
                        break;
                    case GalleryCardState.Failed: totals.Failed++; break;
                    case GalleryCardState.NotSent: totals.NotSent++; break;
                    case GalleryCardState.InDoubt: totals.InDoubt++; break;
                    default: totals.NoFile++; break;
                }

                if (card.CostUsd.HasValue)
                {
                    totals.CostUsd += card.CostUsd.Value;
                    totals.Costed++;
                }
            }

            return totals;
        }
    }
}
