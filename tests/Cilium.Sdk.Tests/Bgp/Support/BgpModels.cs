using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Tests.Bgp.Support;

/// <summary>Models the BGP tests share.</summary>
public static class BgpModels
{
    public static readonly BgpNode[] ThreeNodes =
    [
        new("k8s-0", IPAddress.Parse("192.168.1.10")),
        new("k8s-1", IPAddress.Parse("192.168.1.11")),
        new("k8s-2", IPAddress.Parse("192.168.1.12")),
    ];

    /// <summary>A clean setup: no error, no warning.</summary>
    public static BgpOptions Options() => new(IPAddress.Parse("192.168.1.1"), 64513, 64514);

    public static BgpTopology Topology(CiliumVersion? version = null, IReadOnlyList<BgpNode>? nodes = null) => new(
        "home-ops",
        version ?? CiliumVersion.V1_19,
        nodes ?? ThreeNodes,
        IPNetwork.Parse("192.168.1.0/24"),
        [IPNetwork.Parse("172.20.10.0/24")]);

    /// <summary>
    /// The template case c-bgp-full (cluster.yaml + nodes.yaml) as the SDK model: the same values, including the
    /// ones the validator warns about (graceful restart 120 s with hold 9 s). Connect-retry is the SDK default
    /// (the template does not set it).
    /// </summary>
    public static (BgpOptions Options, BgpTopology Topology) CBgpFull(CiliumVersion? version = null)
    {
        var options = Options() with
        {
            Timers = new BgpTimerOptions(HoldTimeSeconds: 9, KeepAliveTimeSeconds: 3, ConnectRetryTimeSeconds: 10),
            GracefulRestart = BgpGracefulRestartOptions.On(120),
            EcmpMaxPaths = 4,
            Password = new SecretValue("s3cret-md5"),
        };
        var topology = new BgpTopology("example/home-ops", version ?? CiliumVersion.V1_19, ThreeNodes, IPNetwork.Parse("192.168.1.0/24"), [IPNetwork.Parse("172.20.10.0/24")])
        {
            PinnedLoadBalancerIps = [IPAddress.Parse("172.20.10.21"), IPAddress.Parse("172.20.10.22"), IPAddress.Parse("172.20.10.23")],
        };
        return (options, topology);
    }
}
