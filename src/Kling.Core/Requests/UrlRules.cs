using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace Kling.Core.Requests
{
    /// <summary>What makes a cell one URL we may send: absolute http(s), no whitespace, no user info, not a list.</summary>
    internal static class UrlRules
    {
        /// <summary>
        /// Why a cell that is meant as one URL is not one we may send, or null: several URLs joined by ',' or ' '
        /// (sent as one bogus URL, and billed), whitespace inside, or a user:password that would reach the gateway's logs.
        /// </summary>
        internal static string? UrlProblem(string value)
        {
            if (!LooksLikeUrl(value))
            {
                return null;
            }

            int second = IndexOfSecondScheme(value);
            if (second > 0)
            {
                char separator = value.Substring(0, second).TrimEnd().LastOrDefault();
                string joined = separator == ',' ? "','" : char.IsWhiteSpace(value[second - 1]) ? "a space" : $"'{separator}'";
                return $"holds several URLs joined by {joined}; separate the URLs in one cell with ';'.";
            }

            if (value.Any(char.IsWhiteSpace))
            {
                return $"'{value}' contains whitespace; a URL has none (encode a space as %20), and several URLs in one cell are separated with ';'.";
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && !string.IsNullOrEmpty(uri.UserInfo))
            {
                return "carries a user name or password before '@'; it would be sent to the gateway and kept in its logs, so it is refused. Use a URL that needs no credentials (for example a signed link).";
            }

            return null;
        }

        /// <summary>
        /// Why a cell is not a URL the gateway may call back (a webhook), or null: it must be one absolute https URL without
        /// user info, query or fragment (the gateway appends /callback to it), on port 443 or 80, whose host is public
        /// (<see cref="PublicHost"/>). The messages name the host or the part at fault, never a password.
        /// </summary>
        internal static string? WebhookProblem(string value)
        {
            string? problem = LooksLikeUrl(value) ? UrlProblem(value) : null;
            if (problem != null)
            {
                return problem;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host) || !LooksLikeUrl(value))
            {
                return "is not an absolute https URL (https://host/path).";
            }

            if (uri.Scheme != Uri.UriSchemeHttps)
            {
                return $"uses {uri.Scheme}://; the gateway calls only https webhooks.";
            }

            if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                return $"has a {(uri.Query.Length > 0 ? "query (?...)" : "fragment (#...)")}; the gateway appends /callback to the URL, so give a path only.";
            }

            if (uri.Port != 443 && uri.Port != 80)
            {
                return $"uses port {uri.Port}; the gateway calls webhooks only on port 443 (or 80).";
            }

            string? host = PublicHost.Problem(uri);
            return host == null ? null : host + "; the gateway calls only a public host, so give a URL the internet can reach.";
        }

        private static int IndexOfSecondScheme(string value)
        {
            int first = value.IndexOf("://", StringComparison.Ordinal);
            if (first < 0)
            {
                return -1;
            }

            Match next = SecondScheme.Match(value, first + 3);
            return next.Success ? next.Index : -1;
        }

        private static readonly Regex SecondScheme = new Regex(@"(?<=[\s,|])https?://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        internal static bool LooksLikeUrl(string value)
        {
            int colon = value.IndexOf("://", StringComparison.Ordinal);
            return colon > 1 || value.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
        }

        internal static bool IsHttpUrl(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) &&
            (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
            !string.IsNullOrEmpty(uri.Host);
    }
}
