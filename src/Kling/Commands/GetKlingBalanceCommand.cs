using System.Management.Automation;
using System;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// Writes the balance of the key in use (GET /v1/balance) or, with -Account, of the whole account (GET /v1/user/balance):
    /// check it before a big batch. Nothing is billed.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "KlingBalance", HelpUri = HelpLinks.GetKlingBalance)]
    [OutputType(typeof(KlingBalance))]
    public sealed class GetKlingBalanceCommand : KlingCmdlet
    {
        /// <summary>The whole account's balance instead of the key's.</summary>
        [Parameter]
        public SwitchParameter Account { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                WriteObject(Run(Client.GetBalanceAsync(Account, Cancellation)));
            }
            catch (GatewayException ex) when (ex.Unsuccessful)
            {
                // HTTP 200 with "success": false: the gateway's own word that the lookup failed.
                WriteError(new ErrorRecord(ex, "BalanceUnavailable", ErrorCategory.InvalidResult, Account ? "Account" : "Key"));
            }
            catch (GatewayException ex)
            {
                WriteGatewayError(ex, Account ? "Account" : "Key");
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
