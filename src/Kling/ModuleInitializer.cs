using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace Kling.Commands
{
    /// <summary>
    /// On Windows PowerShell 5.1 (.NET Framework) there are no binding redirects for a module, so
    /// System.Text.Json's dependencies (System.Memory, System.Runtime.CompilerServices.Unsafe, ...) would fail
    /// to load when a version number differs. This resolves such requests from the module's own folder, and only
    /// for assemblies that ship there. PowerShell 7 resolves them itself; nothing is hooked there.
    /// </summary>
    public sealed class KlingModuleInitializer : IModuleAssemblyInitializer
    {
        private static int registered;
        private static readonly string Folder = Path.GetDirectoryName(typeof(KlingModuleInitializer).Assembly.Location) ?? string.Empty;

        public void OnImport()
        {
            if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                return;
            }

            if (Interlocked.Exchange(ref registered, 1) == 0)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
            }
        }

        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            string? simpleName = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(simpleName))
            {
                return null;
            }

            string candidate = Path.Combine(Folder, simpleName + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
