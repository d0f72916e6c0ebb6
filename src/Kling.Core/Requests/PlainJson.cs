using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Kling.Core.Requests
{
    /// <summary>
    /// Plain .NET values (strings, booleans, numbers, dictionaries, lists, null) as JSON with their own types; an object
    /// says each key once (keys that differ only in case count as one, as many JSON readers take them).
    /// </summary>
    internal static class PlainJson
    {
        /// <summary>
        /// Where a JSON value gives a key twice in one object, at any depth: "has the key 'camera.speed' twice ...";
        /// null when every object says each key once. JsonDocument keeps both, and a reader would take only one.
        /// </summary>
        internal static string? DuplicateKey(JsonElement value, string path = "")
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (JsonProperty property in value.EnumerateObject())
                    {
                        string at = path.Length == 0 ? property.Name : path + "." + property.Name;
                        if (seen.TryGetValue(property.Name, out string? first))
                        {
                            return Twice(at, first, property.Name);
                        }

                        seen[property.Name] = property.Name;
                        string? inner = DuplicateKey(property.Value, at);
                        if (inner != null)
                        {
                            return inner;
                        }
                    }

                    return null;
                case JsonValueKind.Array:
                    int index = 0;
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        string? inner = DuplicateKey(item, $"{path}[{index++}]");
                        if (inner != null)
                        {
                            return inner;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

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

        internal static string Twice(string path, string first, string second) =>
            $"has the key '{path}' twice{(first == second ? string.Empty : $" (as '{first}' and '{second}', which many JSON readers take as one key)")}; give each key once.";

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
                    var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (DictionaryEntry entry in map)
                    {
                        // Keys that are distinct to the dictionary (1 and "1", or "seed" and "Seed") can be one key in JSON.
                        string name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                        if (names.TryGetValue(name, out string? first))
                        {
                            throw new ArgumentException(Twice(name, first, name));
                        }

                        names[name] = name;
                        writer.WritePropertyName(name);
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
