using Cilium.Sdk.Migration;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Migration;

public sealed class TemplateImportTests
{
    public const string Nodes = """
        nodes:
          - name: "k8s-0"
            address: "192.168.1.10"
            controller: true
        """;

    public const string Base = """
        node_cidr: "192.168.1.0/24"
        cluster_api_addr: "192.168.1.20"
        cluster_gateway_addr: "192.168.1.21"
        cluster_dns_gateway_addr: "192.168.1.22"
        cloudflare_gateway_addr: "192.168.1.23"
        """;

    public static TheoryData<string> Cases => TestData.TemplateCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_template_case_imports_builds_and_renders(string @case)
    {
        var dir = TestData.Shared("corpus", "template", "cases", @case);

        var import = TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml"));

        Assert.True(import.Cluster is not null, string.Join("\n", import.Problems));
        Assert.DoesNotContain(import.Problems, p => p.IsError);
        var rendered = import.Cluster.Build().Render();
        Assert.NotNull(rendered.Tree["kubernetes/apps/kube-system/cilium/app/helmrelease.yaml"]);
        Assert.Contains("cloudflare_token", import.IgnoredKeys);
    }

    [Fact]
    public void Defaults_case_keeps_the_templates_L2_policy_but_as_v2alpha1_and_pins_the_gateways_inside_the_pool()
    {
        var dir = TestData.Shared("corpus", "template", "cases", "a-defaults");
        var cluster = TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml")).Cluster!.Build();
        var rendered = cluster.Render();
        var template = Manifests.ParseYaml(File.ReadAllText(Path.Combine(dir, "kubernetes/apps/kube-system/cilium/app/networks.yaml")));
        var templateL2 = template.Single(d => d["kind"]!.GetValue<string>() == "CiliumL2AnnouncementPolicy");

        var ours = rendered.Resources.L2Policy!;
        Assert.Equal("cilium.io/v2", templateL2["apiVersion"]!.GetValue<string>());
        Assert.Equal("cilium.io/v2alpha1", ours.ApiVersion); // FINDINGS.md 1
        Assert.Equal(templateL2["metadata"]!["name"]!.GetValue<string>(), ours.Metadata.Name);
        Assert.Equal(templateL2["spec"]!["nodeSelector"]!.ToJsonString(), System.Text.Json.JsonSerializer.Serialize(ours.Spec!.NodeSelector, Manifests.SerializerOptions));
        Assert.True(templateL2["spec"]!["loadBalancerIPs"]!.GetValue<bool>());
        Assert.True(ours.Spec.LoadBalancerIPs);
        Assert.Equal(["envoy-internal:192.168.1.21", "envoy-external:192.168.1.23", "k8s-gateway:192.168.1.22"], cluster.Spec.PinnedIps.Select(p => $"{p.Name}:{p.Address}"));
    }

    [Fact]
    public void Whole_node_network_pool_skips_the_node_api_and_gateway_addresses_and_says_so()
    {
        var import = TemplateImporter.Import(Base, Nodes);

        var pool = import.Cluster!.Spec.Pools.Single();
        Assert.Equal(["192.168.1.2-192.168.1.9", "192.168.1.11-192.168.1.19", "192.168.1.21-192.168.1.254"], pool.Blocks.Select(b => b.ToString()));
        Assert.Contains(import.Problems, p => p.Path == "cilium_lb_pool_cidr" && p.Severity == ValidationSeverity.Warning);
    }

    public static TheoryData<string, string, string> SchemaViolations => new()
    {
        { "cilium_bgp_hold_time: 301", "cilium_bgp_hold_time", "outside the template's range 3-300" },
        { "cilium_bgp_keepalive_time: 0", "cilium_bgp_keepalive_time", "outside the template's range 1-100" },
        { "cilium_bgp_graceful_restart_time: 29", "cilium_bgp_graceful_restart_time", "range 30-600" },
        { "cilium_bgp_ecmp_max_paths: 17", "cilium_bgp_ecmp_max_paths", "range 1-16" },
        { "cilium_bgp_hold_time: \"9\"", "cilium_bgp_hold_time", "must be a whole number" },
        { "cilium_bgp_router_addr: \"192.168.1.1\"\ncilium_bgp_router_asn: 64513\ncilium_bgp_node_asn: \"64514\"", "cilium_bgp_router_asn", "must be a string" },
        { "cilium_bgp_router_addr: \"192.168.1.1\"\ncilium_bgp_router_asn: \"64x13\"\ncilium_bgp_node_asn: \"64514\"", "cilium_bgp_router_asn", "string of digits" },
        { "cilium_bgp_router_addr: \"192.168.1.1\"", "cilium_bgp_router_asn", "BGP is partly configured" },
        { "cilium_bgp_router_addr: \"192.168.1.1\"\ncilium_bgp_router_asn: \"64513\"\ncilium_bgp_node_asn: \"64514\"\ncilium_bgp_hold_time: 9\ncilium_bgp_keepalive_time: 10", "cilium_bgp_keepalive_time", "greater than cilium_bgp_hold_time" },
        { "cilium_loadbalancer_mode: \"hybrid\"", "cilium_loadbalancer_mode", "not one of dsr, snat" },
        { "network_policies_mode: \"strict\"", "network_policies_mode", "not one of audit, enforce" },
        { "hubble_enabled: \"yes\"", "hubble_enabled", "must be true or false" },
        { "cloudflare_gateway_addr: \"192.168.1.21\"", "cloudflare_gateway_addr", "same address as cluster_gateway_addr" },
    };

    /// <summary>The base cluster.yaml with a SchemaViolations row's lines (a cloudflare_gateway_addr row replaces that key).</summary>
    public static string WithExtra(string extra) =>
        Base.Replace("cloudflare_gateway_addr: \"192.168.1.23\"", extra.StartsWith("cloudflare_gateway_addr", StringComparison.Ordinal) ? extra : "cloudflare_gateway_addr: \"192.168.1.23\"\n" + extra, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(SchemaViolations))]
    public void Schema_violations_name_the_key_the_line_and_the_fix(string extra, string key, string message)
    {
        var yaml = WithExtra(extra);

        var import = TemplateImporter.Import(yaml, Nodes);

        Assert.Null(import.Cluster);
        var problem = Assert.Single(import.Problems, p => p.Path == key && p.IsError);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.Fix));
        if (!message.Contains("partly", StringComparison.Ordinal) && !message.Contains("same address", StringComparison.Ordinal) && !message.Contains("greater", StringComparison.Ordinal))
        {
            Assert.Matches(@"cluster\.yaml line \d+", problem.Message);
        }
    }

    [Fact]
    public void A_password_of_the_wrong_type_is_reported_without_its_value()
    {
        var import = TemplateImporter.Import(Base + "\ncilium_bgp_password: 123456789", Nodes);

        var problem = Assert.Single(import.Problems, p => p.Path == "cilium_bgp_password" && p.IsError);
        Assert.Null(problem.Value);
        Assert.All(import.Problems, p => Assert.DoesNotContain("123456789", p.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_ToString_redacts_the_password()
    {
        var import = TemplateImporter.Import(Base + "\ncilium_bgp_password: \"s3cret-md5\"", Nodes);

        Assert.DoesNotContain("s3cret-md5", import.Settings!.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", import.Settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_is_an_error_naming_the_file()
    {
        var import = TemplateImporter.Import("node_cidr: [unclosed", Nodes);

        Assert.Null(import.Cluster);
        Assert.Contains(import.Problems, p => p.Path == "cluster.yaml" && p.Message.Contains("not valid YAML", StringComparison.Ordinal));
    }
}
