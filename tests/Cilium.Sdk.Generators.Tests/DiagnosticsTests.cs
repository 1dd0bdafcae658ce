using System.Globalization;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>Issue 18 items 4 and 6: every problem is a diagnostic at its line, none is dropped, and names survive clashes.</summary>
public sealed class DiagnosticsTests
{
    private static string Message(Diagnostic d) => d.GetMessage(CultureInfo.InvariantCulture);

    [Fact]
    public void An_untranslated_rule_is_info_by_default_and_a_warning_when_the_file_asks()
    {
        var crd = CrdText.Single("Odd", "{type: object, properties: {a: {type: string}}, x-kubernetes-validations: [{rule: \"self.a.frobnicate()\"}]}");
        var quiet = GeneratorHarness.Run(GeneratorHarness.Crd("odd.yaml", crd));
        var loud = GeneratorHarness.Run(new InputFile("odd.yaml", crd, UntranslatedRules: "Warning"));

        Assert.Equal(DiagnosticSeverity.Info, Assert.Single(quiet.GeneratorDiagnostics, d => d.Id == "CRDGEN010").Severity);
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(loud.GeneratorDiagnostics, d => d.Id == "CRDGEN010").Severity);
        Assert.Empty(quiet.CompileProblems);
    }

    [Fact]
    public void An_unknown_type_is_a_warning_at_its_line_and_the_field_becomes_json()
    {
        var crd = CrdText.Single("Typo", "{type: object, properties: {count: {type: integr}}}");
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("typo.yaml", crd));

        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN012", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'type: integr'", Message(diagnostic), StringComparison.Ordinal);
        Assert.Equal(crd.Split('\n').ToList().FindIndex(l => l.Contains("integr", StringComparison.Ordinal)), diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("public __Json.Nodes.JsonNode? Count { get; set; }", outcome.AllSource, StringComparison.Ordinal);
        Assert.Empty(outcome.CompileProblems);
    }

    [Theory]
    [InlineData("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n\tgroup: x\n", 3)] // a tab indents
    [InlineData("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: x\n  group: y\n", 4)] // a duplicate key
    [InlineData("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: *nowhere\n", 2)] // an undefined alias
    public void Broken_yaml_is_reported_at_the_parsers_line_with_its_message(string yaml, int line)
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("broken.yaml", yaml));
        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN001", diagnostic.Id);
        Assert.True(line == diagnostic.Location.GetLineSpan().StartLinePosition.Line, $"{diagnostic.Location.GetLineSpan()}: {Message(diagnostic)}");
        Assert.DoesNotContain("unexpected", Message(diagnostic), StringComparison.Ordinal);
        Assert.DoesNotContain("(Line:", Message(diagnostic), StringComparison.Ordinal);
    }

    /// <summary>
    /// No id is dropped: every CRDGEN id the generator's code raises has a descriptor (an id without one is reported as
    /// CRDGEN000 naming it, see CrdGenerator.Report) and a line in the analyzer release notes, and every descriptor is
    /// raised somewhere (none is dead). Read from the generator's own sources.
    /// </summary>
    [Fact]
    public void Every_diagnostic_id_raised_has_a_descriptor_and_release_notes()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "generators", "CrdKit.Generators");
        var sources = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal)).ToList();
        var table = File.ReadAllText(Path.Combine(folder, "Diagnostics", "DiagnosticDescriptors.cs"));
        var raised = sources.Where(f => !f.EndsWith("DiagnosticDescriptors.cs", StringComparison.Ordinal))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "\"(CRDGEN[0-9]{3})\"").Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var described = System.Text.RegularExpressions.Regex.Matches(table, "\"(CRDGEN[0-9]{3})\" => ").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var notes = File.ReadAllText(Path.Combine(folder, "AnalyzerReleases.Shipped.md")) + File.ReadAllText(Path.Combine(folder, "AnalyzerReleases.Unshipped.md"));
        var released = System.Text.RegularExpressions.Regex.Matches(notes, "^(CRDGEN[0-9]{3}) \\|", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.True(raised.Count >= 12, $"found only {raised.Count} raised ids: {string.Join(", ", raised)}");
        Assert.Empty(raised.Except(described));
        Assert.Empty(described.Except(released));
        Assert.Empty(described.Except(raised));
    }

    [Fact]
    public void The_same_kind_in_two_groups_generates_both_the_later_group_named_by_its_labels()
    {
        var first = CrdText.Single("Exception", "{type: object, properties: {a: {type: string}}}");
        var second = first.Replace("example.io", "policies.example.io", StringComparison.Ordinal).Replace("{type: string}", "{type: integer}", StringComparison.Ordinal);
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("a.yaml", first), GeneratorHarness.Crd("b.yaml", second));

        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.Empty(outcome.CompileProblems);
        Assert.Contains("public sealed partial record Exception :", outcome.AllSource, StringComparison.Ordinal);
        Assert.Contains("public sealed partial record PoliciesException :", outcome.AllSource, StringComparison.Ordinal);
        Assert.Contains("public sealed partial record PoliciesExceptionList :", outcome.AllSource, StringComparison.Ordinal);
        Assert.Contains("public const string KubeGroup = \"policies.example.io\";", outcome.AllSource, StringComparison.Ordinal);

        // The wire kind stays the kind: a PoliciesException reads and writes 'kind: Exception'.
        var assembly = outcome.Load();
        var type = assembly.GetType("Consumer.Crds.V1.PoliciesException", throwOnError: true)!;
        Assert.Equal("Exception", type.GetField("KubeKind")!.GetValue(null));
        Assert.Equal("Exception", type.GetProperty("Kind")!.GetValue(Activator.CreateInstance(type)));
    }

    [Fact]
    public void The_same_kind_and_group_twice_is_an_error_naming_both_files()
    {
        var crd = CrdText.Single("Twin", "{type: object, properties: {a: {type: string}}}");
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("a.yaml", crd), GeneratorHarness.Crd("b.yaml", crd));
        var diagnostic = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN006", diagnostic.Id);
        Assert.Contains("a.yaml", Message(diagnostic), StringComparison.Ordinal);
        Assert.Empty(outcome.CompileProblems);
    }
}
