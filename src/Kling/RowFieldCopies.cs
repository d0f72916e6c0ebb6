using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// The row reader's mapping, derived from the declaration (<see cref="RowFields"/>): each declared text or list field
    /// is copied from the cmdlet's property of the field's name to the <see cref="VideoInput"/> property it declares, by
    /// delegates built once (a row costs a call per field, no reflection). A field of another kind must be one
    /// <see cref="VideoRowReader"/> reads itself. A declaration the two classes do not match fails the first row, naming
    /// the field, instead of dropping it in silence.
    /// </summary>
    internal static class RowFieldCopies
    {
        /// <summary>The fields <see cref="VideoRowReader"/> reads itself (a switch's cell, shots, elements, the body, a label).</summary>
        internal static readonly IReadOnlyCollection<string> ReadByHand = new[]
        {
            nameof(VideoRowCmdlet.MultiShot), nameof(VideoRowCmdlet.Shot), nameof(VideoRowCmdlet.Element),
            nameof(VideoRowCmdlet.AdditionalBody), nameof(VideoRowCmdlet.Name),
        };

        // Lazy, not a static initializer: a mismatch surfaces as its own message, not as a TypeInitializationException.
        private static readonly Lazy<IReadOnlyList<Action<VideoRowCmdlet, VideoInput>>> Copies = new Lazy<IReadOnlyList<Action<VideoRowCmdlet, VideoInput>>>(
            () => RowFields.All.Where(f => !ReadByHand.Contains(f.Parameter)).Select(Of).ToList());

        /// <summary>Copies every declared text and list field of the row into <paramref name="input"/>.</summary>
        internal static void CopyAll(VideoRowCmdlet row, VideoInput input)
        {
            foreach (Action<VideoRowCmdlet, VideoInput> copy in Copies.Value)
            {
                copy(row, input);
            }
        }

        private static Action<VideoRowCmdlet, VideoInput> Of(RowField field)
        {
            switch (field.Kind)
            {
                case RowFieldKind.Text:
                    return Copy<string?, string?>(field, typeof(string), typeof(string), value => value);
                case RowFieldKind.List:
                    return Copy<string[]?, IList<string>?>(field, typeof(string[]), typeof(IList<string>), value => value);
                default:
                    throw new InvalidOperationException($"RowFields declares {field} ({field.Kind}), which VideoRowReader does not read.");
            }
        }

        private static Action<VideoRowCmdlet, VideoInput> Copy<TFrom, TTo>(RowField field, Type fromType, Type toType, Func<TFrom, TTo> convert)
        {
            MethodInfo get = Accessor(typeof(VideoRowCmdlet), field.Parameter, fromType, field).GetGetMethod()!;
            MethodInfo set = Accessor(typeof(VideoInput), field.Input ?? string.Empty, toType, field).GetSetMethod()!;
            var getter = (Func<VideoRowCmdlet, TFrom>)Delegate.CreateDelegate(typeof(Func<VideoRowCmdlet, TFrom>), get);
            var setter = (Action<VideoInput, TTo>)Delegate.CreateDelegate(typeof(Action<VideoInput, TTo>), set);
            return (row, input) => setter(input, convert(getter(row)));
        }

        private static PropertyInfo Accessor(Type owner, string name, Type type, RowField field)
        {
            PropertyInfo? property = owner.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property == null || property.PropertyType != type)
            {
                throw new InvalidOperationException($"RowFields declares {field} ({field.Kind}), but {owner.Name} has no {type.Name} property '{name}'.");
            }

            return property;
        }
    }
}
