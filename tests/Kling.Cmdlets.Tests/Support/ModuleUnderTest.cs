namespace Kling.Cmdlets.Tests;

/// <summary>
/// Where the built module is: out/Kling/Kling.psd1 in the repository (build.ps1 Build makes it before the tests run),
/// or $env:KLING_MODULE_PATH as for the Pester suites.
/// </summary>
public static class ModuleUnderTest
{
    /// <summary>The repository's root: the nearest folder above this assembly that holds build.ps1.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The manifest the runspaces import.</summary>
    public static string ManifestPath
    {
        get
        {
            string? given = Environment.GetEnvironmentVariable("KLING_MODULE_PATH");
            string path = string.IsNullOrWhiteSpace(given) ? Path.Combine(RepositoryRoot, "out", "Kling", "Kling.psd1") : given;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The built module is not at {path}: run build.ps1 Build first (build.ps1 Test does).", path);
            }

            return path;
        }
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "build.ps1")) && Directory.Exists(Path.Combine(dir.FullName, "tests")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds build.ps1.");
    }
}
