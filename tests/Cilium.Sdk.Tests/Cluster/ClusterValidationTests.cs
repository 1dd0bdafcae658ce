using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.L2;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Routing;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Cluster;

/// <summary>Each whole-cluster rule, one case each: the mistake, the path it is reported at, and words of the message.</summary>
public sealed class ClusterValidationTests
{
    /// <summary>One mistake: how to break the valid homelab, and where and how it must be reported.</summary>
    public sealed record Case(Func<CiliumClusterBuilder, CiliumClusterBuilder> Break, string Path, string Message, ValidationSeverity Severity = ValidationSeverity.Error);

    /// <summary>Read by the bad-input catalogue (Validation/BadInputCatalogueTests) as well.</summary>
    public static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>
    {
        ["invalid cluster name"] = new(b => CiliumCluster.Create("Home Lab").WithNodeCidr("192.168.1.0/24").WithNode(ClusterNode.Controller("k8s-0", "192.168.1.10")), "name", "not a valid cluster name"),
        ["node CIDR missing"] = new(b => CiliumCluster.Create("home").WithNode(ClusterNode.Controller("k8s-0", "192.168.1.10")), "networks.nodeCidr", "is required"),
        ["malformed CIDR"] = new(b => b.WithPodCidr("10.42.0.0/33"), "networks.podCidr", "not a valid IPv4 CIDR"),
        ["CIDR with host bits"] = new(b => b.WithServiceCidr("10.43.1.0/16"), "networks.serviceCidr", "did you mean 10.43.0.0/16"),
        ["CIDR without prefix"] = new(b => b.WithPodCidr("10.42.0.0"), "networks.podCidr", "add the prefix length"),
        ["pod and service CIDR overlap"] = new(b => b.WithServiceCidr("10.42.128.0/17"), "networks.serviceCidr", "overlaps networks.podCidr"),
        ["pod CIDR overlaps node CIDR"] = new(b => b.WithPodCidr("192.168.0.0/16"), "networks.podCidr", "overlaps networks.nodeCidr"),
        ["no nodes"] = new(b => CiliumCluster.Create("home").WithNodeCidr("192.168.1.0/24"), "nodes", "no nodes"),
        ["no controller"] = new(b => CiliumCluster.Create("home").WithNodeCidr("192.168.1.0/24").WithNode(ClusterNode.Worker("w", "192.168.1.30")), "nodes", "no node is a controller"),
        ["duplicate node name"] = new(b => b.WithNode(ClusterNode.Worker("k8s-0", "192.168.1.13")), "nodes[3].name", "also the name of nodes[0]"),
        ["duplicate node address"] = new(b => b.WithNode(ClusterNode.Worker("k8s-3", "192.168.1.10")), "nodes[3].address", "already used by nodes[0].address"),
        ["node address is the API address"] = new(b => b.WithNode(ClusterNode.Worker("k8s-3", "192.168.1.20")), "nodes[3].address", "already used by networks.apiAddress"),
        ["invalid node name"] = new(b => b.WithNode(ClusterNode.Worker("K8S_3", "192.168.1.13")), "nodes[3].name", "not a valid node name"),
        ["malformed node address"] = new(b => b.WithNode(ClusterNode.Worker("k8s-3", "192.168.1")), "nodes[3].address", "not a valid IPv4 address"),
        ["node off the node network"] = new(b => b.WithNode(ClusterNode.Worker("k8s-3", "10.0.0.3")), "nodes[3].address", "outside the node network"),
        ["invalid node label"] = new(b => b.WithNode(ClusterNode.Worker("k8s-3", "192.168.1.13").WithLabel("bad key!", "x")), "nodes[3].labels[bad key!]", "not a valid label key"),
        ["node network holds none of the nodes"] = new(b => b.WithNodeCidr("10.0.0.0/24"), "networks.nodeCidr", "contains none of the nodes: k8s-0 (192.168.1.10), k8s-1 (192.168.1.11), k8s-2 (192.168.1.12)"),
        ["pool holds several of the cluster's own addresses"] = new(b => b.WithLoadBalancerPool(LbPool.Create("low").WithRange("192.168.1.1", "192.168.1.20")), "loadBalancer.pools[1].blocks[0]", "contains 5 addresses the cluster itself uses"),
        ["several pinned IPs outside every pool"] = new(b => b.WithPinnedServiceIp("network", "k8s-gateway", "10.9.9.1").WithPinnedServiceIp("network", "envoy-external", "10.9.9.2"), "loadBalancer.pinnedIps", "2 pinned addresses are in no LoadBalancer IP pool"),
        ["API address off the node network"] = new(b => b.WithApiAddress("10.1.1.1"), "networks.apiAddress", "outside the node network"),
        ["pool overlaps another pool"] = new(b => b.WithLoadBalancerPool(LbPool.Create("second").WithRange("192.168.1.230", "192.168.1.250")), "loadBalancer.pools[1].blocks[0]", "overlaps loadBalancer.pools[0].blocks[0]"),
        ["duplicate pool name"] = new(b => b.WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.1.240", "192.168.1.250")), "loadBalancer.pools[1].name", "name of another pool"),
        ["pool without blocks"] = new(b => b.WithLoadBalancerPool(LbPool.Create("empty")), "loadBalancer.pools[1].blocks", "no address blocks"),
        ["pool range reversed"] = new(b => b.WithLoadBalancerPool(LbPool.Create("r").WithRange("192.168.1.250", "192.168.1.240")), "loadBalancer.pools[1].blocks[0]", "starts after it stops"),
        ["pool contains a node address"] = new(b => b.WithLoadBalancerPool(LbPool.Create("low").WithRange("192.168.1.5", "192.168.1.10")), "loadBalancer.pools[1].blocks[0]", "contains 192.168.1.10, which is nodes[0].address"),
        ["pool contains the API address"] = new(b => b.WithLoadBalancerPool(LbPool.Create("low").WithRange("192.168.1.20", "192.168.1.25")), "loadBalancer.pools[1].blocks[0]", "which is networks.apiAddress"),
        ["pool contains the gateway"] = new(b => b.WithLoadBalancerPool(LbPool.Create("low").WithRange("192.168.1.1", "192.168.1.2")), "loadBalancer.pools[1].blocks[0]", "which is networks.gateway"),
        ["pool overlaps the service CIDR"] = new(b => b.WithoutL2Announcements().WithLoadBalancerPool(LbPool.Create("svc").WithCidr("10.43.200.0/24")), "loadBalancer.pools[1].blocks[0]", "overlaps networks.serviceCidr"),
        ["L2 pool off the nodes' link"] = new(b => b.WithLoadBalancerPool(LbPool.Create("remote").WithCidr("172.20.10.0/24")), "loadBalancer.pools[1].blocks[0]", "not on the nodes' network"),
        ["pinned IP outside every pool"] = new(b => b.WithPinnedServiceIp("network", "k8s-gateway", "192.168.1.100"), "loadBalancer.pinnedIps[1].address", "in no LoadBalancer IP pool"),
        ["pinned IP used twice"] = new(b => b.WithPinnedServiceIp("network", "envoy-external", "192.168.1.201"), "loadBalancer.pinnedIps[1].address", "also pinned by loadBalancer.pinnedIps[0]"),
        ["pinned IPs exhaust the pool"] = new(b => CiliumCluster.Create("home").WithNodeCidr("192.168.1.0/24").WithNode(ClusterNode.Controller("k8s-0", "192.168.1.10"))
            .WithLoadBalancerPool(LbPool.Create("tiny").WithRange("192.168.1.200", "192.168.1.201"))
            .WithPinnedServiceIp("a", "one", "192.168.1.200").WithPinnedServiceIp("a", "two", "192.168.1.201"), "loadBalancer.pools[0]", "take all 2 usable addresses"),
        ["invalid pinned Service name"] = new(b => b.WithPinnedServiceIp("network", "Envoy", "192.168.1.210"), "loadBalancer.pinnedIps[1].name", "not a valid Service name"),
        ["DSR without kube-proxy replacement"] = new(b => b.WithKubeProxyReplacement(KubeProxyReplacement.Off()), "loadBalancer.mode", "needs kube-proxy replacement"),
        ["DSR in tunnel mode"] = new(b => b.WithRouting(RoutingOptions.Tunnel()), "loadBalancer.mode", "needs native routing"),
        ["native-routing CIDR without the pods"] = new(b => b.WithRouting(RoutingOptions.Native() with { NativeRoutingCidr = "10.99.0.0/16" }), "routing.nativeRoutingCidr", "does not contain the pod CIDR"),
        ["invalid L2 interface regex"] = new(b => b.WithL2Announcements(L2Announcements.Default.OnInterfaces("^eth[0-9")), "l2.interfaces[0]", "not a valid regular expression"),
        ["Hubble UI without relay"] = new(b => b.WithHubble(HubbleOptions.Default.WithUi() with { Relay = false }), "hubble.ui", "needs Hubble and Hubble relay"),
        ["exemplars without OpenMetrics"] = new(b => b.WithMonitoring(new Monitoring(Tracing: true)).WithHubble(HubbleOptions.Default.WithMetrics(HubbleMetric.HttpV2(exemplars: true)) with { OpenMetrics = false }), "hubble.metrics", "exemplars need OpenMetrics"),
        ["exemplars without tracing (warning)"] = new(b => b.WithHubble(HubbleOptions.Default.WithMetrics(HubbleMetric.HttpV2(exemplars: true))), "hubble.metrics", "no tracing backend", ValidationSeverity.Warning),
        ["L2 without a pool (warning)"] = new(b => CiliumCluster.Create("home").WithNodeCidr("192.168.1.0/24").WithNode(ClusterNode.Controller("k8s-0", "192.168.1.10")), "loadBalancer.pools", "no LoadBalancer IP pool", ValidationSeverity.Warning),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_mistake_is_reported_at_its_path_with_the_value_and_a_fix(string name)
    {
        var @case = Cases[name];
        var problems = @case.Break(SampleClusters.HomeLab()).Validate();

        var match = problems.FirstOrDefault(p => p.Path == @case.Path && p.Message.Contains(@case.Message, StringComparison.Ordinal)
            || p.Path == @case.Path && p.Fix.Contains(@case.Message, StringComparison.Ordinal));
        Assert.True(match is not null, $"expected '{@case.Message}' at {@case.Path}; got:\n{string.Join("\n", problems)}");
        Assert.Equal(@case.Severity, match.Severity);
        Assert.Equal(ValidationLayers.Cluster, match.Layer);
        Assert.False(string.IsNullOrWhiteSpace(match.Fix));

        // One mistake, one error: nothing else is reported for it (consequences are not repeated).
        var errors = problems.Where(p => p.IsError).ToList();
        Assert.True(errors.Count == (@case.Severity == ValidationSeverity.Error ? 1 : 0), $"one mistake gave {errors.Count} errors:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void The_catalogue_covers_every_rule_once_and_the_valid_homelab_trips_none()
    {
        Assert.True(Cases.Count >= 35, $"only {Cases.Count} cases");
        Assert.Empty(SampleClusters.HomeLab().Validate());
    }
}
