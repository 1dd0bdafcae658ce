using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>Proof against real input: every upstream Cilium CRD generates and compiles, and real examples round-trip.</summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    private static readonly Lazy<GeneratorOutcome> V120 = new(() => Generate("v1.20", includeV118PeeringPolicy: true));

    [Theory]
    [InlineData("v1.19", 21)]
    [InlineData("v1.20", 22)] // 1.20 adds CiliumDatapathPlugin
    public void Every_upstream_crd_generates_and_compiles_without_warnings(string version, int expectedCrds)
    {
        var outcome = version == "v1.20" ? V120.Value : Generate(version, includeV118PeeringPolicy: false);
        var crds = CrdFiles(version).Count;
        Assert.Equal(expectedCrds, crds);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        Assert.Empty(outcome.CompileProblems);
        output.WriteLine($"{version}: {crds} CRDs -> {outcome.CountDeclarations("public sealed partial record")} records, {outcome.CountDeclarations("public enum")} enums, {outcome.AllSource.Length / 1024} KiB");
    }

    [Fact]
    public void CiliumNetworkPolicy_generates_at_most_sixty_types()
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.FromFile(Path.Combine(RepositoryPaths.RequireShared("corpus/cilium/crds/v1.20/v2"), "ciliumnetworkpolicies.yaml")));
        Assert.Empty(outcome.CompileProblems);
        var types = outcome.CountDeclarations("public sealed partial record") + outcome.CountDeclarations("public enum");
        output.WriteLine($"CiliumNetworkPolicy: {types} types");
        Assert.InRange(types, 10, 60);
    }

    [Fact]
    public void Every_expected_valid_example_round_trips_through_the_generated_types()
    {
        var assembly = V120.Value.Load();
        var context = (JsonSerializerContext)assembly.GetType("Consumer.Crds.CrdsJsonContext", throwOnError: true)!.GetProperty("Default")!.GetValue(null)!;
        var roots = assembly.GetTypes()
            .Where(t => t.GetField("KubeKind") is not null && t.GetField("KubePluralName") is not null)
            .ToDictionary(t => $"{t.GetField("KubeGroup")!.GetValue(null)}/{t.GetField("KubeApiVersion")!.GetValue(null)}|{t.GetField("KubeKind")!.GetValue(null)}");

        var examples = RepositoryPaths.RequireShared("corpus/cilium/examples");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(examples, "index.json")))!.AsArray();
        int files = 0, documents = 0;
        var failures = new List<string>();
        foreach (var entry in index.Select(e => e!.AsObject()))
        {
            if (entry["expected_valid"]?.GetValue<bool>() != true || entry["templated"]?.GetValue<bool>() == true || entry["parse_error"] is not null)
            {
                continue;
            }

            files++;
            var path = Path.Combine(examples, entry["topic"]!.GetValue<string>(), entry["file"]!.GetValue<string>());
            foreach (var document in Manifests.ParseYaml(File.ReadAllText(path)).Where(d => d is not null))
            {
                var key = $"{document!["apiVersion"]}|{document["kind"]}";
                if (!roots.TryGetValue(key, out var type))
                {
                    if (key.StartsWith("cilium.io/", StringComparison.Ordinal))
                    {
                        failures.Add($"{path}: no generated type for {key}");
                    }

                    continue; // a built-in kind (Service, Deployment) next to the Cilium object
                }

                documents++;
                var value = JsonSerializer.Deserialize(document, type, context.Options)!;
                var back = JsonSerializer.SerializeToNode(value, type, context.Options);
                if (!JsonNode.DeepEquals(JsonTrees.WithoutNulls(document), JsonTrees.WithoutNulls(back)))
                {
                    failures.Add($"{path}: {key}\n  in:  {JsonTrees.WithoutNulls(document)!.ToJsonString()}\n  out: {JsonTrees.WithoutNulls(back)!.ToJsonString()}");
                }
            }
        }

        output.WriteLine($"{files} expected-valid example files, {documents} Cilium documents round-tripped, {failures.Count} differed");
        Assert.Empty(failures);
        Assert.True(documents >= 233, $"only {documents} Cilium documents were checked; the corpus has 233 in 198 expected-valid files");
    }

    private static List<string> CrdFiles(string version) =>
        Directory.GetFiles(RepositoryPaths.RequireShared($"corpus/cilium/crds/{version}"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    private static GeneratorOutcome Generate(string version, bool includeV118PeeringPolicy)
    {
        var files = CrdFiles(version).Select(f => GeneratorHarness.FromFile(f)).ToList();
        if (includeV118PeeringPolicy)
        {
            // BGP v1 peering policies validate only against 1.18's CRD (the corpus README says so).
            files.Add(GeneratorHarness.FromFile(Path.Combine(RepositoryPaths.RequireShared("corpus/cilium/crds/v1.18/v2alpha1"), "ciliumbgppeeringpolicies.yaml")));
        }

        return GeneratorHarness.Run(files, GeneratorHarness.CreateCompilation());
    }
}
