using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Catalog;

namespace Kling.Commands
{
    /// <summary>Writes the models the module knows (the catalog), as objects: what each takes, and its rules in words.</summary>
    [Cmdlet(VerbsCommon.Get, "KlingModel")]
    [OutputType(typeof(KlingModel))]
    public sealed class GetKlingModelCommand : PSCmdlet
    {
        private readonly HashSet<string> written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Model names; wildcards allowed. All models when absent.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string[]? Name { get; set; }

        /// <summary>A price file (JSON: model → tier → USD per second) whose prices are shown instead of the built-in list; default $env:KLING_PRICE_FILE.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [PSDefaultValue(Help = PriceFileOption.DefaultHelp)]
        public string? PriceFile { get; set; }

        private PriceList prices = PriceList.BuiltIn;

        protected override void BeginProcessing()
        {
            prices = PriceFileOption.Resolve(this, PriceFile);
        }

        protected override void ProcessRecord()
        {
            if (Name == null)
            {
                Write(ModelCatalog.All);
                return;
            }

            foreach (string name in Name)
            {
                var pattern = WildcardPattern.Get(name.Trim(), WildcardOptions.IgnoreCase);
                ModelSpec[] found = ModelCatalog.All.Where(m => pattern.IsMatch(m.Name)).ToArray();
                if (found.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(NotFound(name));
                }

                Write(found);
            }
        }

        /// <summary>Each model once per call, even when two names match it.</summary>
        private void Write(IEnumerable<ModelSpec> models)
        {
            foreach (ModelSpec model in models.Where(m => written.Add(m.Name)))
            {
                WriteObject(model.Describe(prices));
            }
        }

        private static ErrorRecord NotFound(string name)
        {
            string known = string.Join(", ", ModelCatalog.All.Select(m => m.Name));
            var error = new ItemNotFoundException(
                $"The module does not know a model named '{name}'. It knows {known}. " +
                "New-KlingVideo still sends a model it does not know, as given, with the generic checks only.");
            return new ErrorRecord(error, "ModelNotFound", ErrorCategory.ObjectNotFound, name);
        }
    }
}
