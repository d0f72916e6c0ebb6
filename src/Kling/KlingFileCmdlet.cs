using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;

namespace Kling.Commands
{
    /// <summary>A Kling cmdlet that works on local files, named by -Path (wildcards) or -LiteralPath (as written, or FileInfo by FullName).</summary>
    public abstract class KlingFileCmdlet : KlingCmdlet
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>Files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = null!;

        /// <summary>Files, taken exactly as written (no wildcards).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = null!;

        /// <summary>This record's files as full file-system paths.</summary>
        protected IEnumerable<string> InputFiles() =>
            ParameterSetName == LiteralPathSet ? ResolveFilePaths(LiteralPath, literal: true) : ResolveFilePaths(Path, literal: false);

        /// <summary>
        /// Full file-system paths, resolved against the PowerShell location: wildcards expanded unless <paramref name="literal"/>
        /// (a pattern matching nothing is a non-terminating ObjectNotFound error), literal paths as written.
        /// </summary>
        private IEnumerable<string> ResolveFilePaths(string[] paths, bool literal)
        {
            if (literal)
            {
                foreach (string literalPath in paths)
                {
                    yield return GetUnresolvedProviderPathFromPSPath(literalPath);
                }

                yield break;
            }

            foreach (string pattern in paths)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    yield return GetUnresolvedProviderPathFromPSPath(pattern);
                    continue;
                }

                Collection<string>? found = null;
                try
                {
                    found = GetResolvedProviderPathFromPSPath(pattern, out ProviderInfo provider);
                }
                catch (ItemNotFoundException ex)
                {
                    WriteError(new ErrorRecord(ex, "FileNotFound", ErrorCategory.ObjectNotFound, pattern));
                }

                if (found == null)
                {
                    continue;
                }

                if (found.Count == 0)
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No file matches '{pattern}'."), "FileNotFound", ErrorCategory.ObjectNotFound, pattern));
                }

                foreach (string path in found)
                {
                    yield return path;
                }
            }
        }
    }
}
