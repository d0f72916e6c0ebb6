using System.Runtime.CompilerServices;

namespace Kling.Cmdlets.Tests;

/// <summary>No test writes the user's own task history: the test process takes a fresh KLING_HOME, as each Pester suite does.</summary>
internal static class TestHome
{
#pragma warning disable CA2255 // a test assembly: its set-up must come before the first test, whichever runs first
    [ModuleInitializer]
    internal static void UseFreshHome()
    {
        Environment.SetEnvironmentVariable("KLING_HOME", Path.Combine(Path.GetTempPath(), "kling-home-" + Guid.NewGuid().ToString("n")));
        Environment.SetEnvironmentVariable("KLING_HISTORY", null);
    }
#pragma warning restore CA2255
}
