using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Routing;

namespace Cilium.Sdk.Tests.Cluster;

/// <summary>Cluster descriptions the tests share: a valid homelab, and variants of it.</summary>
internal static class SampleClusters
{
    /// <summary>Three controllers on 192.168.1.0/24, L2 announcements, a range pool at the top of the LAN.</summary>
    public static CiliumClusterBuilder HomeLab(CiliumVersion? version = null) =>
        CiliumCluster.Create("home")
            .WithCiliumVersion(version ?? CiliumVersion.V1_20)
            .WithNodeCidr("192.168.1.0/24")
            .WithApiAddress("192.168.1.20")
            .WithNodes(
                ClusterNode.Controller("k8s-0", "192.168.1.10"),
                ClusterNode.Controller("k8s-1", "192.168.1.11"),
                ClusterNode.Worker("k8s-2", "192.168.1.12").WithLabel("topology.kubernetes.io/zone", "rack-1"))
            .WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.1.200", "192.168.1.239"))
            .WithPinnedServiceIp("network", "envoy-internal", "192.168.1.201")
            .WithL2Announcements();

    /// <summary>Every optional feature on: Hubble with UI, monitoring with tracing, several pools, tunnel + SNAT.</summary>
    public static CiliumClusterBuilder Everything(CiliumVersion? version = null) =>
        HomeLab(version)
            .WithHubble(HubbleOptions.Default.WithUi().WithMetrics([.. HubbleMetric.Standard(tracing: true)]))
            .WithMonitoring(new Monitoring(Tracing: true))
            .WithLoadBalancerPool(LbPool.Create("dmz").WithCidr("192.168.1.128/27").WithServiceSelector("zone", "dmz"))
            .WithRouting(RoutingOptions.Tunnel(TunnelProtocol.Geneve))
            .WithLoadBalancer(LoadBalancerAlgorithm.Random, LoadBalancerMode.Snat);
}
