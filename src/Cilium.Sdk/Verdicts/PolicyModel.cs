using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Resources;

namespace Cilium.Sdk.Verdicts;

/// <summary>One spec of one policy as the agent holds it after parsing: its subject, default-deny switches and rules.</summary>
internal sealed class CompiledSpec
{
    public required string Policy { get; init; }

    public required string SpecPath { get; init; }

    /// <summary>The endpointSelector (namespace rules applied), or null for a host policy.</summary>
    public CompiledSelector? Subject { get; init; }

    /// <summary>The nodeSelector of a host policy, or null.</summary>
    public CompiledSelector? NodeSubject { get; init; }

    public bool HasIngress { get; init; }

    public bool HasEgress { get; init; }

    public bool DefaultDenyIngress { get; init; }

    public bool DefaultDenyEgress { get; init; }

    public CompiledRule[] Rules { get; set; } = [];

    /// <summary>"CiliumNetworkPolicy ns/name", plus the spec's path when it is one of <c>specs</c>.</summary>
    public string Name => SpecPath == "spec" ? Policy : Policy + " " + SpecPath;

    public bool Has(Direction d) => d == Direction.Ingress ? HasIngress : HasEgress;

    public bool DefaultDeny(Direction d) => d == Direction.Ingress ? DefaultDenyIngress : DefaultDenyEgress;
}

/// <summary>How a rule's <c>authentication</c> constrains the flows it allows.</summary>
internal enum AuthMode
{
    None,
    Required,
    AlwaysFail,
}

/// <summary>One ingress/egress (deny) rule: its peer part and its L4 items (null: every protocol and port).</summary>
internal sealed class CompiledRule
{
    public required CompiledSpec Spec { get; init; }

    public required Direction Direction { get; init; }

    public required bool IsDeny { get; init; }

    public required string Path { get; init; }

    public required PeerSpec Peer { get; init; }

    /// <summary>The ports the rule covers; null for an L3-only rule (every protocol, ICMP included); empty for a rule that covers nothing.</summary>
    public required L4Item[]? Items { get; init; }

    public AuthMode Auth { get; init; }

    /// <summary>A rule-level reason the ports cannot be decided, or null.</summary>
    public string? PortsUnknown { get; init; }

    public override string ToString() => Spec.Policy + " " + Path;
}

/// <summary>A port, range or ICMP type of a rule on one protocol (null protocol: all of them), with the L7 rules of its
/// <c>toPorts</c> entry. <see cref="NamedPort"/> is resolved per endpoint.</summary>
internal sealed record L4Item(FlowProtocol? Protocol, int First, int Last, string? NamedPort, CompiledL7? L7)
{
    /// <summary>Port 0 on one protocol: every port of it.</summary>
    public bool AllPorts => NamedPort is null && First == 0 && Last == 65535;
}

/// <summary>The peer part of a rule: selectors, entities, CIDRs, FQDNs; <see cref="Wildcard"/> when it names none.</summary>
internal sealed class PeerSpec
{
    public static readonly PeerSpec Any = new() { Wildcard = true };

    public bool Wildcard { get; init; }

    public CompiledSelector[] Endpoints { get; init; } = [];

    public CompiledSelector[] Nodes { get; init; } = [];

    public PolicyEntity[] Entities { get; init; } = [];

    public (IPNetwork Net, IPNetwork[] Except)[] Cidrs { get; init; } = [];

    public string? CidrUnknown { get; init; }

    public (string Text, Regex Match)[] Fqdns { get; init; } = [];

    /// <summary>A construct that names peers the engine cannot resolve (toServices, toGroups), or null.</summary>
    public string? Unsupported { get; init; }

    /// <summary>Whether the rule could select a pod in some namespace; <see cref="PodNamespaces"/> narrows it.</summary>
    public bool MayMatchPods => Wildcard || Unsupported is not null || Entities.Any(e => e is PolicyEntity.All or PolicyEntity.Cluster) || Endpoints.Length > 0;

    /// <summary>The only namespaces whose pods the rule can select, or null for any.</summary>
    public IReadOnlyCollection<string>? PodNamespaces
    {
        get
        {
            if (Wildcard || Unsupported is not null || Entities.Any(e => e is PolicyEntity.All or PolicyEntity.Cluster))
            {
                return null;
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in Endpoints)
            {
                if (s.PinnedNamespace is null)
                {
                    return null;
                }

                set.Add(s.PinnedNamespace);
            }

            return set;
        }
    }

    /// <summary>Whether the rule selects <paramref name="peer"/>.</summary>
    public Tri Match(Endpoint peer, VerdictOptions options, out string? why)
    {
        why = null;
        if (Wildcard)
        {
            return Tri.Yes;
        }

        var result = Tri.No;
        string? first = null;
        void Unknown(string reason)
        {
            result = Tri.Unknown;
            first ??= reason;
        }

        if (Unsupported is not null)
        {
            Unknown(Unsupported);
        }

        foreach (var selector in Endpoints)
        {
            var m = selector.Matches(peer, options, out var sWhy);
            if (m == Tri.Yes)
            {
                return Tri.Yes;
            }

            if (m == Tri.Unknown)
            {
                Unknown($"{sWhy} (selector {selector.Text})");
            }
        }

        // fromNodes/toNodes select remote nodes only (the parser adds reserved:remote-node), by their node labels.
        if (Nodes.Length > 0 && peer.Is(Entity.RemoteNode))
        {
            foreach (var selector in Nodes)
            {
                var m = selector.Matches(peer, options, out var sWhy);
                if (m == Tri.Yes)
                {
                    return Tri.Yes;
                }

                if (m == Tri.Unknown)
                {
                    Unknown($"{sWhy} (node selector {selector.Text})");
                }
            }
        }

        foreach (var entity in Entities)
        {
            if (EntityMatches(entity, peer, options))
            {
                return Tri.Yes;
            }
        }

        if (Cidrs.Length > 0 || CidrUnknown is not null)
        {
            // CIDR rules select what is outside the cluster by address (and, with policy-cidr-match-mode=nodes, the nodes).
            var outside = !peer.IsPod && peer.Entities.All(r => r is Entity.World or Entity.KubeApiServer);
            var node = options.CidrMatchMode == CidrMatchMode.Nodes && (peer.Is(Entity.Host) || peer.Is(Entity.RemoteNode));
            if (outside || node)
            {
                if (peer.Addresses.Count == 0)
                {
                    // 0.0.0.0/0 and ::/0 together cover every address outside the cluster, whatever it is.
                    bool Everything(System.Net.Sockets.AddressFamily f) => Cidrs.Any(c => c.Net.PrefixLength == 0 && c.Except.Length == 0 && c.Net.BaseAddress.AddressFamily == f);
                    if (outside && Everything(System.Net.Sockets.AddressFamily.InterNetwork) && Everything(System.Net.Sockets.AddressFamily.InterNetworkV6))
                    {
                        return Tri.Yes;
                    }

                    Unknown($"{peer} has no IP, so CIDR rules cannot be decided");
                }
                else if (peer.Addresses.Any(a => Cidrs.Any(c => c.Net.Contains(a) && !c.Except.Any(x => x.Contains(a)))))
                {
                    return Tri.Yes;
                }
                else if (CidrUnknown is not null)
                {
                    Unknown(CidrUnknown);
                }
            }
        }

        if (Fqdns.Length > 0 && peer.Is(Entity.World))
        {
            if (peer.DnsNames.Count == 0)
            {
                Unknown($"{peer} carries no DNS name, so toFQDNs ({string.Join(", ", Fqdns.Select(f => f.Text))}) cannot be decided");
            }
            else if (peer.DnsNames.Any(n => Fqdns.Any(f => f.Match.IsMatch(n))))
            {
                return Tri.Yes;
            }
        }

        why = result == Tri.Unknown ? first : null;
        return result;
    }

    internal static bool EntityMatches(PolicyEntity entity, Endpoint e, VerdictOptions options) => entity switch
    {
        PolicyEntity.All => true,
        PolicyEntity.None => false,
        PolicyEntity.World => e.Is(Entity.World),
        // Local pods carry io.cilium.k8s.policy.cluster=<cluster-name>; the reserved identities inside the cluster count too.
        PolicyEntity.Cluster => (e.IsPod && LocalCluster(e, options)) || e.Entities.Any(r => r is Entity.Host or Entity.RemoteNode or Entity.Init or Entity.Ingress or Entity.Health or Entity.Unmanaged or Entity.KubeApiServer),
        PolicyEntity.Host => e.Is(Entity.Host),
        PolicyEntity.RemoteNode => e.Is(Entity.RemoteNode),
        PolicyEntity.KubeApiserver => e.Is(Entity.KubeApiServer),
        PolicyEntity.Health => e.Is(Entity.Health),
        PolicyEntity.Init => e.Is(Entity.Init),
        PolicyEntity.Ingress => e.Is(Entity.Ingress),
        PolicyEntity.Unmanaged => e.Is(Entity.Unmanaged),
        _ => false,
    };

    private static bool LocalCluster(Endpoint e, VerdictOptions options) =>
        options.ClusterName is null || !e.Labels.TryGetValue(CompiledSelector.ClusterLabel, out var cluster) || string.Equals(cluster, options.ClusterName, StringComparison.Ordinal);
}

/// <summary>The CiliumCIDRGroups the engine was given, for <c>cidrGroupRef</c> and <c>cidrGroupSelector</c>.</summary>
internal sealed class CidrGroups
{
    private readonly Dictionary<string, (IReadOnlyDictionary<string, string> Labels, string[] Cidrs)> groups = new(StringComparer.Ordinal);

    public bool Any => groups.Count > 0;

    public void Add(Resources.V2.CiliumCIDRGroup group)
    {
        var name = group.Metadata?.Name ?? string.Empty;
        var labels = (IReadOnlyDictionary<string, string>?)group.Metadata?.Labels?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>();
        groups[name] = (labels, group.Spec?.ExternalCIDRs?.ToArray() ?? []);
    }

    public string[]? Lookup(string name) => groups.TryGetValue(name, out var g) ? g.Cidrs : null;

    /// <summary>The CIDRs of the groups a label selector selects, or null when no groups were given.</summary>
    public string[]? Select(k8s.Models.V1LabelSelector selector)
    {
        if (!Any)
        {
            return null;
        }

        return groups.Values.Where(g => LabelSelectorMatches(selector, g.Labels)).SelectMany(g => g.Cidrs).ToArray();
    }

    private static bool LabelSelectorMatches(k8s.Models.V1LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (k, v) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(k, out var have) || have != v)
            {
                return false;
            }
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            var found = labels.TryGetValue(e.Key, out var value);
            var values = e.Values ?? [];
            var ok = e.OperatorProperty switch
            {
                "In" => found && values.Contains(value!),
                "NotIn" => !found || !values.Contains(value!),
                "Exists" => found,
                "DoesNotExist" => !found,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Turns the typed policy records into <see cref="CompiledSpec"/>s, as the agent's parser and sanitizer would.</summary>
internal static class PolicyCompiler
{
    // The agent's ICMP type names (IANA numbers) per family.
    private static readonly Dictionary<string, int> Icmp4 = new(StringComparer.Ordinal)
    {
        ["EchoReply"] = 0, ["DestinationUnreachable"] = 3, ["Redirect"] = 5, ["Echo"] = 8, ["EchoRequest"] = 8,
        ["RouterAdvertisement"] = 9, ["RouterSelection"] = 10, ["TimeExceeded"] = 11, ["ParameterProblem"] = 12,
        ["Timestamp"] = 13, ["TimestampReply"] = 14, ["Photuris"] = 40, ["ExtendedEchoRequest"] = 42, ["ExtendedEchoReply"] = 43,
    };

    private static readonly Dictionary<string, int> Icmp6 = new(StringComparer.Ordinal)
    {
        ["DestinationUnreachable"] = 1, ["PacketTooBig"] = 2, ["TimeExceeded"] = 3, ["ParameterProblem"] = 4,
        ["EchoRequest"] = 128, ["EchoReply"] = 129, ["MulticastListenerQuery"] = 130, ["MulticastListenerReport"] = 131,
        ["MulticastListenerDone"] = 132, ["RouterSolicitation"] = 133, ["RouterAdvertisement"] = 134, ["NeighborSolicitation"] = 135,
        ["NeighborAdvertisement"] = 136, ["RedirectMessage"] = 137, ["RouterRenumbering"] = 138, ["ICMPNodeInformationQuery"] = 139,
        ["ICMPNodeInformationResponse"] = 140, ["InverseNeighborDiscoverySolicitation"] = 141, ["InverseNeighborDiscoveryAdvertisement"] = 142,
        ["HomeAgentAddressDiscoveryRequest"] = 144, ["HomeAgentAddressDiscoveryReply"] = 145, ["MobilePrefixSolicitation"] = 146,
        ["MobilePrefixAdvertisement"] = 147, ["DuplicateAddressRequestCodeSuffix"] = 157, ["DuplicateAddressConfirmationCodeSuffix"] = 158,
        ["ExtendedEchoRequest"] = 160, ["ExtendedEchoReply"] = 161,
    };

    public static IEnumerable<CompiledSpec> Compile(string policy, string? ns, Rule? spec, IList<Rule>? specs, CidrGroups groups, string? clusterName)
    {
        var all = new List<(string Path, Rule Rule)>();
        if (spec is not null)
        {
            all.Add(("spec", spec));
        }

        for (var i = 0; i < (specs?.Count ?? 0); i++)
        {
            if (specs![i] is { } s)
            {
                all.Add(($"specs[{I(i)}]", s));
            }
        }

        foreach (var (path, rule) in all)
        {
            var hasIngress = (rule.Ingress?.Count ?? 0) + (rule.IngressDeny?.Count ?? 0) > 0;
            var hasEgress = (rule.Egress?.Count ?? 0) + (rule.EgressDeny?.Count ?? 0) > 0;
            var subjectRole = ns is null ? SelectorRole.AsWritten : SelectorRole.NamespacedSubject;
            var subject = rule.EndpointSelector is null ? null : CompiledSelector.Compile(rule.EndpointSelector, subjectRole, ns);
            var peerRole = ns is not null ? SelectorRole.NamespacedPeer : subject?.SelectsInit == true ? SelectorRole.ClusterPeerOfInit : SelectorRole.ClusterPeer;
            var compiled = new CompiledSpec
            {
                Policy = policy,
                SpecPath = path,
                Subject = subject,
                NodeSubject = rule.EndpointSelector is null && rule.NodeSelector is not null ? CompiledSelector.Compile(rule.NodeSelector, SelectorRole.Node, null) : null,
                HasIngress = hasIngress,
                HasEgress = hasEgress,
                // The sanitizer's default: rules in a direction put the selected endpoints into default deny there.
                DefaultDenyIngress = rule.EnableDefaultDeny?.Ingress ?? hasIngress,
                DefaultDenyEgress = rule.EnableDefaultDeny?.Egress ?? hasEgress,
            };
            var rules = new List<CompiledRule>();
            for (var i = 0; i < (rule.Ingress?.Count ?? 0); i++)
            {
                if (rule.Ingress![i] is not { } r)
                {
                    continue;
                }

                var peer = Peer(peerRole, ns, clusterName, r.FromEndpoints, r.FromNodes, r.FromEntities, r.FromCIDR, r.FromCIDRSet, null, groups, Unsupported(("fromGroups", r.FromGroups?.Count)));
                rules.Add(Rule(compiled, Direction.Ingress, false, $"{path}.ingress[{I(i)}]", peer, r.ToPorts?.Select(p => (p.Ports, (PortRule?)p)).ToList(), r.Icmps, r.Authentication));
            }

            for (var i = 0; i < (rule.IngressDeny?.Count ?? 0); i++)
            {
                if (rule.IngressDeny![i] is not { } r)
                {
                    continue;
                }

                var peer = Peer(peerRole, ns, clusterName, r.FromEndpoints, r.FromNodes, r.FromEntities, r.FromCIDR, r.FromCIDRSet, null, groups, Unsupported(("fromGroups", r.FromGroups?.Count)));
                rules.Add(Rule(compiled, Direction.Ingress, true, $"{path}.ingressDeny[{I(i)}]", peer, r.ToPorts?.Select(p => (p.Ports, (PortRule?)null)).ToList(), r.Icmps, null));
            }

            for (var i = 0; i < (rule.Egress?.Count ?? 0); i++)
            {
                if (rule.Egress![i] is not { } r)
                {
                    continue;
                }

                var peer = Peer(peerRole, ns, clusterName, r.ToEndpoints, r.ToNodes, r.ToEntities, r.ToCIDR, r.ToCIDRSet, r.ToFQDNs, groups, Unsupported(("toServices", r.ToServices?.Count), ("toGroups", r.ToGroups?.Count)));
                rules.Add(Rule(compiled, Direction.Egress, false, $"{path}.egress[{I(i)}]", peer, r.ToPorts?.Select(p => (p.Ports, (PortRule?)p)).ToList(), r.Icmps, r.Authentication));
            }

            for (var i = 0; i < (rule.EgressDeny?.Count ?? 0); i++)
            {
                if (rule.EgressDeny![i] is not { } r)
                {
                    continue;
                }

                var peer = Peer(peerRole, ns, clusterName, r.ToEndpoints, r.ToNodes, r.ToEntities, r.ToCIDR, r.ToCIDRSet, null, groups, Unsupported(("toServices", r.ToServices?.Count), ("toGroups", r.ToGroups?.Count)));
                rules.Add(Rule(compiled, Direction.Egress, true, $"{path}.egressDeny[{I(i)}]", peer, r.ToPorts?.Select(p => (p.Ports, (PortRule?)null)).ToList(), r.Icmps, null));
            }

            compiled.Rules = rules.ToArray();
            yield return compiled;
        }
    }

    private static CompiledRule Rule(CompiledSpec spec, Direction direction, bool deny, string path, PeerSpec? peer, List<(IList<PortProtocol>? Ports, PortRule? Rule)>? toPorts, IList<IcmpRule>? icmps, Authentication? auth)
    {
        var hasPorts = toPorts is { Count: > 0 };
        var hasIcmps = icmps is { Count: > 0 };
        L4Item[]? items = null;
        if (hasPorts || hasIcmps)
        {
            var list = new List<L4Item>();
            foreach (var (ports, portRule) in toPorts ?? [])
            {
                var l7 = portRule is null ? null : CompiledL7.From(portRule);
                if (ports is null || ports.Count == 0)
                {
                    list.Add(new L4Item(null, 0, 65535, null, l7));
                    continue;
                }

                foreach (var p in ports)
                {
                    if (p is not null)
                    {
                        AddPort(list, p, l7);
                    }
                }
            }

            foreach (var icmp in icmps ?? [])
            {
                foreach (var field in icmp?.Fields ?? [])
                {
                    if (field is null)
                    {
                        continue;
                    }

                    var v6 = field.Family == IcmpFamily.IPv6;
                    int? type = field.Type.IsString
                        ? (int.TryParse(field.Type.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (v6 ? Icmp6 : Icmp4).TryGetValue(field.Type.StringValue ?? string.Empty, out var named) ? named : null)
                        : (int)field.Type.IntValue;
                    if (type is { } t)
                    {
                        list.Add(new L4Item(v6 ? FlowProtocol.IcmpV6 : FlowProtocol.IcmpV4, t, t, null, null));
                    }
                }
            }

            items = list.ToArray();
        }

        // An empty rule ({}) selects no peer: it only switches default deny on.
        if (peer is null && !hasPorts && !hasIcmps)
        {
            items = [];
        }

        return new CompiledRule
        {
            Spec = spec,
            Direction = direction,
            IsDeny = deny,
            Path = path,
            Peer = peer ?? PeerSpec.Any,
            Items = items,
            Auth = auth?.Mode switch
            {
                AuthenticationMode.Required => AuthMode.Required,
                AuthenticationMode.TestAlwaysFail => AuthMode.AlwaysFail,
                _ => AuthMode.None,
            },
        };
    }

    private static void AddPort(List<L4Item> list, PortProtocol p, CompiledL7? l7)
    {
        var text = string.IsNullOrEmpty(p.Port) ? "0" : p.Port;
        var protocols = p.Protocol switch
        {
            null or PolicyProtocol.ANY => new FlowProtocol?[] { FlowProtocol.Tcp, FlowProtocol.Udp, FlowProtocol.Sctp },
            PolicyProtocol.TCP => [FlowProtocol.Tcp],
            PolicyProtocol.UDP => [FlowProtocol.Udp],
            PolicyProtocol.SCTP => [FlowProtocol.Sctp],
            // Protocols without ports (VRRP, GRE, ...) never carry the flows the engine models.
            _ => [],
        };
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
        {
            if (first == 0)
            {
                // Port 0 on ANY is the agent's 0/ANY filter: every protocol, ICMP included.
                if (p.Protocol is null or PolicyProtocol.ANY)
                {
                    list.Add(new L4Item(null, 0, 65535, null, l7));
                    return;
                }

                foreach (var proto in protocols)
                {
                    list.Add(new L4Item(proto, 0, 65535, null, l7));
                }

                return;
            }

            var last = p.EndPort is { } end && end > first ? Math.Min(end, 65535) : first;
            foreach (var proto in protocols)
            {
                list.Add(new L4Item(proto, first, last, null, l7));
            }

            return;
        }

        foreach (var proto in protocols)
        {
            list.Add(new L4Item(proto, 0, 0, text, l7));
        }
    }

    private static PeerSpec? Peer(
        SelectorRole role,
        string? ns,
        string? clusterName,
        IList<k8s.Models.V1LabelSelector>? endpoints,
        IList<k8s.Models.V1LabelSelector>? nodes,
        IList<PolicyEntity>? entities,
        IList<string>? cidr,
        IList<CidrRule>? cidrSet,
        IList<FqdnSelector>? fqdns,
        CidrGroups groups,
        string? unsupported)
    {
        // A peer field that is present, even as an empty list, restricts the peers: [] selects nothing.
        if (endpoints is null && nodes is null && entities is null && cidr is null && cidrSet is null && fqdns is null && unsupported is null)
        {
            return null;
        }

        var nets = new List<(IPNetwork, IPNetwork[])>();
        string? cidrUnknown = null;
        foreach (var c in cidr ?? [])
        {
            if (TryNetwork(c, out var n))
            {
                nets.Add((n, []));
            }
        }

        foreach (var c in cidrSet ?? [])
        {
            if (c is null)
            {
                continue;
            }

            var except = (c.Except ?? []).Select(e => TryNetwork(e, out var x) ? (IPNetwork?)x : null).Where(x => x is not null).Select(x => x!.Value).ToArray();
            string[]? members = null;
            if (c.Cidr is not null)
            {
                members = [c.Cidr];
            }
            else if (c.CidrGroupRef is not null)
            {
                members = groups.Lookup(c.CidrGroupRef);
                if (members is null && !groups.Any)
                {
                    cidrUnknown ??= $"cidrGroupRef '{c.CidrGroupRef}' names a CiliumCIDRGroup the engine was not given";
                }
            }
            else if (c.CidrGroupSelector is not null)
            {
                members = groups.Select(c.CidrGroupSelector);
                if (members is null)
                {
                    cidrUnknown ??= "cidrGroupSelector needs the CiliumCIDRGroups, and the engine was given none";
                }
            }

            foreach (var m in members ?? [])
            {
                if (TryNetwork(m, out var n))
                {
                    nets.Add((n, except));
                }
            }
        }

        return new PeerSpec
        {
            Endpoints = (endpoints ?? []).Select(s => CompiledSelector.Compile(s, role, ns, clusterName)).ToArray(),
            Nodes = (nodes ?? []).Select(s => CompiledSelector.Compile(s, SelectorRole.Node, null, clusterName)).ToArray(),
            Entities = (entities ?? []).ToArray(),
            Cidrs = nets.ToArray(),
            CidrUnknown = cidrUnknown,
            Fqdns = (fqdns ?? []).Where(f => f is not null).Select(f => (f.MatchName ?? f.MatchPattern ?? string.Empty, DnsNames.Pattern(f.MatchName, f.MatchPattern))).Where(f => f.Item2 is not null).Select(f => (f.Item1, f.Item2!)).ToArray(),
            Unsupported = string.IsNullOrEmpty(unsupported) ? null : unsupported,
        };
    }

    private static bool TryNetwork(string? text, out IPNetwork network)
    {
        network = default;
        if (text is null)
        {
            return false;
        }

        // A bare address is a single-host prefix, as the agent reads it.
        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var ip))
        {
            network = new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);

    // Peer kinds the engine cannot resolve: null when absent, "" when present but empty (selects nothing), else the reason.
    private static string? Unsupported(params (string Field, int? Count)[] fields)
    {
        var used = fields.Where(f => f.Count > 0).Select(f => f.Field).ToList();
        if (used.Count > 0)
        {
            return string.Join(", ", used) + (used.Count == 1 ? " is" : " are") + " not modelled";
        }

        return fields.Any(f => f.Count == 0) ? string.Empty : null;
    }
}
