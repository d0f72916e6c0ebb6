using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Kling.Commands
{
    /// <summary>
    /// Kling's private AssemblyLoadContext on PowerShell 7, for the third-party assemblies in the module's
    /// <c>dependencies</c> folder. Kling.dll and Kling.Core.dll stay in the default context (so their types work as
    /// type literals in scripts); when the default context cannot satisfy one of their references (the runtime lacks
    /// the assembly, or has an older version than Kling needs), the copy from <c>dependencies</c> is loaded here,
    /// where no other module's copy can take its place and it takes no other module's place.
    /// </summary>
    internal sealed class KlingLoadContext : AssemblyLoadContext
    {
        private KlingLoadContext()
        {
        }

        /// <summary>Hooks the context into the default one's resolving; called once, from the module's import.</summary>
        internal static void Register()
        {
            var context = new KlingLoadContext();
            Default.Resolving += (_, name) => context.LoadShipped(name);
        }

        /// <summary>Loads the folder's copy of an assembly into this context when it exists and is new enough.</summary>
        private Assembly? LoadShipped(AssemblyName name)
        {
            string? path = KlingModuleInitializer.ShippedCopyOf(name);
            return path == null ? null : LoadFromAssemblyPath(path);
        }

        /// <summary>
        /// References made by assemblies loaded here: the runtime's own copy wins when it is at least as new (the
        /// folder holds netstandard2.0 builds meant for Windows PowerShell, and a portable System.Memory beside the
        /// runtime's spans would only be slower or break); otherwise the folder's copy.
        /// </summary>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string? simpleName = assemblyName.Name;
            if (string.IsNullOrEmpty(simpleName))
            {
                return null;
            }

            Version? runtime = RuntimeVersionOf(simpleName!);
            if (runtime != null && (assemblyName.Version == null || runtime >= assemblyName.Version))
            {
                return null;
            }

            return LoadShipped(assemblyName);
        }

        /// <summary>The version of the runtime's own assembly of that name (from the trusted platform list), if any.</summary>
        private static Version? RuntimeVersionOf(string simpleName)
        {
            if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string list)
            {
                return null;
            }

            string fileName = simpleName + ".dll";
            foreach (string path in list.Split(Path.PathSeparator))
            {
                if (!string.Equals(Path.GetFileName(path), fileName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                try
                {
                    return AssemblyName.GetAssemblyName(path).Version;
                }
                catch (Exception e) when (e is BadImageFormatException || e is IOException || e is UnauthorizedAccessException)
                {
                    return null;
                }
            }

            return null;
        }
    }
}
