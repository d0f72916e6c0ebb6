using System;
using System.Net;
using System.Net.Sockets;

namespace Kling.Core.Requests
{
    /// <summary>
    /// Whether a URL's host is one a server on the internet (the gateway) can reach: a host name with a dot, or a public
    /// IP address; not loopback, private, link-local, a .local (mDNS) name or an address no one can be called at.
    /// </summary>
    internal static class PublicHost
    {
        /// <summary>Why <paramref name="uri"/>'s host is not public (one clause, naming the host), or null when it is.</summary>
        internal static string? Problem(Uri uri)
        {
            if (uri.HostNameType == UriHostNameType.IPv4 || uri.HostNameType == UriHostNameType.IPv6)
            {
                return IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) ? AddressProblem(address) : $"'{uri.Host}' is not an IP address";
            }

            string name = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
            if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
            {
                return $"'{uri.Host}' is a loopback host (this computer)";
            }

            if (name.EndsWith(".local", StringComparison.Ordinal))
            {
                return $"'{uri.Host}' is a .local (mDNS) name, which only the local network resolves";
            }

            return name.IndexOf('.') < 0 ? $"'{uri.Host}' is not a public name (it has no dot: only a local network resolves it)" : null;
        }

        private static string? AddressProblem(IPAddress address)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && IsIPv4Mapped(address))
            {
                address = new IPAddress(Tail(address.GetAddressBytes(), 4));
            }

            string shown = address.ToString();
            if (IPAddress.IsLoopback(address))
            {
                return $"{shown} is a loopback address (this computer)";
            }

            byte[] b = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xC0) == 64))
                {
                    return $"{shown} is a private address (10/8, 172.16/12, 192.168/16, 100.64/10)";
                }

                if (b[0] == 169 && b[1] == 254)
                {
                    return $"{shown} is a link-local address (169.254/16)";
                }

                return b[0] == 0 || b[0] >= 224 ? $"{shown} is not a public address (unspecified, multicast or reserved)" : null;
            }

            if ((b[0] & 0xFE) == 0xFC)
            {
                return $"{shown} is a private address (unique local, fc00::/7)";
            }

            if (address.IsIPv6LinkLocal || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80))
            {
                return $"{shown} is a link-local address (fe80::/10)";
            }

            return address.Equals(IPAddress.IPv6Any) || address.IsIPv6Multicast || address.IsIPv6SiteLocal
                ? $"{shown} is not a public address (unspecified, multicast or site-local)"
                : null;
        }

        /// <summary>::ffff:a.b.c.d (IPAddress.IsIPv4MappedToIPv6 is not in netstandard2.0).</summary>
        private static bool IsIPv4Mapped(IPAddress address)
        {
            byte[] b = address.GetAddressBytes();
            for (int i = 0; i < 10; i++)
            {
                if (b[i] != 0)
                {
                    return false;
                }
            }

            return b[10] == 0xFF && b[11] == 0xFF;
        }

        private static byte[] Tail(byte[] bytes, int count)
        {
            var tail = new byte[count];
            Array.Copy(bytes, bytes.Length - count, tail, 0, count);
            return tail;
        }
    }
}
