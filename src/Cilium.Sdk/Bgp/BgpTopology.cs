using System.Collections.Generic;
using System.Net;
using Cilium.Sdk.Cluster;

namespace Cilium.Sdk.Bgp;

/// <summary>
/// What BGP needs to know about the cluster, given by the cluster builder: the nodes that peer, their network and
/// the LoadBalancer pool the router should accept.
/// </summary>
/// <param name="ClusterName">The cluster's name (shown in the router config header).</param>
/// <param name="CiliumVersion">The Cilium release the resources are rendered for.</param>
/// <param name="Nodes">Every node that runs BGP (each becomes a router neighbor).</param>
/// <param name="NodeCidr">The nodes' network.</param>
/// <param name="LoadBalancerPools">The advertised LoadBalancer pool CIDRs (a dedicated CIDR, or the node CIDR).</param>
public sealed record BgpTopology(
    string ClusterName,
    CiliumVersion CiliumVersion,
    IReadOnlyList<BgpNode> Nodes,
    IPNetwork NodeCidr,
    IReadOnlyList<IPNetwork> LoadBalancerPools)
{
    /// <summary>LoadBalancer IPs pinned by Services (shared or fixed gateway IPs), if known; each must lie in a pool.</summary>
    public IReadOnlyList<IPAddress> PinnedLoadBalancerIps { get; init; } = [];
}

/// <summary>A node that peers with the router.</summary>
/// <param name="Name">The Kubernetes node name.</param>
/// <param name="Address">The node's address on the node network.</param>
public sealed record BgpNode(string Name, IPAddress Address);
