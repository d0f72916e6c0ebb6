using System;
using System.Collections.Generic;
using System.Linq;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// Every field of a video row (New-KlingVideo, Measure-KlingCost), declared once: name, aliases, kind, help line and
    /// body fields. What can be derived is: the row reader's mapping onto <see cref="VideoInput"/> (VideoRowReader), the
    /// keys -AdditionalBody may not set (<see cref="IsReservedBodyKey"/>). What cannot (the cmdlet's properties, which
    /// PowerShell binds by their attributes; <see cref="VideoInput"/>'s properties; the help sources; the README
    /// parameter table) is checked against this list by tests that fail on drift (RowFieldsTests, RowFields.Tests.ps1).
    /// Columns bind in any case, as PowerShell binds. To add a field: declare it here; give <see cref="VideoInput"/> its
    /// property and VideoRowCmdlet its parameter (with the declared aliases); read it in the core (a reader beside
    /// SettingsReader) and, when it is sent, give <see cref="VideoRequest"/> its body field; write its section in
    /// New-KlingVideo.md and Measure-KlingCost.md and its row in the README's parameter table (the help line). The
    /// tests name whatever is still missing.
    /// </summary>
    public static class RowFields
    {
        private const string YesNoCell = "`yes`, `no`, `true`, `false`, `1`, `0`";

        /// <summary>The fields, in the order the cmdlet declares its parameters.</summary>
        public static IReadOnlyList<RowField> All { get; } = new[]
        {
            new RowField("Prompt", RowFieldKind.Text, nameof(VideoInput.Prompt), Array.Empty<string>(), new[] { "prompt" },
                "text; may reference images as `<<<image_N>>>`; required but on motion control (and on kling-3.0-turbo with a first frame)"),
            new RowField("Mode", RowFieldKind.Text, nameof(VideoInput.Mode), Array.Empty<string>(), new[] { "mode" },
                "`std` (720p), `pro` (1080p), and `4k` on kling-v3-omni and kling-v3; none on kling-3.0-turbo"),
            new RowField("Duration", RowFieldKind.Text, nameof(VideoInput.Duration), Array.Empty<string>(), new[] { "duration" },
                "seconds, sent as a JSON integer: `5`, `10` (o1, v2-6); `3` to `15` (v3-omni, v3, 3.0-turbo); none on motion control"),
            new RowField("AspectRatio", RowFieldKind.Text, nameof(VideoInput.AspectRatio), new[] { "aspect_ratio" }, new[] { "aspect_ratio" },
                "`16:9`, `9:16`, `1:1`; none on motion control"),
            new RowField("ImageUrl", RowFieldKind.List, nameof(VideoInput.ImageUrls), new[] { "image_urls", "ImageUrls" }, new[] { "image_urls", "first_frame_image", "image_url" },
                "images, each an http(s) URL or a local file (1st = first frame, 2nd = last frame); one cell may hold several separated by `;`"),
            new RowField("Image", RowFieldKind.List, nameof(VideoInput.Images), new[] { "images" }, new[] { "image_urls", "first_frame_image", "image_url" },
                "the same as `-ImageUrl`, by a friendlier name; motion control's character image"),
            new RowField("FirstFrame", RowFieldKind.Text, nameof(VideoInput.FirstFrame), new[] { "first_frame" }, new[] { "image_urls", "image_with_roles", "first_frame_image", "image_url" },
                "the first frame by name, a local file or an http(s) URL; mapped per model (`image_urls`, `image_with_roles`, `first_frame_image`, `image_url`)"),
            new RowField("LastFrame", RowFieldKind.Text, nameof(VideoInput.LastFrame), new[] { "last_frame" }, new[] { "image_urls", "image_with_roles" },
                "the last frame by name, a local file or an http(s) URL; needs a first frame; mapped per model (`image_urls`, `image_with_roles`)"),
            new RowField("VideoUrl", RowFieldKind.Text, nameof(VideoInput.VideoUrl), new[] { "video_url" }, new[] { "video_list", "video_url" },
                "a public http(s) URL of an MP4/MOV video: o1's and v3-omni's reference video, motion control's motion"),
            new RowField("ReferType", RowFieldKind.Text, nameof(VideoInput.ReferType), new[] { "refer_type" }, new[] { "video_list" },
                "`base` (edit the video), `feature` (style reference)"),
            new RowField("KeepOriginalSound", RowFieldKind.Text, nameof(VideoInput.KeepOriginalSound), new[] { "keep_original_sound" }, new[] { "video_list", "keep_original_sound" },
                YesNoCell + ", sent as `yes` or `no`"),
            new RowField("Model", RowFieldKind.Text, nameof(VideoInput.Model), Array.Empty<string>(), new[] { "model" },
                "a model of `Get-KlingModel` (tab-completes), or any other name, sent as given"),
            new RowField("NegativePrompt", RowFieldKind.Text, nameof(VideoInput.NegativePrompt), new[] { "negative_prompt" }, new[] { "negative_prompt" },
                "what not to show (v3-omni, v3, v2-6)"),
            new RowField("Audio", RowFieldKind.Text, nameof(VideoInput.Audio), Array.Empty<string>(), new[] { "audio" },
                YesNoCell + ", sent as a JSON boolean (v3-omni, v3, v2-6 in pro)"),
            new RowField("Watermark", RowFieldKind.Text, nameof(VideoInput.Watermark), Array.Empty<string>(), new[] { "watermark", "watermark_info" },
                YesNoCell + ": `watermark`, or `watermark_info: {\"enabled\": ...}` on motion control"),
            new RowField("Resolution", RowFieldKind.Text, nameof(VideoInput.Resolution), Array.Empty<string>(), new[] { "resolution" },
                "`720p`, `1080p` (kling-3.0-turbo)"),
            new RowField("ReferenceImage", RowFieldKind.List, nameof(VideoInput.ReferenceImages), new[] { "reference_images", "ReferenceImages" }, new[] { "image_with_roles" },
                "kling-v3-omni's reference images (role `reference`), local files or URLs, `;`-separated in a cell"),
            new RowField("CharacterOrientation", RowFieldKind.Text, nameof(VideoInput.CharacterOrientation), new[] { "character_orientation" }, new[] { "character_orientation" },
                "`image`, `video` (motion control)"),
            new RowField("Shot", RowFieldKind.Shots, nameof(VideoInput.Shots), new[] { "shots" }, new[] { "multi_shot", "shot_type", "multi_prompt" },
                "`3: The door opens | 5: A dog runs in`, or hashtables with Prompt and Duration: `multi_prompt` (v3-omni, v3)"),
            new RowField("MultiShot", RowFieldKind.Switch, nameof(VideoInput.MultiShot), new[] { "multi_shot" }, new[] { "multi_shot", "shot_type" },
                "a switch; a cell " + YesNoCell + ". Alone: `shot_type` `intelligence`"),
            new RowField("Element", RowFieldKind.Elements, nameof(VideoInput.Elements), new[] { "elements", "element_list" }, new[] { "element_list" },
                "kling-v3-omni: hashtables with Name, Description, Image (2 to 4), or JSON in a cell"),
            new RowField("Webhook", RowFieldKind.Text, nameof(VideoInput.Webhook), new[] { "webhook_url", "WebhookUrl" }, new[] { "webhook" },
                "a public https URL; when the task ends the gateway POSTs its status to `<url>/callback` (Kling still polls)"),
            new RowField("AdditionalBody", RowFieldKind.Body, nameof(VideoInput.AdditionalBody), new[] { "extra" }, Array.Empty<string>(),
                "body fields the module has no parameter for: a hashtable, or a JSON object in the cell; merged into any model's body"),
            new RowField("Name", RowFieldKind.Label, null, Array.Empty<string>(), Array.Empty<string>(),
                "a label carried to the task and used as the file name when saving"),
        };

        private static readonly HashSet<string> Reserved = new HashSet<string>(
            All.SelectMany(f => f.Wire).Concat(All.Where(f => f.IsSent).SelectMany(f => f.Spellings)),
            StringComparer.OrdinalIgnoreCase);

        /// <summary>The field a column name binds to (its parameter's name or an alias, in any case); null when none.</summary>
        public static RowField? Find(string column) => All.FirstOrDefault(f => f.IsSpelledBy(column));

        /// <summary>
        /// Whether -AdditionalBody may not set the key (in any case): a body field some field is sent as, or a column name
        /// of a field that is sent (a body key "images" or "AspectRatio" means a parameter the module has). A label's name
        /// (-Name, never sent) is free.
        /// </summary>
        public static bool IsReservedBodyKey(string key) => Reserved.Contains(key);
    }
}
