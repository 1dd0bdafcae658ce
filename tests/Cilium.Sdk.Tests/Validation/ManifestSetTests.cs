using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>ManifestSet: the per-document checks every Cilium kind gets, the set rules (one passing and one failing
/// case each), and every INVALID.md case as lint reports it (with its layer).</summary>
public sealed class ManifestSetTests
{
    private static IReadOnlyList<ManifestFinding> Lint(CiliumVersion version, params (string File, string Yaml)[] files) =>
        ManifestSet.Of(files.Select(f => Manifests.ReadAll(f.Yaml, f.File))).Validate(version);

    private static IReadOnlyList<ManifestFinding> Lint(params (string File, string Yaml)[] files) => Lint(CiliumVersion.V1_20, files);

    [Theory]
    [MemberData(nameof(InvalidCasesTests.Cases), MemberType = typeof(InvalidCasesTests))]
    public void Every_invalid_md_case_is_a_lint_error_at_its_field_with_its_layer(string id, string version, string yaml, string path, string layer)
    {
        var findings = Lint(CiliumVersion.Parse(version), ("case.yaml", yaml));

        bool At(string p) => p == path || p.StartsWith(path + ".", StringComparison.Ordinal) || p.StartsWith(path + "[", StringComparison.Ordinal);
        var at = findings.Where(f => f.IsError && At(f.Error.Path)).ToList();

        // The API server refuses before the agent sees the object: where the schema also rejects an agent case, lint
        // reports the schema's error only (one mistake, one error); the record's own Validate still has the agent's.
        var expected = layer == ValidationLayers.Agent && at.Any(f => f.Error.Layer == ValidationLayers.Schema) ? ValidationLayers.Schema : layer;
        Assert.True(at.Any(f => f.Error.Layer == expected), $"{id}: no {expected}-layer error at '{path}'; got: {string.Join(" | ", findings)}");
        if (expected != layer)
        {
            var record = (IValidatable)Manifests.ReadAny(yaml);
            Assert.Contains(record.Validate(CiliumVersion.Parse(version)), e => e.Layer == layer && At(e.Path));
        }

        Assert.All(findings, f => Assert.True(f.File == "case.yaml" && f.Line >= 1 && f.Column >= 1));
    }

    [Fact]
    public void Agent_errors_are_not_repeated_where_the_schema_already_refuses_the_value()
    {
        // A port the CRD's pattern refuses is one error, not also the agent's.
        var findings = Lint(("p.yaml", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress:\n    - toPorts: [{ports: [{port: '[0-125]+80', protocol: TCP}]}]\n"));

        var finding = Assert.Single(findings);
        Assert.Equal(ValidationLayers.Schema, finding.Error.Layer);
    }

    [Theory]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumPodIPPool\nmetadata: {name: p}\nspec: {}\n", "apiVersion", "use apiVersion: cilium.io/v2alpha1", true)]
    [InlineData("apiVersion: cilium.io/v2alpha1\nkind: CiliumBGPPeeringPolicy\nmetadata: {name: p}\nspec: {}\n", "apiVersion", "CiliumBGPClusterConfig", true)]
    [InlineData("apiVersion: cilium.io/v2alpha1\nkind: CiliumNodeConfig\nmetadata: {name: p, namespace: kube-system}\nspec: {}\n", "apiVersion", "use apiVersion: cilium.io/v2", true)]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicee\nmetadata: {name: p}\n", "kind", "check the spelling", true)]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumEnvoyConfig\nmetadata: {namespace: x}\nspec: {}\n", "metadata.name", "set metadata.name", true)]
    [InlineData("apiVersion: cilium.io/v2alpha1\nkind: CiliumCIDRGroup\nmetadata: {name: g}\nspec: {externalCIDRs: [10.0.0.0/8]}\n", "apiVersion", "use apiVersion: cilium.io/v2", false)]
    [InlineData("apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {endpointSelector: {}, ingress: [{}]}\n", "metadata.namespace", "use a CiliumNetworkPolicy", false)]
    public void Every_cilium_kind_is_checked_for_what_the_release_serves(string yaml, string path, string fix, bool error)
    {
        var finding = Assert.Single(Lint(("x.yaml", yaml)));

        Assert.Equal(path, finding.Error.Path);
        Assert.Equal(error, finding.IsError);
        Assert.Contains(fix, finding.Error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void CiliumNodeConfig_v2alpha1_is_served_by_1_19_only()
    {
        const string yaml = "apiVersion: cilium.io/v2alpha1\nkind: CiliumNodeConfig\nmetadata: {name: p, namespace: kube-system}\nspec: {}\n";
        Assert.DoesNotContain(Lint(CiliumVersion.V1_19, ("x.yaml", yaml)), f => f.IsError);
        Assert.Contains(Lint(CiliumVersion.V1_20, ("x.yaml", yaml)), f => f.IsError && f.Error.Path == "apiVersion");
    }

    [Fact]
    public void Documents_are_classified_and_only_cilium_ones_are_checked()
    {
        var read = Manifests.ReadAll("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {nonsense: 1}\n---\napiVersion: cilium.io/v2\nkind: CiliumEnvoyConfig\nmetadata: {name: e, namespace: x}\nspec: {anything: 1}\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: {endpointSelector: {}, ingress: [{}]}\nsops: {mac: x}\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: q}\nspec: {endpointSelector: {}, ingress: [{}]}\n", "x.yaml");

        Assert.Equal([ManifestCoverage.NotCilium, ManifestCoverage.KindWithoutSchema, ManifestCoverage.Encrypted, ManifestCoverage.Checked], read.Select(ManifestSet.CoverageOf));
        Assert.Empty(ManifestSet.Of([read]).Validate(CiliumVersion.V1_20));
    }

    /// <summary>INVALID.md layer C (controller conditions): which lint finds, by the test that shows it, and why not the others.</summary>
    private static readonly Dictionary<string, string> ControllerCases = new(StringComparer.Ordinal)
    {
        ["C1"] = nameof(C1_pools_that_overlap_across_files_are_an_agent_error_at_the_later_block),
        ["C2"] = nameof(C2_blocks_that_overlap_within_one_pool_are_an_error),
        ["C3"] = nameof(C3_a_range_the_operator_cannot_read_is_an_error),
        ["C4"] = "not checked: which nodes a nodeSelector matches depends on the cluster's Node objects, not on manifests in a repository",
        ["C5"] = nameof(C5_a_peer_config_referenced_but_missing_is_an_agent_error_naming_the_ones_there),
        ["C6"] = "not checked: whether two cluster configs select the same node depends on the nodes' labels",
        ["C7"] = "not checked: the BGP password Secret lives encrypted (sops) or outside the repository",
    };

    [Fact]
    public void Every_layer_C_case_of_invalid_md_is_a_test_or_excluded_with_a_reason()
    {
        var text = File.ReadAllText(SharedCorpus.Require("corpus/cilium/INVALID.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(text, @"^\| (C[0-9]+) \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        var tests = typeof(ManifestSetTests).GetMethods().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(documented, ControllerCases.Keys.Order(StringComparer.Ordinal));
        Assert.All(ControllerCases.Values, v => Assert.True(tests.Contains(v) || v.StartsWith("not checked: ", StringComparison.Ordinal), v));
    }

    // --- Pools ---------------------------------------------------------------------------------------------------

    private static string Pool(string name, string blocks, string extra = "") =>
        $"apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: {name}\nspec:\n  blocks:\n{blocks}{extra}";

    [Fact]
    public void C1_pools_that_overlap_across_files_are_an_agent_error_at_the_later_block()
    {
        var findings = Lint(("a.yaml", Pool("pool-a", "    - cidr: 10.0.10.0/24\n")), ("b.yaml", Pool("pool-b", "    - cidr: 10.0.20.0/24\n    - start: 10.0.10.200\n      stop: 10.0.10.210\n    - cidr: ff::0/48\n")));

        var finding = Assert.Single(findings);
        Assert.Equal(("b.yaml", 8, 7), (finding.File, finding.Line, finding.Column));
        Assert.Equal("spec.blocks[1]", finding.Error.Path);
        Assert.Equal(ValidationLayers.Agent, finding.Error.Layer);
        Assert.Contains("pool 'pool-a' at a.yaml:7", finding.Error.Message, StringComparison.Ordinal);
        Assert.Empty(Lint(("a.yaml", Pool("pool-a", "    - cidr: 10.0.10.0/25\n")), ("b.yaml", Pool("pool-b", "    - cidr: 10.0.10.128/25\n    - cidr: ff::0/48\n")), ("c.yaml", Pool("pool-c", "    - cidr: fe::0/48\n"))));
    }

    [Fact]
    public void C2_blocks_that_overlap_within_one_pool_are_an_error()
    {
        var finding = Assert.Single(Lint(("p.yaml", Pool("p", "    - cidr: 10.0.10.0/24\n    - cidr: 10.0.10.64/28\n"))));
        Assert.Contains("of the same pool", finding.Error.Message, StringComparison.Ordinal);
        Assert.Equal(8, finding.Line);
    }

    [Fact]
    public void C3_a_range_the_operator_cannot_read_is_an_error()
    {
        var finding = Assert.Single(Lint(("p.yaml", Pool("p", "    - start: 10.0.10.20\n      stop: 10.0.10.10\n"))));
        Assert.Equal(ValidationLayers.Agent, finding.Error.Layer);
        Assert.Equal("spec.blocks[0]", finding.Error.Path);
        Assert.Empty(Lint(("p.yaml", Pool("p", "    - start: 10.0.10.10\n"))));
    }

    // --- L2 and BGP selections -------------------------------------------------------------------------------

    private const string L2 = "apiVersion: cilium.io/v2alpha1\nkind: CiliumL2AnnouncementPolicy\nmetadata: {name: l2}\nspec:\n  loadBalancerIPs: true\n  serviceSelector:\n    matchLabels: {announce: l2}\n";

    [Fact]
    public void An_l2_policy_that_can_select_no_service_a_pool_serves_is_a_warning()
    {
        var selectivePool = Pool("p", "    - cidr: 10.0.10.0/24\n", "  serviceSelector:\n    matchLabels: {announce: bgp}\n");
        var finding = Assert.Single(Lint(("pool.yaml", selectivePool), ("l2.yaml", L2)));
        Assert.Equal(("l2.yaml", "spec.serviceSelector", ValidationSeverity.Warning), (finding.File, finding.Error.Path, finding.Error.Severity));
        Assert.Equal(6, finding.Line);

        Assert.Empty(Lint(("pool.yaml", Pool("p", "    - cidr: 10.0.10.0/24\n", "  serviceSelector:\n    matchExpressions: [{key: announce, operator: In, values: [l2, bgp]}]\n")), ("l2.yaml", L2)));
        Assert.Empty(Lint(("pool.yaml", Pool("p", "    - cidr: 10.0.10.0/24\n")), ("l2.yaml", L2)));
        Assert.Empty(Lint(("l2.yaml", L2)));
    }

    [Fact]
    public void A_selector_that_matches_none_of_the_services_in_the_files_is_a_warning()
    {
        const string service = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop, labels: {announce: bgp}}\nspec: {type: LoadBalancer}\n";
        Assert.Contains("selects none of the 1 Service(s)", Assert.Single(Lint(("l2.yaml", L2), ("svc.yaml", service))).Error.Message, StringComparison.Ordinal);
        Assert.Empty(Lint(("l2.yaml", L2), ("svc.yaml", service.Replace("announce: bgp", "announce: l2", StringComparison.Ordinal))));
    }

    private static string Advertisement(string items, string labels = "{advertise: bgp}") =>
        $"apiVersion: cilium.io/v2\nkind: CiliumBGPAdvertisement\nmetadata:\n  name: adv\n  labels: {labels}\nspec:\n  advertisements:\n{items}";

    [Fact]
    public void A_bgp_service_advertisement_without_selector_or_without_a_pool_to_match_is_a_warning()
    {
        var noSelector = Assert.Single(Lint(("adv.yaml", Advertisement("    - advertisementType: Service\n      service: {addresses: [LoadBalancerIP]}\n"))));
        Assert.Equal("spec.advertisements[0]", noSelector.Error.Path);

        var pool = Pool("p", "    - cidr: 10.0.10.0/24\n", "  serviceSelector:\n    matchLabels: {tier: edge}\n");
        var unserved = Assert.Single(Lint(("pool.yaml", pool), ("adv.yaml", Advertisement("    - advertisementType: Service\n      service: {addresses: [LoadBalancerIP]}\n      selector: {matchLabels: {tier: internal}}\n"))));
        Assert.Equal("spec.advertisements[0].selector", unserved.Error.Path);
        Assert.Equal(10, unserved.Line);

        // ClusterIPs need no pool; an open NotIn selector can meet any pool.
        Assert.Empty(Lint(("pool.yaml", pool), ("adv.yaml", Advertisement("    - advertisementType: Service\n      service: {addresses: [ClusterIP]}\n      selector: {matchLabels: {tier: internal}}\n"))));
        Assert.Empty(Lint(("pool.yaml", pool), ("adv.yaml", Advertisement("    - advertisementType: Service\n      service: {addresses: [LoadBalancerIP]}\n      selector: {matchExpressions: [{key: somekey, operator: NotIn, values: [never-used-value]}]}\n    - advertisementType: PodCIDR\n"))));
    }

    private static string ClusterConfig(string peers) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig\nmetadata: {{name: cluster}}\nspec:\n  bgpInstances:\n    - name: instance-65000\n      localASN: 65000\n{peers}";

    private const string PeerConfig = "apiVersion: cilium.io/v2\nkind: CiliumBGPPeerConfig\nmetadata: {name: peer}\nspec:\n  families:\n    - afi: ipv4\n      safi: unicast\n      advertisements: {matchLabels: {advertise: bgp}}\n";

    [Fact]
    public void C5_a_peer_config_referenced_but_missing_is_an_agent_error_naming_the_ones_there()
    {
        var yaml = ClusterConfig("      peers:\n        - name: router\n          peerASN: 65001\n          peerAddress: 192.168.1.1\n          peerConfigRef: {name: peer-typo}\n");
        var finding = Assert.Single(Lint(("cluster.yaml", yaml), ("peer.yaml", PeerConfig), ("adv.yaml", Advertisement("    - advertisementType: PodCIDR\n"))));

        Assert.Equal("spec.bgpInstances[0].peers[0].peerConfigRef.name", finding.Error.Path);
        Assert.Equal(ValidationLayers.Agent, finding.Error.Layer);
        Assert.Contains("(there: peer)", finding.Error.Message, StringComparison.Ordinal);
        Assert.Equal(12, finding.Line);
        Assert.Empty(Lint(("cluster.yaml", yaml.Replace("peer-typo", "peer", StringComparison.Ordinal)), ("peer.yaml", PeerConfig), ("adv.yaml", Advertisement("    - advertisementType: PodCIDR\n"))));
    }

    [Fact]
    public void A_bgp_instance_without_peers_is_a_warning()
    {
        var finding = Assert.Single(Lint(("cluster.yaml", ClusterConfig(string.Empty))));
        Assert.Equal("spec.bgpInstances[0]", finding.Error.Path);
        Assert.Equal(ValidationSeverity.Warning, finding.Error.Severity);
        Assert.Equal(6, finding.Line);
    }

    [Fact]
    public void A_peer_family_that_selects_no_advertisement_is_a_warning()
    {
        var finding = Assert.Single(Lint(("peer.yaml", PeerConfig), ("adv.yaml", Advertisement("    - advertisementType: PodCIDR\n", "{advertise: other}"))));
        Assert.Equal("spec.families[0].advertisements", finding.Error.Path);
        Assert.Contains("adv {advertise=other}", finding.Error.Message, StringComparison.Ordinal);
        Assert.Equal(8, finding.Line);
    }

    // --- Policies against the workloads in the files --------------------------------------------------------------

    private const string Deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: api}}\n";

    private static string Policy(string spec) =>
        $"apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {{name: p, namespace: shop}}\nspec:\n{spec}";

    [Fact]
    public void A_policy_whose_selectors_match_no_workload_of_the_files_is_a_warning()
    {
        var policy = Policy("  endpointSelector: {matchLabels: {app: apii}}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: api}\n        - matchLabels: {app: web}\n        - matchLabels: {app: web, k8s:io.kubernetes.pod.namespace: other}\n");

        var findings = Lint(("deploy.yaml", Deployment), ("policy.yaml", policy));

        Assert.Equal(["spec.endpointSelector", "spec.ingress[0].fromEndpoints[1]"], findings.Select(f => f.Error.Path));
        Assert.All(findings, f => Assert.Equal((ValidationLayers.Cluster, ValidationSeverity.Warning), (f.Error.Layer, f.Error.Severity)));
        Assert.Contains("Deployment api {app=api}", findings[0].Error.Message, StringComparison.Ordinal);
        Assert.Empty(Lint(("policy.yaml", policy)));
        Assert.Empty(Lint(("deploy.yaml", Deployment), ("policy.yaml", Policy("  endpointSelector: {matchExpressions: [{key: app, operator: In, values: [api, web]}]}\n  ingress: [{}]\n"))));
    }

    [Fact]
    public void Loading_a_folder_reads_yaml_files_in_order_and_skips_dot_folders()
    {
        var root = Directory.CreateTempSubdirectory("cilium-sdk-set-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "b"));
            Directory.CreateDirectory(Path.Combine(root.FullName, ".git"));
            File.WriteAllText(Path.Combine(root.FullName, "b", "z.yml"), Deployment);
            File.WriteAllText(Path.Combine(root.FullName, "a.yaml"), Deployment);
            File.WriteAllText(Path.Combine(root.FullName, ".git", "c.yaml"), Deployment);
            File.WriteAllText(Path.Combine(root.FullName, "notes.txt"), "not yaml");

            var set = ManifestSet.Load([root.FullName, Path.Combine(root.FullName, "a.yaml")]);

            Assert.Equal([Path.Combine(root.FullName, "a.yaml"), Path.Combine(root.FullName, "b", "z.yml")], set.Files.Select(f => f.File));
            Assert.Throws<FileNotFoundException>(() => ManifestSet.Load([Path.Combine(root.FullName, "missing")]));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
