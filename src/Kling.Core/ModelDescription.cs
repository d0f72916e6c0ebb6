using System.Collections.Generic;
using System.Linq;
using Kling.Core.Catalog;

namespace Kling.Core
{
    /// <summary>
    /// A catalog entry in the words Get-KlingModel writes (<see cref="KlingModel"/>): <c>spec.Describe(prices)</c>. It
    /// stands beside <see cref="KlingModel"/>, above the catalog, so the catalog knows nothing of what users see.
    /// </summary>
    public static class ModelDescription
    {
        extension(ModelSpec spec)
        {
            /// <summary>The model as Get-KlingModel writes it, with its prices from <paramref name="prices"/> (the built-in list when null).</summary>
            public KlingModel Describe(PriceList? prices = null) => Of(spec, prices ?? PriceList.BuiltIn);
        }

        internal static KlingModel Of(ModelSpec spec, PriceList prices) => new KlingModel
        {
            Name = spec.Name,
            Summary = spec.Summary,
            Inputs = Inputs(spec).ToArray(),
            Modes = spec.Modes.ToArray(),
            Durations = spec.Durations.Count == 0 ? string.Empty : CatalogWords.DurationsShort(spec.Durations),
            AspectRatios = spec.AspectRatios.ToArray(),
            MaxImages = spec.MaxImages,
            Audio = spec.Audio,
            MultiShot = spec.MultiShot,
            Notes = Notes(spec).ToArray(),
            Prices = prices.Describe(spec.Name),
            PriceList = prices.Source,
        };

        private static IEnumerable<string> Inputs(ModelSpec spec)
        {
            yield return spec.Prompt == PromptRule.Required ? "prompt" : spec.Prompt == PromptRule.Optional ? "prompt (optional)" : "prompt (optional with an image)";
            if (spec.NegativePrompt)
            {
                yield return "negative prompt";
            }

            switch (spec.Frames)
            {
                case FrameField.ImageUrls:
                    yield return spec.LastFrame ? "first/last frame" : "first frame";
                    yield return "images";
                    break;
                case FrameField.ImageWithRoles:
                    yield return "first/last frame";
                    yield return "images";
                    break;
                case FrameField.FirstFrameImage:
                    yield return "first frame";
                    break;
                case FrameField.ImageUrl:
                    yield return spec.ImageAndVideoRequired ? "character image (required)" : "image";
                    break;
            }

            if (spec.ReferenceImages)
            {
                yield return "reference images";
            }

            if (spec.Video != VideoField.None)
            {
                yield return spec.ImageAndVideoRequired ? "motion video (required)" : "reference video";
            }

            if (spec.Resolutions.Count > 0)
            {
                yield return "resolution (" + string.Join(", ", spec.Resolutions) + ")";
            }

            if (spec.CharacterOrientations.Count > 0)
            {
                yield return "character orientation";
            }

            if (spec.Elements)
            {
                yield return "elements";
            }

            if (spec.Watermark != WatermarkField.None)
            {
                yield return "watermark";
            }
        }

        private static IEnumerable<string> Notes(ModelSpec spec)
        {
            if (spec.PromptMaxLength != null)
            {
                yield return $"prompt: at most {spec.PromptMaxLength} characters.";
            }

            if (spec.NegativePromptMaxLength != null)
            {
                yield return $"negative_prompt: at most {spec.NegativePromptMaxLength} characters.";
            }

            if (spec.MultiShot)
            {
                string perShot = spec.ShotPromptMaxLength != null ? $", at most {spec.ShotPromptMaxLength} characters per shot prompt" : string.Empty;
                yield return $"Shots: 1 to {spec.MaxShots}, whole seconds (at least 1 each) adding up to the duration{perShot}.";
            }

            if (spec.Elements)
            {
                yield return $"Elements: each a name and {spec.MinElementImages} to {spec.MaxElementImages} images, referred to in the prompt as @name.";
            }

            if (spec.Audio && !spec.AudioTypeConfirmed)
            {
                yield return "audio is sent as a JSON boolean: the gateway's page does not say which type it takes.";
            }

            if (spec.Watermark != WatermarkField.None && !spec.WatermarkConfirmed)
            {
                yield return "watermark is sent as a JSON boolean: the gateway's page does not say which type it takes.";
            }

            if (spec.DefaultResolution != null)
            {
                yield return $"resolution defaults to {spec.DefaultResolution}.";
            }

            if (spec.KeepOriginalSoundDefault != null)
            {
                yield return $"keep_original_sound defaults to {spec.KeepOriginalSoundDefault} here.";
            }

            foreach (ModelRule rule in spec.Rules)
            {
                yield return rule.Confirmed ? rule.Description : rule.Description + " (not stated by the gateway; Kling does not check it)";
            }

            foreach (string note in spec.Notes)
            {
                yield return note;
            }
        }
    }
}
