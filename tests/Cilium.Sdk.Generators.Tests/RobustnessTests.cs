using Cilium.Sdk.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>Bad input becomes a diagnostic at the file and line; the generator never throws and other files still generate.</summary>
public sealed class RobustnessTests
{
    private static readonly string Good = CrdText.Single("Fine", "{type: object, properties: {a: {type: string}}}");

    [Fact]
    public void Malformed_yaml_is_a_diagnostic_at_its_line_and_other_files_still_generate()
    {
        var outcome = GeneratorHarness.Run(
            GeneratorHarness.Crd("broken.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: [unclosed\n"),
            GeneratorHarness.Crd("fine.yaml", Good));
        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN001", diagnostic.Id);
        Assert.Equal("broken.yaml", diagnostic.Location.GetLineSpan().Path);
        Assert.True(diagnostic.Location.GetLineSpan().StartLinePosition.Line >= 3);
        Assert.Contains("record Fine ", outcome.AllSource);
        Assert.All(outcome.Result.Results, r => Assert.Null(r.Exception));
    }

    [Fact]
    public void A_document_that_is_not_a_crd_is_skipped_with_a_warning()
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("mixed.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n" + Good));
        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN002", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("ConfigMap", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("record Fine ", outcome.AllSource);
    }

    [Fact]
    public void A_crd_without_group_or_kind_is_an_error_naming_it()
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("nogroup.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: things.x.io}\nspec:\n  names: {kind: Thing, plural: things}\n  versions: []\n"));
        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN003", diagnostic.Id);
        Assert.Contains("things.x.io", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_dangling_reference_is_an_error_and_the_field_becomes_json()
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("ref.yaml", CrdText.Single("Reffy", "{$ref: '#/definitions/Missing'}")));
        Assert.Contains(outcome.GeneratorDiagnostics, d => d.Id == "CRDGEN005");
        Assert.Empty(outcome.CompileProblems);
    }

    [Fact]
    public void Yaml_alias_expansion_is_bounded()
    {
        // Each level doubles the schema: 2^40 nodes if expanded naively.
        var lines = new List<string> { "x0: &a0 {type: object, properties: {p: {type: string}}}" };
        for (var i = 1; i <= 40; i++)
        {
            lines.Add($"x{i}: &a{i} {{type: object, properties: {{l: *a{i - 1}, r: *a{i - 1}}}}}");
        }

        var yaml = "anchors:\n" + string.Join("\n", lines.Select(l => "  " + l)) + "\n" + CrdText.Single("Bomb", "*a40");
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("bomb.yaml", yaml));
        Assert.All(outcome.Result.Results, r => Assert.Null(r.Exception));
        Assert.Contains(outcome.GeneratorDiagnostics, d => d.Id is "CRDGEN008" or "CRDGEN002" or "CRDGEN001");
    }

    [Fact]
    public void Yaml_files_that_are_not_opted_in_are_never_touched()
    {
        var outcome = GeneratorHarness.Run(new InputFile("values.yaml", Good, IsCrd: false));
        Assert.Empty(outcome.Sources);
        Assert.Empty(outcome.GeneratorDiagnostics);
    }

    [Fact]
    public void Empty_and_binary_garbage_files_do_not_throw()
    {
        var outcome = GeneratorHarness.Run(
            GeneratorHarness.Crd("empty.yaml", string.Empty),
            GeneratorHarness.Crd("garbage.yaml", "\u0000\u0001\u0002: : : [[[{{{"),
            GeneratorHarness.Crd("scalar.yaml", "just a string"));
        Assert.All(outcome.Result.Results, r => Assert.Null(r.Exception));
        Assert.Empty(outcome.CompileProblems);
    }

    [Fact]
    public void A_version_listed_twice_is_an_error_and_its_types_are_emitted_once()
    {
        // Regression from GeneratorFuzzTests (DuplicateKey on a versions item): the second copy gave CS0101.
        var spec = "{type: object, properties: {a: {type: string}}}";
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("twice.yaml", CrdText.Build("Twice", "", ("v1", true, spec), ("v1", true, spec))));
        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN003", diagnostic.Id);
        Assert.Contains("'v1' is listed more than once", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(outcome.CompileProblems);
        Assert.Equal(1, outcome.CountDeclarations("public sealed partial record Twice "));
    }
}
