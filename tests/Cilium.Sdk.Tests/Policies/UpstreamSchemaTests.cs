using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Json.Schema;

namespace Cilium.Sdk.Tests.Policies;

/// <summary>Every rendered preset against the upstream CRD's own openAPIV3Schema (../shared/corpus/cilium/crds).</summary>
public sealed class UpstreamSchemaTests
{
    [Theory]
    [InlineData("1.19", PolicyMode.Audit)]
    [InlineData("1.19", PolicyMode.Enforce)]
    [InlineData("1.20", PolicyMode.Audit)]
    [InlineData("1.20", PolicyMode.Enforce)]
    public void Every_rendered_preset_passes_the_upstream_crd_schema(string version, PolicyMode mode)
    {
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal)
        {
            ["CiliumNetworkPolicy"] = Load(version, "ciliumnetworkpolicies.yaml"),
            ["CiliumClusterwideNetworkPolicy"] = Load(version, "ciliumclusterwidenetworkpolicies.yaml"),
        };
        var failures = new List<string>();
        var documents = Presets.All().Render(CiliumVersion.Parse(version), mode);
        foreach (var doc in documents)
        {
            var node = Manifests.ParseYaml(doc.ToYaml())[0]!;
            using var json = JsonDocument.Parse(node.ToJsonString());
            var result = schemas[node["kind"]!.GetValue<string>()].Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                failures.AddRange((result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{doc.RelativePath} {d.InstanceLocation}: {e.Key} {e.Value}")));
                failures.Add(doc.RelativePath + " is invalid");
            }
        }

        Assert.True(documents.Count > 30, $"only {documents.Count} documents were rendered");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_upstream_schema_check_rejects_a_broken_policy()
    {
        // The check above can fail: a lower-case protocol (INVALID.md A9) is refused by the upstream schema.
        var node = Manifests.ParseYaml(Presets.CoreDnsPolicy().Build(CiliumVersion.V1_20).NetworkPolicy is { } cnp ? Manifests.Write(cnp) : string.Empty)[0]!;
        node["spec"]!["ingress"]![0]!["toPorts"]![0]!["ports"]![0]!["protocol"] = "udp";
        using var json = JsonDocument.Parse(node.ToJsonString());
        Assert.False(Load("1.20", "ciliumnetworkpolicies.yaml").Evaluate(json.RootElement).IsValid);
    }

    private static JsonSchema Load(string version, string file)
    {
        var path = PolicyTestData.RequireShared(Path.Combine("corpus", "cilium", "crds", "v" + version, "v2", file));
        var crd = Manifests.ParseYaml(File.ReadAllText(path))[0]!;
        var v2 = crd["spec"]!["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "v2")!;
        var schema = v2["schema"]!["openAPIV3Schema"]!.DeepClone();
        StripKubernetesExtensions(schema);
        return JsonSchema.FromText(schema.ToJsonString());
    }

    // JsonSchema.Net refuses keywords it does not know; the x-kubernetes-* extensions (list types, int-or-string,
    // CEL rules) are checked by the generated validation instead.
    private static void StripKubernetesExtensions(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Select(kv => kv.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
            {
                obj.Remove(key);
            }

            // RE2's one-letter class \PC is written \P{C} in .NET.
            if (obj["pattern"] is JsonValue pattern && pattern.TryGetValue<string>(out var text))
            {
                obj["pattern"] = System.Text.RegularExpressions.Regex.Replace(text, @"\\([pP])([A-Z])", @"\$1{$2}");
            }

            foreach (var (_, child) in obj.ToList())
            {
                StripKubernetesExtensions(child);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                StripKubernetesExtensions(child);
            }
        }
    }
}
