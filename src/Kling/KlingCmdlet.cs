using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Tasks;
using Kling.Core;
using Kling.Core.Batches;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// What every Kling cmdlet shares: the client, Ctrl+C cancelling all HTTP at once, and trace lines from
    /// worker threads written only on the pipeline thread.
    /// </summary>
    public abstract class KlingCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource cancellation = new CancellationTokenSource();
        private static long lastProgressSource = 0x4B4C_0000_0000; // apart from the ids PowerShell numbers from 1
        private readonly ConcurrentQueue<string> trace = new ConcurrentQueue<string>();
        private readonly long progressSource = Interlocked.Increment(ref lastProgressSource);
        private KlingClient? client;
        private bool? progressShown;

        protected CancellationToken Cancellation => cancellation.Token;

        /// <summary>
        /// The client, created on first use from this runspace's settings (captured here, on the pipeline thread); a
        /// missing or unusable key or a bad base URL stops the command before any request.
        /// </summary>
        protected KlingClient Client
        {
            get
            {
                if (client == null)
                {
                    GatewaySettings settings = KlingSession.CurrentFor(this);
                    if (!settings.HasKey)
                    {
                        var missing = new InvalidOperationException(
                            $"No Kling API key is set, so nothing was sent. Set the environment variable {GatewaySettings.ApiKeyVariable} " +
                            "(for example in the scheduled task's environment), or run: Connect-Kling -ApiKey (Read-Host -AsSecureString 'Kling API key')");
                        ThrowTerminatingError(new ErrorRecord(missing, "MissingApiKey", ErrorCategory.AuthenticationError, null));
                    }

                    if (settings.KeyProblem != null)
                    {
                        // Every request would fail the same way before reaching the gateway: one error, nothing journaled.
                        var invalid = new ArgumentException(
                            $"The API key from {settings.KeySource} contains {settings.KeyProblem}, which cannot go into an HTTP header, so nothing was sent. " +
                            "Set it again without that character (copy it afresh from the gateway's console).");
                        ThrowTerminatingError(new ErrorRecord(invalid, "InvalidApiKey", ErrorCategory.InvalidArgument, null));
                    }

                    if (settings.KeyTrimmed)
                    {
                        WriteVerbose($"The API key from {settings.KeySource} had whitespace around it (a line break from Get-Content -Raw, say); it was removed.");
                    }

                    client = new KlingClient(settings, trace.Enqueue);
                }

                return client;
            }
        }

        protected override void StopProcessing()
        {
            cancellation.Cancel();
        }

        /// <summary>Waits for async work at the cmdlet edge, then writes what the client traced meanwhile.</summary>
        protected T Run<T>(Task<T> work)
        {
            try
            {
                return work.GetAwaiter().GetResult();
            }
            finally
            {
                FlushTrace();
            }
        }

        protected void Run(Task work)
        {
            try
            {
                work.GetAwaiter().GetResult();
            }
            finally
            {
                FlushTrace();
            }
        }

        protected void FlushTrace()
        {
            while (trace.TryDequeue(out string? line))
            {
                WriteVerbose(line);
            }
        }

        /// <summary>
        /// The pipeline thread's drain of a background engine (see <see cref="PipelineDrain{T}"/>): <paramref name="write"/>
        /// and <paramref name="progress"/> run on this thread, the only one that may write; Ctrl+C ends its waits at once
        /// (<see cref="PipelineStoppedException"/>), and the client's trace lines are written after each.
        /// </summary>
        protected PipelineDrain<T> DrainOf<T>(IOutcomeSource<T> source, Action<T> write, Action? progress = null)
            where T : class =>
            new PipelineDrain<T>(source, write, Cancellation, () => new PipelineStoppedException()) { AfterWait = FlushTrace, Progress = progress };

        /// <summary>
        /// Shows progress as <see cref="Cmdlet.WriteProgress(ProgressRecord)"/> does, under this command's own source id, and
        /// also while another command of the pipeline holds the thread: the drains of a pipeline show each other's bars while
        /// they wait (see <see cref="PipelineDrain{T}"/>), so Wait-KlingTask's bar moves while Save-KlingVideo waits for room.
        /// PowerShell lets only the running command write, so the others write straight to the host (the progress stream
        /// of a hosted PowerShell, the console's bars), unless -ProgressAction or $ProgressPreference hides progress.
        /// </summary>
        public new void WriteProgress(ProgressRecord progressRecord)
        {
            if (!PipelineDrain.ShowingForAnother)
            {
                CommandRuntime.WriteProgress(progressSource, progressRecord);
            }
            else if (ProgressShown())
            {
                Host.UI.WriteProgress(progressSource, progressRecord);
            }
        }

        /// <summary>Whether this command's progress is shown (-ProgressAction, else $ProgressPreference), read once.</summary>
        private bool ProgressShown()
        {
            if (progressShown == null)
            {
                object? preference = MyInvocation.BoundParameters.TryGetValue("ProgressAction", out object? action) ? action : GetVariableValue("ProgressPreference");
                progressShown = !LanguagePrimitives.TryConvertTo(preference, out ActionPreference value) ||
                                (value != ActionPreference.SilentlyContinue && value != ActionPreference.Ignore);
            }

            return progressShown.Value;
        }

        /// <summary>Sleeps on the pipeline thread, waking at once on Ctrl+C.</summary>
        internal void Sleep(TimeSpan wait)
        {
            if (wait > TimeSpan.Zero)
            {
                Cancellation.WaitHandle.WaitOne(wait);
            }

            if (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>Writes a gateway failure; 401 and 402 stop the whole command, because every later call would fail the same way.</summary>
        internal void WriteGatewayError(GatewayException error, object? target)
        {
            ErrorRecord record = KlingErrors.FromGateway(error, target);
            if (error.StopsBatch)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }
    }
}
