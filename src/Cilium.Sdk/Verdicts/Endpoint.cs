using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// One side of a <see cref="Flow"/> as Cilium's policy engine sees it: a pod (namespace, pod labels, the namespace's
/// labels, named container ports) or a reserved identity (host, remote-node, world, kube-apiserver, ...), plus the IPs
/// it uses. Immutable; every <c>With*</c> returns a new endpoint.
/// </summary>
/// <remarks>
/// A pod's identity labels are its pod labels plus <c>io.kubernetes.pod.namespace</c> and
/// <c>io.cilium.k8s.namespace.labels.*</c> (all of source <c>k8s</c>), as the agent derives them. A reserved
/// endpoint carries <c>reserved:&lt;entity&gt;</c> labels; the kube-apiserver running on a node is
/// <c>Endpoint.Reserved(Entity.KubeApiServer, Entity.RemoteNode)</c>. An endpoint built from a Hubble flow that
/// names a pod but not its labels is <see cref="LabelsKnown"/> = false: no selector can be decided for it.
/// </remarks>
public sealed record Endpoint
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new SortedDictionary<string, string>(StringComparer.Ordinal);

    private Endpoint(string name, string? @namespace, IReadOnlyDictionary<string, string> labels, IReadOnlyList<Entity> reserved)
    {
        Name = name;
        Namespace = @namespace;
        Labels = labels;
        Entities = reserved;
    }

    // The copy constructor every `with` uses: copies the values, never the cached identity key.
    private Endpoint(Endpoint original)
    {
        Name = original.Name;
        Namespace = original.Namespace;
        Labels = original.Labels;
        NamespaceLabels = original.NamespaceLabels;
        Entities = original.Entities;
        Addresses = original.Addresses;
        NamedPorts = original.NamedPorts;
        DnsNames = original.DnsNames;
        LabelsKnown = original.LabelsKnown;
        NodeLabels = original.NodeLabels;
    }

    /// <summary>A display name ("monitoring/prometheus", "world 1.1.1.1", "host").</summary>
    public string Name { get; private init; }

    /// <summary>The pod's namespace; null for a reserved endpoint.</summary>
    public string? Namespace { get; }

    /// <summary>The pod labels (source <c>k8s</c>), sorted by key; empty for a reserved endpoint.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; private init; }

    /// <summary>The labels of the pod's namespace (selectable as <c>io.cilium.k8s.namespace.labels.&lt;key&gt;</c>).</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; private init; } = NoLabels;

    /// <summary>The reserved identities this endpoint has (empty for a pod).</summary>
    public IReadOnlyList<Entity> Entities { get; private init; }

    /// <summary>The IPs the endpoint uses (needed by CIDR rules).</summary>
    public IReadOnlyList<IPAddress> Addresses { get; private init; } = [];

    /// <summary>The named container ports (<c>ports[].name</c> → number and protocol), needed by named-port rules.</summary>
    public IReadOnlyDictionary<string, Port> NamedPorts { get; private init; } = new SortedDictionary<string, Port>(StringComparer.Ordinal);

    /// <summary>DNS names the endpoint is known by (a world destination's names, for <c>toFQDNs</c>).</summary>
    public IReadOnlyList<string> DnsNames { get; private init; } = [];

    /// <summary>Whether the pod labels are known; false for a pod a Hubble flow names without labels.</summary>
    public bool LabelsKnown { get; private init; } = true;

    /// <summary>The labels of a node endpoint (host or remote-node) as the agent gives them to its host endpoint, for
    /// <c>nodeSelector</c> (host policies) and <c>toNodes</c>/<c>fromNodes</c>; null when not known.</summary>
    public IReadOnlyDictionary<string, string>? NodeLabels { get; private init; }

    /// <summary>Whether this is a pod (not a reserved identity).</summary>
    public bool IsPod => Namespace is not null;

    /// <summary>A pod.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="labels">The pod labels.</param>
    /// <param name="name">A display name; "namespace/labels" when null.</param>
    /// <returns>The endpoint.</returns>
    public static Endpoint Pod(string @namespace, IReadOnlyDictionary<string, string> labels, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentNullException.ThrowIfNull(labels);
        var sorted = Sorted(labels);
        return new Endpoint(name ?? $"{@namespace}/{{{Format(sorted)}}}", @namespace, sorted, []);
    }

    /// <summary>A pod of a catalogue component: its namespace, the labels it carries, and its ports by role as named ports.</summary>
    /// <param name="component">The component.</param>
    /// <returns>The endpoint.</returns>
    public static Endpoint Of(Component component)
    {
        ArgumentNullException.ThrowIfNull(component);
        var named = new SortedDictionary<string, Port>(StringComparer.Ordinal);
        foreach (var (role, port) in component.Ports)
        {
            if (port.Number is not null && port.EndPort is null && port.Protocol != Protocol.Any && IsPortName(role))
            {
                named[role] = port;
            }
        }

        return Pod(component.Namespace, component.Labels, component.Namespace + "/" + component.Name) with { NamedPorts = named };
    }

    /// <summary>A reserved identity (several for an endpoint such as the kube-apiserver on a node).</summary>
    /// <param name="entities">The identities: host, remote-node, kube-apiserver, world, health, init, ingress, unmanaged.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="ArgumentException">An entity is a group (cluster, all) rather than an identity, or none is given.</exception>
    public static Endpoint Reserved(params Entity[] entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Length == 0)
        {
            throw new ArgumentException("name at least one reserved identity, such as Entity.Host", nameof(entities));
        }

        foreach (var e in entities)
        {
            if (e is Entity.Cluster or Entity.All)
            {
                throw new ArgumentException($"'{e.ToWire()}' is a group of identities, not an identity: use a pod, Entity.Host, Entity.RemoteNode or Entity.World", nameof(entities));
            }
        }

        var list = entities.Distinct().OrderBy(e => e).ToArray();
        return new Endpoint(string.Join("+", list.Select(e => e.ToWire())), null, NoLabels, list);
    }

    /// <summary>The local node (<c>reserved:host</c>).</summary>
    public static Endpoint Host { get; } = Reserved(Entity.Host);

    /// <summary>Another node of the cluster (<c>reserved:remote-node</c>).</summary>
    public static Endpoint RemoteNode { get; } = Reserved(Entity.RemoteNode);

    /// <summary>The Kubernetes API server (<c>reserved:kube-apiserver</c> only; add the node identity with
    /// <see cref="Reserved"/> when it runs on a cluster node).</summary>
    public static Endpoint KubeApiServer { get; } = Reserved(Entity.KubeApiServer);

    /// <summary>Something outside the cluster.</summary>
    /// <param name="address">Its IP, or null when unknown (CIDR rules then cannot be decided).</param>
    /// <param name="dnsNames">DNS names it was looked up by (for <c>toFQDNs</c>).</param>
    /// <returns>The endpoint.</returns>
    public static Endpoint World(string? address = null, params string[] dnsNames)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        var world = Reserved(Entity.World);
        if (address is not null)
        {
            world = world.WithAddress(address);
            world = world with { Name = "world " + address };
        }

        return dnsNames.Length == 0 ? world : world.WithDnsNames(dnsNames);
    }

    /// <summary>The same endpoint with another IP.</summary>
    /// <param name="address">The IP, such as "10.0.1.5".</param>
    /// <returns>A new endpoint.</returns>
    /// <exception cref="ArgumentException">Not an IP address.</exception>
    public Endpoint WithAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IPAddress.TryParse(address, out var ip))
        {
            throw new ArgumentException($"'{address}' is not an IP address: write it like 10.0.1.5 or fd00::5 (no prefix length)", nameof(address));
        }

        return this with { Addresses = [.. Addresses, ip] };
    }

    /// <summary>The same endpoint with DNS names (for <c>toFQDNs</c> rules).</summary>
    /// <param name="names">The names.</param>
    /// <returns>A new endpoint.</returns>
    public Endpoint WithDnsNames(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return this with { DnsNames = [.. DnsNames, .. names.Select(n => n.TrimEnd('.').ToLowerInvariant())] };
    }

    /// <summary>The same pod with a named container port.</summary>
    /// <param name="name">The port name (<c>ports[].name</c>).</param>
    /// <param name="port">The number and protocol, such as <c>Port.Tcp(8080)</c>.</param>
    /// <returns>A new endpoint.</returns>
    public Endpoint WithNamedPort(string name, Port port)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(port);
        if (port.Number is null || port.EndPort is not null || port.Protocol == Protocol.Any)
        {
            throw new ArgumentException($"a named port is one number on TCP, UDP or SCTP, not {port}", nameof(port));
        }

        var named = new SortedDictionary<string, Port>(NamedPorts.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), StringComparer.Ordinal) { [name] = port };
        return this with { NamedPorts = named };
    }

    /// <summary>The same pod with its namespace's labels.</summary>
    /// <param name="labels">The namespace labels.</param>
    /// <returns>A new endpoint.</returns>
    public Endpoint WithNamespaceLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return this with { NamespaceLabels = Sorted(labels) };
    }

    /// <summary>The same node endpoint (host or remote-node) with the node's labels, as the host endpoint carries them
    /// (the agent's identity label filter applies: labels it drops cannot be selected).</summary>
    /// <param name="labels">The node labels.</param>
    /// <returns>A new endpoint.</returns>
    /// <exception cref="ArgumentException">The endpoint is not a node.</exception>
    public Endpoint WithNodeLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!Is(Entity.Host) && !Is(Entity.RemoteNode))
        {
            throw new ArgumentException($"{Name} is not a node: node labels go on Endpoint.Host or Endpoint.RemoteNode", nameof(labels));
        }

        return this with { NodeLabels = Sorted(labels) };
    }

    /// <summary>The same pod with its service account (the <c>io.cilium.k8s.policy.serviceaccount</c> label the agent adds).</summary>
    /// <param name="name">The service account's name.</param>
    /// <returns>A new endpoint.</returns>
    /// <exception cref="ArgumentException">The endpoint is not a pod.</exception>
    public Endpoint WithServiceAccount(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IsPod)
        {
            throw new ArgumentException($"{Name} is not a pod: only pods run under a service account", nameof(name));
        }

        var labels = new Dictionary<string, string>(Labels.Count + 1, StringComparer.Ordinal);
        foreach (var (k, v) in Labels)
        {
            labels[k] = v;
        }

        labels[CompiledSelector.ServiceAccountLabel] = name;
        return this with { Labels = Sorted(labels) };
    }

    /// <summary>The same pod with unknown labels (a Hubble flow that only names the pod).</summary>
    /// <returns>A new endpoint.</returns>
    public Endpoint WithUnknownLabels() => this with { LabelsKnown = false };

    /// <summary>The same endpoint under another display name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>A new endpoint.</returns>
    public Endpoint Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return this with { Name = name };
    }

    /// <summary>Whether the endpoint has the reserved identity <paramref name="entity"/>.</summary>
    /// <param name="entity">The identity.</param>
    /// <returns>True when it has it.</returns>
    public bool Is(Entity entity) => Entities.Contains(entity);

    /// <summary>A key equal for endpoints the policies cannot tell apart: the identity labels, plus what rules read
    /// beyond them (a pod's named ports; an outside peer's IPs and DNS names; a node's labels and IPs). The engine
    /// compiles its map state per key.</summary>
    internal string IdentityKey => identityKey ??= BuildIdentityKey();

    private string? identityKey;

    // The engine's identity for this endpoint, cached for the last engine that asked (a flow costs no string hashing).
    [NonSerialized]
    private IdentitySlot? identitySlot;

    internal IdentitySlot? IdentitySlot
    {
        get => identitySlot;
        set => identitySlot = value;
    }

    /// <inheritdoc />
    public bool Equals(Endpoint? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(IdentityKey, other.IdentityKey, StringComparison.Ordinal)
        && Addresses.SequenceEqual(other.Addresses) && DnsNames.SequenceEqual(other.DnsNames, StringComparer.Ordinal)
        && NamedPorts.Count == other.NamedPorts.Count && NamedPorts.All(kv => other.NamedPorts.TryGetValue(kv.Key, out var p) && p == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, IdentityKey);

    /// <inheritdoc />
    public override string ToString() => Name;

    internal static bool IsPortName(string s) =>
        s.Length is > 0 and <= 15 && s.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') && s.Any(c => c is >= 'a' and <= 'z');

    private string BuildIdentityKey()
    {
        var ports = string.Join(",", NamedPorts.Select(kv => kv.Key + "=" + kv.Value));
        var outside = IsPod ? string.Empty : string.Join(",", Addresses.Select(a => a.ToString())) + "|" + string.Join(",", DnsNames);
        var node = NodeLabels is null ? "?" : Format(NodeLabels);
        return string.Create(CultureInfo.InvariantCulture, $"{Namespace}|{Format(Labels)}|{Format(NamespaceLabels)}|{string.Join(",", Entities.Select(e => e.ToWire()))}|{LabelsKnown}|{ports}|{outside}|{node}");
    }

    private static IReadOnlyDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> labels)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in labels)
        {
            ArgumentException.ThrowIfNullOrEmpty(k, nameof(labels));
            sorted[k] = v ?? string.Empty;
        }

        return sorted;
    }

    private static string Format(IReadOnlyDictionary<string, string> labels) => string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value));
}
