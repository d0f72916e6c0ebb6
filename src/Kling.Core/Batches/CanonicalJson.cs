using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Kling.Core.Batches
{
    /// <summary>
    /// One text for one JSON value, however it was written: no white space; an object's members sorted by name (ordinal,
    /// UTF-16 code units), at every level, and those whose value is null left out (absent and null are the same); arrays in
    /// their order, nulls kept; numbers, true and false exactly as written; strings as in RFC 8785 (only '"', '\' and
    /// control characters escaped: \b \t \n \f \r, else \u00xx; every other character as itself); a string holding a lone
    /// surrogate (which no UTF-8 can carry) as written.
    /// Row identities of journals of version 2 on are hashes of it.
    /// </summary>
    internal static class CanonicalJson
    {
        public static string Of(string json)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            var text = new StringBuilder(json.Length);
            Write(document.RootElement, text);
            return text.ToString();
        }

        private static void Write(JsonElement value, StringBuilder text)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    text.Append('{');
                    bool first = true;
                    foreach (JsonProperty member in value.EnumerateObject().Where(m => m.Value.ValueKind != JsonValueKind.Null).OrderBy(m => m.Name, StringComparer.Ordinal))
                    {
                        text.Append(first ? string.Empty : ",");
                        first = false;
                        WriteString(member.Name, text);
                        text.Append(':');
                        Write(member.Value, text);
                    }

                    text.Append('}');
                    break;
                case JsonValueKind.Array:
                    text.Append('[');
                    int index = 0;
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        text.Append(index++ == 0 ? string.Empty : ",");
                        Write(item, text);
                    }

                    text.Append(']');
                    break;
                case JsonValueKind.String:
                    WriteString(value, text);
                    break;
                default:
                    // Numbers, true, false and null (in an array) as written.
                    text.Append(value.GetRawText());
                    break;
            }
        }

        private static void WriteString(JsonElement value, StringBuilder text)
        {
            string? decoded;
            try
            {
                decoded = value.GetString();
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate (a prompt may hold one): as written.
                text.Append(value.GetRawText());
                return;
            }

            WriteString(decoded!, text);
        }

        private static void WriteString(string value, StringBuilder text)
        {
            text.Append('"');
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\b': text.Append("\\b"); break;
                    case '\t': text.Append("\\t"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\f': text.Append("\\f"); break;
                    case '\r': text.Append("\\r"); break;
                    default:
                        if (c < 0x20)
                        {
                            text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            text.Append(c);
                        }

                        break;
                }
            }

            text.Append('"');
        }
    }
}
