using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Kling.Core.Media;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>
    /// -Element: subjects reused across shots (v3-omni), each a name, a description and 2 to 4 images (URLs or local
    /// files), given as Name/Description/Images or as a JSON cell (an object, or an array of them), sent as element_list.
    /// </summary>
    internal static class ElementReader
    {
        internal const int MinImages = 2;
        internal const int MaxImages = 4;
        private const string Field = "elements";

        internal static void Read(RowContext row)
        {
            List<ElementInput> given = (row.Input.Elements ?? new List<ElementInput>()).Where(e => e != null && !IsEmpty(e)).ToList();
            if (given.Count == 0 || !row.Takes(Field, m => m.Elements))
            {
                return;
            }

            var elements = new List<Element>();
            foreach (ElementInput input in given)
            {
                foreach (ElementInput one in Cells.Given(input.Json) != null ? FromJson(row, input.Json!) : new List<ElementInput> { input })
                {
                    Element? element = Build(row, one, elements.Count + 1);
                    if (element != null)
                    {
                        elements.Add(element);
                    }
                }
            }

            row.Request.ElementList = elements.Count > 0 ? elements : null;
        }

        private static Element? Build(RowContext row, ElementInput input, int number)
        {
            string? name = Cells.Given(input.Name);
            List<string> cells = Cells.SplitList(input.Images);
            if (name == null)
            {
                row.Add(Field, $"element {number} has no name; each element needs the name the prompt refers to as @name.");
            }
            else if (!row.CheckText(Field, name))
            {
                name = null;
            }

            if (row.Spec != null && (cells.Count < MinImages || cells.Count > MaxImages))
            {
                row.Add(Field, $"element {number}{(name == null ? string.Empty : " ('" + name + "')")} has {cells.Count} image(s); {row.Model} takes {MinImages} to {MaxImages} per element.");
            }

            List<ImageRef> images = ImageCells.ReadAll(row, Field, cells);
            string? description = Cells.Given(input.Description);
            return name == null ? null : new Element { Name = name, Description = description, ElementInputUrls = images };
        }

        /// <summary>An object {name, description, images} or an array of them; the keys of <see cref="ElementKeys"/>, in any case.</summary>
        private static List<ElementInput> FromJson(RowContext row, string json)
        {
            var result = new List<ElementInput>();
            try
            {
                using (JsonDocument document = JsonDocument.Parse(json))
                {
                    JsonElement root = document.RootElement;
                    string? twice = PlainJson.DuplicateKey(root);
                    if (twice != null)
                    {
                        // "name" and "Name" (read alike here) or an image list given twice: which one was meant is unknown.
                        row.Add(Field, twice);
                        return result;
                    }

                    IEnumerable<JsonElement> items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : new List<JsonElement> { root };
                    foreach (JsonElement item in items)
                    {
                        if (item.ValueKind != JsonValueKind.Object)
                        {
                            row.Add(Field, "a JSON element must be an object with name, description and images.");
                            continue;
                        }

                        result.Add(new ElementInput
                        {
                            Name = Text(item, ElementKeys.Name),
                            Description = Text(item, ElementKeys.Description),
                            Images = ElementKeys.FirstImages(key => Strings(item, key)),
                        });
                    }
                }
            }
            catch (JsonException ex)
            {
                row.Add(Field, $"is not valid JSON ({ex.Message}); give an object such as {{\"name\":\"cat\",\"images\":[\"a.png\",\"b.png\"]}}.");
            }

            return result;
        }

        private static JsonElement? Property(JsonElement item, string name)
        {
            foreach (JsonProperty property in item.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }

            return null;
        }

        private static string? Text(JsonElement item, string name)
        {
            JsonElement? value = Property(item, name);
            return value?.ValueKind == JsonValueKind.String ? value.Value.GetString() : value?.ToString();
        }

        private static IList<string>? Strings(JsonElement item, string name)
        {
            JsonElement? value = Property(item, name);
            if (value == null)
            {
                return null;
            }

            return value.Value.ValueKind == JsonValueKind.Array
                ? value.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : v.ToString()).ToList()
                : new List<string> { Text(item, name) ?? string.Empty };
        }

        private static bool IsEmpty(ElementInput e) =>
            Cells.Given(e.Json) == null && Cells.Given(e.Name) == null && Cells.Given(e.Description) == null && Cells.SplitList(e.Images).Count == 0;
    }
}
