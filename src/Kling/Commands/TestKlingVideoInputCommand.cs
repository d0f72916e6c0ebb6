using System;
using System.IO;
using System.Management.Automation;
using Kling.Core.Requests;
using Kling.Core;
using Kling.Core.Media;

namespace Kling.Commands
{
    /// <summary>
    /// Checks local reference videos against a model's rules for its reference video (MP4/MOV, duration, resolution,
    /// frame rate, size: video_list's by default, motion control's with -Model or -CharacterOrientation) by reading the
    /// file's MP4/MOV header: no ffmpeg, no network, no key.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KlingVideoInput", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.TestKlingVideoInput)]
    [OutputType(typeof(VideoCheck), typeof(bool))]
    public sealed class TestKlingVideoInputCommand : KlingFileCmdlet
    {
        private VideoRules rules = VideoRules.For(null, null, null);

        /// <summary>How a video_list model would use the video: base (the default; at most 10 s) or feature.</summary>
        [Parameter]
        [ValidateCatalogValue(typeof(ReferTypeCompleter))]
        [ArgumentCompleter(typeof(ReferTypeCompleter))]
        public string? ReferType { get; set; }

        /// <summary>The model whose rules apply (default: the catalog's default model); the motion-control models have their own.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        /// <summary>Motion control's character orientation: image (3 to 10 s) or video (3 to 30 s).</summary>
        [Parameter]
        [ValidateCatalogValue(typeof(CharacterOrientationCompleter))]
        [ArgumentCompleter(typeof(CharacterOrientationCompleter))]
        public string? CharacterOrientation { get; set; }

        /// <summary>Write only $true or $false per file.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void BeginProcessing()
        {
            try
            {
                rules = VideoRules.For(Model, ReferType, CharacterOrientation);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "VideoRulesNotApplicable", ErrorCategory.InvalidArgument, Model));
            }

            if (rules.Generic)
            {
                WriteWarning($"The module does not know the model '{rules.Model}': its video rules are not checked locally, only that the file is an MP4/MOV with a video track.");
            }
        }

        protected override void ProcessRecord()
        {
            foreach (string file in InputFiles())
            {
                if (!File.Exists(file))
                {
                    var missing = new FileNotFoundException($"The video file '{file}' does not exist.", file);
                    WriteError(new ErrorRecord(missing, "FileNotFound", ErrorCategory.ObjectNotFound, file));
                    continue;
                }

                VideoCheck check;
                try
                {
                    check = VideoProbe.Check(file, rules);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(ex, "FileUnreadable", ErrorCategory.ReadError, file));
                    continue;
                }

                foreach (string problem in check.Problems)
                {
                    WriteVerbose($"{file}: {problem}.");
                }

                if (Quiet)
                {
                    WriteObject(check.IsValid);
                }
                else
                {
                    WriteObject(check);
                }
            }
        }
    }
}
