using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kling.Core.Gallery;
using Xunit;

namespace Kling.Core.Tests;

public class GalleryPageTests
{
    private static GalleryContent Content(params GalleryCard[] cards) => new(Path.Combine(Path.GetTempPath(), "batch"), cards);

    [Fact]
    public void An_injected_prompt_name_and_model_are_text_the_page_creates_no_element_or_attribute_from()
    {
        string page = GalleryPage.Render(Content(new GalleryCard
        {
            File = "x\" onerror=\"alert(1).mp4",
            Name = "<b>bold</b>",
            Model = "m\" onmouseover=\"x",
            Prompt = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>",
            Reason = "</p><script>",
        }));

        Assert.Single(Regex.Matches(page, "<script"));
        Assert.DoesNotContain("<img", page);
        Assert.DoesNotContain("<b>bold", page);
        Assert.DoesNotContain("onerror=\"", page);
        Assert.DoesNotContain("onmouseover=\"", page);
        Assert.Contains("&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=window.pwned=2&gt;", page);
        Assert.Contains("src=\"x%22%20onerror%3D%22alert%281%29.mp4\"", page);
        Assert.Contains("data-model=\"m&quot; onmouseover=&quot;x\"", page);
    }

    [Fact]
    public void Is_marked_utf_8_and_Kling_s_and_allows_only_its_own_script_by_hash()
    {
        string page = GalleryPage.Render(Content());

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" + GalleryPage.Generator, page);
        string script = Regex.Match(page, "<script>(.*)</script>", RegexOptions.Singleline).Groups[1].Value;
        string hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        Assert.Contains($"script-src 'sha256-{hash}'", page);
        Assert.Contains("default-src 'none'", page);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", page);
        Assert.DoesNotContain("@import", page);
    }

    [Fact]
    public void A_card_shows_the_video_its_facts_and_text_in_the_writer_s_direction()
    {
        string page = GalleryPage.Render(Content(new GalleryCard
        {
            File = "heron.mp4", TaskId = "task_1", Row = 7, Name = "heron", Model = "kling-v3", Mode = "pro", Duration = 5,
            Prompt = "مالك الحزين", CostUsd = 0.56,
        }));

        Assert.Contains("<video controls preload=\"metadata\" src=\"heron.mp4\"></video>", page);
        Assert.Contains("<article class=\"saved\" data-order=\"0\" data-row=\"7\" data-model=\"kling-v3\" data-cost=\"0.56\">", page);
        Assert.Contains("<p class=\"prompt\" dir=\"auto\">مالك الحزين</p>", page);
        foreach (string fact in new[] { ">7<", ">kling-v3<", ">pro<", ">5 s<", ">$0.56<", ">task_1<", "<span class=\"name\" dir=\"auto\">heron</span>" })
        {
            Assert.Contains(fact, page);
        }
    }

    [Fact]
    public void The_totals_line_counts_videos_seconds_cost_and_rows_without_a_video()
    {
        string page = GalleryPage.Render(Content(
            new GalleryCard { State = GalleryCardState.Saved, File = "a.mp4", Duration = 5, CostUsd = 0.5 },
            new GalleryCard { State = GalleryCardState.Saved, File = "b.mp4", Duration = 10, CostUsd = 1.25 },
            new GalleryCard { State = GalleryCardState.Failed, TaskId = "t", Reason = "failed (1301): moderation", CostUsd = 0 }));

        Assert.Contains("<b>2</b> videos · <b>15</b> s · <b>$1.75</b> (cost known for 3 tasks) · <b>1</b> failed", page);
        Assert.Contains("<article class=\"failed\"", page);
        Assert.Contains("<div class=\"novideo\">no video</div>", page);
        Assert.Contains("<p class=\"reason\" dir=\"auto\">failed (1301): moderation</p>", page);
    }

    [Fact]
    public void A_page_written_in_another_folder_links_the_videos_relative_to_itself()
    {
        string root = Path.Combine(Path.GetTempPath(), "kling-links");
        string page = GalleryPage.Render(new GalleryContent(Path.Combine(root, "my videos"), new[] { new GalleryCard { File = "a b.mp4" } }), Path.Combine(root, "pages"));

        Assert.Contains("src=\"../my%20videos/a%20b.mp4\"", page);
    }
}
