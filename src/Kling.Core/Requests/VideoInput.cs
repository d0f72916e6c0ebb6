using System.Collections.Generic;
using Kling.Core.Media;

namespace Kling.Core.Requests
{
    /// <summary>One row as the user gave it: every field a string (or null when not given), not yet checked; each property is a field <see cref="RowFields"/> declares (RowFieldsTests fails on drift).</summary>
    public sealed class VideoInput
    {
        public string? Prompt { get; set; }
        public string? Model { get; set; }
        public string? Mode { get; set; }
        public string? Duration { get; set; }
        public string? AspectRatio { get; set; }
        /// <summary>image_urls: URLs, or local image files (uploaded first).</summary>
        public IList<string>? ImageUrls { get; set; }

        /// <summary>image / images: the same as ImageUrls, under the friendlier name.</summary>
        public IList<string>? Images { get; set; }

        /// <summary>first_frame / last_frame: positions 1 and 2 of image_urls, by name.</summary>
        public string? FirstFrame { get; set; }

        public string? LastFrame { get; set; }

        /// <summary>Reads the local images the row names (the cmdlet's resolves paths against the PowerShell location).</summary>
        public IImageReader ImageReader { get; set; } = new DiskImageReader();
        public string? VideoUrl { get; set; }
        public string? ReferType { get; set; }
        public string? KeepOriginalSound { get; set; }

        public string? NegativePrompt { get; set; }

        /// <summary>yes/no/true/false (sent as a JSON boolean).</summary>
        public string? Audio { get; set; }

        /// <summary>yes/no/true/false (watermark, or watermark_info.enabled on motion control).</summary>
        public string? Watermark { get; set; }

        /// <summary>720p/1080p (kling-3.0-turbo).</summary>
        public string? Resolution { get; set; }

        /// <summary>reference_images: URLs or local image files, ';'-separated in a cell (v3-omni: role reference).</summary>
        public IList<string>? ReferenceImages { get; set; }

        /// <summary>image/video (motion control).</summary>
        public string? CharacterOrientation { get; set; }

        /// <summary>The row's shots: each a cell ("3: The door opens | 5: A dog runs in") or a prompt and a duration.</summary>
        public IList<ShotInput>? Shots { get; set; }

        /// <summary>yes/no/true/false; true without shots sends shot_type "intelligence".</summary>
        public string? MultiShot { get; set; }

        /// <summary>The row's elements (v3-omni): each a name, a description and 2 to 4 images, or a JSON cell.</summary>
        public IList<ElementInput>? Elements { get; set; }

        /// <summary>A public https URL the gateway calls (POST &lt;url&gt;/callback) when the task ends: the body's top-level webhook.</summary>
        public string? Webhook { get; set; }

        /// <summary>Fields the module has no parameter for: plain .NET values (string, bool, numbers, IList, IDictionary).</summary>
        public IDictionary<string, object?>? AdditionalBody { get; set; }

        /// <summary>The same as a CSV cell: a JSON object.</summary>
        public string? AdditionalBodyJson { get; set; }

        /// <summary>Whether the row names an image by -FirstFrame, -Image or -ImageUrl (read or not).</summary>
        internal bool HasImage =>
            Cells.Given(FirstFrame) != null || Cells.SplitList(Images).Count > 0 || Cells.SplitList(ImageUrls).Count > 0;
    }

    /// <summary>One -Shot value: a cell of the form "3: prompt | 5: prompt" (Text), or one shot's Prompt and Duration.</summary>
    public sealed class ShotInput
    {
        public string? Text { get; set; }

        public string? Prompt { get; set; }

        public string? Duration { get; set; }
    }

    /// <summary>One -Element value: Name, Description and Images (2 to 4, URLs or local files), or a JSON cell (an object or an array of them).</summary>
    public sealed class ElementInput
    {
        public string? Json { get; set; }

        public string? Name { get; set; }

        public string? Description { get; set; }

        public IList<string>? Images { get; set; }
    }
}
