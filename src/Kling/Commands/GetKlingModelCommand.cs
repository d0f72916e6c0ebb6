using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Catalog;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// Writes the models the module knows (the catalog), as objects: what each takes, and its rules in words; with -Online,
    /// the Kling models the gateway offers the key in use (GET /v1/models), each with whether the catalog knows it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KlingModel", HelpUri = HelpLinks.GetKlingModel)]
    [OutputType(typeof(KlingModel))]
    [OutputType(typeof(KlingOnlineModel))]
    public sealed class GetKlingModelCommand : KlingCmdlet
    {
        private readonly HashSet<string> written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<WildcardPattern> asked = new List<WildcardPattern>();
        private IReadOnlyList<KlingOnlineModel>? offered;
        private bool listFailed;

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

        /// <summary>The Kling models the gateway offers the key in use (GET /v1/models), instead of the catalog; needs a key.</summary>
        [Parameter]
        public SwitchParameter Online { get; set; }

        private PriceList prices = PriceList.BuiltIn;

        protected override void BeginProcessing()
        {
            if (Online && PriceFile != null)
            {
                var both = new ArgumentException("-PriceFile shows the catalog's prices and -Online the gateway's models: give one of them.");
                ThrowTerminatingError(new ErrorRecord(both, "OnlineWithPriceFile", ErrorCategory.InvalidArgument, PriceFile));
            }

            // The price file ($env:KLING_PRICE_FILE too) is the catalog's: -Online neither reads nor needs it.
            prices = Online ? PriceList.BuiltIn : PriceFileOption.Resolve(this, PriceFile);
        }

        protected override void ProcessRecord()
        {
            if (Online)
            {
                WriteOffered();
                return;
            }

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

        protected override void EndProcessing()
        {
            if (Online && offered != null)
            {
                // The catalog's models (of those asked for) that the gateway does not list for this key are not written.
                string[] unlisted = ModelCatalog.All
                    .Where(m => asked.Any(p => p.IsMatch(m.Name)) && !offered.Any(o => string.Equals(o.Name, m.Name, StringComparison.OrdinalIgnoreCase)))
                    .Select(m => m.Name)
                    .ToArray();
                if (unlisted.Length > 0)
                {
                    WriteVerbose($"The module's catalog has models the gateway does not list for this key (not written): {string.Join(", ", unlisted)}.");
                }
            }
        }

        /// <summary>-Online: the gateway's Kling models that -Name asks for (all without it), each once, unknown ones with a warning.</summary>
        private void WriteOffered()
        {
            IReadOnlyList<KlingOnlineModel>? models = Offered();
            if (models == null)
            {
                return;
            }

            foreach (string name in Name ?? new[] { "*" })
            {
                var pattern = WildcardPattern.Get(name.Trim(), WildcardOptions.IgnoreCase);
                asked.Add(pattern);
                KlingOnlineModel[] found = models.Where(m => pattern.IsMatch(m.Name)).ToArray();
                if (found.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteError(NotOffered(name, models));
                }

                foreach (KlingOnlineModel model in found.Where(m => written.Add(m.Name)))
                {
                    if (!model.Known)
                    {
                        WriteWarning(
                            $"The gateway offers {model.Name}, which the module's catalog does not know. Use it today with " +
                            $"New-KlingVideo -Model {model.Name} -AdditionalBody '{{...}}' for the fields the module has no parameter for: " +
                            "it is sent as given, with the generic checks only" +
                            (model.HasSchema ? $"; the gateway's JSON Schema of its body is in the Schema property (Get-KlingModel -Online {model.Name} | Select-Object -ExpandProperty Schema)." : "."));
                    }

                    WriteObject(model);
                }
            }
        }

        /// <summary>The gateway's list, read once per call (Known from the catalog); null when it could not be read (the error is written).</summary>
        private IReadOnlyList<KlingOnlineModel>? Offered()
        {
            if (offered != null || listFailed)
            {
                return offered;
            }

            try
            {
                offered = Run(Client.GetModelsAsync(Cancellation));
            }
            catch (GatewayException ex)
            {
                listFailed = true; // one error per call: the names that follow are not looked for in a list there is not
                WriteGatewayError(ex, "models");
                return null;
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            foreach (KlingOnlineModel model in offered)
            {
                model.Known = ModelCatalog.Find(model.Name) != null;
            }

            return offered;
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

        private static ErrorRecord NotOffered(string name, IReadOnlyList<KlingOnlineModel> offered)
        {
            string models = offered.Count == 0 ? "no Kling model" : string.Join(", ", offered.Select(m => m.Name));
            var error = new ItemNotFoundException($"The gateway does not offer a Kling model named '{name}' to this key. It offers {models}.");
            return new ErrorRecord(error, "ModelNotOffered", ErrorCategory.ObjectNotFound, name);
        }
    }
}
