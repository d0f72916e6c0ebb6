using System;
using System.Security;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>What Connect-Kling stored for this process; environment variables fill in what it did not.</summary>
    internal static class KlingSession
    {
        private static readonly object Gate = new object();
        private static SecureString? connectedKey;
        private static Uri? connectedBaseUri;
        private static TimeSpan? connectedTimeout;
        private static string connectedSource = "Connect-Kling";
        private static Uri? connectedProxy;
        private static System.Net.NetworkCredential? connectedProxyCredential;

        internal static void Connect(SecureString apiKey, Uri? baseUri, TimeSpan? requestTimeout, string keySource = "Connect-Kling", Uri? proxy = null, System.Net.NetworkCredential? proxyCredential = null)
        {
            SecureString copy = apiKey.Copy();
            copy.MakeReadOnly();
            lock (Gate)
            {
                connectedKey?.Dispose();
                connectedKey = copy;
                connectedBaseUri = baseUri;
                connectedTimeout = requestTimeout;
                connectedSource = keySource;
                connectedProxy = proxy;
                connectedProxyCredential = proxyCredential;
            }
        }

        internal static void Disconnect()
        {
            lock (Gate)
            {
                connectedKey?.Dispose();
                connectedKey = null;
                connectedBaseUri = null;
                connectedTimeout = null;
                connectedProxy = null;
                connectedProxyCredential = null;
            }
        }

        /// <summary>Where the base URL in force comes from: Connect-Kling, the environment, or the default.</summary>
        internal static string BaseUrlSource()
        {
            lock (Gate)
            {
                if (connectedBaseUri != null)
                {
                    return "Connect-Kling";
                }
            }

            return string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(GatewaySettings.BaseUrlVariable)) ? "default" : "$env:" + GatewaySettings.BaseUrlVariable;
        }

        /// <summary>The settings in force now. Throws ArgumentException for a bad KLING_BASE_URL.</summary>
        internal static GatewaySettings Current()
        {
            SecureString? key;
            Uri? baseUri;
            TimeSpan? timeout;
            string source;
            Uri? proxy;
            System.Net.NetworkCredential? proxyCredential;
            lock (Gate)
            {
                proxy = connectedProxy;
                proxyCredential = connectedProxyCredential;
                key = connectedKey;
                baseUri = connectedBaseUri;
                timeout = connectedTimeout;
                source = connectedSource;
            }

            if (key == null)
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(GatewaySettings.ApiKeyVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    key = GatewaySettings.ToSecureString(fromEnvironment!.Trim());
                    source = "$env:" + GatewaySettings.ApiKeyVariable;
                }
                else
                {
                    source = "none";
                }
            }

            if (baseUri == null)
            {
                string? url = Environment.GetEnvironmentVariable(GatewaySettings.BaseUrlVariable);
                baseUri = GatewaySettings.ParseBaseUri(string.IsNullOrWhiteSpace(url) ? GatewaySettings.DefaultBaseUrl : url!);
            }

            var settings = new GatewaySettings(baseUri, key, source) { Proxy = proxy, ProxyCredential = proxyCredential };
            if (timeout.HasValue)
            {
                settings.RequestTimeout = timeout.Value;
            }

            return settings;
        }
    }
}
