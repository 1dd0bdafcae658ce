using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Tests.Infrastructure;

namespace Cilium.Sdk.Tests.Helm;

/// <summary>
/// The Jinja template's rendered Cilium values (../shared/corpus/template/cases) against the SDK's for the same
/// cluster: equal everywhere except the named differences, each a FINDINGS.md defect the SDK fixes.
/// </summary>
public sealed class TemplateValuesParityTests
{
    // FINDINGS.md 7: cgroup.automount is a typo the chart ignores; 10: localRedirectPolicy is deprecated.
    private static readonly string[] TyposAndDeprecations = ["cgroup.automount.enabled", "localRedirectPolicy"];
    private static readonly string[] SdkSpelling = ["cgroup.autoMount.enabled", "localRedirectPolicies.enabled"];

    // FINDINGS.md 6: ServiceMonitors and dashboards enabled without a monitoring stack.
    private static readonly string[] MonitoringWithoutStack =
    [
        "dashboards.annotations.grafana_folder", "dashboards.enabled", "operator.dashboards.annotations.grafana_folder",
        "operator.dashboards.enabled", "operator.prometheus.serviceMonitor.enabled", "prometheus.serviceMonitor.enabled",
        "prometheus.serviceMonitor.trustCRDsExist",
    ];

    private static CiliumClusterBuilder TemplateCluster(string mode) =>
        CiliumCluster.Create("home")
            .WithCiliumVersion(CiliumVersion.V1_19)
            .WithNodeCidr("192.168.1.0/24")
            .WithApiAddress("192.168.1.20")
            .WithNode(ClusterNode.Controller("k8s-0", "192.168.1.10"))
            .WithLoadBalancer(LoadBalancerAlgorithm.Maglev, mode == "snat" ? LoadBalancerMode.Snat : LoadBalancerMode.Dsr)
            .WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.1.200", "192.168.1.239"))
            .WithL2Announcements();

    [Fact]
    public void Defaults_case_matches_except_the_typo_the_deprecation_and_monitoring_without_a_stack()
    {
        AssertParity("a-defaults", TemplateCluster("dsr"), [.. TyposAndDeprecations, .. MonitoringWithoutStack], SdkSpelling);
    }

    [Fact]
    public void Snat_case_matches_the_same_way()
    {
        AssertParity("b-snat", TemplateCluster("snat"), [.. TyposAndDeprecations, .. MonitoringWithoutStack], SdkSpelling);
    }

    [Fact]
    public void Hubble_with_monitoring_case_matches_except_the_typo_and_the_deprecation()
    {
        var cluster = TemplateCluster("dsr").WithHubble(HubbleOptions.Default.WithUi()).WithMonitoring();

        AssertParity("d-hubble-monitoring", cluster, TyposAndDeprecations, SdkSpelling);
    }

    public static TheoryData<string> Cases => TestData.TemplateCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Imported_cases_match_the_templates_values_except_the_named_fixes(string @case)
    {
        var dir = TestData.Shared("corpus", "template", "cases", @case);
        var import = Cilium.Sdk.Migration.TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml"));
        var settings = import.Settings!;
        string[] templateOnly = settings.MonitoringEnabled ? TyposAndDeprecations : [.. TyposAndDeprecations, .. MonitoringWithoutStack];
        // FINDINGS.md 3: the template's "audit" never set Cilium's policy audit mode.
        string[] sdkOnly = settings.NetworkPoliciesEnabled ? [.. SdkSpelling, "policyAuditMode"] : SdkSpelling;

        AssertParity(@case, import.Cluster!, templateOnly, sdkOnly);
    }

    private static void AssertParity(string @case, CiliumClusterBuilder cluster, string[] templateOnly, string[] sdkOnly)
    {
        var file = TestData.Shared("corpus", "template", "cases", @case, "kubernetes", "apps", "kube-system", "cilium", "app", "helmrelease.yaml");
        var template = Flatten(Manifests.ParseYaml(File.ReadAllText(file)).Single()["spec"]!["values"]!);
        var ours = Flatten(cluster.Build().Render().HelmValues);

        var onlyTemplate = template.Keys.Except(ours.Keys).Order(StringComparer.Ordinal).ToList();
        var onlyOurs = ours.Keys.Except(template.Keys).Order(StringComparer.Ordinal).ToList();
        var differ = template.Keys.Intersect(ours.Keys).Where(k => template[k] != ours[k]).Select(k => $"{k}: template {template[k]}, sdk {ours[k]}").ToList();

        Assert.Equal(templateOnly.Order(StringComparer.Ordinal), onlyTemplate);
        Assert.Equal(sdkOnly.Order(StringComparer.Ordinal), onlyOurs);
        Assert.Empty(differ);
    }

    private static Dictionary<string, string> Flatten(JsonNode node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? value, string path)
        {
            if (value is JsonObject obj)
            {
                foreach (var (key, child) in obj)
                {
                    Walk(child, path.Length == 0 ? key : path + "." + key);
                }
            }
            else
            {
                // Key order inside list items is not meaningful: compare them canonically.
                result[path] = value is JsonArray array
                    ? Cilium.Sdk.Helm.HelmValues.Sorted(new JsonObject { ["v"] = array.DeepClone() }).ToJsonString()
                    : value?.ToJsonString() ?? "null";
            }
        }

        Walk(node, string.Empty);
        return result;
    }
}
