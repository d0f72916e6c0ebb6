using Kling.Core.Requests;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// The rule for columns that bind to nothing: a column within reach of a known parameter name or alias is a near miss
/// (the batch stops); a short column never looks like everything; far columns are only unknown.
/// </summary>
public class ColumnCheckTests
{
    /// <summary>New-KlingVideo's row parameters as the cmdlet declares them (the cmdlet reads them from its metadata).</summary>
    private static readonly KnownColumn[] Known =
    {
        new("Prompt"), new("Mode"), new("Duration"), new("AspectRatio", new[] { "aspect_ratio" }),
        new("ImageUrl", new[] { "image_urls", "ImageUrls" }), new("Image", new[] { "images" }),
        new("FirstFrame", new[] { "first_frame" }), new("LastFrame", new[] { "last_frame" }), new("VideoUrl", new[] { "video_url" }),
        new("ReferType", new[] { "refer_type" }), new("KeepOriginalSound", new[] { "keep_original_sound" }), new("Model"),
        new("NegativePrompt", new[] { "negative_prompt" }), new("Audio"), new("Watermark"), new("Resolution"),
        new("ReferenceImage", new[] { "reference_images", "ReferenceImages" }), new("CharacterOrientation", new[] { "character_orientation" }),
        new("Shot", new[] { "shots" }), new("MultiShot", new[] { "multi_shot" }), new("Element", new[] { "elements", "element_list" }),
        new("AdditionalBody", new[] { "extra" }), new("Name"),
    };

    private static ColumnFindings Check(params string[] columns) => new ColumnCheck(Known).Check(columns);

    [Theory]
    [InlineData("durations", "'Duration'")]
    [InlineData("DURATIONS", "'Duration'")]
    [InlineData("aspect-ratio", "'AspectRatio'")]
    [InlineData("Aspect Ratio", "'AspectRatio'")]
    [InlineData("Promt", "'Prompt'")]
    [InlineData("prompts", "'Prompt'")]
    [InlineData("prompt_zh", "'Prompt'")]
    [InlineData("mdoe", "'Mode'")]
    [InlineData("nmae", "'Name'")]
    [InlineData("image_url", "'ImageUrl'")]
    [InlineData("image-urls", "'image_urls' (-ImageUrl)")]
    [InlineData("elementlists", "'element_list' (-Element)")]
    [InlineData("reference_image", "'ReferenceImage'")]
    [InlineData("extras", "'extra' (-AdditionalBody)")]
    [InlineData("model ", "'Model'")]
    [InlineData("negative-promt", "'NegativePrompt'")]
    [InlineData("charcter_orientation", "'CharacterOrientation'")]
    public void A_column_near_a_name_or_alias_is_a_near_miss_naming_it(string column, string meant)
    {
        ColumnFindings found = Check("prompt", column);
        ColumnNearMiss miss = Assert.Single(found.NearMisses);
        Assert.Equal(column, miss.Column);
        Assert.Equal(new[] { meant }, miss.LooksLike);
        Assert.Empty(found.Unknown);
    }

    [Theory]
    [InlineData("prompt")]
    [InlineData("DURATION")]
    [InlineData("aspect_ratio")]
    [InlineData("ImageUrls")]
    [InlineData("image_urls")]
    [InlineData("element_list")]
    [InlineData("extra")]
    [InlineData("multi_shot")]
    public void A_name_or_alias_in_any_case_binds(string column)
    {
        ColumnFindings found = Check(column);
        Assert.Empty(found.NearMisses);
        Assert.Empty(found.Unknown);
    }

    [Theory]
    [InlineData("notes")]
    [InlineData("note")]
    [InlineData("id")]
    [InlineData("url")]
    [InlineData("tag")]
    [InlineData("Nam")]
    [InlineData("mo")]
    [InlineData("title")]
    [InlineData("seconds")]
    [InlineData("ratio")]
    [InlineData("video")]
    [InlineData("description")]
    public void A_column_far_from_every_name_is_only_unknown(string column)
    {
        ColumnFindings found = Check("prompt", column);
        Assert.Empty(found.NearMisses);
        Assert.Equal(new[] { column }, found.Unknown);
    }

    [Fact]
    public void No_column_of_three_letters_or_fewer_is_a_near_miss_unless_it_is_a_name_written_with_separators()
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        var shortNames = new List<string>();
        foreach (char a in letters)
        {
            foreach (char b in letters)
            {
                shortNames.Add($"{a}{b}");
                shortNames.AddRange(letters.Select(c => $"{a}{b}{c}"));
            }
        }

        Assert.Empty(new ColumnCheck(Known).Check(shortNames).NearMisses);

        // A short name only matches itself: a column "n-a-m-e" is Name written with separators (4 letters, distance 0).
        Assert.Equal(new[] { "'Name'" }, Assert.Single(new ColumnCheck(Known).Check(new[] { "n-a-m-e" }).NearMisses).LooksLike);
        Assert.Empty(new ColumnCheck(new[] { new KnownColumn("Id") }).Check(new[] { "ix", "i", "idx" }).NearMisses);
        Assert.Single(new ColumnCheck(new[] { new KnownColumn("Id") }).Check(new[] { "i_d" }).NearMisses);
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(4, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(20, 2)]
    public void The_edits_allowed_grow_with_the_shorter_names_length(int length, int edits) =>
        Assert.Equal(edits, ColumnCheck.Tolerance(length));

    [Theory]
    [InlineData("mode", "mode", 0)]
    [InlineData("mdoe", "mode", 1)]
    [InlineData("mod", "mode", 1)]
    [InlineData("duration", "durations", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_counts_inserts_deletes_replacements_and_swaps(string a, string b, int distance) =>
        Assert.Equal(distance, ColumnCheck.Distance(a, b));

    [Fact]
    public void A_column_equally_near_two_parameters_names_both() =>
        Assert.Equal(new[] { "'Mode'", "'Model'" }, Assert.Single(Check("Modes").NearMisses).LooksLike);

    [Fact]
    public void Ignored_columns_are_neither_near_misses_nor_unknown_in_any_case()
    {
        ColumnFindings found = new ColumnCheck(Known, new[] { "DURATIONS", "Notes" }).Check(new[] { "prompt", "durations", "notes", "tags" });
        Assert.Empty(found.NearMisses);
        Assert.Equal(new[] { "tags" }, found.Unknown);
    }

    [Fact]
    public void One_near_miss_is_said_with_the_name_it_looks_like_and_the_way_to_keep_it()
    {
        Assert.Equal(
            "the column 'durations' binds to nothing; did you mean 'Duration'? Rename the column, or add -IgnoreColumn durations if it is meant.",
            Check("durations").NearMissMessage());
        Assert.Null(Check("prompt", "notes").NearMissMessage());
    }

    [Fact]
    public void Several_near_misses_are_said_in_one_message()
    {
        Assert.Equal(
            "the columns 'Promt' and 'durations' bind to nothing; did you mean 'Prompt' (for 'Promt') and 'Duration' (for 'durations')? " +
            "Rename the columns, or add -IgnoreColumn Promt, durations if they are meant.",
            Check("Promt", "durations", "notes").NearMissMessage());
    }

    [Fact]
    public void Unknown_columns_are_said_in_one_warning_quoting_names_powershell_would_split()
    {
        Assert.Equal(
            "The column 'notes' binds to no parameter of New-KlingVideo and is not sent; add -IgnoreColumn notes if it is meant, and this warning goes.",
            ColumnFindings.UnknownMessage(Check("prompt", "notes").Unknown, "New-KlingVideo"));
        Assert.Equal(
            "The columns 'my notes' and 'it's' bind to no parameter of New-KlingVideo and are not sent; add -IgnoreColumn 'my notes', 'it''s' if they are meant, and this warning goes.",
            ColumnFindings.UnknownMessage(Check("my notes", "it's").Unknown, "New-KlingVideo"));
        Assert.Null(ColumnFindings.UnknownMessage(Check("prompt").Unknown, "New-KlingVideo"));
    }
}
