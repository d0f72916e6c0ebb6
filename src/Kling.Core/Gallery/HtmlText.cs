using System;
using System.Text;

namespace Kling.Core.Gallery
{
    /// <summary>
    /// The page's escaping, in one place: text in an element or a double-quoted attribute, and a file name as a relative
    /// link. Whatever a prompt or a file name holds (<c>&lt;script&gt;</c>, <c>" onerror=</c>, <c>javascript:</c>) stays text.
    /// </summary>
    public static class HtmlText
    {
        /// <summary>
        /// Text for an element's content or a double-quoted attribute's value: &amp;, &lt;, &gt;, " and ' as references;
        /// control characters (other than tab and line breaks) and lone surrogates dropped, as HTML does not allow them.
        /// </summary>
        public static string Escape(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var escaped = new StringBuilder(text!.Length + 16);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                switch (c)
                {
                    case '&': escaped.Append("&amp;"); break;
                    case '<': escaped.Append("&lt;"); break;
                    case '>': escaped.Append("&gt;"); break;
                    case '"': escaped.Append("&quot;"); break;
                    case '\'': escaped.Append("&#39;"); break;
                    default:
                        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        {
                            escaped.Append(c).Append(text[++i]);
                        }
                        else if (!char.IsSurrogate(c) && (c >= ' ' || c == '\t' || c == '\n' || c == '\r') && c != '\u007f')
                        {
                            escaped.Append(c);
                        }

                        break;
                }
            }

            return escaped.ToString();
        }

        /// <summary>
        /// A file in the page's folder as a relative URL for an attribute: every byte of its UTF-8 name but letters, digits
        /// and <c>-._~</c> percent-encoded (so a ':' cannot make a scheme, nor '/', '?' or '#' another path), then escaped.
        /// </summary>
        public static string FileUrl(string fileName) => Escape(Uri.EscapeDataString(fileName));
    }
}
