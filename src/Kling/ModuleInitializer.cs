using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kling.Commands
{
    /// <summary>
    /// Keeps the third-party assemblies Kling needs (System.Text.Json and what it brings) in the module's own
    /// <c>dependencies</c> folder, away from other modules' copies. Beside the manifest sit only Kling.dll and
    /// Kling.Core.dll, whose names are Kling's alone.
    /// <list type="bullet">
    /// <item>PowerShell 7: the runtime's own System.Text.Json serves when it is as new as Kling needs (it is, on
    /// 7.4 and later); anything it cannot serve comes from <c>dependencies</c> through Kling's AssemblyLoadContext
    /// (<see cref="KlingLoadContext"/>).</item>
    /// <item>Windows PowerShell 5.1: an AppDomain AssemblyResolve handler answers only for files that ship in
    /// <c>dependencies</c>, and only with a version at least as new as the one asked for; the strong-named copies
    /// load side by side with any other module's version.</item>
    /// </list>
    /// </summary>
    public sealed class KlingModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static bool loadContextRegistered;

        // Runspaces that have the module imported: the 5.1 handler stays while any of them needs it.
        private static int imports;

        /// <summary>The folder that holds the third-party assemblies.</summary>
        internal static readonly string DependencyFolder = Path.Combine(
            Path.GetDirectoryName(typeof(KlingModuleInitializer).Assembly.Location) ?? string.Empty, "dependencies");

        public void OnImport()
        {
            lock (Gate)
            {
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
                {
                    if (imports++ == 0)
                    {
                        AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencyFolder;
                    }
                }
                else if (!loadContextRegistered)
                {
                    // The load context serves the whole process and is harmless when idle: registered once, never removed.
                    loadContextRegistered = true;
                    RegisterLoadContext();
                }
            }
        }

        /// <summary>
        /// Remove-Module Kling: this runspace's connection is forgotten (Import-Module starts afresh, as a new session
        /// would), and the last runspace to remove the module takes the 5.1 AssemblyResolve handler with it.
        /// </summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            KlingSession.Disconnect();
            lock (Gate)
            {
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) && imports > 0 && --imports == 0)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencyFolder;
                }
            }
        }

        // Kept out of OnImport so that .NET Framework never compiles a method that names AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterLoadContext() => KlingLoadContext.Register();

        private static Assembly? ResolveFromDependencyFolder(object? sender, ResolveEventArgs args)
        {
            // .NET Framework binds strong names exactly; a newer shipped copy is what a binding redirect would pick.
            string? path = ShippedCopyOf(new AssemblyName(args.Name));
            return path == null ? null : Assembly.LoadFrom(path);
        }

        /// <summary>The path of the copy in <c>dependencies</c> of the assembly asked for, when there is one at least as new.</summary>
        internal static string? ShippedCopyOf(AssemblyName wanted)
        {
            if (string.IsNullOrEmpty(wanted.Name))
            {
                return null;
            }

            string candidate = Path.Combine(DependencyFolder, wanted.Name + ".dll");
            if (!File.Exists(candidate))
            {
                return null;
            }

            Version? shipped = AssemblyName.GetAssemblyName(candidate).Version;
            return wanted.Version == null || (shipped != null && shipped >= wanted.Version) ? candidate : null;
        }
    }
}
