using Kling.Core.Catalog;
using Kling.Core.Requests;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests;

/// <summary>Prices as catalog data: the built-in list, the tier rule with its fallback, the seconds rule, and price files.</summary>
public sealed class PriceListTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kling-prices-" + Guid.NewGuid().ToString("N"));

    public PriceListTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, true);

    private static CostEstimate Estimate(VideoInput input, PriceList? prices = null) =>
        CostRule.Estimate(Build(input), prices ?? PriceList.BuiltIn);

    [Fact]
    public void Five_seconds_of_kling_v3_in_std_without_sound_is_0_336_usd_and_3_36_credits()
    {
        CostEstimate cost = Estimate(new VideoInput { Model = "kling-v3", Prompt = "a cat", Mode = "std", Duration = "5" });
        Assert.Equal("default", cost.Tier);
        Assert.Equal(0.336m, cost.MinUsd);
        Assert.Equal(0.336m, cost.MaxUsd);
        Assert.Equal(3.36m, cost.MaxCredits);
    }

    [Theory]
    [InlineData("kling-v3", null, null, null, "default", 0.0672)]
    [InlineData("kling-v3", "pro", null, null, "pro", 0.0896)]
    [InlineData("kling-v3", "4k", null, null, "4k", 0.42856)]
    [InlineData("kling-v3", "std", "yes", null, "sound", 0.1008)]
    [InlineData("kling-v3", "pro", "yes", null, "pro-sound", 0.1344)]
    [InlineData("kling-v3-omni", "pro", null, "https://example.com/v.mp4", "pro-video", 0.1344)]
    [InlineData("kling-v3-omni", "std", "yes", "https://example.com/v.mp4", "sound", 0.0896)]
    [InlineData("kling-video-o1", "std", null, "https://example.com/v.mp4", "video", 0.1008)]
    public void The_tier_follows_mode_then_sound_then_reference_video(string model, string? mode, string? audio, string? video, string tier, double perSecond)
    {
        CostEstimate cost = Estimate(new VideoInput { Model = model, Prompt = "a cat", Mode = mode, Duration = "5", Audio = audio, VideoUrl = video });
        Assert.Equal(tier, cost.Tier);
        Assert.Equal((decimal)perSecond, cost.UsdPerSecond);
        Assert.Equal((decimal)perSecond * 5, cost.MaxUsd);
    }

    [Fact]
    public void A_tier_the_list_lacks_falls_back_to_the_tier_without_the_suffix()
    {
        // kling-v3-omni has no 4k-video; kling-v2-6 has no sound (std): the rule's tier, then the one without its suffix.
        CostEstimate omni = Estimate(new VideoInput { Model = "kling-v3-omni", Prompt = "a cat", Mode = "4k", Duration = "5", VideoUrl = "https://example.com/v.mp4" });
        Assert.Equal("4k-video", CostRule.Tier(Build(new VideoInput { Model = "kling-v3-omni", Prompt = "a cat", Mode = "4k", Duration = "5", VideoUrl = "https://example.com/v.mp4" })));
        Assert.Equal("4k", omni.Tier);
        Assert.Equal(0.42856m * 5, omni.MaxUsd);

        var list = PriceList.Load(Write("{\"kling-v3\": {\"default\": 0.05}}"));
        CostEstimate sound = Estimate(new VideoInput { Model = "kling-v3", Prompt = "a cat", Duration = "10", Audio = "yes" }, list);
        Assert.Equal("default", sound.Tier);
        Assert.Equal(0.5m, sound.MaxUsd);
    }

    [Theory]
    [InlineData(null, 0.1144)]
    [InlineData("720p", 0.1144)]
    [InlineData("1080p", 0.1432)]
    public void Kling_3_0_turbo_is_priced_by_resolution_720p_by_default(string? resolution, double perSecond)
    {
        CostEstimate cost = Estimate(new VideoInput { Model = "kling-3.0-turbo", Prompt = "a cat", Duration = "10", Resolution = resolution });
        Assert.Equal(resolution ?? "720p", cost.Tier);
        Assert.Equal((decimal)perSecond * 10, cost.MaxUsd);
    }

    [Theory]
    [InlineData("image", 10)]
    [InlineData("video", 30)]
    [InlineData(null, 30)]
    public void Motion_control_is_a_range_from_3_seconds_to_its_orientations_longest(string? orientation, int longest)
    {
        CostEstimate cost = Estimate(new VideoInput
        {
            Model = "kling-v3-motion-control", Mode = "pro", FirstFrame = "https://example.com/a.png",
            VideoUrl = "https://example.com/m.mp4", CharacterOrientation = orientation,
        });
        Assert.Equal("pro", cost.Tier);
        Assert.Equal(3, cost.MinSeconds);
        Assert.Equal(longest, cost.MaxSeconds);
        Assert.Equal(0.13712m * 3, cost.MinUsd);
        Assert.Equal(0.13712m * longest, cost.MaxUsd);
    }

    [Fact]
    public void Without_a_duration_the_models_default_counts()
    {
        CostEstimate cost = Estimate(new VideoInput { Model = "kling-v3", Prompt = "a cat" });
        Assert.Equal(5, cost.MinSeconds);
        Assert.Equal(5, cost.MaxSeconds);
    }

    [Fact]
    public void A_model_without_a_price_is_unpriced()
    {
        CostEstimate cost = Estimate(new VideoInput { Model = "kling-v9", Prompt = "a cat", Duration = "5" });
        Assert.False(cost.Priced);
        Assert.Null(cost.MaxUsd);

        var list = PriceList.Load(Write("{\"kling-v3\": {\"default\": 0.05}}"));
        Assert.False(Estimate(new VideoInput { Model = "kling-v2-6", Prompt = "a cat", Duration = "5" }, list).Priced);
    }

    [Fact]
    public void A_price_file_replaces_the_built_in_list_and_says_where_it_came_from()
    {
        string path = Write("{\"kling-v3\": {\"default\": 0.1, \"pro\": 0.2}, \"my-model\": {\"default\": 1}}");
        PriceList list = PriceList.Load(path);
        Assert.Equal(path, list.Path);
        Assert.Contains(path, list.Source);
        Assert.Null(list.TiersOf("kling-v2-6"));
        Assert.Equal(1.0m, Estimate(new VideoInput { Model = "kling-v3", Prompt = "a cat", Mode = "pro", Duration = "5" }, list).MaxUsd);
        Assert.Null(PriceList.BuiltIn.Path);
        Assert.Contains("2026-09", PriceList.BuiltIn.Source);
    }

    [Theory]
    [InlineData("not json at all", null, "is not JSON")]
    [InlineData("{\"kling-v3\": {\"default\": -0.1}}", "kling-v3.default", "zero or more")]
    [InlineData("{\"kling-v3\": {\"default\": \"cheap\"}}", "kling-v3.default", "must be a number")]
    [InlineData("{\"kling-v3\": {\"ultra\": 0.1}}", "kling-v3.ultra", "is not a tier of kling-v3")]
    [InlineData("{\"kling-v3\": 0.1}", "kling-v3", "must be an object")]
    [InlineData("[1, 2]", null, "must be a JSON object")]
    public void A_malformed_price_file_is_an_error_naming_the_file_and_the_entry(string json, string? entry, string words)
    {
        string path = Write(json);
        PriceFileException error = Assert.Throws<PriceFileException>(() => PriceList.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(words, error.Message);
        Assert.Equal(entry, error.Entry);
        if (entry != null)
        {
            Assert.Contains("'" + entry + "'", error.Message);
        }
    }

    [Fact]
    public void Get_KlingModel_describes_the_prices_and_the_list_in_force()
    {
        KlingModel model = ModelCatalog.Find("kling-v3")!.Describe();
        Assert.StartsWith("default 0.0672 · sound 0.1008", model.Prices);
        Assert.Contains("2026-09", model.PriceList);
    }

    private string Write(string text)
    {
        string path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, text);
        return path;
    }
}
