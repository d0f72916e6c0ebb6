using Kling.Core.Requests;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests.Requests;

/// <summary>
/// An element's keys are one list (<see cref="ElementKeys"/>), read alike from a JSON cell (here) and from a hashtable or
/// object (the cmdlet's row reader, RowFields.Tests.ps1): every image key either takes, a JSON cell too.
/// </summary>
public class ElementKeysTests
{
    public static TheoryData<string> ImageKeys() => new(ElementKeys.Images.Concat(ElementKeys.Images.Select(k => k.ToLowerInvariant())).Distinct());

    [Theory]
    [MemberData(nameof(ImageKeys))]
    public void A_json_cell_gives_an_elements_images_under_every_image_key(string key)
    {
        string cell = "{\"NAME\":\"fox\",\"description\":\"a red fox\",\"" + key + "\":[\"https://img.example/1.png\",\"https://img.example/2.png\"]}";
        string body = Build(new VideoInput { Prompt = "@fox runs", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Json = cell } } }).ToString();
        Assert.Contains("\"element_list\":[{\"name\":\"fox\",\"description\":\"a red fox\",\"element_input_urls\":[\"https://img.example/1.png\",\"https://img.example/2.png\"]}]", body);
    }

    [Fact]
    public void The_first_image_key_present_wins_in_the_lists_order()
    {
        string cell = "{\"name\":\"fox\",\"url\":[\"https://img.example/u1.png\",\"https://img.example/u2.png\"],\"images\":[\"https://img.example/1.png\",\"https://img.example/2.png\"]}";
        string body = Build(new VideoInput { Prompt = "@fox runs", Model = "kling-v3-omni", Elements = new[] { new ElementInput { Json = cell } } }).ToString();
        Assert.Contains("\"element_input_urls\":[\"https://img.example/1.png\",\"https://img.example/2.png\"]", body);
    }
}
