using System.Text.Json.Nodes;

namespace Cilium.Sdk.Generators.Tests.Infrastructure;

/// <summary>
/// The real CRDs and examples of 14 other projects in <c>../shared/corpus/world-crds</c>, read in place through its
/// <c>index.json</c> (never copied into the repository). Gateway API ships two channels that declare the same kinds; a
/// consumer opts in one of them, so <see cref="ConsumerCrdFiles"/> takes the experimental channel (a superset of the
/// standard one) and <see cref="AllCrdFiles"/> both.
/// </summary>
public static class WorldCorpus
{
    private static readonly Lazy<IReadOnlyList<Entry>> Index = new(Load);

    /// <summary>The folder; fails (never skips) when CI's shared data is missing.</summary>
    public static string Root => RepositoryPaths.RequireShared("corpus/world-crds/index.json") is { } index ? Path.GetDirectoryName(index)! : throw new InvalidOperationException();

    /// <summary>The 14 projects, sorted.</summary>
    public static IReadOnlyList<string> Projects => Index.Value.Select(e => e.Project).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>One entry of index.json.</summary>
    public sealed record Entry(string Project, string Type, string File, JsonObject Json)
    {
        public string FullPath => Path.Combine(Root, File);
    }

    /// <summary>Every CRD file of a project, both Gateway API channels included.</summary>
    public static IReadOnlyList<Entry> AllCrdFiles(string project) =>
        Index.Value.Where(e => e.Project == project && e.Type == "crd").OrderBy(e => e.File, StringComparer.Ordinal).ToList();

    /// <summary>The CRD files a consumer opts in: one Gateway API channel (experimental), everything else as is.</summary>
    public static IReadOnlyList<Entry> ConsumerCrdFiles(string project) =>
        AllCrdFiles(project).Where(e => project != "gateway-api" || e.File.StartsWith("gateway-api/experimental/", StringComparison.Ordinal)).ToList();

    /// <summary>The example files of a project.</summary>
    public static IReadOnlyList<Entry> Examples(string project) =>
        Index.Value.Where(e => e.Project == project && e.Type == "example").OrderBy(e => e.File, StringComparer.Ordinal).ToList();

    /// <summary>A C# namespace for a project's generated types: "cert-manager" -> "World.CertManager".</summary>
    public static string Namespace(string project) => "World." + string.Concat(project.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>Generator inputs for a project's consumer, in its own namespace.</summary>
    public static InputFile[] ConsumerInputs(string project) =>
        ConsumerCrdFiles(project).Select(e => GeneratorHarness.FromFile(e.FullPath, Namespace(project))).ToArray();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<GeneratorOutcome>> Outcomes = new(StringComparer.Ordinal);

    /// <summary>The generator run (and compilation) of a project's consumer, made once per test run and shared.</summary>
    public static GeneratorOutcome Outcome(string project) =>
        Outcomes.GetOrAdd(project, p => new Lazy<GeneratorOutcome>(() => GeneratorHarness.Run(ConsumerInputs(p), GeneratorHarness.CreateCompilation()))).Value;

    private static IReadOnlyList<Entry> Load()
    {
        var path = RepositoryPaths.RequireShared("corpus/world-crds/index.json");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .Select(n => n!.AsObject())
            .Select(o => new Entry(o["project"]!.GetValue<string>(), o["type"]!.GetValue<string>(), o["file"]!.GetValue<string>(), o))
            .ToList();
    }
}
