#!/usr/bin/env dotnet
// A cluster as a .NET 10 file-based app: `dotnet run samples/scripts/cluster.cs [-- <out>]`. No project file; the
// directives below reference the SDK's project (a published script would use `#:package Cilium.Sdk@<version>`).
// Default settings (PublishAot=true, so no reflection-based JSON): the SDK needs none.
#:project ../../src/Cilium.Sdk/Cilium.Sdk.csproj
// Explicit usings: inside this repository the script inherits Directory.Build.props, which turns implicit usings off.
using System;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Routing;

var outDir = Path.GetFullPath(args.Length > 0 ? args[0] : "out");

var cluster = CiliumCluster.Create("lab")
    .WithNodeCidr("10.10.0.0/24")
    .WithApiAddress("10.10.0.5")
    .WithNodes(
        ClusterNode.Controller("cp-0", "10.10.0.10"),
        ClusterNode.Worker("worker-0", "10.10.0.20"),
        ClusterNode.Worker("worker-1", "10.10.0.21"))
    .WithRouting(RoutingOptions.Native())
    .WithLoadBalancer(LoadBalancerAlgorithm.Maglev, LoadBalancerMode.Snat)
    .WithLoadBalancerPool(LbPool.Create("lan").WithRange("10.10.0.200", "10.10.0.220"))
    .WithL2Announcements()
    .WithHubble(HubbleOptions.Default);

var problems = cluster.Validate();
foreach (var problem in problems)
{
    Console.Error.WriteLine(problem);
}

if (problems.Any(p => p.IsError))
{
    return 1;
}

var result = cluster.Build().Render().WriteTo(outDir);
Console.WriteLine(result);
return 0;
