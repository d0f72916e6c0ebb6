using System;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;

namespace Kling.Core
{
    /// <summary>Where the gateway is and how to authenticate to it. The key stays a SecureString until a header is built.</summary>
    public sealed class GatewaySettings
    {
        public const string DefaultBaseUrl = "https://xcompute.us";
        public const string ApiKeyVariable = "KLING_API_KEY";
        public const string BaseUrlVariable = "KLING_BASE_URL";

        public GatewaySettings(Uri baseUri, SecureString? apiKey, string keySource)
        {
            BaseUri = baseUri ?? throw new ArgumentNullException(nameof(baseUri));
            ApiKey = apiKey;
            KeySource = keySource;
        }

        public Uri BaseUri { get; }

        public SecureString? ApiKey { get; }

        /// <summary>Where the key came from (for display only, never the key itself).</summary>
        public string KeySource { get; }

        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>A proxy for every call (gateway and download hosts); null: the system's proxy settings.</summary>
        public Uri? Proxy { get; set; }

        /// <summary>Credentials for <see cref="Proxy"/> (never the API key).</summary>
        public NetworkCredential? ProxyCredential { get; set; }

        public bool HasKey => ApiKey != null && ApiKey.Length > 0;

        /// <summary>
        /// Parses a gateway base URL. Only http(s) is allowed, and plain http only for loopback hosts,
        /// because the key travels in a header on every call.
        /// </summary>
        public static Uri ParseBaseUri(string value)
        {
            if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri))
            {
                throw new ArgumentException($"The gateway base URL '{value}' is not an absolute URL.");
            }

            if (uri.Scheme == Uri.UriSchemeHttps)
            {
                return Normalize(uri);
            }

            if (uri.Scheme == Uri.UriSchemeHttp)
            {
                if (IsLoopback(uri))
                {
                    return Normalize(uri);
                }

                throw new ArgumentException(
                    $"The gateway base URL '{uri.GetLeftPart(UriPartial.Authority)}' uses http://, which would send the API key unencrypted. Use https:// (http:// is allowed only for loopback hosts).");
            }

            throw new ArgumentException($"The gateway base URL '{value}' must use https://.");
        }

        public static bool IsLoopback(Uri uri)
        {
            if (uri.IsLoopback)
            {
                return true;
            }

            return IPAddress.TryParse(uri.DnsSafeHost, out IPAddress? address) && IPAddress.IsLoopback(address);
        }

        private static Uri Normalize(Uri uri)
        {
            string text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
            return new Uri(text, UriKind.Absolute);
        }

        public static SecureString ToSecureString(string value)
        {
            var secure = new SecureString();
            foreach (char c in value)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Reveals the key only to build the Authorization header.</summary>
        internal string RevealKey()
        {
            if (ApiKey == null)
            {
                return string.Empty;
            }

            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(ApiKey);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }
    }
}
