using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// Submits one video generation per pipeline row (or per call). Each row is checked against the API's
    /// rules before anything is sent; a bad row is a non-terminating error and the batch goes on.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "KlingVideo", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(KlingTask))]
    public sealed class NewKlingVideoCommand : KlingCmdlet
    {
        private int row;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string Prompt { get; set; } = null!;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModeCompleter))]
        public string? Mode { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public string? Duration { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("aspect_ratio")]
        [ArgumentCompleter(typeof(AspectRatioCompleter))]
        public string? AspectRatio { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("image_urls", "ImageUrls")]
        [AllowEmptyCollection]
        public string[]? ImageUrl { get; set; }

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

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        /// <summary>The whole pipeline row, kept only to be the target of that row's errors.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            row++;
            object target = InputObject ?? (object)new Hashtable(MyInvocation.BoundParameters);
            var input = new VideoInput
            {
                Prompt = Prompt,
                Model = Model,
                Mode = Mode,
                Duration = Duration,
                AspectRatio = AspectRatio,
                ImageUrls = ImageUrl,
                VideoUrl = VideoUrl,
                ReferType = ReferType,
                KeepOriginalSound = KeepOriginalSound,
            };

            VideoRequest? request = VideoRequestValidator.TryBuild(input, out IReadOnlyList<ValidationProblem> problems);
            if (request == null)
            {
                var invalid = new InvalidRowException(row, Name, problems);
                var record = new ErrorRecord(invalid, "InvalidRow", ErrorCategory.InvalidArgument, target);
                record.ErrorDetails = new ErrorDetails(invalid.Message)
                {
                    RecommendedAction = "Fix the field(s) " + string.Join(", ", invalid.Fields) + " in that row; nothing was sent for it.",
                };
                WriteError(record);
                return;
            }

            string label = string.IsNullOrWhiteSpace(Name) ? $"Row {row}" : $"Row {row} '{Name}'";
            if (!ShouldProcess(label + ": " + request, "Submit a Kling video generation (billed)"))
            {
                return;
            }

            try
            {
                KlingTask task = Run(Client.SubmitAsync(request, Cancellation));
                task.Name = string.IsNullOrWhiteSpace(Name) ? null : Name!.Trim();
                task.Row = row;
                RecentTasks.Remember(task.TaskId);
                WriteVerbose($"{label} submitted as {task.TaskId}.");
                WriteObject(task);
            }
            catch (GatewayException ex)
            {
                WriteGatewayError(ex, target);
            }
        }
    }
}
