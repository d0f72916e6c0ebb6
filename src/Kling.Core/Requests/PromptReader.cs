using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Kling.Core.Catalog;

namespace Kling.Core.Requests
{
    /// <summary>prompt and negative_prompt: presence as the model needs it, length, control characters, &lt;&lt;&lt;image_N&gt;&gt;&gt; references.</summary>
    internal static class PromptReader
    {
        private static readonly Regex ImageReference = new Regex(@"<<<\s*image_(\d+)\s*>>>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        internal static void Read(RowContext row)
        {
            VideoInput input = row.Input;
            ModelSpec? spec = row.Spec;
            if (Cells.Given(input.Prompt) == null)
            {
                PromptRule rule = spec?.Prompt ?? PromptRule.Required;
                if (rule == PromptRule.Required)
                {
                    row.Add("prompt", "is required and must not be empty.");
                }
                else if (rule == PromptRule.RequiredWithoutImage && !input.HasImage)
                {
                    row.Add("prompt", $"is required by {row.Model} when no first frame is given.");
                }
            }
            else
            {
                row.Request.Prompt = input.Prompt!;
                if (row.CheckText("prompt", input.Prompt!))
                {
                    CheckLength(row, "prompt", input.Prompt!, spec?.PromptMaxLength);
                }
            }

            string? negative = Cells.Given(input.NegativePrompt);
            if (negative != null && row.Takes("negative_prompt", m => m.NegativePrompt) && row.CheckText("negative_prompt", negative))
            {
                CheckLength(row, "negative_prompt", negative, spec?.NegativePromptMaxLength);
                row.Request.NegativePrompt = negative;
            }
        }

        /// <summary>Every &lt;&lt;&lt;image_N&gt;&gt;&gt; in the prompt must point at one of the images given (models that take the syntax).</summary>
        internal static void CheckImageReferences(RowContext row, int imageCount)
        {
            string? prompt = row.Request.Prompt;
            if (prompt == null || row.Spec == null || !row.Spec.ImageReferences)
            {
                return;
            }

            foreach (Match match in ImageReference.Matches(prompt))
            {
                bool parsed = int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n);
                if (!parsed || n < 1 || n > imageCount)
                {
                    string have = imageCount == 0 ? "no images are given" : $"only {imageCount} image(s) are given";
                    row.Add("prompt", $"references {match.Value} but {have}.");
                }
            }
        }

        private static void CheckLength(RowContext row, string field, string text, int? max)
        {
            if (max != null && text.Length > max)
            {
                row.Add(field, $"has {text.Length} characters; {row.Model} takes at most {max}.");
            }
        }
    }
}
