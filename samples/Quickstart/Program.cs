// The README's default job: a three-node homelab cluster in L2 mode, described with the SDK's builder, validated as
// a whole, and written as a Flux GitOps tree (plus the Talos patch) under ./out, or the folder given as argument.
using Cilium.Sdk.Cluster;
using Cilium.Sdk.LoadBalancing;

var outDir = Path.GetFullPath(args.Length > 0 ? args[0] : "out");

var cluster = CiliumCluster.Create("home")
    .WithCiliumVersion(CiliumVersion.V1_20)
    .WithNodeCidr("192.168.1.0/24")
    .WithApiAddress("192.168.1.20")
    .WithNodes(
        ClusterNode.Controller("k8s-0", "192.168.1.10"),
        ClusterNode.Controller("k8s-1", "192.168.1.11"),
        ClusterNode.Controller("k8s-2", "192.168.1.12"))
    .WithLoadBalancer(LoadBalancerAlgorithm.Maglev, LoadBalancerMode.Dsr)
    .WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.1.200", "192.168.1.239"))
    .WithPinnedServiceIp("network", "envoy-internal", "192.168.1.201")
    .WithPinnedServiceIp("network", "envoy-external", "192.168.1.202")
    .WithPinnedServiceIp("network", "k8s-gateway", "192.168.1.203")
    .WithL2Announcements();

var problems = cluster.Validate();
foreach (var problem in problems)
{
    Console.Error.WriteLine(problem);
}

if (problems.Any(p => p.IsError))
{
    return 1;
}

var rendered = cluster.Build().Render();
var result = rendered.WriteTo(outDir);
foreach (var path in result.Created.Concat(result.Updated).Order(StringComparer.Ordinal))
{
    Console.WriteLine($"  {path}");
}

Console.WriteLine(result);
return 0;
