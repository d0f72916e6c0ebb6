using Kling.Core.Gateway;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The upload's Content-Disposition as curl and browsers write it (issue 13, point 1).</summary>
public class UploadFormTests
{
    [Theory]
    [InlineData("bud.png", "form-data; name=\"file\"; filename=\"bud.png\"")]
    [InlineData("花.png", "form-data; name=\"file\"; filename=\"_.png\"; filename*=UTF-8''%E8%8A%B1.png")]
    [InlineData("a \"b\" c.png", "form-data; name=\"file\"; filename=\"a _b_ c.png\"; filename*=UTF-8''a%20%22b%22%20c.png")]
    [InlineData("back\\slash.png", "form-data; name=\"file\"; filename=\"back_slash.png\"; filename*=UTF-8''back%5Cslash.png")]
    [InlineData("café 1.jpg", "form-data; name=\"file\"; filename=\"caf_ 1.jpg\"; filename*=UTF-8''caf%C3%A9%201.jpg")]
    public void Quotes_name_and_filename_and_adds_filename_star_for_what_ASCII_cannot_say(string fileName, string expected)
    {
        Assert.Equal(expected, KlingClient.FormDataFor("file", fileName).ToString());
    }
}
