using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kling.Core.Gateway
{
    // Tolerant readers for the gateway's replies: a value of an unexpected kind reads as "not given" (and is skipped)
    // instead of failing the whole reply. The gateway is stricter and stranger than its documentation. Replies are only
    // read, never written, so none of them writes.

    /// <summary>A string; a number or a boolean as its JSON text (ids and codes come as either); anything else is null.</summary>
    internal sealed class TextConverter : JsonConverter<string?>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                case JsonTokenType.True:
                    return "true";
                case JsonTokenType.False:
                    return "false";
                default:
                    reader.Skip();
                    return null;
            }
        }

        public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    /// <summary>A number, also when it comes as a string ("120"); anything else is null.</summary>
    internal sealed class NumberConverter : JsonConverter<double?>
    {
        public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return reader.TryGetDouble(out double number) ? number : (double?)null;
            }

            if (reader.TokenType == JsonTokenType.String)
            {
                return double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : (double?)null;
            }

            reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    /// <summary>A list of strings, also when a single string comes instead of an array; other items are left out.</summary>
    internal sealed class StringOrArrayConverter : JsonConverter<string[]?>
    {
        public override string[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return new[] { reader.GetString()! };
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return null;
            }

            var items = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    items.Add(reader.GetString()!);
                }
                else
                {
                    reader.Skip();
                }
            }

            return items.ToArray();
        }

        public override void Write(Utf8JsonWriter writer, string[]? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    /// <summary>
    /// A task's "result": groups ("videos", "images", or any other) of files, each an object with a url or a bare URL
    /// string; read as one list of files in the order given. Groups and items of other kinds are left out.
    /// </summary>
    internal sealed class ResultFilesConverter : JsonConverter<List<ResultFile>?>
    {
        public override List<ResultFile>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return null;
            }

            var files = new List<ResultFile>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        files.Add(new ResultFile { Url = new[] { reader.GetString()! } });
                    }
                    else if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        files.Add(JsonSerializer.Deserialize<ResultFile>(ref reader, options)!);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            return files;
        }

        public override void Write(Utf8JsonWriter writer, List<ResultFile>? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }

    /// <summary>An error: an object {code, message, type} (kept as given too) or a plain message string; anything else is null.</summary>
    internal sealed class ErrorDetailConverter : JsonConverter<ErrorDetail?>
    {
        public override ErrorDetail? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return new ErrorDetail { Message = reader.GetString() };
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return null;
            }

            using JsonDocument error = JsonDocument.ParseValue(ref reader);
            ErrorDetail detail = error.RootElement.Deserialize<ErrorDetail>(options)!;
            detail.Raw = error.RootElement.GetRawText();
            return detail;
        }

        public override void Write(Utf8JsonWriter writer, ErrorDetail? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }
}
