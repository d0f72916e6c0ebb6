using System;
using System.Management.Automation;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// ValidateSet's check with the gateway's languages (<see cref="GatewaySettings.Languages"/>, in any case), read by
    /// <see cref="GatewaySettings.ParseLanguage"/>, as $env:KLING_LANGUAGE is: an unknown code is a parameter error naming
    /// the ten. <see cref="LanguageCompleter"/> offers the same list.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateLanguageAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            try
            {
                GatewaySettings.ParseLanguage(value?.ToString() ?? string.Empty, "-Language");
            }
            catch (ArgumentException ex)
            {
                throw new ValidationMetadataException(ex.Message);
            }
        }
    }
}
