using System.Collections.Generic;
using System.Linq;
using Kling.Core.Catalog;
using Kling.Core.Media;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// Puts the row's frames, images and reference images where the model takes them (<see cref="FrameField"/>):
    /// image_urls [first, last] or the images; image_with_roles (frames and references) beside image_urls (images);
    /// first_frame_image; image_url. Returns how many images it placed, in the order &lt;&lt;&lt;image_N&gt;&gt;&gt; counts them.
    /// </summary>
    internal static class FrameMapper
    {
        private const string OneWay = RowImages.OneWay;

        internal static int Map(RowContext row)
        {
            RowImages given = RowImages.Read(row);
            switch (row.Spec?.Frames ?? FrameField.ImageUrls)
            {
                case FrameField.ImageWithRoles:
                    return ToRoles(row, given);
                case FrameField.FirstFrameImage:
                    return ToSingle(row, given, "first_frame_image", image => row.Request.FirstFrameImage = image);
                case FrameField.ImageUrl:
                    return ToSingle(row, given, "image_url", image => row.Request.ImageUrl = image);
                default:
                    return ToImageUrls(row, given);
            }
        }

        /// <summary>o1, v3, v2-6 and models the catalog does not know: image_urls is [first, last] or the images.</summary>
        private static int ToImageUrls(RowContext row, RowImages given)
        {
            List<ImageRef> images;
            string field;
            if (given.FramesGiven && given.ImagesGiven)
            {
                row.Add(given.ImagesField, $"and {given.FramesField} are both given; {OneWay}");
                return 0;
            }

            if (given.LastGiven && !given.FirstGiven)
            {
                row.Add("last_frame", "is given without first_frame; the API's 1st image is the first frame and the 2nd the last, so a last frame needs a first frame.");
                return 0;
            }

            if (given.FramesGiven)
            {
                images = given.Frames();
                field = "first_frame";
            }
            else
            {
                images = given.Images;
                field = given.ImagesField;
            }

            int? max = row.Spec?.MaxImages;
            if (max != null && images.Count > max)
            {
                row.Add(field, $"has {images.Count} images; at most {max} are allowed on {row.Model} (1st = first frame, 2nd = last frame).");
            }

            row.Request.Images = images.Count > 0 ? images : null;

            // Only a model the catalog does not know gets here with references: they go out as the one known form.
            List<RoleImage> references = given.References.Select(r => new RoleImage { Url = r, Role = "reference" }).ToList();
            row.Request.ImageWithRoles = references.Count > 0 ? references : null;
            return images.Count + references.Count;
        }

        /// <summary>v3-omni: frames and references to image_with_roles, images to image_urls (the catalog's rule refuses both in one row).</summary>
        private static int ToRoles(RowContext row, RowImages given)
        {
            var roles = new List<RoleImage>();
            if (given.First != null)
            {
                roles.Add(new RoleImage { Url = given.First, Role = "first_frame" });
            }

            if (given.Last != null)
            {
                roles.Add(new RoleImage { Url = given.Last, Role = "last_frame" });
            }

            roles.AddRange(given.References.Select(r => new RoleImage { Url = r, Role = "reference" }));
            row.Request.ImageWithRoles = roles.Count > 0 ? roles : null;
            row.Request.Images = given.Images.Count > 0 ? given.Images : null;
            return roles.Count + given.Images.Count;
        }

        /// <summary>3.0-turbo and motion control: one image, the first frame or a single -Image.</summary>
        private static int ToSingle(RowContext row, RowImages given, string wireField, System.Action<ImageRef> place)
        {
            if (given.FramesGiven && given.ImagesGiven)
            {
                row.Add(given.ImagesField, $"and {given.FramesField} are both given; {row.Model} takes one image ({wireField}): {OneWay}");
                return 0;
            }

            List<ImageRef> images = given.FramesGiven ? given.Frames() : given.Images;
            if (images.Count > 1)
            {
                row.Add(given.FramesGiven ? "first_frame" : given.ImagesField, $"has {images.Count} images; {row.Model} takes one ({wireField}).");
                return 0;
            }

            if (images.Count == 1)
            {
                place(images[0]);
            }

            return images.Count;
        }
    }
}
