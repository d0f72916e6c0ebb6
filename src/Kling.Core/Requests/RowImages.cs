using System.Collections.Generic;
using System.Linq;
using Kling.Core.Media;

namespace Kling.Core.Requests
{
    /// <summary>The row's image cells, each read once (URL or local file), by the parameter that gave it.</summary>
    internal sealed class RowImages
    {
        internal const string OneWay = "give the row's images one way only (first_frame/last_frame, image, or image_urls).";

        internal ImageRef? First { get; private set; }

        internal ImageRef? Last { get; private set; }

        internal bool FirstGiven { get; private set; }

        internal bool LastGiven { get; private set; }

        internal bool FramesGiven => FirstGiven || LastGiven;

        internal string FramesField => FirstGiven ? "first_frame" : "last_frame";

        internal List<ImageRef> Images { get; private set; } = new List<ImageRef>();

        internal bool ImagesGiven { get; private set; }

        /// <summary>image (-Image) or image_urls (-ImageUrl): the parameter the images came by.</summary>
        internal string ImagesField { get; private set; } = "image_urls";

        internal List<ImageRef> References { get; private set; } = new List<ImageRef>();

        internal List<ImageRef> Frames() => new[] { First, Last }.Where(i => i != null).Select(i => i!).ToList();

        internal static RowImages Read(RowContext row)
        {
            VideoInput input = row.Input;
            var images = new RowImages();
            string? first = Cells.Given(input.FirstFrame);
            string? last = Cells.Given(input.LastFrame);
            images.FirstGiven = first != null;
            images.First = first == null ? null : ImageCells.Read(row, "first_frame", first);
            if (last != null && row.Takes("last_frame", m => m.LastFrame))
            {
                images.LastGiven = true;
                images.Last = ImageCells.Read(row, "last_frame", last);
            }

            List<string> named = Cells.SplitList(input.Images);
            List<string> urls = Cells.SplitList(input.ImageUrls);
            if (named.Count > 0 && urls.Count > 0)
            {
                row.Add("image_urls", "and image are both given; " + OneWay);
            }

            images.ImagesGiven = named.Count > 0 || urls.Count > 0;
            images.ImagesField = named.Count > 0 ? "image" : "image_urls";
            images.Images = ImageCells.ReadAll(row, images.ImagesField, named.Count > 0 ? named : urls);
            List<string> references = Cells.SplitList(input.ReferenceImages);
            if (references.Count > 0 && row.Takes("reference_images", m => m.ReferenceImages))
            {
                images.References = ImageCells.ReadAll(row, "reference_images", references);
            }

            return images;
        }
    }
}
