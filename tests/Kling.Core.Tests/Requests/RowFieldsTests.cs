using Kling.Core.Catalog;
using Kling.Core.Wire;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Kling.Core.Requests;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests.Requests;

/// <summary>
/// The row fields are declared once (<see cref="RowFields"/>); what is not derived from the declaration is checked
/// against it here, so each of these fails when a field is added, renamed or dropped in one place only:
/// <see cref="VideoInput"/>'s properties, the body <see cref="VideoRequest"/> writes, the help sources and the README's
/// parameter table. The cmdlet's parameters are checked in tests/Pester/RowFields.Tests.ps1.
/// </summary>
public class RowFieldsTests
{
    private static readonly string[] HelpSources = { "docs/en-US/New-KlingVideo.md", "docs/en-US/Measure-KlingCost.md" };

    /// <summary>VideoInput properties that are not row fields: how local images are read, and the body's JSON form.</summary>
    private static readonly string[] NotFields = { nameof(VideoInput.ImageReader), nameof(VideoInput.AdditionalBodyJson) };

    public static TheoryData<string> Fields() => new(RowFields.All.Select(f => f.Parameter));

    [Fact]
    public void Each_column_name_binds_to_one_field_only()
    {
        var twice = RowFields.All.SelectMany(f => f.Spellings).GroupBy(s => s, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(twice);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_field_is_read_into_the_VideoInput_property_it_declares_of_its_kinds_type(string parameter)
    {
        RowField field = RowFields.Find(parameter)!;
        if (field.Kind == RowFieldKind.Label)
        {
            Assert.Null(field.Input);
            return;
        }

        PropertyInfo? property = typeof(VideoInput).GetProperty(field.Input ?? string.Empty);
        Assert.True(property != null, $"{field} declares VideoInput.{field.Input}, which does not exist.");
        Assert.Equal(InputType(field.Kind), property!.PropertyType);
        Assert.True(property.CanWrite, $"VideoInput.{field.Input} cannot be set.");
    }

    [Fact]
    public void Every_VideoInput_property_is_a_declared_field()
    {
        var declared = RowFields.All.Select(f => f.Input).Where(i => i != null).ToHashSet();
        var undeclared = typeof(VideoInput).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.Name)
            .Where(n => !declared.Contains(n) && !NotFields.Contains(n))
            .ToList();
        Assert.True(undeclared.Count == 0, "VideoInput has properties no RowField declares: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void The_declared_body_fields_are_exactly_those_VideoRequest_writes()
    {
        var written = typeof(VideoRequest).GetProperties()
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .Where(n => n != null)
            .Select(n => n!)
            .ToHashSet();
        var declared = RowFields.All.SelectMany(f => f.Wire).ToHashSet();
        Assert.True(written.SetEquals(declared), $"written but not declared: {string.Join(", ", written.Except(declared))}; declared but not written: {string.Join(", ", declared.Except(written))}");
    }

    [Theory]
    [InlineData("prompt")]
    [InlineData("image_with_roles")]
    [InlineData("watermark_info")]
    [InlineData("IMAGE")]
    [InlineData("images")]
    [InlineData("first_frame")]
    [InlineData("last_frame")]
    [InlineData("reference_images")]
    [InlineData("refer_type")]
    [InlineData("shots")]
    [InlineData("elements")]
    [InlineData("extra")]
    [InlineData("AspectRatio")]
    [InlineData("ImageUrls")]
    public void The_body_may_not_set_a_field_the_module_sends_by_any_of_its_names(string key)
    {
        Assert.True(RowFields.IsReservedBodyKey(key));
        Refused(new VideoInput { Prompt = "x", AdditionalBodyJson = "{\"" + key + "\": 1}" }, "extra", "'" + key + "'", "which the module sets");
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("name")]
    [InlineData("cfg_scale")]
    public void The_body_may_set_a_field_the_module_has_no_parameter_for_and_a_labels_name(string key)
    {
        Assert.False(RowFields.IsReservedBodyKey(key));
        Assert.Contains("\"" + key + "\":1", Build(new VideoInput { Prompt = "x", AdditionalBodyJson = "{\"" + key + "\": 1}" }).ToString());
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Each_help_source_has_the_fields_section_naming_its_aliases(string parameter)
    {
        RowField field = RowFields.Find(parameter)!;
        foreach (string source in HelpSources)
        {
            string? section = Section(File.ReadAllText(RepoFile(source)), field.Parameter);
            Assert.True(section != null, $"{source} has no '### -{field.Parameter}' section.");
            foreach (string alias in field.Aliases)
            {
                Assert.True(Regex.IsMatch(section!, @"(?<![\w-])" + Regex.Escape(alias) + @"(?![\w-])"), $"{source}'s -{field.Parameter} does not name its alias '{alias}'.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void The_README_table_has_the_fields_row_its_names_and_its_help_line(string parameter)
    {
        RowField field = RowFields.Find(parameter)!;
        List<string[]> rows = ReadmeRows().Where(r => r[0] == "`-" + field.Parameter + "`").ToList();
        Assert.True(rows.Count == 1, $"README's parameter table has {rows.Count} rows for -{field.Parameter}; expected one:\n{Expected(field)}");
        string[] row = rows[0];
        var named = Regex.Matches(row[1], "`([^`]+)`").Select(m => m.Groups[1].Value).ToList();
        Assert.True(named.All(field.IsSpelledBy) && field.Aliases.All(named.Contains), $"README's column names of -{field.Parameter} are {row[1]}; expected its aliases:\n{Expected(field)}");
        Assert.True(row[2] == field.Help, $"README's values of -{field.Parameter} differ from its help line in RowFields; expected:\n{Expected(field)}");
    }

    [Fact]
    public void The_README_table_has_no_row_for_a_field_not_declared()
    {
        var rows = ReadmeRows().Select(r => r[0]).ToList();
        Assert.True(rows.Count > 0, "README's parameter table was not found.");
        var undeclared = rows.Where(cell => !RowFields.All.Any(f => cell == "`-" + f.Parameter + "`")).ToList();
        Assert.True(undeclared.Count == 0, "README's parameter table has rows no RowField declares: " + string.Join(", ", undeclared));
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void About_Kling_lists_the_field_among_the_CSV_columns_with_its_aliases(string parameter)
    {
        RowField field = RowFields.Find(parameter)!;
        List<string> lines = AboutLines("docs/en-US/about_Kling.md", "## CSV COLUMNS").Where(l => Names(l).Contains("-" + field.Parameter)).ToList();
        Assert.True(lines.Count == 1, $"about_Kling's CSV COLUMNS has {lines.Count} lines for -{field.Parameter}; expected one.");
        List<string> words = Names(lines[0]);
        foreach (string alias in field.Aliases)
        {
            Assert.True(words.Contains(alias), $"about_Kling's CSV COLUMNS line of -{field.Parameter} does not name its alias '{alias}'.");
        }
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void About_Kling_Models_says_where_the_field_goes(string parameter) =>
        Assert.True(
            AboutLines("docs/en-US/about_Kling_Models.md", "## PARAMETERS AND BODY FIELDS").Any(l => Names(l).Contains("-" + parameter)),
            $"about_Kling_Models' PARAMETERS AND BODY FIELDS has no line for -{parameter}.");

    [Theory]
    [InlineData("docs/en-US/about_Kling.md", "## CSV COLUMNS")]
    [InlineData("docs/en-US/about_Kling_Models.md", "## PARAMETERS AND BODY FIELDS")]
    public void The_about_topics_list_no_parameter_not_declared(string topic, string heading)
    {
        var undeclared = AboutLines(topic, heading)
            .SelectMany(l => Regex.Matches(l, @"(?<![\w-])-[A-Z]\w*").Select(m => m.Value))
            .Where(p => RowFields.Find(p.Substring(1)) == null)
            .Distinct()
            .ToList();
        Assert.True(undeclared.Count == 0, $"{topic}'s {heading} lists parameters no RowField declares: " + string.Join(", ", undeclared));
    }

    private static Type InputType(RowFieldKind kind) => kind switch
    {
        RowFieldKind.Text or RowFieldKind.Switch => typeof(string),
        RowFieldKind.List => typeof(IList<string>),
        RowFieldKind.Shots => typeof(IList<ShotInput>),
        RowFieldKind.Elements => typeof(IList<ElementInput>),
        RowFieldKind.Body => typeof(IDictionary<string, object?>),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The README row the declaration makes (the default, the last cell, is the README's own).</summary>
    private static string Expected(RowField field) =>
        $"| `-{field.Parameter}` | {string.Join(", ", (field.Aliases.Count > 0 ? field.Aliases : new[] { field.Parameter.ToLowerInvariant() }).Select(a => "`" + a + "`"))} | {field.Help.Replace("|", "\\|")} | ... |";

    /// <summary>The text of a '### -Name' section, up to the next heading; null when there is none.</summary>
    private static string? Section(string help, string parameter)
    {
        Match m = Regex.Match(help, @"^### -" + Regex.Escape(parameter) + @"\s*$(.*?)(?=^#)", RegexOptions.Multiline | RegexOptions.Singleline);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>The indented lines of an about topic's section (its table), up to the next heading.</summary>
    private static List<string> AboutLines(string topic, string heading)
    {
        string[] lines = File.ReadAllLines(RepoFile(topic));
        int start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"{topic} has no '{heading}'.");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("#", StringComparison.Ordinal)).Where(l => l.StartsWith("    ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The names on a line: words and -Parameters, without the commas between them.</summary>
    private static List<string> Names(string line) => Regex.Matches(line, @"-?[A-Za-z_]+").Select(m => m.Value).ToList();

    /// <summary>The rows of README's table under "Parameters of New-KlingVideo", each its cells ('\|' read as '|').</summary>
    private static List<string[]> ReadmeRows()
    {
        string[] lines = File.ReadAllLines(RepoFile("README.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("## Parameters of New-KlingVideo", StringComparison.Ordinal));
        Assert.True(start >= 0, "README has no '## Parameters of New-KlingVideo'.");
        return lines.Skip(start + 1)
            .SkipWhile(l => !l.StartsWith("| Parameter", StringComparison.Ordinal))
            .Skip(2)
            .TakeWhile(l => l.StartsWith("|", StringComparison.Ordinal))
            .Select(l => Regex.Split(l.Trim().Trim('|'), @"(?<!\\)\|").Select(c => c.Trim().Replace("\\|", "|")).ToArray())
            .ToList();
    }

    private static string RepoFile(string path)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && Directory.Exists(Path.Combine(dir.FullName, "src", "Kling.Core")))
            {
                return Path.Combine(dir.FullName, path);
            }
        }

        throw new DirectoryNotFoundException("The repository's root was not found above " + AppContext.BaseDirectory);
    }
}
