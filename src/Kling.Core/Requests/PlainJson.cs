using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Kling.Core.Requests
{
    /// <summary>Plain .NET values (strings, booleans, numbers, dictionaries, lists, null) as JSON with their own types.</summary>
    internal static class PlainJson
    {
        internal static JsonElement ToElement(object? value)
        {
            using (var stream = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    Write(writer, value, 0);
                }

                using (JsonDocument document = JsonDocument.Parse(stream.ToArray()))
                {
                    return document.RootElement.Clone();
                }
            }
        }

        private static void Write(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > 64)
            {
                throw new ArgumentException("nests deeper than 64 levels.");
            }

            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case JsonElement element:
                    element.WriteTo(writer);
                    break;
                case byte _:
                case sbyte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong big:
                    writer.WriteNumberValue(big);
                    break;
                case float _:
                case double _:
                    double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (double.IsNaN(number) || double.IsInfinity(number))
                    {
                        throw new ArgumentException($"holds {number.ToString(CultureInfo.InvariantCulture)}, which JSON has no number for.");
                    }

                    writer.WriteNumberValue(number);
                    break;
                case DateTime time:
                    writer.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture));
                    break;
                case DateTimeOffset time:
                    writer.WriteStringValue(time.ToString("o", CultureInfo.InvariantCulture));
                    break;
                case decimal money:
                    writer.WriteNumberValue(money);
                    break;
                case IDictionary map:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in map)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        Write(writer, entry.Value, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
                case IEnumerable list:
                    writer.WriteStartArray();
                    foreach (object? item in list)
                    {
                        Write(writer, item, depth + 1);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }
    }
}
