using System;
using System.Globalization;
using System.Management.Automation;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>
    /// Lets a switch bind from a CSV cell. PowerShell refuses a string for a switch (a binding error that skips the
    /// row), so a cell becomes a boolean here, read by the core's one yes/no reader (<see cref="YesNo"/>, the one
    /// -Audio's cell is read by too): yes/true/1 on, no/false/0/empty off, anything else on. The cmdlet reads the cell
    /// itself from the row (<see cref="VideoRowReader"/>), so an unreadable cell still reaches the validator and becomes
    /// that row's error, naming the field.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SwitchCellAttribute : ArgumentTransformationAttribute
    {
        /// <summary>A cell, boolean or number as the switch holds it; any other value as given, for PowerShell to refuse.</summary>
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return new SwitchParameter(false);
                case SwitchParameter _:
                case bool _:
                    return value;
                case string text:
                    return new SwitchParameter(ReadCell(text) ?? true);
                case IConvertible number when IsNumber(number):
                    return new SwitchParameter(number.ToDouble(CultureInfo.InvariantCulture) != 0);
                default:
                    return value;
            }
        }

        /// <summary>A cell as the switch holds it: blank is off, a yes/no cell (<see cref="YesNo"/>) as read; null for anything else.</summary>
        internal static bool? ReadCell(string text) => string.IsNullOrWhiteSpace(text) ? false : YesNo.Read(text);

        private static bool IsNumber(IConvertible value)
        {
            TypeCode code = value.GetTypeCode();
            return code >= TypeCode.SByte && code <= TypeCode.Decimal;
        }
    }
}
