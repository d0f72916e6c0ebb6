using System.Collections.Generic;
using Kling.Core.Media;

namespace Kling.Core.Requests
{
    /// <summary>One image cell, in any field: an http(s) URL passes through; anything else is a local file read by the row's <see cref="IImageReader"/>.</summary>
    internal static class ImageCells
    {
        internal static ImageRef? Read(RowContext row, string field, string value)
        {
            string? urlProblem = UrlRules.UrlProblem(value);
            if (urlProblem != null)
            {
                row.Add(field, urlProblem);
                return null;
            }

            if (UrlRules.IsHttpUrl(value))
            {
                return ImageRef.FromUrl(value);
            }

            if (UrlRules.LooksLikeUrl(value))
            {
                row.Add(field, $"'{value}' is neither an http(s) URL nor a local image file.");
                return null;
            }

            LocalImage? image = row.Input.ImageReader.Read(value, out string? problem);
            if (image == null)
            {
                row.Add(field, problem ?? $"'{value}' could not be read.");
                return null;
            }

            return ImageRef.FromFile(image);
        }

        /// <summary>The images of several cells of one field, skipping (and reporting) the unreadable ones.</summary>
        internal static List<ImageRef> ReadAll(RowContext row, string field, IEnumerable<string> values)
        {
            var images = new List<ImageRef>();
            foreach (string value in values)
            {
                ImageRef? image = Read(row, field, value);
                if (image != null)
                {
                    images.Add(image);
                }
            }

            return images;
        }
    }
}
