using System.Linq;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>The row's one-value settings: mode, duration, aspect_ratio, resolution, character_orientation, audio, watermark.</summary>
    internal static class SettingsReader
    {

        internal static void Read(RowContext row)
        {
            VideoInput input = row.Input;
            VideoRequest request = row.Request;
            string? mode = Cells.Given(input.Mode);
            if (mode != null && row.Takes("mode", m => m.Modes.Count > 0, ModeHint(row.Spec)))
            {
                request.Mode = row.OneOf("mode", mode, m => m.Modes);
            }

            ReadDuration(row);
            string? aspect = Cells.Given(input.AspectRatio);
            if (aspect != null && row.Takes("aspect_ratio", m => m.AspectRatios.Count > 0, FollowsVideoHint(row.Spec)))
            {
                request.AspectRatio = row.OneOf("aspect_ratio", aspect, m => m.AspectRatios);
            }

            string? resolution = Cells.Given(input.Resolution);
            if (resolution != null && row.Takes("resolution", m => m.Resolutions.Count > 0, row.Spec?.Modes.Count > 0 ? "give -Mode instead" : null))
            {
                request.Resolution = row.OneOf("resolution", resolution, m => m.Resolutions);
            }

            string? orientation = Cells.Given(input.CharacterOrientation);
            if (orientation != null && row.Takes("character_orientation", m => m.CharacterOrientations.Count > 0))
            {
                request.CharacterOrientation = row.OneOf("character_orientation", orientation, m => m.CharacterOrientations);
            }

            string? audio = Cells.Given(input.Audio);
            if (audio != null && row.Takes("audio", m => m.Audio))
            {
                request.Audio = row.Boolean("audio", audio);
            }

            ReadWatermark(row);
        }

        private static void ReadDuration(RowContext row)
        {
            string? duration = Cells.Given(row.Input.Duration);
            if (duration == null || !row.Takes("duration", m => m.Durations.Count > 0, FollowsVideoHint(row.Spec)))
            {
                return;
            }

            ModelSpec? spec = row.Spec;
            int? seconds = Cells.WholeNumber(duration);
            if (seconds == null)
            {
                string takes = spec == null ? string.Empty : $"; {spec.Name} takes {CatalogWords.Durations(spec.Durations)}";
                row.Add("duration", $"'{duration}' is not a whole number of seconds{takes}.");
                return;
            }

            if (spec != null && !spec.Durations.Contains(seconds.Value))
            {
                int s = seconds.Value;
                string others = CatalogWords.OthersAllowing(spec, m => m.Durations.Contains(s), m => CatalogWords.Durations(m.Durations));
                row.Add("duration", $"{s} is not allowed for {spec.Name} ({CatalogWords.Durations(spec.Durations)}){others}");
                return;
            }

            row.Request.Duration = seconds;
        }

        private static void ReadWatermark(RowContext row)
        {
            string? watermark = Cells.Given(row.Input.Watermark);
            if (watermark == null || !row.Takes("watermark", m => m.Watermark != WatermarkField.None))
            {
                return;
            }

            bool? enabled = row.Boolean("watermark", watermark);
            if (enabled == null)
            {
                return;
            }

            if (row.Spec?.Watermark == WatermarkField.Info)
            {
                row.Request.WatermarkInfo = new WatermarkInfo { Enabled = enabled.Value };
            }
            else
            {
                row.Request.Watermark = enabled;
            }
        }

        private static string? FollowsVideoHint(ModelSpec? spec) =>
            spec != null && spec.Video == VideoField.VideoUrl ? "no duration or aspect ratio: the length and the price follow the reference video" : null;

        private static string? ModeHint(ModelSpec? spec) =>
            spec != null && spec.Resolutions.Count > 0 ? $"it has no mode: give -Resolution {CatalogWords.Alternatives(spec.Resolutions)} instead" : null;
    }
}
