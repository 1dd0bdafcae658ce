using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using CrdKit.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Cilium.Sdk.Generators.Tests.Infrastructure;

/// <summary>A file handed to the generator: its path, its text, and whether it is opted in as a CRD.</summary>
public sealed record InputFile(string Path, string Text, bool IsCrd = true, string? Namespace = null, string? UntranslatedRules = null);

/// <summary>Runs the generator in memory the way the compiler does, and compiles what it produced.</summary>
public static class GeneratorHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Concat(new[]
        {
            MetadataReference.CreateFromFile(typeof(k8s.IKubernetesObject).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(CrdKit.Serialization.CrdJson).Assembly.Location),
        })
        .ToImmutableArray();

    public static CSharpCompilation CreateCompilation(string source = "namespace Consumer { internal static class Marker { } }") =>
        CSharpCompilation.Create(
            "Consumer",
            new[] { CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Consumer.cs") },
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Default));

    public static GeneratorDriver CreateDriver(IEnumerable<InputFile> files, bool trackSteps = true) =>
        CreateDriver(files, out _, trackSteps);

    /// <summary>Creates a driver and hands back the additional texts, so a test can replace one.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<InputFile> files, out ImmutableArray<AdditionalText> texts, bool trackSteps = true) =>
        CreateDriver(files, out texts, DefaultRootNamespace, trackSteps);

    /// <summary>The project's RootNamespace the harness gives the generator unless a test gives another.</summary>
    public const string DefaultRootNamespace = "Consumer.Crds";

    /// <summary>Creates a driver for a project whose <c>RootNamespace</c> is <paramref name="rootNamespace"/> (null: unset).</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<InputFile> files, out ImmutableArray<AdditionalText> texts, string? rootNamespace, bool trackSteps = true)
    {
        var list = files.ToList();
        texts = list.Select(f => Text(f.Path, f.Text)).ToImmutableArray();
        return CSharpGeneratorDriver.Create(
            new[] { new CrdGenerator().AsSourceGenerator() },
            texts,
            ParseOptions,
            new OptionsProvider(list, rootNamespace),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
    }

    public static AdditionalText Text(string path, string text) => new InMemoryText(path, text);

    /// <summary>Runs the generator once over <paramref name="files"/> and compiles the result.</summary>
    public static GeneratorOutcome Run(params InputFile[] files) => Run(files, CreateCompilation());

    public static GeneratorOutcome Run(IEnumerable<InputFile> files, CSharpCompilation compilation, string? rootNamespace = DefaultRootNamespace)
    {
        var driver = CreateDriver(files, out _, rootNamespace).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorOutcome(driver.GetRunResult(), output, generatorDiagnostics);
    }

    public static InputFile Crd(string path, string yaml, string? ns = null) => new(path, yaml, true, ns);

    public static InputFile FromFile(string fullPath, string? ns = null) => new(fullPath, File.ReadAllText(fullPath), true, ns);

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class OptionsProvider(IEnumerable<InputFile> files, string? rootNamespace) : AnalyzerConfigOptionsProvider
    {
        private readonly Dictionary<string, InputFile> byPath = files.ToDictionary(f => f.Path);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(rootNamespace is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["build_property.RootNamespace"] = rootNamespace });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        {
            var values = new Dictionary<string, string>();
            if (byPath.TryGetValue(textFile.Path, out var file) && file.IsCrd)
            {
                values["build_metadata.AdditionalFiles.KubernetesCrd"] = "true";
                if (file.Namespace is not null)
                {
                    values["build_metadata.AdditionalFiles.KubernetesCrdNamespace"] = file.Namespace;
                }

                if (file.UntranslatedRules is not null)
                {
                    values["build_metadata.AdditionalFiles.KubernetesCrdUntranslatedRules"] = file.UntranslatedRules;
                }
            }

            return new Options(values);
        }
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

/// <summary>What one generator run produced.</summary>
public sealed record GeneratorOutcome(GeneratorDriverRunResult Result, Compilation Compilation, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public IReadOnlyList<GeneratedSourceResult> Sources => Result.Results.SelectMany(r => r.GeneratedSources).ToList();

    public string Source(string hintNameEnd) => Sources.Single(s => s.HintName.EndsWith(hintNameEnd, StringComparison.Ordinal)).SourceText.ToString();

    public string AllSource => string.Join("\n", Sources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.SourceText.ToString()));

    /// <summary>Warnings and errors of compiling the generated code (the generator's own diagnostics excluded).</summary>
    public IReadOnlyList<Diagnostic> CompileProblems => Compilation.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToList();

    public int CountDeclarations(string marker) =>
        Sources.Sum(s => s.SourceText.ToString().Split('\n').Count(l => l.TrimStart().StartsWith(marker, StringComparison.Ordinal)));

    /// <summary>Emits the compilation and loads it, so generated types can be exercised.</summary>
    public Assembly Load()
    {
        using var stream = new MemoryStream();
        var emit = Compilation.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException(string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        return new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(stream);
    }
}
