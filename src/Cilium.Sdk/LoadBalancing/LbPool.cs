using System;
using System.Collections.Immutable;

namespace Cilium.Sdk.LoadBalancing;

/// <summary>One block of a LoadBalancer IP pool: a CIDR, or a start/stop range. Kept as written; checked by <c>Build()</c>.</summary>
public sealed record LbPoolBlock
{
    private LbPoolBlock(string? cidr, string? start, string? stop)
    {
        CidrText = cidr;
        Start = start;
        Stop = stop;
    }

    /// <summary>The CIDR, when the block is one.</summary>
    public string? CidrText { get; }

    /// <summary>The first address of a range block.</summary>
    public string? Start { get; }

    /// <summary>The last address of a range block (inclusive).</summary>
    public string? Stop { get; }

    /// <summary>A CIDR block, e.g. <c>LbPoolBlock.Cidr("172.20.10.0/24")</c>.</summary>
    public static LbPoolBlock Cidr(string cidr) => new(cidr, null, null);

    /// <summary>A range block, e.g. <c>LbPoolBlock.Range("192.168.1.200", "192.168.1.239")</c> (both inclusive).</summary>
    public static LbPoolBlock Range(string start, string stop) => new(null, start, stop);

    /// <summary>The addresses the block declares (a CIDR whole, a range inclusive); null when it does not parse. The
    /// validator reports why; the BGP topology and diagrams only need the range.</summary>
    internal Cluster.Ipv4Range? DeclaredRange()
    {
        if (CidrText is { } cidr)
        {
            return Cluster.Ipv4.TryParseCidr(cidr, out var network, out _) ? Cluster.Ipv4Range.Of(network) : null;
        }

        return Cluster.Ipv4.TryParseAddress(Start, out var start, out _) && Cluster.Ipv4.TryParseAddress(Stop, out var stop, out _)
            && Cluster.Ipv4.ToUInt(start) <= Cluster.Ipv4.ToUInt(stop)
            ? new Cluster.Ipv4Range(Cluster.Ipv4.ToUInt(start), Cluster.Ipv4.ToUInt(stop))
            : null;
    }

    /// <inheritdoc />
    public override string ToString() => CidrText ?? $"{Start}-{Stop}";
}

/// <summary>
/// A <c>CiliumLoadBalancerIPPool</c>: the addresses LB-IPAM hands to LoadBalancer Services. Create with
/// <see cref="Create"/> and add blocks.
/// </summary>
public sealed record LbPool
{
    private LbPool(string name) => Name = name;

    /// <summary>The pool's object name.</summary>
    public string Name { get; init; }

    /// <summary>The address blocks.</summary>
    public ImmutableArray<LbPoolBlock> Blocks { get; init; } = ImmutableArray<LbPoolBlock>.Empty;

    /// <summary>Whether the first and last address of each CIDR block may be handed out (the template says no: they are
    /// the network and broadcast addresses on a LAN).</summary>
    public bool AllowFirstLastIps { get; init; }

    /// <summary>Only Services matching these labels get addresses from this pool; empty: every Service.</summary>
    public ImmutableSortedDictionary<string, string> ServiceSelector { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>A pool with no blocks yet.</summary>
    /// <param name="name">The pool's object name, e.g. <c>pool</c>.</param>
    public static LbPool Create(string name) => new(name);

    /// <summary>A copy with one more block.</summary>
    public LbPool WithBlock(LbPoolBlock block) => this with { Blocks = Blocks.Add(block) };

    /// <summary>A copy with one more CIDR block.</summary>
    public LbPool WithCidr(string cidr) => WithBlock(LbPoolBlock.Cidr(cidr));

    /// <summary>A copy with one more start/stop range.</summary>
    public LbPool WithRange(string start, string stop) => WithBlock(LbPoolBlock.Range(start, stop));

    /// <summary>A copy that allows (or not) the first and last address of CIDR blocks.</summary>
    public LbPool WithFirstLastIps(bool allow) => this with { AllowFirstLastIps = allow };

    /// <summary>A copy that serves only Services carrying the label.</summary>
    public LbPool WithServiceSelector(string key, string value) => this with { ServiceSelector = ServiceSelector.SetItem(key, value) };
}

/// <summary>
/// A LoadBalancer Service whose address is pinned with the <c>lbipam.cilium.io/ips</c> annotation (the template pins
/// envoy-internal, envoy-external and k8s-gateway).
/// </summary>
/// <param name="Namespace">The Service's namespace.</param>
/// <param name="Name">The Service's name.</param>
/// <param name="Address">The pinned address, as written.</param>
public sealed record PinnedServiceIp(string Namespace, string Name, string Address)
{
    /// <summary>The annotation LB-IPAM reads.</summary>
    public const string Annotation = "lbipam.cilium.io/ips";
}
