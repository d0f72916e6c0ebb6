using System;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;

namespace Kling.Core.Gateway
{
    /// <summary>Where the gateway is and how to authenticate to it. The key stays a SecureString until a header is built.</summary>
    public sealed class GatewaySettings
    {
        public const string DefaultBaseUrl = "https://xcompute.us";
        public const string ApiKeyVariable = "KLING_API_KEY";
        public const string BaseUrlVariable = "KLING_BASE_URL";
        public const string LanguageVariable = "KLING_LANGUAGE";

        /// <summary>
        /// The languages the gateway writes task messages in (GET /v1/tasks/{id}?language=), in the order its pages list
        /// them; English when none is sent. The one list: -Language's check and completion and $env:KLING_LANGUAGE read it.
        /// </summary>
        public static readonly string[] Languages = { "en", "zh", "ja", "ko", "ru", "fr", "de", "id", "pt", "es" };

        /// <summary>The gateway's own default language, used when none is sent.</summary>
        public const string DefaultLanguage = "en";

        public GatewaySettings(Uri baseUri, SecureString? apiKey, string keySource)
        {
            BaseUri = baseUri ?? throw new ArgumentNullException(nameof(baseUri));
            ApiKey = apiKey;
            KeySource = keySource;
            KeyProblem = apiKey == null ? null : FindKeyProblem(Reveal(apiKey));
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

        /// <summary>The language of task messages (one of <see cref="Languages"/>), sent on every status call; null: none sent (the gateway's English).</summary>
        public string? Language { get; set; }

        public bool HasKey => ApiKey != null && ApiKey.Length > 0;

        /// <summary>A language the gateway knows (<see cref="Languages"/>, in any case), in lower case; an ArgumentException (ParamName = where it came from) naming the ten for anything else.</summary>
        public static string ParseLanguage(string value, string source)
        {
            string language = (value ?? string.Empty).Trim().ToLowerInvariant();
            if (Array.IndexOf(Languages, language) < 0)
            {
                throw new ArgumentException($"The language '{value}' from {source} is not one the gateway knows: use {string.Join(", ", Languages)}.", source);
            }

            return language;
        }

        /// <summary>
        /// Why the key cannot go into an HTTP header (which character, where), or null when it can. Never the key itself.
        /// </summary>
        public string? KeyProblem { get; }

        /// <summary>True when whitespace around the key (a line break from Get-Content -Raw, say) was removed.</summary>
        public bool KeyTrimmed { get; set; }

        /// <summary>
        /// Parses a gateway base URL. Only http(s) is allowed, and plain http only for loopback hosts,
        /// because the key travels in a header on every call.
        /// </summary>
        public static Uri ParseBaseUri(string value)
        {
            if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri))
            {
                throw new ArgumentException($"The gateway base URL '{WithoutUserInfo(value)}' is not an absolute URL.");
            }

            if (uri.UserInfo.Length > 0)
            {
                // The user info would travel to the gateway (and into its logs and ours); the key is the only credential.
                throw new ArgumentException(
                    $"The gateway base URL '{WithoutUserInfo(value)}' carries a user name or password (user:password@), which would be sent to the gateway and written to its logs. " +
                    "Remove it: the gateway takes only the API key (Connect-Kling -ApiKey or $env:" + ApiKeyVariable + ").");
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

            throw new ArgumentException($"The gateway base URL '{WithoutUserInfo(value)}' must use https://.");
        }

        /// <summary>A URL as it may be shown (in errors, as an error's target): any user:password@ part removed.</summary>
        public static string WithoutUserInfo(string? url)
        {
            if (string.IsNullOrEmpty(url))
            {
                return url ?? string.Empty;
            }

            // Textual, so it also works on text that is not a valid URL: drop everything between "//" and the
            // last "@" of the authority (a password may itself contain '@').
            int start = url!.IndexOf("//", StringComparison.Ordinal);
            start = start < 0 ? 0 : start + 2;
            int end = url.IndexOfAny(new[] { '/', '?', '#' }, start);
            string authority = end < 0 ? url.Substring(start) : url.Substring(start, end - start);
            int at = authority.LastIndexOf('@');
            return at < 0 ? url : url.Substring(0, start) + url.Substring(start + at + 1);
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

        /// <summary>
        /// Why a key cannot go into an HTTP header: "a line break (U+000A) at position 5 of 40", say, or null when it
        /// can. Tells which character and where, never the key; a key must be printable ASCII without spaces.
        /// </summary>
        public static string? FindKeyProblem(string key)
        {
            for (int i = 0; i < key.Length; i++)
            {
                char c = key[i];
                if (c > ' ' && c < 0x7F)
                {
                    continue;
                }

                string what = c == '\n' || c == '\r' ? "a line break" :
                              c == ' ' || c == '\t' ? "a space" :
                              c < ' ' || c == 0x7F ? "a control character" :
                              char.IsWhiteSpace(c) ? "a non-ASCII space" : "a non-ASCII character";
                return $"{what} (U+{(int)c:X4}) at position {i + 1} of {key.Length}";
            }

            return null;
        }

        /// <summary>
        /// The key without the whitespace around it (what Get-Content -Raw or a copy from a web page adds); the
        /// given string is left alone. Inner whitespace stays, for <see cref="FindKeyProblem"/> to report.
        /// </summary>
        public static SecureString TrimKey(SecureString key, out bool trimmed)
        {
            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            string text = Reveal(key);
            string inner = text.Trim();
            trimmed = inner.Length != text.Length;
            if (!trimmed)
            {
                SecureString copy = key.Copy();
                copy.MakeReadOnly();
                return copy;
            }

            return ToSecureString(inner);
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
        internal string RevealKey() => ApiKey == null ? string.Empty : Reveal(ApiKey);

        private static string Reveal(SecureString secure)
        {
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
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
