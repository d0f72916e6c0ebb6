using System.Collections.Generic;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// The reference video where the model takes it (<see cref="VideoField"/>): video_list [{video_url, refer_type,
    /// keep_original_sound}] (o1, v3-omni, models the catalog does not know) or video_url and keep_original_sound at the
    /// top of the body (motion control).
    /// </summary>
    internal static class VideoMapper
    {
        internal static void Map(RowContext row)
        {
            VideoInput input = row.Input;
            string? videoUrl = Cells.Given(input.VideoUrl);
            string? referType = Cells.Given(input.ReferType);
            string? keepSound = Cells.Given(input.KeepOriginalSound);
            if (videoUrl == null)
            {
                if (referType != null)
                {
                    row.Add("refer_type", "is given without video_url; it only applies to a reference video.");
                }

                if (keepSound != null)
                {
                    row.Add("keep_original_sound", "is given without video_url; it only applies to a reference video.");
                }

                return;
            }

            if (!row.Takes("video_url", m => m.Video != VideoField.None) || !CheckUrl(row, videoUrl))
            {
                return;
            }

            string? keep = keepSound == null ? null : YesNo(row, keepSound);
            if (row.Spec?.Video == VideoField.VideoUrl)
            {
                if (referType != null)
                {
                    row.Takes("refer_type", m => m.Video == VideoField.VideoList);
                }

                row.Request.VideoUrl = videoUrl;
                row.Request.KeepOriginalSound = keep;
                return;
            }

            string? type = referType == null ? null : row.Spec == null ? referType : OneOf(row, row.Spec, referType);
            row.Request.VideoList = new List<VideoReference> { new VideoReference { VideoUrl = videoUrl, ReferType = type, KeepOriginalSound = keep } };
        }

        private static bool CheckUrl(RowContext row, string videoUrl)
        {
            string? urlProblem = UrlRules.UrlProblem(videoUrl);
            if (urlProblem != null)
            {
                row.Add("video_url", urlProblem);
                return false;
            }

            if (!UrlRules.IsHttpUrl(videoUrl))
            {
                row.Add("video_url", $"'{videoUrl}' is not an absolute http(s) URL; the reference video must be publicly reachable (the gateway has no video upload). Put the file somewhere public and give its URL; Test-KlingVideoInput -Path checks a local file against the video rules first.");
                return false;
            }

            return true;
        }

        /// <summary>refer_type as the catalog lists it for the row's model, or the row's problem.</summary>
        private static string? OneOf(RowContext row, ModelSpec spec, string referType)
        {
            IReadOnlyList<string> referTypes = spec.ReferTypes;
            string? match = Cells.Match(referType, referTypes);
            if (match == null)
            {
                row.Add("refer_type", $"'{referType}' is not allowed for {row.Model} ({CatalogWords.Alternatives(referTypes)}).");
            }

            return match;
        }

        /// <summary>keep_original_sound stays the API's yes/no string.</summary>
        private static string? YesNo(RowContext row, string value)
        {
            bool? keep = row.Boolean("keep_original_sound", value);
            return keep == null ? null : keep.Value ? "yes" : "no";
        }
    }
}
