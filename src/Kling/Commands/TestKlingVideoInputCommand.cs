using System;
using System.IO;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Media;

namespace Kling.Commands
{
    /// <summary>
    /// Checks local reference videos against the API's rules for video_url (MP4/MOV, duration, resolution, frame
    /// rate, size) by reading the file's MP4/MOV header: no ffmpeg, no network, no key.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KlingVideoInput", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(VideoCheck), typeof(bool))]
    public sealed class TestKlingVideoInputCommand : KlingFileCmdlet
    {
        /// <summary>How the video would be used: base (default; at most 10 s) or feature.</summary>
        [Parameter]
        [ValidateSet("base", "feature", IgnoreCase = true)]
        [ArgumentCompleter(typeof(ReferTypeCompleter))]
        public string ReferType { get; set; } = "base";

        /// <summary>Write only $true or $false per file.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

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
                    check = VideoProbe.Check(file, ReferType.ToLowerInvariant());
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
