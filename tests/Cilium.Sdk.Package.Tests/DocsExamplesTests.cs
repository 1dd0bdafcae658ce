using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using Cilium.Sdk.Package.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Cilium.Sdk.Package.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md and docs/*.md compiles against the library, as a top-level program with
/// the .NET SDK's implicit usings (what `dotnet new console` gives a user) and nullable on, without warnings. File-based
/// app directives (<c>#:package</c>, <c>#:project</c>, <c>#:property</c>, <c>#!</c>) are for the dotnet CLI and are
/// commented out. Only <c>```csharp</c> fences count; shell, XML and YAML blocks are for reading.
/// </summary>
public sealed partial class DocsExamplesTests
{
    /// <summary>The feature pages the docs promise; each must exist and carry a compiled example.</summary>
    private static readonly string[] FeaturePages =
    [
        "routing-and-load-balancing.md", "l2.md", "lb-pools.md", "bgp.md", "hubble.md", "policies.md", "migration.md", "packaging.md",
    ];

    private static readonly string[] ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The library and its runtime dependencies, as a PackageReference gives them to a consumer.
        var sdk = new[] { "Cilium.Sdk.dll", "CrdKit.dll", "KubernetesClient.dll", "YamlDotNet.dll", "Fractions.dll", "DiffPlex.dll" }
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, f)));
        return [.. Net100.References.All, .. sdk];
    });

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in DocFiles())
        {
            var count = CSharpBlocks(File.ReadAllText(Repo.Path(file))).Count;
            for (var i = 0; i < count; i++)
            {
                data.Add(file, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Csharp_block_compiles_against_the_library(string file, int index)
    {
        var (line, code) = CSharpBlocks(File.ReadAllText(Repo.Path(file)))[index];
        var problems = Compile(code, file, line);
        Assert.True(problems.Count == 0, $"The example at {file} line {line} does not compile:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Harness_reports_a_wrong_api_and_a_warning_with_the_docs_line()
    {
        var problems = Compile("using Cilium.Sdk.Cluster;\n\nvar b = CiliumCluster.Create(\"x\").WithNoSuchThing();\nstring s = null;", "docs/x.md", 10);
        Assert.Contains(problems, p => p.StartsWith("docs/x.md line 13: CS1061", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("docs/x.md line 14: CS8600", StringComparison.Ordinal));
        Assert.Empty(Compile("#:package Cilium.Sdk@1.0.0\n#:property PublishAot=false\nConsole.WriteLine(Path.Combine(\"a\", \"b\"));", "docs/y.md", 1));
    }

    /// <summary>Compiles one block; returns its errors and warnings, each with the doc's file and line.</summary>
    private static List<string> Compile(string code, string file, int fenceLine)
    {
        var program = string.Join('\n', code.Split('\n').Select(l => l.StartsWith("#:", StringComparison.Ordinal) || l.StartsWith("#!", StringComparison.Ordinal) ? "// " + l : l));
        var globalUsings = string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n"));

        var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
        var compilation = CSharpCompilation.Create(
            "DocsExample",
            [CSharpSyntaxTree.ParseText(globalUsings, parse, "GlobalUsings.g.cs"), CSharpSyntaxTree.ParseText(program, parse, $"{file}:{fenceLine}")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        // The block's first line is the line after the fence.
        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{file} line {fenceLine + d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")];
    }

    [Fact]
    public void Every_feature_page_exists_with_at_least_one_csharp_example()
    {
        foreach (var page in FeaturePages)
        {
            var path = Repo.Path("docs", page);
            Assert.True(File.Exists(path), $"docs/{page} is missing");
            Assert.True(CSharpBlocks(File.ReadAllText(path)).Count > 0, $"docs/{page} has no ```csharp example");
        }
    }

    [Fact]
    public void Block_extraction_finds_fenced_csharp_only()
    {
        var blocks = CSharpBlocks("text\n```csharp\nvar a = 1;\n```\n```xml\n<a/>\n```\n```csharp\nvar b = 2;\nvar c = 3;\n```\n");
        Assert.Equal([(2, "var a = 1;"), (8, "var b = 2;\nvar c = 3;")], blocks);
    }

    private static IEnumerable<string> DocFiles() =>
        new[] { "README.md" }.Concat(Directory.EnumerateFiles(Repo.Path("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));

    /// <summary>The fenced ```csharp blocks of a Markdown text, each with the 1-based line of its opening fence.</summary>
    private static List<(int Line, string Code)> CSharpBlocks(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!Fence().IsMatch(lines[i]))
            {
                continue;
            }

            var start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                body.Add(lines[i]);
            }

            blocks.Add((start + 1, string.Join('\n', body)));
        }

        return blocks;
    }

    [GeneratedRegex(@"^\s*```(csharp|c#)\s*$")]
    private static partial Regex Fence();
}
