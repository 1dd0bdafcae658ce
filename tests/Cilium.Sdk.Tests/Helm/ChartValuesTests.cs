using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Infrastructure;
using Json.Schema;

namespace Cilium.Sdk.Tests.Helm;

/// <summary>The values the SDK writes exist in the target chart and have the chart's types.</summary>
public sealed class ChartValuesTests
{
    public static TheoryData<string, string> VersionsAndClusters()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in CiliumVersion.Supported)
        {
            foreach (var cluster in Clusters.Keys)
            {
                data.Add(version.ToString(), cluster);
            }
        }

        return data;
    }

    private static readonly Dictionary<string, Func<CiliumVersion, CiliumClusterBuilder>> Clusters = new()
    {
        ["homelab"] = v => SampleClusters.HomeLab(v),
        ["everything"] = v => SampleClusters.Everything(v),
    };

    [Theory]
    [MemberData(nameof(VersionsAndClusters))]
    public void Every_key_written_exists_in_the_chart(string version, string cluster)
    {
        var keys = Keys(version);
        var values = Clusters[cluster](CiliumVersion.Parse(version)).Build().Render().HelmValues;

        Assert.Empty(keys.Unknown(values));
    }

    [Theory]
    [MemberData(nameof(VersionsAndClusters))]
    public void Values_pass_the_charts_values_schema(string version, string cluster)
    {
        var values = Clusters[cluster](CiliumVersion.Parse(version)).Build().Render().HelmValues;

        var result = Evaluate(version, values);

        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void The_templates_cgroup_automount_typo_is_caught_and_the_sdk_cannot_write_it()
    {
        var keys = Keys("1.19");
        var typo = JsonNode.Parse("""{"cgroup":{"automount":{"enabled":false},"hostRoot":"/sys/fs/cgroup"}}""")!.AsObject();

        Assert.Equal(["cgroup.automount"], keys.Unknown(typo));
        var written = SampleClusters.HomeLab().Build().Render().HelmValues;
        Assert.NotNull(written["cgroup"]!["autoMount"]);
        Assert.Null(written["cgroup"]!["automount"]);
    }

    [Fact]
    public void The_key_catalogue_is_real_it_knows_commented_keys_and_rejects_wrong_types()
    {
        var keys = Keys("1.20");
        Assert.True(keys.Count > 1000, $"only {keys.Count} keys");
        Assert.Empty(keys.Unknown(JsonNode.Parse("""{"loadBalancer":{"algorithm":"maglev","mode":"dsr"},"policyAuditMode":true}""")!.AsObject()));
        Assert.Equal(["notAKey"], keys.Unknown(JsonNode.Parse("""{"notAKey":1}""")!.AsObject()));

        var wrongType = Evaluate("1.20", JsonNode.Parse("""{"k8sServicePort":true}""")!.AsObject());
        Assert.False(wrongType.IsValid);
    }

    private static ChartKeys Keys(string version) => new(
        File.ReadAllText(TestData.Shared("corpus", "cilium", "helm", "v" + version, "values.schema.json")),
        File.ReadAllText(TestData.Shared("corpus", "cilium", "helm", "v" + version, "values.yaml")));

    private static EvaluationResults Evaluate(string version, JsonObject values)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(TestData.Shared("corpus", "cilium", "helm", "v" + version, "values.schema.json")));
        using var document = JsonDocument.Parse(values.ToJsonString());
        return schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));
}
