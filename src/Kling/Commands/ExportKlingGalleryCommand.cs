using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gallery;
using Kling.Core.Gateway;
using Kling.Core.Tasks;

namespace Kling.Commands
{
    /// <summary>
    /// Writes one self-contained HTML page that shows a download folder's videos beside their prompts, models and costs:
    /// from each video's sidecar, else the folder's saved-file index joined with the journal. With -Journal, the rows that
    /// made no video get cards too (failed with the gateway's reason when a key is set to ask it, not sent, in doubt).
    /// </summary>
    [Cmdlet(VerbsData.Export, "KlingGallery", HelpUri = HelpLinks.ExportKlingGallery)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportKlingGalleryCommand : KlingCmdlet
    {
        /// <summary>The name of the page written in the folder when -OutFile is not given.</summary>
        public const string DefaultPage = "index.html";

        /// <summary>The download folder (Save-KlingVideo -Path).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        /// <summary>The batch's journal (New-KlingVideo -Journal): rows, names and requests for files without a sidecar, and the rows that made no video.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Journal { get; set; } = null!;

        /// <summary>Where the page goes; index.html in the folder by default. Only a page Kling wrote is ever replaced.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string OutFile { get; set; } = null!;

        protected override void EndProcessing()
        {
            string folder = GetUnresolvedProviderPathFromPSPath(Path);
            if (!Directory.Exists(folder))
            {
                var missing = new DirectoryNotFoundException($"The folder '{folder}' does not exist: -Path takes the folder Save-KlingVideo saved the videos in.");
                ThrowTerminatingError(new ErrorRecord(missing, "FolderNotFound", ErrorCategory.ObjectNotFound, folder));
            }

            string page = OutFile == null ? System.IO.Path.Combine(folder, DefaultPage) : GetUnresolvedProviderPathFromPSPath(OutFile);
            GalleryContent gallery = GalleryBuilder.Build(folder, Journal == null ? null : ReadJournal());
            AskAboutTasksWithoutFile(gallery);
            WritePage(gallery, page);
        }

        private JournalRows ReadJournal()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Journal);
            try
            {
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    throw new FileNotFoundException($"The journal '{path}' does not exist.", path);
                }

                return JournalRows.Read(path);
            }
            catch (JournalException ex)
            {
                ThrowTerminatingError(JournalErrors.From(ex));
                throw;
            }
            catch (FileNotFoundException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "JournalNotFound", ErrorCategory.ObjectNotFound, path));
                throw;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(JournalErrors.Unavailable(ex, path));
                throw;
            }
        }

        /// <summary>
        /// The journal's tasks the folder has no video of: their status, when a key is set (free calls), so a failed task
        /// shows the gateway's reason; without a key, a warning says they were not asked about.
        /// </summary>
        private void AskAboutTasksWithoutFile(GalleryContent gallery)
        {
            List<GalleryCard> cards = gallery.Cards.Where(c => c.State == GalleryCardState.NoFile && c.TaskId != null).ToList();
            if (cards.Count == 0)
            {
                return;
            }

            if (!KlingSession.CurrentFor(this).HasKey)
            {
                WriteWarning($"{cards.Count} task(s) of the journal have no video in the folder; no Kling API key is set, so their status (failed, and why) was not asked for.");
                return;
            }

            var tasks = cards.ToDictionary(c => new KlingTask(c.TaskId!), c => c);
            IReadOnlyDictionary<KlingTask, GatewayException> unread = Run(TaskRefresh.RefreshAsync(Client, tasks.Keys.ToList(), TaskRefresh.CallsAtOnce, Cancellation));
            foreach (KeyValuePair<KlingTask, GalleryCard> pair in tasks)
            {
                if (unread.TryGetValue(pair.Key, out GatewayException? error))
                {
                    WriteGatewayError(error, pair.Key);
                    continue;
                }

                GalleryBuilder.ApplyStatus(pair.Value, pair.Key);
            }
        }

        private void WritePage(GalleryContent gallery, string page)
        {
            try
            {
                string? pageFolder = System.IO.Path.GetDirectoryName(page);
                if (pageFolder != null && !Directory.Exists(pageFolder))
                {
                    throw new DirectoryNotFoundException($"The folder of -OutFile '{page}' does not exist.");
                }

                GalleryFile.Write(page, GalleryPage.Render(gallery, pageFolder));
            }
            catch (ForeignFileException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "GalleryFileExists", ErrorCategory.ResourceExists, ex.Path));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "GalleryNotWritten", ErrorCategory.WriteError, page));
            }

            // What Get-Item gives (the provider's columns filled on every system), as Save-KlingVideo writes its files.
            WriteObject(InvokeProvider.Item.Get(new[] { page }, true, true).FirstOrDefault() ?? (object)new FileInfo(page));
        }
    }
}
