using Kling.Core.Gallery;
using Xunit;

namespace Kling.Core.Tests;

public class HtmlTextTests
{
    [Theory]
    [InlineData("<script>window.pwned=1</script>", "&lt;script&gt;window.pwned=1&lt;/script&gt;")]
    [InlineData("<img src=x onerror=\"alert(1)\">", "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;")]
    [InlineData("\" onerror='x' a=\"", "&quot; onerror=&#39;x&#39; a=&quot;")]
    [InlineData("Tom & Jerry &amp;", "Tom &amp; Jerry &amp;amp;")]
    [InlineData("让猫向镜头挥手", "让猫向镜头挥手")]
    [InlineData("مالك الحزين يطير", "مالك الحزين يطير")]
    [InlineData("emoji 🎬 stays", "emoji 🎬 stays")]
    [InlineData("line\none\ttab", "line\none\ttab")]
    [InlineData("nul\u0000 bell\u0007 del\u007f", "nul bell del")]
    [InlineData(null, "")]
    public void Escapes_text_for_elements_and_double_quoted_attributes(string? text, string expected)
    {
        Assert.Equal(expected, HtmlText.Escape(text));
    }

    [Fact]
    public void Drops_a_lone_surrogate()
    {
        Assert.Equal("ab", HtmlText.Escape("a\ud800b"));
    }

    [Theory]
    [InlineData("clip 1.mp4", "clip%201.mp4")]
    [InlineData("javascript:alert(1).mp4", "javascript%3Aalert%281%29.mp4")]
    [InlineData("a\"b<c>#?.mp4", "a%22b%3Cc%3E%23%3F.mp4")]
    [InlineData("猫.mp4", "%E7%8C%AB.mp4")]
    [InlineData("../up.mp4", "..%2Fup.mp4")]
    public void A_file_name_is_a_relative_url_with_everything_else_percent_encoded(string file, string expected)
    {
        Assert.Equal(expected, HtmlText.FileUrl(file));
    }
}
