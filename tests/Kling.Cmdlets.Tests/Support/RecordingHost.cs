using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace Kling.Cmdlets.Tests;

/// <summary>
/// A host that keeps what was written to it (-WhatIf's "What if:" lines, Write-Host), as a console would show it.
/// Nothing is read from it: a prompt fails the test instead of waiting for a user.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUserInterface ui = new();

    /// <summary>Everything written to the host so far.</summary>
    public string Text => ui.Text;

    public override string Name => "Kling.Cmdlets.Tests";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void SetShouldExit(int exitCode)
    {
    }

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    private sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder text = new();

        public string Text
        {
            get
            {
                lock (text)
                {
                    return text.ToString();
                }
            }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override void Write(string value) => Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

        public override void WriteLine(string value) => Append(value + "\n");

        public override void WriteErrorLine(string value) => Append(value + "\n");

        public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");

        public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");

        public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override string ReadLine() => throw new NotSupportedException("A test host reads nothing.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("A test host reads nothing.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("A test host prompts for nothing: " + message);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("A test host prompts for nothing: " + message);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("A test host prompts for nothing: " + message);

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
            throw new NotSupportedException("A test host prompts for nothing: " + message);

        private void Append(string value)
        {
            lock (text)
            {
                text.Append(value);
            }
        }
    }
}
