using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Kling.Core.Media;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>Where the row's -MultiShot came from.</summary>
    internal enum MultiShotSource
    {
        None,
        CommandLine,

        /// <summary>A pipeline row's property (a CSV cell, read as written).</summary>
        Row,
    }

    /// <summary>
    /// Turns a video row cmdlet's bound parameters (New-KlingVideo, Measure-KlingCost) (one pipeline row or one call) into a <see cref="VideoInput"/> for the
    /// core: PowerShell values become plain .NET values (PSObject unwrapped, hashtables and objects dictionaries,
    /// arrays lists), and a CSV cell stays the text the core reads (a shot list, an element's JSON, a JSON body).
    /// </summary>
    internal sealed class VideoRowReader
    {
        /// <summary>The columns -MultiShot binds by, as declared.</summary>
        private static readonly string[] MultiShotColumns = RowFields.Find(nameof(VideoRowCmdlet.MultiShot))!.Spellings.ToArray();

        private readonly Func<string, string> resolvePath;

        internal VideoRowReader(Func<string, string> resolvePath)
        {
            this.resolvePath = resolvePath;
        }

        /// <summary>The row as the core takes it: the declared text and list fields copied (<see cref="RowFieldCopies"/>), the others read here.</summary>
        internal VideoInput Read(VideoRowCmdlet row, MultiShotSource multiShot)
        {
            var input = new VideoInput
            {
                ImageReader = new DiskImageReader(resolvePath),
                Shots = Shots(row.Shot),
                MultiShot = multiShot == MultiShotSource.None ? null
                    : multiShot == MultiShotSource.Row ? MultiShot(row.InputObject, row.MultiShot)
                    : row.MultiShot.IsPresent ? "true" : null,
                Elements = Elements(row.Element),
                AdditionalBody = Body(row.AdditionalBody, out string? json),
                AdditionalBodyJson = json,
            };
            RowFieldCopies.CopyAll(row, input);

            // A plain string piped in ('A cat' | New-KlingVideo) is the prompt.
            input.Prompt ??= row.InputObject?.BaseObject as string;
            return input;
        }

        /// <summary>
        /// -MultiShot as the core reads it: "true", null (off or not given), or an unreadable cell as written, which the
        /// validator reports. The switch only holds a boolean (see <see cref="SwitchCellAttribute"/>), so a cell is read
        /// from the row itself.
        /// </summary>
        internal static string? MultiShot(PSObject? inputObject, SwitchParameter bound)
        {
            object? cell = CellOf(inputObject, MultiShotColumns);
            if (cell is string text)
            {
                bool? read = SwitchCellAttribute.ReadCell(text);
                return read == null ? text.Trim() : read.Value ? "true" : null;
            }

            return bound.IsPresent ? "true" : null;
        }

        /// <summary>Each -Shot value: a string is a cell ("3: prompt | 5: prompt"); a hashtable or object is one shot.</summary>
        internal static IList<ShotInput>? Shots(object[]? values)
        {
            List<object> items = Items(values);
            if (items.Count == 0)
            {
                return null;
            }

            return items.Select(item => item is string text
                ? new ShotInput { Text = text }
                : new ShotInput { Prompt = TextOf(Member(item, "Prompt")), Duration = TextOf(Member(item, "Duration")) }).ToList();
        }

        /// <summary>Each -Element value: a string is a JSON cell; a hashtable or object has Name, Description and Image(s).</summary>
        internal static IList<ElementInput>? Elements(object[]? values)
        {
            List<object> items = Items(values);
            if (items.Count == 0)
            {
                return null;
            }

            return items.Select(item => item is string json
                ? new ElementInput { Json = json }
                : new ElementInput
                {
                    Name = TextOf(Member(item, ElementKeys.Name)),
                    Description = TextOf(Member(item, ElementKeys.Description)),
                    Images = ImagesOf(ElementKeys.FirstImages(key => Member(item, key))),
                }).ToList();
        }

        /// <summary>-AdditionalBody: a hashtable or object becomes a dictionary of plain values; a string is a JSON cell.</summary>
        internal static IDictionary<string, object?>? Body(object? value, out string? json)
        {
            json = null;
            object? plain = Unwrap(value);
            switch (plain)
            {
                case null:
                    return null;
                case string text:
                    json = string.IsNullOrWhiteSpace(text) ? null : text;
                    return null;
                default:
                    if (Plain(value) is Dictionary<string, object?> body)
                    {
                        return body;
                    }

                    // Neither an object nor a JSON cell (a number, a list): the validator says it is not a JSON object.
                    json = Convert.ToString(plain, CultureInfo.InvariantCulture);
                    return null;
            }
        }

        /// <summary>A PowerShell value as the core takes it: string, bool, numbers, IList, IDictionary, recursively.</summary>
        internal static object? Plain(object? value) => Plain(value, new Dictionary<object, object>(ReferenceComparer.Instance));

        /// <summary>
        /// <paramref name="done"/> maps each container already converted to its copy, so a value that contains itself
        /// ($h.self = $h) becomes a copy that contains itself, which the core refuses as nested too deep, instead of an
        /// endless conversion here.
        /// </summary>
        private static object? Plain(object? value, Dictionary<object, object> done)
        {
            if (value is PSObject wrapped && wrapped.BaseObject is PSCustomObject)
            {
                if (done.TryGetValue(wrapped, out object? seen))
                {
                    return seen;
                }

                var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                done[wrapped] = properties;
                foreach (PSPropertyInfo property in wrapped.Properties)
                {
                    properties[property.Name] = Plain(property.Value, done);
                }

                return properties;
            }

            object? plain = Unwrap(value);
            switch (plain)
            {
                case null:
                case string _:
                case bool _:
                case byte _:
                case sbyte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                case ulong _:
                case float _:
                case double _:
                case decimal _:
                    return plain;
                case SwitchParameter flag:
                    return flag.IsPresent;
                case DateTime time:
                    return time.ToString("o", CultureInfo.InvariantCulture);
                case DateTimeOffset time:
                    return time.ToString("o", CultureInfo.InvariantCulture);
                case IDictionary dictionary:
                    if (done.TryGetValue(dictionary, out object? seenDictionary))
                    {
                        return seenDictionary;
                    }

                    var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                    done[dictionary] = result;
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        result[Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty] = Plain(entry.Value, done);
                    }

                    return result;
                case IEnumerable list:
                    if (done.TryGetValue(list, out object? seenList))
                    {
                        return seenList;
                    }

                    var items = new List<object?>();
                    done[list] = items;
                    foreach (object? item in list)
                    {
                        items.Add(Plain(item, done));
                    }

                    return items;
                default:
                    return Convert.ToString(plain, CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The non-null values of a parameter bound as object[], unwrapped; a nested array is flattened one level.</summary>
        private static List<object> Items(object[]? values)
        {
            var items = new List<object>();
            foreach (object? value in values ?? Array.Empty<object>())
            {
                object? item = Keep(value);
                if (item is object[] nested)
                {
                    items.AddRange(nested.Select(Keep).Where(n => n != null && !IsBlank(n))!);
                }
                else if (item != null && !IsBlank(item))
                {
                    items.Add(item);
                }
            }

            return items;
        }

        private static bool IsBlank(object item) => item is string text && string.IsNullOrWhiteSpace(text);

        /// <summary>A key of a hashtable or a property of an object, by name (case-insensitive); null when absent.</summary>
        private static object? Member(object item, string name)
        {
            if (Unwrap(item) is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (string.Equals(Convert.ToString(entry.Key, CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase))
                    {
                        return Unwrap(entry.Value);
                    }
                }

                return null;
            }

            return Unwrap(PSObject.AsPSObject(item).Properties[name]?.Value);
        }

        /// <summary>The value of the first of <paramref name="names"/> the row has as a property; null when none.</summary>
        private static object? CellOf(PSObject? row, string[] names)
        {
            if (row == null || row.BaseObject is IDictionary || row.BaseObject is string)
            {
                return null;
            }

            foreach (string name in names)
            {
                PSPropertyInfo? property = row.Properties[name];
                if (property != null)
                {
                    return Unwrap(property.Value);
                }
            }

            return null;
        }

        /// <summary>An element's images: one string or a list of them, each possibly ';'-separated as in a cell.</summary>
        private static List<string>? ImagesOf(object? value)
        {
            if (value == null)
            {
                return null;
            }

            IEnumerable<object?> items = value is IEnumerable list && !(value is string) ? list.Cast<object?>() : new[] { value };
            return items
                .Select(TextOf)
                .Where(text => text != null)
                .SelectMany(text => text!.Split(';'))
                .Select(part => part.Trim())
                .Where(part => part.Length > 0)
                .ToList();
        }

        private static string? TextOf(object? value) => value == null ? null : Convert.ToString(Unwrap(value), CultureInfo.InvariantCulture);

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        /// <summary>Unwraps a value, but keeps a PSCustomObject in its PSObject (its properties live there).</summary>
        private static object? Keep(object? value) => value is PSObject { BaseObject: PSCustomObject } ? value : Unwrap(value);
    }

    /// <summary>Compares by reference (netstandard2.0 has no ReferenceEqualityComparer).</summary>
    internal sealed class ReferenceComparer : IEqualityComparer<object>
    {
        internal static readonly ReferenceComparer Instance = new ReferenceComparer();

        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

        public int GetHashCode(object obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
