namespace Kling.Cmdlets.Tests;

/// <summary>
/// Tests that set the process's environment variables (KLING_API_KEY, KLING_BASE_URL): the environment is the whole
/// process's, so they run one at a time, and each puts back what it found.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    /// <summary>Sets variables for the length of a test; disposing restores the values they had.</summary>
    public static IDisposable Set(params (string Name, string? Value)[] variables)
    {
        var before = variables.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
        foreach ((string name, string? value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        return new Restore(before);
    }

    private sealed class Restore((string Name, string? Value)[] before) : IDisposable
    {
        public void Dispose()
        {
            foreach ((string name, string? value) in before)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
