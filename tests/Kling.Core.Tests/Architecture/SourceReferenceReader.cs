using System.Text.RegularExpressions;

namespace Kling.Core.Tests.Architecture;

/// <summary>
/// The namespaces each source file of a project names outside comments: its <c>using</c> directives and every qualified
/// name (<c>Kling.Core.Gateway.GatewayException</c>). It sees what the compiled code may not (a constant, a <c>nameof</c>),
/// and counts a using even where nothing uses it: a stale using is an arrow to remove.
/// </summary>
internal static class SourceReferenceReader
{
    /// <summary>Comments, strings and characters: what is not code.</summary>
    private static readonly Regex NotCode = new(
        @"//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)+'",
        RegexOptions.Singleline | RegexOptions.Compiled);

    private static readonly Regex Namespace = new(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline | RegexOptions.Compiled);

    /// <summary>
    /// For each file (path relative to <paramref name="folder"/>): its namespace, and the names it uses that begin with
    /// <paramref name="root"/> (<c>Kling.Core.Gateway</c>, <c>Kling.Core.Gateway.GatewayException.Options</c>) or are one of
    /// <paramref name="inScope"/> (the root namespace's types, which every namespace under it sees without a using),
    /// the latter returned as <paramref name="root"/>.Name.
    /// </summary>
    public static IEnumerable<(string File, string Namespace, IReadOnlySet<string> Names)> Read(string folder, string root, IEnumerable<string> inScope)
    {
        var named = new Regex(@"(?<![\w.])" + Regex.Escape(root) + @"(\.\w+)*", RegexOptions.Compiled);
        var bare = inScope.ToHashSet(StringComparer.Ordinal);
        var word = new Regex(@"(?<![\w.])[A-Za-z_]\w*", RegexOptions.Compiled);
        foreach (var path in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var code = NotCode.Replace(File.ReadAllText(path), "\"\"");
            var ns = Namespace.Match(code);
            if (!ns.Success)
            {
                continue;
            }

            code = code.Remove(ns.Index, ns.Length);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in named.Matches(code))
            {
                names.Add(m.Value);
            }

            foreach (Match m in word.Matches(code))
            {
                if (bare.Contains(m.Value))
                {
                    names.Add(root + "." + m.Value);
                }
            }

            yield return (relative, ns.Groups[1].Value, names);
        }
    }
}
