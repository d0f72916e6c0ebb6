using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Kling.Core.Catalog;
using Kling.Core.Requests;
using Kling.Core.Wire;

namespace Kling.Commands
{
    /// <summary>
    /// What the cmdlets that read video rows share (New-KlingVideo, Measure-KlingCost): the row parameters with their
    /// names, aliases and completers (PowerShell's side of <see cref="RowFields"/>, the one declaration of the row fields:
    /// tests/Pester/RowFields.Tests.ps1 fails when they differ); the columns that bind to nothing; and a row read and checked into a
    /// <see cref="VideoRequest"/> (local files read and validated, never uploaded here), or that row's error.
    /// </summary>
    public abstract class VideoRowCmdlet : KlingCmdlet
    {
        /// <summary>The default help shows for a field the model decides when the row leaves it empty ([PSDefaultValue]).</summary>
        private const string ModelDefault = "the model's default (Get-KlingModel)";

        private readonly HashSet<string> unknownModelsWarned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private bool multiShotOnCommandLine;
        private PipelineColumns? columns;

        // Not Mandatory: a row without a prompt must still reach ProcessRecord, so it becomes that row's error and the
        // rows after it keep their numbers (a binding failure would skip the row without counting it).
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? Prompt { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModeCompleter))]
        [PSDefaultValue(Help = ModelDefault)]
        public string? Mode { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
        [PSDefaultValue(Help = ModelDefault)]
        public string? Duration { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("aspect_ratio")]
        [ArgumentCompleter(typeof(AspectRatioCompleter))]
        [PSDefaultValue(Help = ModelDefault)]
        public string? AspectRatio { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("image_urls", "ImageUrls")]
        [AllowEmptyCollection]
        public string[]? ImageUrl { get; set; }

        /// <summary>Images by path or URL: local files are checked, uploaded once per session, and their URLs sent.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("images")]
        [AllowEmptyCollection]
        public string[]? Image { get; set; }

        /// <summary>The first frame (image_urls[0]), a local path or a URL.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("first_frame")]
        public string? FirstFrame { get; set; }

        /// <summary>The last frame (image_urls[1]), a local path or a URL; needs a first frame.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("last_frame")]
        public string? LastFrame { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("video_url")]
        public string? VideoUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("refer_type")]
        [ArgumentCompleter(typeof(ReferTypeCompleter))]
        public string? ReferType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("keep_original_sound")]
        [ArgumentCompleter(typeof(YesNoCompleter))]
        public string? KeepOriginalSound { get; set; }

        /// <summary>The model: one of the catalog's (Get-KlingModel), or any other name, sent as given with the generic checks only.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        [PSDefaultValue(Value = ModelCatalog.DefaultName)]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("negative_prompt")]
        [AllowEmptyString]
        public string? NegativePrompt { get; set; }

        /// <summary>yes/no/true/false, sent as a JSON boolean.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(YesNoCompleter))]
        public string? Audio { get; set; }

        /// <summary>yes/no/true/false: watermark, or watermark_info.enabled on motion control.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(YesNoCompleter))]
        public string? Watermark { get; set; }

        /// <summary>720p or 1080p (kling-3.0-turbo, which has no -Mode).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ResolutionCompleter))]
        public string? Resolution { get; set; }

        /// <summary>Reference images (kling-v3-omni), paths or URLs; a cell is ';'-separated.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("reference_images", "ReferenceImages")]
        [AllowEmptyCollection]
        public string[]? ReferenceImage { get; set; }

        /// <summary>image or video (motion control).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("character_orientation")]
        [ArgumentCompleter(typeof(CharacterOrientationCompleter))]
        public string? CharacterOrientation { get; set; }

        /// <summary>The shots: a cell "3: The door opens | 5: A dog runs in", or hashtables/objects with Prompt and Duration.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("shots")]
        [AllowEmptyCollection]
        [AllowNull]
        public object[]? Shot { get; set; }

        /// <summary>Multi-shot; alone (no -Shot) the model cuts the shots itself (shot_type intelligence). A cell: yes/no/true/false.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("multi_shot")]
        [SwitchCell]
        public SwitchParameter MultiShot { get; set; }

        /// <summary>Elements (kling-v3-omni): hashtables/objects with Name, Description and Image (2 to 4), or a JSON cell.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("elements", "element_list")]
        [AllowEmptyCollection]
        [AllowNull]
        public object[]? Element { get; set; }

        /// <summary>A public https URL the gateway calls (POST &lt;url&gt;/callback, with the task's status) when the task ends; Kling still polls.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("webhook_url", "WebhookUrl")]
        public string? Webhook { get; set; }

        /// <summary>Body fields the module has no parameter for: a hashtable/object, or a JSON object in the cell.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("extra")]
        [AllowNull]
        public object? AdditionalBody { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        /// <summary>Columns of the piped rows meant to bind to nothing: neither the near-miss error nor the warning names them.</summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[]? IgnoreColumn { get; set; }

        /// <summary>
        /// The whole pipeline row, the target of that row's errors; a task piped in (see <see cref="FailedTaskInput"/>) is
        /// read from here alone, whatever else PowerShell bound from its properties.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>The row's -Name, trimmed; null when absent or blank.</summary>
        protected string? RowName => string.IsNullOrWhiteSpace(Name) ? null : Name!.Trim();

        /// <summary>The target of the row's errors: the piped row, or the call's parameters.</summary>
        protected object RowTarget => InputObject ?? (object)new Hashtable(MyInvocation.BoundParameters);

        /// <summary>Call from BeginProcessing, before any row is bound.</summary>
        protected void BeginRows()
        {
            // Before any row is bound, only the command line's parameters are: a -MultiShot there wins over any cell.
            multiShotOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(MultiShot));
            columns = new PipelineColumns(this, IgnoreColumn);
        }

        /// <summary>The error that stops the batch when a piped row's column looks like a name it does not bind to; null: the row goes on.</summary>
        protected ErrorRecord? CheckColumns(int row, string? name) => columns!.Check(InputObject, RowLabel.Of(row, name));

        /// <summary>The row read and checked: the request, or null and the row's problems as <paramref name="invalid"/>.</summary>
        protected VideoRequest? BuildRequest(int row, string? name, out InvalidRowException? invalid)
        {
            var source = multiShotOnCommandLine ? MultiShotSource.CommandLine
                : MyInvocation.BoundParameters.ContainsKey(nameof(MultiShot)) ? MultiShotSource.Row : MultiShotSource.None;
            VideoInput input = new VideoRowReader(GetUnresolvedProviderPathFromPSPath).Read(this, source);
            VideoRequest? request = VideoRequestValidator.TryBuild(input, out IReadOnlyList<ValidationProblem> problems);
            invalid = null;
            if (request == null)
            {
                string model = string.IsNullOrWhiteSpace(Model) ? ModelCatalog.DefaultName : Model!.Trim();
                invalid = new InvalidRowException(row, name, problems, ModelCatalog.Find(model)?.Name ?? model);
            }

            return request;
        }

        /// <summary>A bad row's error (non-terminating): the row's number and name, each field and what is wrong.</summary>
        internal static ErrorRecord InvalidRowRecord(InvalidRowException invalid, object target) =>
            new ErrorRecord(invalid, "InvalidRow", ErrorCategory.InvalidArgument, target)
            {
                ErrorDetails = new ErrorDetails(invalid.Message)
                {
                    RecommendedAction = "Fix the field(s) " + string.Join(", ", invalid.Fields) + " in that row; nothing was sent for it.",
                },
            };

        /// <summary>A model outside the catalog, said once per batch per name; <paramref name="consequence"/> says what the cmdlet does with it.</summary>
        protected void WarnIfUnknownModel(string consequence)
        {
            string? model = string.IsNullOrWhiteSpace(Model) ? null : Model!.Trim();
            if (model != null && ModelCatalog.Find(model) == null && unknownModelsWarned.Add(model))
            {
                WriteWarning($"The model '{model}' is not in the module's catalog: {consequence}. Get-KlingModel lists the models the module knows.");
            }
        }
    }
}
