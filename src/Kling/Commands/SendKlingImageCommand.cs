using System;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.Media;

namespace Kling.Commands
{
    /// <summary>
    /// Uploads local images to the gateway (POST /v1/uploads/images) and writes each one's URL, good for image_urls
    /// for 72 hours. Uses the same per-session cache as New-KlingVideo -Image: a file already uploaded is not sent again.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "KlingImage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.SendKlingImage)]
    [OutputType(typeof(ImageUpload))]
    public sealed class SendKlingImageCommand : KlingFileCmdlet
    {
        /// <summary>Upload again even when this session already uploaded the same content.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string file in InputFiles())
            {
                LocalImage? image = ImageFile.Inspect(file, out string? problem);
                if (image == null)
                {
                    bool missing = !System.IO.File.Exists(file);
                    var error = new ArgumentException($"'{file}' {problem}. Nothing was uploaded.");
                    WriteError(new ErrorRecord(error, missing ? "ImageNotFound" : "InvalidImage", missing ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidData, file));
                    continue;
                }

                if (!ShouldProcess(file, $"Upload the image ({image.ContentType}, {image.Bytes} bytes) to the Kling gateway"))
                {
                    continue;
                }

                try
                {
                    ImageUpload upload = Run(ImageUploadCache.Shared.GetOrUploadAsync(Client, image, Force, Cancellation));
                    WriteVerbose(upload.FromCache ? $"{file} was already uploaded in this session: {KlingClient.Describe(new Uri(upload.Url))}" : $"Uploaded {file}.");
                    WriteObject(upload);
                }
                catch (GatewayException ex)
                {
                    WriteGatewayError(ex, file);
                }
                catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }
        }
    }
}
