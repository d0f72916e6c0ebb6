using System.Text.RegularExpressions;
using Kling.Core.Gateway;
using Xunit;

namespace Kling.Core.Tests.Architecture;

/// <summary>
/// The core's wings (its namespaces: <c>Kling.Core</c> itself and one per folder) use each other only along
/// <see cref="Arrows"/>, and those arrows have no cycle. Uses are read twice: from the compiled assembly (every type
/// each type names, in signatures and method bodies: <see cref="TypeReferenceReader"/>) and from the sources (usings
/// and qualified names, which also catch constants and <c>nameof</c>: <see cref="SourceReferenceReader"/>).
/// </summary>
public class WingDependencyTests
{
    private const string Root = "Kling.Core";

    /// <summary>
    /// The one declaration of the arrows: each wing and the wings it may use, lowest first. README's "Architecture"
    /// draws the same list (<see cref="The_README_draws_the_arrows_of_this_test"/>).
    /// </summary>
    internal static readonly IReadOnlyList<(string Wing, string[] Uses)> Arrows = new (string, string[])[]
    {
        ("Media", []),
        ("Wire", ["Media"]),
        ("Catalog", ["Wire", "Media"]),
        (Root, ["Catalog", "Wire", "Media"]),
        ("Requests", [Root, "Catalog", "Wire", "Media"]),
        ("Gateway", [Root, "Wire", "Media"]),
        ("Tasks", ["Gateway", Root]),
        ("Downloads", ["Tasks", "Gateway", Root]),
        ("History", [Root, "Wire"]),
        ("Batches", ["History", "Tasks", "Gateway", "Requests", Root, "Catalog", "Wire", "Media"]),
        ("Gallery", ["Batches", "Downloads", Root, "Wire"]),
    };

    private static readonly Dictionary<string, HashSet<string>> Allowed =
        Arrows.ToDictionary(a => a.Wing, a => a.Uses.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    [Fact]
    public void The_arrows_have_no_cycle()
    {
        var cycle = FindCycle(Allowed);
        Assert.True(cycle == null, $"The allowed arrows go round: {string.Join(" → ", cycle ?? new List<string>())}.");
        Assert.All(Arrows.SelectMany(a => a.Uses), used => Assert.Contains(used, Allowed.Keys));
    }

    [Fact]
    public void Every_namespace_of_the_core_is_a_wing_of_the_arrows()
    {
        var namespaces = CoreTypes().Keys.Select(WingOf).Distinct().OrderBy(w => w, StringComparer.Ordinal).ToList();
        var unknown = namespaces.Where(w => !Allowed.ContainsKey(w)).ToList();
        Assert.True(unknown.Count == 0, $"Wings without arrows (add them to WingDependencyTests.Arrows and README): {string.Join(", ", unknown)}.");
        var gone = Allowed.Keys.Where(w => !namespaces.Contains(w)).ToList();
        Assert.True(gone.Count == 0, $"Arrows for wings the core no longer has: {string.Join(", ", gone)}.");
    }

    [Fact]
    public void No_compiled_type_uses_a_wing_its_wing_may_not_use()
    {
        var offences = new List<string>();
        foreach (var (type, uses) in CoreTypes())
        {
            var from = WingOf(type);
            foreach (var used in uses.Where(IsCore).OrderBy(u => u, StringComparer.Ordinal))
            {
                if (!MayUse(from, WingOf(used)))
                {
                    offences.Add($"{from} → {WingOf(used)}: {type} uses {used}");
                }
            }
        }

        Assert.True(offences.Count == 0, Forbidden(offences));
    }

    [Fact]
    public void No_source_file_names_a_wing_its_wing_may_not_use()
    {
        var wings = Allowed.Keys.ToHashSet(StringComparer.Ordinal);
        var rootTypes = CoreTypes().Keys.Where(t => WingOf(t) == Root).Select(t => t.Substring(Root.Length + 1));
        var offences = new List<string>();
        foreach (var (file, ns, names) in SourceReferenceReader.Read(Path.Combine(RepositoryRoot(), "src", "Kling.Core"), Root, rootTypes))
        {
            var from = WingOf(ns + ".Type");
            foreach (var name in names.OrderBy(n => n, StringComparer.Ordinal))
            {
                var rest = name.Length > Root.Length ? name.Substring(Root.Length + 1) : string.Empty;
                var first = rest.Split('.')[0];
                var to = wings.Contains(first) ? first : Root;
                if (!MayUse(from, to))
                {
                    offences.Add($"{from} → {to}: src/Kling.Core/{file} names {name}");
                }
            }
        }

        Assert.True(offences.Count == 0, Forbidden(offences));
    }

    [Fact]
    public void The_README_draws_the_arrows_of_this_test()
    {
        var drawn = new List<(string Wing, string[] Uses)>();
        foreach (Match m in Regex.Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")), @"^- `([\w.]+)` → (.+)$", RegexOptions.Multiline))
        {
            var uses = Regex.Matches(m.Groups[2].Value, @"`([\w.]+)`").Select(u => u.Groups[1].Value).ToArray();
            drawn.Add((m.Groups[1].Value, uses));
        }

        Assert.Equal(Arrows.Select(Line), drawn.Select(Line));
    }

    /// <summary>The reader is what the tests above stand on: it must see what only a method body, a lambda or an attribute names.</summary>
    [Fact]
    public void The_reader_sees_types_named_only_in_bodies_lambdas_and_attributes()
    {
        var types = TypeReferenceReader.Read(typeof(WingDependencyTests).Assembly.Location);
        Assert.Contains("System.Text.StringBuilder", types[typeof(BodyOnlyFixture).FullName!]);
        Assert.Contains("System.UriBuilder", types[typeof(LambdaOnlyFixture).FullName!]);
        Assert.Contains("System.ComponentModel.StringConverter", types[typeof(AttributeOnlyFixture).FullName!]);
        Assert.Contains("Kling.Core.Gateway.RetryPolicy", types[typeof(BodyOnlyFixture).FullName!]);
    }

    private static string Line((string Wing, string[] Uses) arrow) => $"{arrow.Wing} → {string.Join(", ", arrow.Uses)}";

    private static string Forbidden(List<string> offences) =>
        $"{offences.Count} use(s) against the arrows in WingDependencyTests.Arrows (move the type to the wing it belongs to, or let the lower wing declare what it needs):"
        + Environment.NewLine + string.Join(Environment.NewLine, offences);

    private static bool MayUse(string from, string to) => from == to || (Allowed.TryGetValue(from, out var uses) && uses.Contains(to));

    private static bool IsCore(string typeName) => typeName.StartsWith(Root + ".", StringComparison.Ordinal);

    /// <summary><c>Kling.Core.Gateway.KlingClient</c> is in Gateway (so is anything under Kling.Core.Gateway); <c>Kling.Core.KlingTask</c> in Kling.Core.</summary>
    private static string WingOf(string typeName)
    {
        var rest = typeName.Substring(Root.Length + 1);
        var dot = rest.IndexOf('.');
        return dot < 0 ? Root : rest.Substring(0, dot);
    }

    /// <summary>The core's own types (not the compiler's helpers, which live outside its namespaces) and what each names.</summary>
    private static Dictionary<string, IReadOnlySet<string>> CoreTypes() =>
        TypeReferenceReader.Read(typeof(KlingClient).Assembly.Location)
            .Where(t => IsCore(t.Key))
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Kling.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new DirectoryNotFoundException("No Kling.sln above " + AppContext.BaseDirectory);
        }

        return dir;
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string wing)
        {
            var at = path.IndexOf(wing);
            if (at >= 0)
            {
                return path.Skip(at).Append(wing).ToList();
            }

            if (!done.Add(wing))
            {
                return null;
            }

            path.Add(wing);
            foreach (var next in graph.TryGetValue(wing, out var uses) ? uses : new HashSet<string>())
            {
                var cycle = Visit(next);
                if (cycle != null)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Select(Visit).FirstOrDefault(c => c != null);
    }
}
