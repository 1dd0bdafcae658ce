namespace Cilium.Sdk.Cluster;

/// <summary>
/// The cluster's address plan, kept as written (CIDR text) and checked by <c>Build()</c>. Defaults are the Talos
/// homelab template's: pods <c>10.42.0.0/16</c>, services <c>10.43.0.0/16</c>.
/// </summary>
public sealed record ClusterNetworks
{
    /// <summary>The node (LAN) network, e.g. <c>192.168.1.0/24</c>. Required.</summary>
    public string? NodeCidr { get; init; }

    /// <summary>The pod network; with native routing it is also Cilium's native-routing CIDR.</summary>
    public string PodCidr { get; init; } = "10.42.0.0/16";

    /// <summary>The Service (ClusterIP) network.</summary>
    public string ServiceCidr { get; init; } = "10.43.0.0/16";

    /// <summary>The Kubernetes API's virtual address on the node network (Talos VIP), if any.</summary>
    public string? ApiAddress { get; init; }

    /// <summary>The node network's default gateway (the router). Unset: the first address of <see cref="NodeCidr"/>.</summary>
    public string? Gateway { get; init; }
}
