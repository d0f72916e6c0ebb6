using System.Text;
using Kling.Core.Gallery;
using Xunit;

namespace Kling.Core.Tests;

public class GalleryFileTests
{
    [Fact]
    public void Writes_a_new_page_and_replaces_a_page_Kling_wrote_leaving_no_temporary_file()
    {
        using var folder = new GalleryFolder();
        string path = Path.Combine(folder.Path, "index.html");

        GalleryFile.Write(path, "<html>" + GalleryPage.Generator + " first");
        GalleryFile.Write(path, "<html>" + GalleryPage.Generator + " 猫 second");

        Assert.Equal("<html>" + GalleryPage.Generator + " 猫 second", File.ReadAllText(path, Encoding.UTF8));
        Assert.NotEqual(0xEF, File.ReadAllBytes(path)[0]);
        Assert.Equal(new[] { "index.html" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Never_overwrites_a_file_Kling_did_not_write()
    {
        using var folder = new GalleryFolder();
        string path = Path.Combine(folder.Path, "index.html");
        File.WriteAllText(path, "<html><body>my own page</body></html>");

        var refused = Assert.Throws<ForeignFileException>(() => GalleryFile.Write(path, "<html>" + GalleryPage.Generator));

        Assert.Equal(path, refused.Path);
        Assert.Equal("<html><body>my own page</body></html>", File.ReadAllText(path));
        Assert.Equal(new[] { "index.html" }, Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }
}
