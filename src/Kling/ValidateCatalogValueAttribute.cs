using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Kling.Commands
{
    /// <summary>
    /// ValidateSet's check with the catalog's values: the argument must be a value some model of the catalog takes, as
    /// the named <see cref="ModelValuesCompleter"/> reads them (<see cref="ModelValuesCompleter.Every"/>), ignoring case.
    /// Tab completion and binding read the one list; whether the chosen model takes the value is the command's to check.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateCatalogValueAttribute : ValidateArgumentsAttribute
    {
        private readonly Type completer;

        /// <param name="completer">A <see cref="ModelValuesCompleter"/> type: the parameter's completer, whose values bind.</param>
        public ValidateCatalogValueAttribute(Type completer)
        {
            if (!typeof(ModelValuesCompleter).IsAssignableFrom(completer))
            {
                throw new ArgumentException($"{completer.Name} is not a {nameof(ModelValuesCompleter)}.", nameof(completer));
            }

            this.completer = completer;
        }

        /// <summary>The values that bind, in catalog order.</summary>
        public IReadOnlyList<string> Values => ((ModelValuesCompleter)Activator.CreateInstance(completer)!).Every();

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            IReadOnlyList<string> values = Values;
            if (!(value is string text) || !values.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                throw new ValidationMetadataException($"'{value}' is not one of {string.Join(", ", values)} (the values the catalog's models take; see Get-KlingModel).");
            }
        }
    }
}
