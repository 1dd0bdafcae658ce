using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using CrdKit.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Cilium.Sdk.Benchmarks;

/// <summary>The three measured inputs. The numeric values are also the child-process argument for cold runs.</summary>
public enum ScenarioId
{
    /// <summary>Scenario 1: the upstream CiliumNetworkPolicy CRD of Cilium v1.20 alone.</summary>
    CiliumNetworkPolicy = 1,

    /// <summary>Scenario 2: every upstream CRD of Cilium v1.20 (v2/ and v2alpha1/).</summary>
    AllV120 = 2,

    /// <summary>Scenario 3: the SDK's own schemas (src/Cilium.Sdk/Schemas/**/*.yaml), with the SDK's namespaces.</summary>
    SdkSchemas = 3,
}

/// <summary>Where the repository and the shared upstream corpus are.</summary>
internal sealed record HarnessPaths(string RepoRoot, string CrdCorpus)
{
    /// <summary>The v1.20 CRD folder inside the corpus.</summary>
    public string V120 => Path.Combine(CrdCorpus, "v1.20");

    /// <summary>
    /// Walks up from <see cref="AppContext.BaseDirectory"/> to the folder holding Cilium.Sdk.sln; the corpus is
    /// <c>../shared/corpus/cilium/crds</c> relative to it. Throws <see cref="HarnessSetupException"/> when either is missing.
    /// </summary>
    public static HarnessPaths Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new HarnessSetupException(
                $"Could not find the repository root (a folder containing Cilium.Sdk.sln) above {AppContext.BaseDirectory}.");
        }

        var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "cilium", "crds"));
        var cnp = Path.Combine(corpus, "v1.20", "v2", "ciliumnetworkpolicies.yaml");
        if (!Directory.Exists(corpus) || !File.Exists(cnp))
        {
            throw new HarnessSetupException(
                $"The shared upstream CRD corpus is missing: expected {cnp} (../shared/corpus/cilium/crds relative to the repository {dir.FullName}). " +
                "The benchmarks measure the generator on those files and cannot run without them.");
        }

        return new HarnessPaths(dir.FullName, corpus);
    }
}

/// <summary>A setup problem (missing repository or data) that ends the run with a clear message and a non-zero exit code.</summary>
internal sealed class HarnessSetupException(string message) : Exception(message);

/// <summary>One CRD input file: its path, its text (read once, up front) and its optional namespace metadata.</summary>
internal sealed record CrdInputFile(string Path, SourceText Text, string? Namespace);

/// <summary>
/// Everything one generator run needs, built once and shared by every driver of the scenario: additional texts,
/// analyzer-config options, parse options and a one-tree compilation. File I/O happens here, never in a timed region.
/// </summary>
internal sealed class Scenario
{
    private Scenario(ScenarioId id, string title, string rootNamespace, IReadOnlyList<CrdInputFile> files)
    {
        Id = id;
        Title = title;
        Files = files;
        AdditionalTexts = files.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)).ToImmutableArray();
        OptionsProvider = new CrdOptionsProvider(rootNamespace, files.ToDictionary(f => f.Path, f => f.Namespace, StringComparer.Ordinal));
        ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        Compilation = CSharpCompilation.Create(
            "Cilium.Sdk.Benchmarks.Host",
            new[] { CSharpSyntaxTree.ParseText(string.Empty, ParseOptions) },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    /// <summary>Which scenario this is.</summary>
    public ScenarioId Id { get; }

    /// <summary>Human-readable label for the table.</summary>
    public string Title { get; }

    /// <summary>The CRD files, in a stable (ordinal path) order.</summary>
    public IReadOnlyList<CrdInputFile> Files { get; }

    /// <summary>The files as Roslyn additional texts (the same instances for every driver).</summary>
    public ImmutableArray<AdditionalText> AdditionalTexts { get; }

    /// <summary>Options: KubernetesCrd=true on every file, per-file namespace, global RootNamespace.</summary>
    public AnalyzerConfigOptionsProvider OptionsProvider { get; }

    /// <summary>Parse options handed to the driver.</summary>
    public CSharpParseOptions ParseOptions { get; }

    /// <summary>A tiny compilation: one empty tree, one reference (the generator does not inspect it).</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>A fresh driver over this scenario's inputs (no step tracking, no disabled outputs unless asked).</summary>
    public GeneratorDriver CreateDriver(bool trackSteps = false) => CreateDriver(new CrdGenerator(), trackSteps);

    /// <summary>A fresh driver running <paramref name="generator"/> over this scenario's inputs.</summary>
    public GeneratorDriver CreateDriver(IIncrementalGenerator generator, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { generator.AsSourceGenerator() },
            AdditionalTexts,
            ParseOptions,
            OptionsProvider,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>One full generation: a new driver, run once. Returns the driver (holding the results).</summary>
    public GeneratorDriver RunFresh() => CreateDriver().RunGenerators(Compilation, CancellationToken.None);

    /// <summary>A scenario over given CRD files in one namespace (the world corpus harness).</summary>
    public static Scenario FromFiles(string title, IEnumerable<string> paths, string ns) =>
        new(ScenarioId.AllV120, title, ns, paths.Select(p => Read(p, ns)).ToArray());

    /// <summary>Loads one scenario's files from disk.</summary>
    public static Scenario Load(ScenarioId id, HarnessPaths paths)
    {
        switch (id)
        {
            case ScenarioId.CiliumNetworkPolicy:
            {
                var file = Path.Combine(paths.V120, "v2", "ciliumnetworkpolicies.yaml");
                return new Scenario(id, "1 CiliumNetworkPolicy (v1.20)", "Cilium.Sdk.Resources", new[] { Read(file, null) });
            }

            case ScenarioId.AllV120:
            {
                var files = Directory.EnumerateFiles(paths.V120, "*.yaml", SearchOption.AllDirectories)
                    .OrderBy(p => p, StringComparer.Ordinal)
                    .Select(p => Read(p, null))
                    .ToArray();
                if (files.Length == 0)
                {
                    throw new HarnessSetupException($"No CRD files found under {paths.V120}.");
                }

                return new Scenario(id, $"2 All v1.20 CRDs ({files.Length})", "Cilium.Sdk.Resources", files);
            }

            case ScenarioId.SdkSchemas:
            {
                var root = Path.Combine(paths.RepoRoot, "src", "Cilium.Sdk", "Schemas");
                if (!Directory.Exists(root))
                {
                    throw new HarnessSetupException($"The SDK's schema folder is missing: {root}.");
                }

                var files = Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
                    .OrderBy(p => p, StringComparer.Ordinal)
                    .Select(p => Read(p, SdkNamespaceFor(root, p)))
                    .ToArray();
                return new Scenario(id, $"3 SDK schemas ({files.Length})", "Cilium.Sdk", files);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(id), id, "unknown scenario");
        }
    }

    /// <summary>Mirrors src/Cilium.Sdk/Cilium.Sdk.csproj: cilium/ to Cilium.Sdk.Resources, flux/ to Cilium.Sdk.Flux.</summary>
    private static string? SdkNamespaceFor(string schemaRoot, string path)
    {
        var top = Path.GetRelativePath(schemaRoot, path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return top switch
        {
            "cilium" => "Cilium.Sdk.Resources",
            "flux" => "Cilium.Sdk.Flux",
            _ => null,
        };
    }

    private static CrdInputFile Read(string path, string? ns) =>
        new(Path.GetFullPath(path), SourceText.From(File.ReadAllText(path), System.Text.Encoding.UTF8), ns);

    /// <summary>An additional file whose text is already in memory.</summary>
    private sealed class InMemoryAdditionalText(string path, SourceText text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => text;
    }

    /// <summary>Answers the keys the generator reads, as MSBuild would with CompilerVisibleItemMetadata.</summary>
    private sealed class CrdOptionsProvider(string rootNamespace, IReadOnlyDictionary<string, string?> namespaces) : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Empty = new DictionaryOptions(ImmutableDictionary<string, string>.Empty);

        private readonly AnalyzerConfigOptions global = new DictionaryOptions(
            ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", rootNamespace));

        private readonly Dictionary<string, AnalyzerConfigOptions> perFile = namespaces.ToDictionary(
            pair => pair.Key,
            pair =>
            {
                var values = ImmutableDictionary<string, string>.Empty.Add("build_metadata.AdditionalFiles.KubernetesCrd", "true");
                if (pair.Value is not null)
                {
                    values = values.Add("build_metadata.AdditionalFiles.KubernetesCrdNamespace", pair.Value);
                }

                return (AnalyzerConfigOptions)new DictionaryOptions(values);
            },
            StringComparer.Ordinal);

        public override AnalyzerConfigOptions GlobalOptions => global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            perFile.TryGetValue(textFile.Path, out var options) ? options : Empty;
    }

    private sealed class DictionaryOptions(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);

        public override IEnumerable<string> Keys => values.Keys;
    }
}
