using System.Text.RegularExpressions;
using Kling.Core.Catalog;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The catalog's values are written once: in src/Kling.Core/Catalog, read from there by the cmdlets and the core.</summary>
public sealed class CatalogSourceTests
{
    /// <summary>
    /// A model name, mode, aspect ratio, resolution or refer type written as a string literal in src/Kling or
    /// src/Kling.Core outside the catalog is a second copy of a catalog fact (the emulator keeps its own reading and is
    /// not looked at). image and video are left out: they are also field and column names.
    /// </summary>
    [Fact]
    public void No_value_of_the_catalog_is_written_outside_it()
    {
        var values = new HashSet<string>(ModelCatalog.All.SelectMany(m =>
            new[] { m.Name }.Concat(m.Modes).Concat(m.AspectRatios).Concat(m.Resolutions).Concat(m.ReferTypes)), StringComparer.OrdinalIgnoreCase);
        var literal = new Regex("\"((?:[^\"\\\\]|\\\\.)*)\"");
        string src = Path.Combine(RepositoryRoot(), "src");
        var found = new List<string>();
        foreach (string project in new[] { "Kling", "Kling.Core" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(src, project), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(src, file).Replace('\\', '/');
                if (relative.Split('/').Any(part => part == "Catalog" || part == "bin" || part == "obj"))
                {
                    continue;
                }

                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    string code = lines[i].TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal) || IsTheDefaultModelsDeclaration(relative, code))
                    {
                        continue;
                    }

                    found.AddRange(literal.Matches(code).Select(m => m.Groups[1].Value).Where(values.Contains).Select(v => $"{relative}:{i + 1}: \"{v}\""));
                }
            }
        }

        Assert.True(found.Count == 0, "Catalog values written outside src/Kling.Core/Catalog (read them from ModelCatalog instead):\n" + string.Join("\n", found));
    }

    /// <summary>
    /// The one value declared below the catalog: the default model's name, which the body (Wire, the lowest wing) needs
    /// before the catalog is read; the catalog gives it out as <see cref="ModelCatalog.DefaultName"/>.
    /// </summary>
    private static bool IsTheDefaultModelsDeclaration(string relative, string code) =>
        relative == "Kling.Core/Wire/VideoRequest.cs" && code == $"public const string DefaultModel = \"{ModelCatalog.DefaultName}\";";

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Kling.Core")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("No src/Kling.Core above " + AppContext.BaseDirectory);
    }
}
