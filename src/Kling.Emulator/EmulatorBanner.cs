namespace Kling.Emulator;

/// <summary>What <c>kling-emulator</c> tells a person: how to connect the Kling module to it, and its options.</summary>
internal static class EmulatorBanner
{
    public const string Usage =
        """
        kling-emulator: a local stand-in for the Kling gateway, on 127.0.0.1 only (whatever ASPNETCORE_URLS, Kestrel__*
        variables or an appsettings.json say). Nothing is sent anywhere and nothing is billed.

        Options:
          --port N            the gateway's port (default: a free one)
          --api-key K         the key it accepts (default: a random key for each start, printed when it starts)
          --task-seconds S    how long a task runs before it completes (default: 3)
          --balance N         submissions accepted before it answers 402 (default: unlimited)
          --latency-ms N      a delay added to every answer
          --fail-marker TEXT  a prompt containing TEXT makes its task fail (default: [fail])
          --json-only         print only the first line (JSON: gateway, storage, proxy, apiKey), for programs
          --help              this text
        More knobs (faults, limits) through its control endpoints: see the README of Kling.Emulator.
        """;

    public static string HowToConnect(string gateway, string apiKey) =>
        $"""

        The Kling emulator is running (loopback only: nothing leaves this machine and nothing is billed).
          Gateway URL: {gateway}
          API key:     {apiKey}

        Point the Kling module at it, in the PowerShell session that runs your script:
          Connect-Kling -BaseUrl {gateway} -ApiKey (ConvertTo-SecureString '{apiKey}' -AsPlainText -Force)
        or set $env:KLING_BASE_URL = '{gateway}' and $env:KLING_API_KEY = '{apiKey}'.

        Each task completes after a few seconds with a small sample video; a prompt containing [fail] fails.
        Press Ctrl+C to stop it.
        """;
}
