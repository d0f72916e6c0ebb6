using System;
using System.Management.Automation;
using Kling.Core.Catalog;

namespace Kling.Commands
{
    /// <summary>
    /// The price list a cmdlet works with: -PriceFile, else $env:KLING_PRICE_FILE, else the built-in list. A price file
    /// that cannot be used stops the command before anything else happens, naming the file and the entry.
    /// </summary>
    internal static class PriceFileOption
    {
        /// <summary>-PriceFile's default as help shows it ([PSDefaultValue]).</summary>
        internal const string DefaultHelp = "$env:" + PriceList.FileVariable + ", else the built-in price list";

        internal static PriceList Resolve(PSCmdlet cmdlet, string? priceFile)
        {
            string? given = !string.IsNullOrWhiteSpace(priceFile) ? priceFile
                : Environment.GetEnvironmentVariable(PriceList.FileVariable);
            if (string.IsNullOrWhiteSpace(given))
            {
                return PriceList.BuiltIn;
            }

            string path = cmdlet.GetUnresolvedProviderPathFromPSPath(given);
            try
            {
                return PriceList.Load(path);
            }
            catch (PriceFileException ex)
            {
                string from = string.IsNullOrWhiteSpace(priceFile) ? $" (from ${PriceList.FileVariable})" : string.Empty;
                var error = new ErrorRecord(ex, "PriceFileInvalid", ErrorCategory.InvalidData, path)
                {
                    ErrorDetails = new ErrorDetails(ex.Message + from + " Nothing was done."),
                };
                cmdlet.ThrowTerminatingError(error);
                throw; // not reached
            }
        }
    }
}
