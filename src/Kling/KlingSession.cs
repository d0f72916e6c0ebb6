using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security;
using Kling.Core;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>
    /// What Connect-Kling stored, per runspace ("this PowerShell session"); environment variables fill in what it did
    /// not. Cmdlets run on their runspace's thread, so <see cref="Runspace.DefaultRunspace"/> names the caller: a
    /// thread job, a ForEach-Object -Parallel block or a hosted runspace never sees another runspace's key.
    /// Read only on the pipeline thread; the client built from it carries its own copy to the worker threads.
    /// </summary>
    internal static class KlingSession
    {
        // Weak keys: a closed and collected runspace takes its connection with it.
        private static readonly ConditionalWeakTable<object, Slot> Slots = new ConditionalWeakTable<object, Slot>();

        // Stands for "no runspace" (a host calling a cmdlet outside any runspace), so such callers still work.
        private static readonly object NoRunspace = new object();

        internal static void Connect(SecureString apiKey, Uri? baseUri, TimeSpan? requestTimeout, string keySource, Uri? proxy = null, NetworkCredential? proxyCredential = null, string? language = null)
        {
            SecureString copy = apiKey.Copy();
            copy.MakeReadOnly();
            Slot slot = Slots.GetValue(CurrentRunspace(), _ => new Slot());
            lock (slot)
            {
                slot.Connection?.Key.Dispose();
                slot.Connection = new Connection(copy, baseUri, requestTimeout, keySource, proxy, proxyCredential) { Language = language };
            }
        }

        /// <summary>Forgets this runspace's connection (Disconnect-Kling, and Remove-Module Kling).</summary>
        internal static void Disconnect()
        {
            if (Slots.TryGetValue(CurrentRunspace(), out Slot? slot))
            {
                lock (slot)
                {
                    slot.Connection?.Key.Dispose();
                    slot.Connection = null;
                }
            }
        }

        /// <summary>Where the base URL in force comes from: Connect-Kling, the environment, or the default.</summary>
        internal static string BaseUrlSource()
        {
            if (Snapshot(withKey: false, out _)?.BaseUri != null)
            {
                return "Connect-Kling";
            }

            return string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(GatewaySettings.BaseUrlVariable)) ? "default" : "$env:" + GatewaySettings.BaseUrlVariable;
        }

        /// <summary>Where the language in force comes from: Connect-Kling, the environment, or the default.</summary>
        internal static string LanguageSource()
        {
            if (Snapshot(withKey: false, out _)?.Language != null)
            {
                return "Connect-Kling";
            }

            return string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(GatewaySettings.LanguageVariable)) ? "default" : "$env:" + GatewaySettings.LanguageVariable;
        }

        /// <summary>
        /// The settings in force now, for this runspace. Throws ArgumentException for a bad KLING_BASE_URL. A key from the
        /// environment loses the whitespace around it (<see cref="GatewaySettings.KeyTrimmed"/>); a key that still cannot
        /// go into a header is returned as is, with <see cref="GatewaySettings.KeyProblem"/> saying why.
        /// </summary>
        internal static GatewaySettings Current()
        {
            Connection? connection = Snapshot(withKey: true, out SecureString? key);
            string source = connection?.Source ?? "none";
            bool trimmed = false;
            if (key == null)
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(GatewaySettings.ApiKeyVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    string inner = fromEnvironment!.Trim();
                    trimmed = inner.Length != fromEnvironment.Length;
                    key = GatewaySettings.ToSecureString(inner);
                    source = "$env:" + GatewaySettings.ApiKeyVariable;
                }
            }

            Uri? baseUri = connection?.BaseUri;
            if (baseUri == null)
            {
                string? url = Environment.GetEnvironmentVariable(GatewaySettings.BaseUrlVariable);
                baseUri = GatewaySettings.ParseBaseUri(string.IsNullOrWhiteSpace(url) ? GatewaySettings.DefaultBaseUrl : url!);
            }

            string? language = connection?.Language;
            if (language == null)
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(GatewaySettings.LanguageVariable);
                language = string.IsNullOrWhiteSpace(fromEnvironment) ? null : GatewaySettings.ParseLanguage(fromEnvironment!, "$env:" + GatewaySettings.LanguageVariable);
            }

            var settings = new GatewaySettings(baseUri, key, source)
            {
                Proxy = connection?.Proxy,
                ProxyCredential = connection?.ProxyCredential,
                KeyTrimmed = trimmed,
                Language = language,
            };
            if (connection?.Timeout != null)
            {
                settings.RequestTimeout = connection.Timeout.Value;
            }

            return settings;
        }

        /// <summary>This runspace's settings; a bad base URL is a terminating InvalidBaseUrl error naming the URL without its user info, a bad $env:KLING_LANGUAGE an InvalidLanguage error.</summary>
        internal static GatewaySettings CurrentFor(PSCmdlet cmdlet)
        {
            try
            {
                return Current();
            }
            catch (ArgumentException ex) when (ex.ParamName == "$env:" + GatewaySettings.LanguageVariable)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InvalidLanguage", ErrorCategory.InvalidArgument, Environment.GetEnvironmentVariable(GatewaySettings.LanguageVariable)));
                throw;
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(KlingErrors.InvalidBaseUrl(ex, Environment.GetEnvironmentVariable(GatewaySettings.BaseUrlVariable)));
                throw;
            }
        }

        /// <summary>This runspace's connection, and a copy of its key that stays valid after a later Disconnect-Kling.</summary>
        private static Connection? Snapshot(bool withKey, out SecureString? key)
        {
            key = null;
            if (!Slots.TryGetValue(CurrentRunspace(), out Slot? slot))
            {
                return null;
            }

            lock (slot)
            {
                Connection? connection = slot.Connection;
                if (connection != null && withKey)
                {
                    key = connection.Key.Copy();
                    key.MakeReadOnly();
                }

                return connection;
            }
        }

        private static object CurrentRunspace() => (object?)Runspace.DefaultRunspace ?? NoRunspace;

        private sealed class Slot
        {
            internal Connection? Connection;
        }

        private sealed class Connection
        {
            internal Connection(SecureString key, Uri? baseUri, TimeSpan? timeout, string source, Uri? proxy, NetworkCredential? proxyCredential)
            {
                Key = key;
                BaseUri = baseUri;
                Timeout = timeout;
                Source = source;
                Proxy = proxy;
                ProxyCredential = proxyCredential;
            }

            internal SecureString Key { get; }

            internal Uri? BaseUri { get; }

            internal TimeSpan? Timeout { get; }

            internal string Source { get; }

            internal Uri? Proxy { get; }

            internal NetworkCredential? ProxyCredential { get; }

            internal string? Language { get; set; }
        }
    }
}
