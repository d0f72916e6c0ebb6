using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// Takes the key out of a gateway's reply body before anything reads it, so no later path (a task's error, an
    /// exception's message, an excerpt, a journal) can carry it: every string of a JSON body, names and values, is read
    /// unescaped (a key written "\u0073k-..." is caught too) and written again with the key masked; any other body has
    /// the key replaced in its text. A body that cannot hold the key in any form is returned as it is, unparsed.
    /// </summary>
    internal static class ReplyRedaction
    {
        public const string Mask = "***";

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // Chinese and other text stays readable in excerpts, as the gateway wrote it.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        /// <summary>The body without <paramref name="key"/> in any string it holds; keys under 4 characters are left alone (they would mangle the text).</summary>
        public static string Redact(string body, string key)
        {
            if (string.IsNullOrEmpty(body) || key.Length < 4)
            {
                return body;
            }

            bool plain = body.IndexOf(key, StringComparison.Ordinal) >= 0;
            if (!plain && body.IndexOf('\\') < 0)
            {
                // A key is printable ASCII: in a JSON text it can only hide behind an escape.
                return body;
            }

            try
            {
                return RewriteJson(body, key);
            }
            catch (JsonException)
            {
                return plain ? body.Replace(key, Mask) : body;
            }
        }

        private static string RewriteJson(string body, string key)
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body));
            using var output = new MemoryStream(body.Length);
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                        case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                        case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                        case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                        case JsonTokenType.PropertyName: writer.WritePropertyName(Masked(reader.GetString()!, key)); break;
                        case JsonTokenType.String: writer.WriteStringValue(Masked(reader.GetString()!, key)); break;
                        case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                        case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                        case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                        case JsonTokenType.Null: writer.WriteNullValue(); break;
                    }
                }
            }

            return Encoding.UTF8.GetString(output.ToArray());
        }

        private static string Masked(string text, string key) => text.IndexOf(key, StringComparison.Ordinal) < 0 ? text : text.Replace(key, Mask);
    }
}
