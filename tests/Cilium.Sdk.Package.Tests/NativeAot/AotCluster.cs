// The cluster the native-AOT app renders. This one file is compiled into the test (to render the expected tree in
// process) and copied, as text, into the app (NativeAotTests), so both describe exactly the same cluster. It uses what
// writes KubernetesClient models (BGP with its password Secret, label selectors in policies, object metadata) and the
// typed Helm values.
using System.Net;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Secrets;

internal static class AotCluster
{
    public static CiliumClusterBuilder Builder() => CiliumCluster.Create("aot-lab")
        .WithNodeCidr("192.168.7.0/24")
        .WithApiAddress("192.168.7.20")
        .WithNodes(ClusterNode.Controller("cp-0", "192.168.7.10"), ClusterNode.Worker("w-0", "192.168.7.11"))
        .WithLoadBalancer(LoadBalancerAlgorithm.Maglev, LoadBalancerMode.Dsr)
        .WithLoadBalancerPool(LbPool.Create("pool").WithCidr("172.20.7.0/24"))
        .WithPinnedServiceIp("network", "envoy-internal", "172.20.7.21")
        .WithBgp(new BgpOptions(IPAddress.Parse("192.168.7.1"), 64513, 64514) { Password = new SecretValue("aot-s3cret") })
        .WithHubble(HubbleOptions.Default.WithUi())
        .WithPolicies(Presets.For(Components.CoreDns, Components.HubbleRelay, Components.HubbleUi), PolicyMode.Enforce);
}
