using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Kling.Core.Gallery
{
    /// <summary>
    /// Writes the gallery's one self-contained HTML page: a card per video (the video by a relative link, its facts, its
    /// prompt as text) and per journal row without one, the totals, a filter box and a sort list. Every piece of text goes
    /// through <see cref="HtmlText"/>; the page loads nothing from the network, and runs only its own script.
    /// </summary>
    public static class GalleryPage
    {
        /// <summary>The mark of a page Kling wrote: a file without it is never overwritten.</summary>
        public const string Generator = "<meta name=\"generator\" content=\"Kling Export-KlingGallery\">";

        /// <summary>
        /// The page for <paramref name="gallery"/>, titled with the folder's name, to be written in <paramref name="pageFolder"/>
        /// (the videos are linked relative to it; the folder itself by default).
        /// </summary>
        public static string Render(GalleryContent gallery, string? pageFolder = null)
        {
            string links = LinkPrefix(pageFolder ?? gallery.Folder, gallery.Folder);
            string title = "Kling gallery: " + Path.GetFileName(gallery.Folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            var html = new StringBuilder(4096 + (gallery.Cards.Count * 1024));
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n").Append(Generator).Append('\n')
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; media-src 'self' file: blob:; style-src 'unsafe-inline'; script-src '")
                .Append(ScriptHash()).Append("'\">\n")
                .Append("<title dir=\"auto\">").Append(HtmlText.Escape(title)).Append("</title>\n<style>").Append(GalleryAssets.Style).Append("</style>\n</head>\n<body>\n<header>\n")
                .Append("<h1 dir=\"auto\">").Append(HtmlText.Escape(title)).Append("</h1>\n")
                .Append("<p class=\"totals\" id=\"totals\">").Append(Totals(gallery.Totals)).Append("</p>\n")
                .Append("<div class=\"controls\"><input id=\"q\" type=\"search\" dir=\"auto\" placeholder=\"Filter by name, prompt or model\" aria-label=\"Filter\">")
                .Append("<label>Sort by <select id=\"sort\"><option value=\"row\">row</option><option value=\"model\">model</option><option value=\"cost\">cost</option></select></label>")
                .Append("<span id=\"shown\"></span></div>\n</header>\n<main id=\"cards\">\n");
            for (int i = 0; i < gallery.Cards.Count; i++)
            {
                Card(html, gallery.Cards[i], i, links);
            }

            return html.Append("</main>\n<script>").Append(GalleryAssets.Script).Append("</script>\n</body>\n</html>\n").ToString();
        }

        /// <summary>The totals line: videos, seconds, cost (and how many tasks the cost covers), rows without a video.</summary>
        internal static string Totals(GalleryTotals totals)
        {
            var line = new StringBuilder()
                .Append("<b>").Append(Count(totals.Videos)).Append("</b> video").Append(totals.Videos == 1 ? string.Empty : "s")
                .Append(" · <b>").Append(Count(totals.Seconds)).Append("</b> s")
                .Append(" · <b>").Append(Usd(totals.CostUsd)).Append("</b>")
                .Append(" (cost known for ").Append(Count(totals.Costed)).Append(totals.Costed == 1 ? " task)" : " tasks)");
            Add(line, totals.Failed, "failed");
            Add(line, totals.NotSent, "not sent");
            Add(line, totals.InDoubt, "in doubt");
            Add(line, totals.NoFile, "without a file here");
            return line.ToString();
        }

        private static void Add(StringBuilder line, int count, string what)
        {
            if (count > 0)
            {
                line.Append(" · <b>").Append(Count(count)).Append("</b> ").Append(what);
            }
        }

        /// <summary>
        /// The way from the page's folder to the videos' as the start of a relative URL, already percent-encoded: empty
        /// when they are the same folder, else such as <c>../out/</c> (a file URL when no relative way exists, another drive).
        /// </summary>
        internal static string LinkPrefix(string pageFolder, string videoFolder)
        {
            string page = WithSeparator(Path.GetFullPath(pageFolder));
            string videos = WithSeparator(Path.GetFullPath(videoFolder));
            if (string.Equals(page, videos, StringComparison.Ordinal))
            {
                return string.Empty;
            }

            Uri relative = new Uri(page).MakeRelativeUri(new Uri(videos));
            return relative.IsAbsoluteUri ? relative.AbsoluteUri : relative.OriginalString;
        }

        private static string WithSeparator(string folder) =>
            folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? folder : folder + Path.DirectorySeparatorChar;

        private static void Card(StringBuilder html, GalleryCard card, int order, string links)
        {
            string state = card.State.ToString().ToLowerInvariant();
            html.Append("<article class=\"").Append(state).Append("\" data-order=\"").Append(Count(order)).Append('"');
            Data(html, "data-row", card.Row?.ToString(CultureInfo.InvariantCulture));
            Data(html, "data-model", card.Model);
            Data(html, "data-cost", card.CostUsd?.ToString("R", CultureInfo.InvariantCulture));
            html.Append(">\n");
            if (card.File != null)
            {
                html.Append("<video controls preload=\"metadata\" src=\"").Append(HtmlText.Escape(links)).Append(HtmlText.FileUrl(card.File)).Append("\"></video>\n");
            }
            else
            {
                html.Append("<div class=\"novideo\">no video</div>\n");
            }

            html.Append("<div class=\"body\">\n<h2><span class=\"name\" dir=\"auto\">")
                .Append(HtmlText.Escape(card.Name ?? card.File ?? card.TaskId ?? "(no name)")).Append("</span>");
            if (card.State != GalleryCardState.Saved)
            {
                html.Append("<span class=\"state\">").Append(StateWords(card.State)).Append("</span>");
            }

            html.Append("</h2>\n<dl>");
            Fact(html, "Row", card.Row?.ToString(CultureInfo.InvariantCulture), "row");
            Fact(html, "Model", card.Model, "model");
            Fact(html, "Mode", card.Mode, "mode");
            Fact(html, "Duration", card.Duration == null ? null : card.Duration.Value.ToString(CultureInfo.InvariantCulture) + " s", "duration");
            Fact(html, "Cost", card.CostUsd == null ? null : Usd(card.CostUsd.Value), "cost");
            Fact(html, "File", card.File, "file");
            Fact(html, "Task", card.TaskId, "task");
            html.Append("</dl>\n");
            if (card.Prompt != null)
            {
                html.Append("<p class=\"prompt\" dir=\"auto\">").Append(HtmlText.Escape(card.Prompt)).Append("</p>\n");
            }

            if (card.Reason != null)
            {
                html.Append("<p class=\"reason\" dir=\"auto\">").Append(HtmlText.Escape(card.Reason)).Append("</p>\n");
            }

            html.Append("</div>\n</article>\n");
        }

        private static void Data(StringBuilder html, string name, string? value)
        {
            if (value != null)
            {
                html.Append(' ').Append(name).Append("=\"").Append(HtmlText.Escape(value)).Append('"');
            }
        }

        private static void Fact(StringBuilder html, string term, string? value, string cls)
        {
            if (value != null)
            {
                html.Append("<dt>").Append(term).Append("</dt><dd class=\"").Append(cls).Append("\" dir=\"auto\">").Append(HtmlText.Escape(value)).Append("</dd>");
            }
        }

        private static string StateWords(GalleryCardState state)
        {
            switch (state)
            {
                case GalleryCardState.Failed: return "failed";
                case GalleryCardState.NotSent: return "not sent";
                case GalleryCardState.InDoubt: return "in doubt";
                default: return "no file here";
            }
        }

        private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

        private static string Usd(double usd) => "$" + usd.ToString("0.00##", CultureInfo.InvariantCulture);

        /// <summary>The CSP source that allows the page's own script, and only it: 'sha256-' and its hash.</summary>
        private static string ScriptHash()
        {
            using SHA256 sha = SHA256.Create();
            return "sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(GalleryAssets.Script)));
        }
    }
}
