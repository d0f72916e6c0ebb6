using System.Linq;
using Kling.Core.Wire;

namespace Kling.Core.Catalog
{
    /// <summary>
    /// The rules between fields that the catalog's entries name, each checked on the built request. A rule returns the
    /// problem (naming the model and the field) or null; one rule can serve several models.
    /// </summary>
    internal static class ModelRules
    {
        private const string RoleFirst = "first_frame";
        private const string RoleLast = "last_frame";

        /// <summary>o1: a base reference video is edited, so the row takes no frame images.</summary>
        internal static ModelRule BaseVideoForbidsFrames(bool framesHaveRoles) => new ModelRule(
            "A reference video with refer_type base (the default) forbids first/last frames.",
            true,
            r =>
            {
                string field = FrameField(r, framesHaveRoles, out int frames);
                return ReferType(r) == "base" && frames > 0
                    ? new ValidationProblem(field, $"must be empty when refer_type is 'base' on {r.Model} (the reference video is edited; first/last frame images are not allowed).")
                    : null;
            });

        internal static ModelRule FeatureVideoFirstFrameOnly(bool framesHaveRoles) => new ModelRule(
            "A reference video with refer_type feature allows the first frame only.",
            true,
            r =>
            {
                string field = FrameField(r, framesHaveRoles, out int frames);
                return ReferType(r) == "feature" && frames > 1
                    ? new ValidationProblem(field, $"may hold only the first frame (1 image) when refer_type is 'feature' on {r.Model}.")
                    : null;
            });

        /// <summary>v3-omni: image_urls (-Image/-ImageUrl) and image_with_roles (frames, references) never in one body.</summary>
        internal static ModelRule RolesOrImageUrls() => new ModelRule(
            "image_urls (-Image, -ImageUrl) and image_with_roles (-FirstFrame, -LastFrame, -ReferenceImage) are never both given.",
            true,
            r => r.Images != null && r.Images.Count > 0 && r.ImageWithRoles != null && r.ImageWithRoles.Count > 0
                ? new ValidationProblem("image", $"(image_urls) and first_frame/last_frame/reference_images (image_with_roles) are both given; {r.Model} takes one or the other in a row.")
                : null);

        internal static ModelRule LastFrameNeedsFirstFrame() => new ModelRule(
            "A last frame needs a first frame.",
            true,
            r => HasRole(r, RoleLast) && !HasRole(r, RoleFirst)
                ? new ValidationProblem("last_frame", $"is given without first_frame; {r.Model} takes a last frame only with a first frame.")
                : null);

        /// <summary>v2-6: the second image (the last frame) needs pro.</summary>
        internal static ModelRule LastFrameNeedsPro() => new ModelRule(
            "A last frame needs mode pro.",
            true,
            r => HasLastImage(r) && r.Mode != "pro"
                ? new ValidationProblem("last_frame", $"needs mode pro on {r.Model} (the mode is {r.Mode ?? "std, the default"}); give -Mode pro or drop the last frame.")
                : null);

        internal static ModelRule AudioNeedsPro() => new ModelRule(
            "audio needs mode pro (std is silent).",
            true,
            r => r.Audio == true && r.Mode != "pro"
                ? new ValidationProblem("audio", $"needs mode pro on {r.Model} (std is silent; the mode is {r.Mode ?? "std, the default"}); give -Mode pro or -Audio no.")
                : null);

        internal static ModelRule NoLastFrameWithAudio() => new ModelRule(
            "In pro, a last frame and audio cannot be combined.",
            true,
            r => HasLastImage(r) && r.Audio == true && r.Mode == "pro"
                ? new ValidationProblem("audio", $"cannot be combined with a last frame on {r.Model}; drop one of them.")
                : null);

        private static bool HasLastImage(VideoRequest r) => r.Images != null && r.Images.Count > 1;

        private static bool HasRole(VideoRequest r, string role) => r.ImageWithRoles != null && r.ImageWithRoles.Any(i => i.Role == role);

        private static string? ReferType(VideoRequest r) =>
            r.VideoList == null || r.VideoList.Count == 0 ? null : r.VideoList[0].ReferType ?? "base";

        /// <summary>The frames of the body: image_with_roles' first/last frames when the model gives frames roles (v3-omni), else image_urls.</summary>
        private static string FrameField(VideoRequest r, bool framesHaveRoles, out int frames)
        {
            if (framesHaveRoles)
            {
                frames = r.ImageWithRoles?.Count(i => i.Role == RoleFirst || i.Role == RoleLast) ?? 0;
                return "image_with_roles";
            }

            frames = r.Images?.Count ?? 0;
            return "image_urls";
        }
    }
}
