using System;
using System.Collections.Immutable;

namespace Cilium.Sdk.Cluster;

/// <summary>The role a node plays in the Kubernetes cluster.</summary>
public enum NodeRole
{
    /// <summary>A control-plane node (Talos: controller).</summary>
    Controller,

    /// <summary>A worker node.</summary>
    Worker,
}

/// <summary>
/// One Kubernetes node as Cilium sees it. Create with <see cref="Controller"/> or <see cref="Worker"/>; the address
/// is kept as written and checked by <c>Build()</c>, so every mistake is reported at once.
/// </summary>
public sealed record ClusterNode
{
    private ClusterNode(string name, string address, NodeRole role)
    {
        Name = name;
        Address = address;
        Role = role;
    }

    /// <summary>The node name (a DNS-1123 subdomain, e.g. <c>k8s-0</c>).</summary>
    public string Name { get; init; }

    /// <summary>The node's IPv4 address on the node network, as written.</summary>
    public string Address { get; init; }

    /// <summary>Controller or worker.</summary>
    public NodeRole Role { get; init; }

    /// <summary>Network interfaces that carry the node network (for L2 announcements), e.g. <c>eth0</c>. Empty: any.</summary>
    public ImmutableArray<string> Interfaces { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Extra Kubernetes labels the node carries (used by node selectors).</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>A control-plane node.</summary>
    /// <param name="name">The node name, e.g. <c>k8s-0</c>.</param>
    /// <param name="address">Its IPv4 address, e.g. <c>192.168.1.10</c>.</param>
    public static ClusterNode Controller(string name, string address) => new(name, address, NodeRole.Controller);

    /// <summary>A worker node.</summary>
    /// <param name="name">The node name, e.g. <c>k8s-3</c>.</param>
    /// <param name="address">Its IPv4 address, e.g. <c>192.168.1.13</c>.</param>
    public static ClusterNode Worker(string name, string address) => new(name, address, NodeRole.Worker);

    /// <summary>Returns a copy carrying the label.</summary>
    public ClusterNode WithLabel(string key, string value) => this with { Labels = Labels.SetItem(key, value) };

    /// <summary>Returns a copy with the interfaces that carry the node network.</summary>
    public ClusterNode WithInterfaces(params string[] interfaces) => this with { Interfaces = [.. interfaces] };
}
