using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace Cilium.Sdk.Policies;

/// <summary>
/// The other side of a rule: where ingress comes from or where egress goes. Create with the named factories
/// (<c>Peer.Entity(Entity.KubeApiServer)</c>, <c>Peer.Fqdn("api.github.com")</c>, ...). Peers of different kinds in
/// one rule are split into one rule per kind when rendered, because the agent refuses a rule that mixes L3 kinds.
/// </summary>
public abstract record Peer
{
    private protected Peer()
    {
    }

    /// <summary>Any peer: the rule matches on ports alone (no L3 field is written).</summary>
    public static Peer Any { get; } = new AnyPeer();

    /// <summary>Pods with all of <paramref name="labels"/>, in <paramref name="namespace"/>.</summary>
    /// <param name="labels">The pod labels to match (all must match).</param>
    /// <param name="namespace">The pods' namespace; null means the policy's own namespace for a namespaced
    /// policy, and any namespace for a cluster-wide one.</param>
    /// <returns>The peer.</returns>
    public static Peer Endpoints(IReadOnlyDictionary<string, string> labels, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new EndpointsPeer(Labels.Sorted(labels), @namespace);
    }

    /// <summary>Every pod of <paramref name="namespace"/>.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <returns>The peer.</returns>
    public static Peer Namespace(string @namespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return new EndpointsPeer(Labels.Sorted(new Dictionary<string, string>()), @namespace);
    }

    /// <summary>The pods of a catalogue component, selected by the labels the component really carries.</summary>
    /// <param name="component">The component.</param>
    /// <returns>The peer.</returns>
    public static Peer Component(Component component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return new EndpointsPeer(component.Labels, component.Namespace);
    }

    /// <summary>A Cilium reserved identity such as <see cref="Policies.Entity.KubeApiServer"/>.</summary>
    /// <param name="entity">The entity.</param>
    /// <returns>The peer.</returns>
    public static Peer Entity(Entity entity) => new EntityPeer(entity);

    /// <summary>An IPv4 or IPv6 CIDR, optionally minus narrower CIDRs inside it (<c>toCIDRSet</c> / <c>fromCIDRSet</c>).</summary>
    /// <param name="cidr">The CIDR, such as "10.0.0.0/8" (host bits zero).</param>
    /// <param name="except">CIDRs inside <paramref name="cidr"/> to leave out.</param>
    /// <returns>The peer.</returns>
    /// <exception cref="ArgumentException">A CIDR is malformed (the message says the fix).</exception>
    public static Peer Cidr(string cidr, params string[] except)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        ArgumentNullException.ThrowIfNull(except);
        ParseCidr(cidr, nameof(cidr));
        foreach (var e in except)
        {
            ParseCidr(e, nameof(except));
        }

        return new CidrPeer(cidr, except.ToArray());
    }

    /// <summary>The CIDRs of a <c>CiliumCIDRGroup</c>, by name (<c>cidrGroupRef</c>).</summary>
    /// <param name="name">The CiliumCIDRGroup's name.</param>
    /// <returns>The peer.</returns>
    public static Peer CidrGroup(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new CidrGroupPeer(name);
    }

    /// <summary>An exact DNS name (<c>toFQDNs[].matchName</c>); egress only. The policy gains the DNS-proxy rule it
    /// needs (egress to kube-dns on 53 with a DNS rule), or the name never resolves to an allowed IP.</summary>
    /// <param name="name">The name, such as "api.github.com".</param>
    /// <returns>The peer.</returns>
    public static Peer Fqdn(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new FqdnPeer(name, null);
    }

    /// <summary>A DNS pattern with <c>*</c> wildcards (<c>toFQDNs[].matchPattern</c>); egress only. Adds the DNS-proxy
    /// rule like <see cref="Fqdn"/>.</summary>
    /// <param name="pattern">The pattern, such as "*.example.io".</param>
    /// <returns>The peer.</returns>
    public static Peer FqdnPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new FqdnPeer(null, pattern);
    }

    /// <summary>The backends of a Kubernetes Service (<c>toServices[].k8sService</c>); egress only.</summary>
    /// <param name="name">The Service name.</param>
    /// <param name="namespace">The Service namespace.</param>
    /// <returns>The peer.</returns>
    public static Peer Service(string name, string @namespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return new ServicePeer(name, @namespace);
    }

    internal abstract PeerKind Kind { get; }

    private static IPNetwork ParseCidr(string text, string parameter)
    {
        if (CrdKit.Validation.IPAddressText.TryParseNetwork(text, out var network))
        {
            return network;
        }

        string fix;
        if (CrdKit.Validation.IPAddressText.TryParse(text, out var address))
        {
            fix = $"did you mean {text}/{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32)}?";
        }
        else if (text.Contains(':', StringComparison.Ordinal))
        {
            fix = "write an address with a prefix length such as fd00::/8, host bits zero";
        }
        else
        {
            Cluster.Ipv4.TryParseCidr(text, out _, out fix); // the IPv4 fix: leading zeros, host bits, missing length
        }

        throw new ArgumentException($"'{text}' is not a CIDR: {fix}", parameter);
    }
}

/// <summary>The L3 kinds of peer, in the order rules are rendered.</summary>
internal enum PeerKind
{
    Any,
    Endpoints,
    Entities,
    Cidr,
    Fqdn,
    Services,
}

/// <summary>Matches any peer.</summary>
public sealed record AnyPeer : Peer
{
    internal AnyPeer()
    {
    }

    internal override PeerKind Kind => PeerKind.Any;

    /// <inheritdoc />
    public override string ToString() => "any";
}

/// <summary>Pods by labels and namespace.</summary>
public sealed record EndpointsPeer : Peer
{
    internal EndpointsPeer(IReadOnlyDictionary<string, string> labels, string? @namespace)
    {
        Labels = labels;
        Namespace = @namespace;
    }

    /// <summary>The labels, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The namespace, or null (see <see cref="Peer.Endpoints"/>).</summary>
    public new string? Namespace { get; }

    internal override PeerKind Kind => PeerKind.Endpoints;

    /// <inheritdoc />
    public bool Equals(EndpointsPeer? other) =>
        other is not null && string.Equals(Namespace, other.Namespace, StringComparison.Ordinal) && Policies.Labels.Equal(Labels, other.Labels);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, Policies.Labels.Format(Labels));

    /// <inheritdoc />
    public override string ToString() => $"{Namespace ?? "*"}/{{{Policies.Labels.Format(Labels)}}}";
}

/// <summary>A reserved identity.</summary>
public sealed record EntityPeer : Peer
{
    internal EntityPeer(Entity entity) => Entity = entity;

    /// <summary>The entity.</summary>
    public new Entity Entity { get; }

    internal override PeerKind Kind => PeerKind.Entities;

    /// <inheritdoc />
    public override string ToString() => "entity:" + Entity.ToWire();
}

/// <summary>A CIDR with exceptions.</summary>
public sealed record CidrPeer : Peer
{
    internal CidrPeer(string cidr, IReadOnlyList<string> except)
    {
        Cidr = cidr;
        Except = except;
    }

    /// <summary>The CIDR.</summary>
    public new string Cidr { get; }

    /// <summary>The CIDRs left out.</summary>
    public IReadOnlyList<string> Except { get; }

    internal override PeerKind Kind => PeerKind.Cidr;

    /// <inheritdoc />
    public bool Equals(CidrPeer? other) =>
        other is not null && string.Equals(Cidr, other.Cidr, StringComparison.Ordinal) && Except.SequenceEqual(other.Except, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Cidr, string.Join(",", Except));

    /// <inheritdoc />
    public override string ToString() => Except.Count == 0 ? "cidr:" + Cidr : $"cidr:{Cidr} except {string.Join(",", Except)}";
}

/// <summary>A CiliumCIDRGroup by name.</summary>
public sealed record CidrGroupPeer : Peer
{
    internal CidrGroupPeer(string name) => Name = name;

    /// <summary>The group's name.</summary>
    public string Name { get; }

    internal override PeerKind Kind => PeerKind.Cidr;

    /// <inheritdoc />
    public override string ToString() => "cidrGroup:" + Name;
}

/// <summary>A DNS name or pattern.</summary>
public sealed record FqdnPeer : Peer
{
    internal FqdnPeer(string? name, string? pattern)
    {
        Name = name;
        Pattern = pattern;
    }

    /// <summary>The exact name, or null.</summary>
    public string? Name { get; }

    /// <summary>The pattern, or null.</summary>
    public string? Pattern { get; }

    internal override PeerKind Kind => PeerKind.Fqdn;

    /// <inheritdoc />
    public override string ToString() => Name is not null ? "fqdn:" + Name : "fqdnPattern:" + Pattern;
}

/// <summary>A Kubernetes Service.</summary>
public sealed record ServicePeer : Peer
{
    internal ServicePeer(string name, string @namespace)
    {
        Name = name;
        Namespace = @namespace;
    }

    /// <summary>The Service name.</summary>
    public string Name { get; }

    /// <summary>The Service namespace.</summary>
    public new string Namespace { get; }

    internal override PeerKind Kind => PeerKind.Services;

    /// <inheritdoc />
    public override string ToString() => $"service:{Namespace}/{Name}";
}
