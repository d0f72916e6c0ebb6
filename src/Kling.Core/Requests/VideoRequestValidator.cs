using System.Collections.Generic;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// Turns a row of user input into the request its model expects, enforcing the model's confirmed rules from the
    /// <see cref="ModelCatalog"/> before any money is spent; a model the catalog does not know gets the generic checks
    /// only and the generic field names. Empty strings mean "not given".
    /// </summary>
    public static class VideoRequestValidator
    {
        /// <summary>
        /// The request for a row, or null with every problem of the row. Pure but for the images: local files are read
        /// through <see cref="VideoInput.ImageReader"/>, the only file I/O on the way.
        /// </summary>
        public static VideoRequest? TryBuild(VideoInput input, out IReadOnlyList<ValidationProblem> problems)
        {
            string? name = Cells.Given(input.Model);
            ModelSpec? spec = name == null ? ModelCatalog.Default : ModelCatalog.Find(name);
            var row = new RowContext(input, spec, new VideoRequest { Model = spec?.Name ?? name! });
            PromptReader.Read(row);
            SettingsReader.Read(row);
            int images = FrameMapper.Map(row);
            PromptReader.CheckImageReferences(row, images);
            VideoMapper.Map(row);
            ShotReader.Read(row);
            ElementReader.Read(row);
            if (spec != null)
            {
                CheckModel(row, spec);
            }

            WebhookReader.Read(row);
            AdditionalBodyReader.Read(row);
            problems = row.Problems;
            return row.Problems.Count == 0 ? row.Request : null;
        }

        /// <summary>The model's required inputs and its confirmed rules between fields (an unconfirmed rule never refuses a row).</summary>
        private static void CheckModel(RowContext row, ModelSpec spec)
        {
            VideoInput input = row.Input;
            if (spec.ImageAndVideoRequired)
            {
                // A given image that did not read is already the row's problem; only a missing one is reported here.
                if (!input.HasImage)
                {
                    row.Add("image_url", $"is required by {spec.Name}: give the character's image with -FirstFrame or -Image.");
                }

                if (Cells.Given(input.VideoUrl) == null)
                {
                    string file = spec.VideoLimits == null ? string.Empty : $" ({CatalogWords.VideoFile(spec.VideoLimits)})";
                    row.Add("video_url", $"is required by {spec.Name}: give the motion's video with -VideoUrl{file}.");
                }
            }

            foreach (ModelRule rule in spec.Rules)
            {
                ValidationProblem? problem = rule.Confirmed ? rule.Check(row.Request) : null;
                if (problem != null)
                {
                    row.Problems.Add(problem);
                }
            }
        }
    }
}
