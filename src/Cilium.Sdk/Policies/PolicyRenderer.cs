using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Validation;
using CrdKit.Validation;
using k8s.Models;

namespace Cilium.Sdk.Policies;

/// <summary>Expands a <see cref="Policy"/> into the generated records, reporting intent errors on the way.</summary>
internal static class PolicyRenderer
{
    // The schema's maxItems for toPorts[].ports.
    private const int MaxPortsPerRule = 40;

    public static k8s.IKubernetesObject<V1ObjectMeta> Render(Policy policy, PolicyMode mode, ValidationContext context, string prefix)
    {
        var spec = new Rule { Description = policy.Description };
        var specPath = prefix + ".spec";
        spec.EndpointSelector = Selector(policy, context, specPath);

        // Made on first use: most policies leave two or three of the four sections empty.
        List<IngressRule>? ingress = null;
        List<IngressDenyRule>? ingressDeny = null;
        List<EgressRule>? egress = null;
        List<EgressDenyRule>? egressDeny = null;
        // Plain loops rather than LINQ here and below: this runs for every policy of every build (see the render
        // benchmark), and the output is the same: peers grouped by kind in PeerKind order, each group in first-seen
        // order without duplicates, ports without duplicates in chunks of the schema's limit.
        for (var r = 0; r < policy.Rules.Count; r++)
        {
            var rule = policy.Rules[r];
            var section = (rule.Direction, rule.IsDeny) switch
            {
                (Direction.Ingress, false) => "ingress",
                (Direction.Ingress, true) => "ingressDeny",
                (Direction.Egress, false) => "egress",
                _ => "egressDeny",
            };
            var index = section switch
            {
                "ingress" => ingress?.Count ?? 0,
                "ingressDeny" => ingressDeny?.Count ?? 0,
                "egress" => egress?.Count ?? 0,
                _ => egressDeny?.Count ?? 0,
            };
            // A rule with intent errors is still rendered (what can be), so schema checks see the same shape.
            CheckRule(rule, context, specPath, section, index);

            var distinctPorts = DistinctPorts(rule.Ports);
            var chunks = Math.Max(1, (distinctPorts.Count + MaxPortsPerRule - 1) / MaxPortsPerRule);
            for (var kind = PeerKind.Any; kind <= PeerKind.Services; kind++)
            {
                if (DistinctOfKind(rule.Peers, kind) is not { } peers)
                {
                    continue;
                }

                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    var ports = Chunk(distinctPorts, chunk);
                    switch (section)
                    {
                        case "ingress":
                            (ingress ??= []).Add(Ingress(peers, ports, rule));
                            break;
                        case "ingressDeny":
                            (ingressDeny ??= []).Add(IngressDeny(peers, ports, rule));
                            break;
                        case "egress":
                            (egress ??= []).Add(Egress(peers, ports, rule));
                            break;
                        default:
                            (egressDeny ??= []).Add(EgressDeny(peers, ports, rule));
                            break;
                    }
                }
            }
        }

        // FQDN peers only work when the DNS proxy sees the lookups: add the L7 DNS rule unless the author wrote one.
        if (NeedsDnsProxy(policy))
        {
            (egress ??= []).Add(DnsProxyRule());
        }

        spec.Ingress = ingress;
        spec.IngressDeny = ingressDeny;
        spec.Egress = egress;
        spec.EgressDeny = egressDeny;
        spec.EnableDefaultDeny = DefaultDeny(policy, mode, ingress is not null || ingressDeny is not null, egress is not null || egressDeny is not null);

        if (spec.Ingress is null && spec.IngressDeny is null && spec.Egress is null && spec.EgressDeny is null && policy.Rules.Count == 0)
        {
            context.Add(specPath, null, "has no rules", "add a rule with AllowIngress/AllowEgress/DenyIngress/DenyEgress (Cilium needs at least one of ingress, ingressDeny, egress, egressDeny)");
        }

        var metadata = new V1ObjectMeta { Name = policy.Name, NamespaceProperty = policy.Namespace };
        return policy.IsClusterWide
            ? new Resources.V2.CiliumClusterwideNetworkPolicy { Metadata = metadata, Spec = spec }
            : new Resources.V2.CiliumNetworkPolicy { Metadata = metadata, Spec = spec };
    }

    /// <summary>The rule every FQDN policy needs: egress to CoreDNS on 53 through the DNS proxy, any name.</summary>
    internal static EgressRule DnsProxyRule() => new()
    {
        ToEndpoints = [Endpoints(Components.CoreDns.Labels, Components.CoreDns.Namespace)],
        ToPorts =
        [
            new PortRule
            {
                Ports = [Port.Udp(53).ToGenerated(), Port.Tcp(53).ToGenerated()],
                Rules = new L7Rules { Dns = [DnsMatch.AnyName.ToGenerated()] },
            },
        ],
    };

    private static DefaultDenyConfig? DefaultDeny(Policy policy, PolicyMode mode, bool hasIngress, bool hasEgress)
    {
        // Enforce: explicit true for each direction the policy has rules in (a direction without rules stays open:
        // writing true there would drop all of it). Audit: nothing, so Cilium's default applies and audit mode
        // reports what it would drop. An explicit override always wins and is always written.
        bool? ingress = policy.DefaultDenyIngress ?? (mode == PolicyMode.Enforce && hasIngress ? true : null);
        bool? egress = policy.DefaultDenyEgress ?? (mode == PolicyMode.Enforce && hasEgress ? true : null);
        return ingress is null && egress is null ? null : new DefaultDenyConfig { Ingress = ingress, Egress = egress };
    }

    private static V1LabelSelector? Selector(Policy policy, ValidationContext context, string specPath)
    {
        var selection = policy.Selection;
        var at = specPath + ".endpointSelector";
        if (selection is null)
        {
            context.Add(at, null, "is not set: the policy selects no endpoints", "call Selecting(component), Selecting(labels), SelectingNamespace(ns) or SelectingAll()");
            return null;
        }

        if (policy.IsClusterWide)
        {
            return Endpoints(selection.Labels, selection.Namespace);
        }

        if (selection.Namespace is not null && !string.Equals(selection.Namespace, policy.Namespace, StringComparison.Ordinal))
        {
            var what = selection.Component is { } c ? $"component '{c.Name}' runs in '{c.Namespace}'" : $"it selects namespace '{selection.Namespace}'";
            context.Add(at, selection.ToString(), $"cannot select pods outside the policy's namespace '{policy.Namespace}': {what}", $"create the policy in namespace '{selection.Namespace}', or use Policy.ClusterWide");
        }

        // A namespaced policy only ever selects its own namespace: no namespace label is needed.
        return Endpoints(selection.Labels, null);
    }

    internal static V1LabelSelector Endpoints(IReadOnlyDictionary<string, string> labels, string? @namespace)
    {
        // Keys in ordinal order (a Dictionary filled in order enumerates in that order, so the output is sorted); the
        // namespace, when given, replaces any namespace label.
        var count = labels.Count + (@namespace is null ? 0 : 1);
        if (count == 0)
        {
            return new V1LabelSelector();
        }

        if (count == 1 && @namespace is null)
        {
            // One label: nothing to sort (no buffer).
            foreach (var only in labels)
            {
                return new V1LabelSelector { MatchLabels = new Dictionary<string, string>(1) { [only.Key] = only.Value } };
            }
        }

        var pairs = new KeyValuePair<string, string>[count];
        var n = 0;
        foreach (var pair in labels)
        {
            if (@namespace is null || !string.Equals(pair.Key, Labels.NamespaceKey, StringComparison.Ordinal))
            {
                pairs[n++] = pair;
            }
        }

        if (@namespace is not null)
        {
            pairs[n++] = new(Labels.NamespaceKey, @namespace);
        }

        Array.Sort(pairs, 0, n, ByKey.Instance);
        var matchLabels = new Dictionary<string, string>(n);
        for (var i = 0; i < n; i++)
        {
            matchLabels.Add(pairs[i].Key, pairs[i].Value);
        }

        return new V1LabelSelector { MatchLabels = matchLabels };
    }

    private sealed class ByKey : IComparer<KeyValuePair<string, string>>
    {
        public static readonly ByKey Instance = new();

        public int Compare(KeyValuePair<string, string> x, KeyValuePair<string, string> y) => string.CompareOrdinal(x.Key, y.Key);
    }

    private static bool NeedsDnsProxy(Policy policy)
    {
        var fqdn = false;
        for (var r = 0; r < policy.Rules.Count; r++)
        {
            var rule = policy.Rules[r];
            if (rule.Direction != Direction.Egress || rule.IsDeny)
            {
                continue;
            }

            if (rule.Dns.Count > 0)
            {
                return false; // the author wrote the DNS rule
            }

            for (var p = 0; p < rule.Peers.Count; p++)
            {
                fqdn |= rule.Peers[p] is FqdnPeer;
            }
        }

        return fqdn;
    }

    private static bool CheckRule(PolicyRule rule, ValidationContext context, string specPath, string section, int index)
    {
        var ok = true;
        void Fail(string value, string message, string fix)
        {
            // The rule's path is built only to report.
            context.Add($"{specPath}.{section}[{index.ToString(CultureInfo.InvariantCulture)}]", value, message, fix, ValidationLayers.Agent);
            ok = false;
        }

        for (var i = 0; i < rule.Peers.Count; i++)
        {
            var peer = rule.Peers[i];
            if (rule.Direction == Direction.Ingress && peer is FqdnPeer or ServicePeer)
            {
                Fail(peer.ToString(), $"{(peer is FqdnPeer ? "an FQDN" : "a Service")} cannot be an ingress peer (Cilium has no fromFQDNs/fromServices)", "use Peer.Cidr or Peer.Endpoints for ingress, or make it an egress rule");
            }

            if (rule.IsDeny && peer is FqdnPeer)
            {
                Fail(peer.ToString(), "FQDN peers cannot be denied (egressDeny has no toFQDNs)", "deny the resolved CIDRs with Peer.Cidr, or allow only what is wanted");
            }

            if (peer is AnyPeer && rule.Ports.Count == 0 && rule.Icmps.Count == 0 && !rule.IsDeny)
            {
                Fail(peer.ToString(), "an empty rule allows nothing in Cilium (it only turns default deny on)", "allow everything with Peer.Entity(Entity.All), or name ports");
            }

            // CIDR exceptions, L7 on non-TCP ports, DNS rules on ingress and ICMP with ports render faithfully and are
            // reported once, at the exact field, by the agent-layer checks of the generated validation
            // (Validation/Agent/PolicyAgentRules.cs). Here: what the records cannot express, or the agent layer lacks.
        }

        if (rule.Dns.Count > 0 && rule.Direction == Direction.Egress && !rule.Ports.Any(p => p.Number == 53 && p.EndPort is null))
        {
            Fail(string.Join(",", rule.Ports), "port 53 must be specified for DNS rules (and DNS rules do not support port ranges)", "add Port.Udp(53) and Port.Tcp(53)");
        }

        if (rule.Http.Count > 0 && rule.IsDeny)
        {
            Fail("http", "deny rules cannot carry HTTP rules", "deny on L3/L4, or allow only the wanted requests");
        }

        return ok;
    }

    // The ports without duplicates (the list itself when it has none: a rule has a handful, so a scan beats hashing).
    private static IReadOnlyList<Port> DistinctPorts(IReadOnlyList<Port> ports)
    {
        List<Port>? distinct = null;
        for (var i = 0; i < ports.Count; i++)
        {
            var seen = false;
            for (var j = 0; j < i && !seen; j++)
            {
                seen = ports[j].Equals(ports[i]);
            }

            if (seen && distinct is null)
            {
                distinct = new List<Port>(ports.Count);
                for (var j = 0; j < i; j++)
                {
                    distinct.Add(ports[j]);
                }
            }
            else if (!seen)
            {
                distinct?.Add(ports[i]);
            }
        }

        return distinct ?? ports;
    }

    // Chunk number 'chunk' of at most MaxPortsPerRule ports; an empty list ("every port") is its own single chunk.
    private static IReadOnlyList<Port> Chunk(IReadOnlyList<Port> ports, int chunk)
    {
        if (ports.Count <= MaxPortsPerRule)
        {
            return ports;
        }

        var start = chunk * MaxPortsPerRule;
        var part = new Port[Math.Min(MaxPortsPerRule, ports.Count - start)];
        for (var i = 0; i < part.Length; i++)
        {
            part[i] = ports[start + i];
        }

        return part;
    }

    // The peers of one kind in first-seen order without duplicates (a rule has a handful: a scan beats hashing, whose
    // record hash codes format the labels), or null when the rule has none of that kind: the rule's own list when it
    // is exactly that (the common case: one peer), else a new one.
    private static IReadOnlyList<Peer>? DistinctOfKind(IReadOnlyList<Peer> peers, PeerKind kind)
    {
        if (AllDistinctOfKind(peers, kind))
        {
            return peers.Count == 0 ? null : peers;
        }

        List<Peer>? found = null;
        for (var i = 0; i < peers.Count; i++)
        {
            var peer = peers[i];
            if (peer.Kind == kind && (found is null || !found.Contains(peer)))
            {
                (found ??= new List<Peer>(peers.Count)).Add(peer);
            }
        }

        return found;
    }

    private static bool AllDistinctOfKind(IReadOnlyList<Peer> peers, PeerKind kind)
    {
        for (var i = 0; i < peers.Count; i++)
        {
            if (peers[i].Kind != kind)
            {
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (peers[j].Equals(peers[i]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static List<PortRule>? PortRules(IReadOnlyList<Port> ports, PolicyRule rule)
    {
        if (ports.Count == 0)
        {
            return null;
        }

        L7Rules? l7 = null;
        if (rule.Http.Count > 0)
        {
            l7 = new L7Rules { Http = rule.Http.Select(h => h.ToGenerated()).ToList() };
        }
        else if (rule.Dns.Count > 0)
        {
            l7 = new L7Rules { Dns = rule.Dns.Select(d => d.ToGenerated()).ToList() };
        }

        return [new PortRule { Ports = Generated(ports), Rules = l7 }];
    }

    private static List<PortDenyRule>? PortDenyRules(IReadOnlyList<Port> ports) =>
        ports.Count == 0 ? null : [new PortDenyRule { Ports = Generated(ports) }];

    private static List<IcmpRule>? Icmps(PolicyRule rule) =>
        rule.Icmps.Count == 0 ? null : [new IcmpRule { Fields = rule.Icmps.Select(i => i.ToGenerated()).ToList() }];

    // The peers of a group all have one kind, so each of these fills at most one field of a rule (null otherwise).
    private static List<V1LabelSelector>? EndpointSelectors(IReadOnlyList<Peer> peers) =>
        Map(peers, static p => p is EndpointsPeer e ? Endpoints(e.Labels, e.Namespace) : null);

    private static List<PolicyEntity>? Entities(IReadOnlyList<Peer> peers)
    {
        if (peers[0] is not EntityPeer)
        {
            return null;
        }

        var list = new List<PolicyEntity>(peers.Count);
        for (var i = 0; i < peers.Count; i++)
        {
            list.Add(((EntityPeer)peers[i]).Entity.ToGenerated());
        }

        return list;
    }

    private static List<CidrRule>? CidrSet(IReadOnlyList<Peer> peers) =>
        Map(peers, static p => p switch
        {
            CidrPeer c => new CidrRule { Cidr = c.Cidr, Except = c.Except.Count == 0 ? null : [.. c.Except] },
            CidrGroupPeer g => new CidrRule { CidrGroupRef = g.Name },
            _ => null,
        });

    private static List<T>? Map<T>(IReadOnlyList<Peer> peers, Func<Peer, T?> map)
        where T : class
    {
        List<T>? list = null;
        for (var i = 0; i < peers.Count; i++)
        {
            if (map(peers[i]) is { } item)
            {
                (list ??= new List<T>(peers.Count)).Add(item);
            }
        }

        return list;
    }

    private static List<PortProtocol> Generated(IReadOnlyList<Port> ports)
    {
        var list = new List<PortProtocol>(ports.Count);
        for (var i = 0; i < ports.Count; i++)
        {
            list.Add(ports[i].ToGenerated());
        }

        return list;
    }

    private static List<ServiceSelector>? Services(IReadOnlyList<Peer> peers) =>
        Map(peers, static p => p is ServicePeer s ? new ServiceSelector { K8sService = new ServiceNameRef { ServiceName = s.Name, Namespace = s.Namespace } } : null);

    private static IngressRule Ingress(IReadOnlyList<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        FromEndpoints = EndpointSelectors(peers),
        FromEntities = Entities(peers),
        FromCIDRSet = CidrSet(peers),
        ToPorts = PortRules(ports, rule),
        Icmps = Icmps(rule),
    };

    private static IngressDenyRule IngressDeny(IReadOnlyList<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        FromEndpoints = EndpointSelectors(peers),
        FromEntities = Entities(peers),
        FromCIDRSet = CidrSet(peers),
        ToPorts = PortDenyRules(ports),
        Icmps = Icmps(rule),
    };

    private static EgressRule Egress(IReadOnlyList<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        ToEndpoints = EndpointSelectors(peers),
        ToEntities = Entities(peers),
        ToCIDRSet = CidrSet(peers),
        ToFQDNs = Map(peers, static p => p is FqdnPeer f ? new FqdnSelector { MatchName = f.Name, MatchPattern = f.Pattern } : null),
        ToServices = Services(peers),
        ToPorts = PortRules(ports, rule),
        Icmps = Icmps(rule),
    };

    private static EgressDenyRule EgressDeny(IReadOnlyList<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        ToEndpoints = EndpointSelectors(peers),
        ToEntities = Entities(peers),
        ToCIDRSet = CidrSet(peers),
        ToServices = Services(peers),
        ToPorts = PortDenyRules(ports),
        Icmps = Icmps(rule),
    };
}
