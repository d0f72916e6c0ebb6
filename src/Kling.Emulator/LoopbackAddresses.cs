using System.Net;

namespace Kling.Emulator;

/// <summary>The check that keeps the emulator on this machine: every address a host is bound to must be loopback.</summary>
internal static class LoopbackAddresses
{
    /// <summary>The first bound address (a URL as Kestrel reports it) that is not loopback, "(no address)" when none is bound, or null when all are loopback.</summary>
    public static string? FirstOutside(IReadOnlyCollection<string> bound)
    {
        if (bound.Count == 0)
        {
            return "(no address)";
        }

        return bound.FirstOrDefault(url => !IsLoopback(url));
    }

    /// <summary>True for a URL whose host is 127.x.x.x, ::1 or localhost (Kestrel binds "localhost" to loopback only).</summary>
    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        string host = uri.DnsSafeHost;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
               (IPAddress.TryParse(host, out IPAddress? address) && IPAddress.IsLoopback(address));
    }
}

/// <summary>A host that would listen somewhere other than loopback: the emulator refuses to start.</summary>
internal sealed class NotLoopbackException : Exception
{
    public NotLoopbackException(string message)
        : base(message)
    {
    }
}
