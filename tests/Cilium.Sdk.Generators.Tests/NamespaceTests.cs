using Cilium.Sdk.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>
/// Issue 17, defect 4: the namespace of generated code comes from the project's <c>RootNamespace</c> (for a project
/// named <c>cil-cnp</c> the SDK leaves it <c>cil-cnp</c>) or from a file's <c>KubernetesCrdNamespace</c> metadata. A
/// root namespace is made a valid C# namespace the way <c>dotnet new</c> makes a project's default namespace; an
/// explicit metadata value that is not one is a diagnostic at the file. Either way the generated code compiles.
/// </summary>
public sealed class NamespaceTests
{
    private static readonly string Widget = CrdText.Single("Fine", "{type: object, properties: {a: {type: string}}}");

    [Theory]
    [InlineData("cil-cnp", "cil_cnp")]
    [InlineData("My App.Crds", "My_App.Crds")]
    [InlineData("9lives", "_9lives")]
    [InlineData("home.2026-crds", "home._2026_crds")]
    [InlineData("Contoso.class", "Contoso._class")] // a keyword segment
    [InlineData("a..b.", "a.b")] // empty segments
    [InlineData("k8s+cilium", "k8s_cilium")]
    [InlineData("Crds", "Crds")]
    [InlineData("  ", "Generated")]
    [InlineData(null, "Generated")]
    public void A_root_namespace_is_made_a_valid_namespace_as_the_sdk_does_for_a_project(string? rootNamespace, string expected)
    {
        var outcome = GeneratorHarness.Run([GeneratorHarness.Crd("fine.yaml", Widget)], GeneratorHarness.CreateCompilation(), rootNamespace);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompileProblems);
        Assert.Contains($"namespace {expected}", outcome.AllSource, StringComparison.Ordinal);
        Assert.NotNull(outcome.Compilation.GetTypeByMetadataName(expected + ".V1.Fine"));
    }

    [Theory]
    [InlineData("my-crds", "my_crds")]
    [InlineData("My.Crds.", "My.Crds")]
    [InlineData("My.event", "My._event")]
    [InlineData("1st.Crds", "_1st.Crds")]
    [InlineData("My..Crds", "My.Crds")]
    [InlineData("global::My", "global__My")]
    public void An_explicit_namespace_that_is_not_valid_is_an_error_at_the_file_naming_a_valid_one(string metadata, string suggested)
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("crds/fine.yaml", Widget, metadata));

        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN011", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("crds/fine.yaml", diagnostic.Location.GetLineSpan().Path);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"'{metadata}'", message, StringComparison.Ordinal);
        Assert.Contains($"'{suggested}'", message, StringComparison.Ordinal);
        Assert.All(outcome.Result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(outcome.CompileProblems); // generated into the suggested namespace, so nothing else breaks
        Assert.NotNull(outcome.Compilation.GetTypeByMetadataName(suggested + ".V1.Fine"));
    }

    [Theory]
    [InlineData("My.Crds")]
    [InlineData("_internal.Crds2")]
    [InlineData("Événements.Crds")]
    public void A_valid_explicit_namespace_is_used_as_written(string metadata)
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("fine.yaml", Widget, metadata));

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompileProblems);
        Assert.NotNull(outcome.Compilation.GetTypeByMetadataName(metadata + ".V1.Fine"));
    }
}
