using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Validation;
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

        var ingress = new List<IngressRule>();
        var ingressDeny = new List<IngressDenyRule>();
        var egress = new List<EgressRule>();
        var egressDeny = new List<EgressDenyRule>();
        foreach (var rule in policy.Rules)
        {
            var section = (rule.Direction, rule.IsDeny) switch
            {
                (Direction.Ingress, false) => "ingress",
                (Direction.Ingress, true) => "ingressDeny",
                (Direction.Egress, false) => "egress",
                _ => "egressDeny",
            };
            var index = section switch
            {
                "ingress" => ingress.Count,
                "ingressDeny" => ingressDeny.Count,
                "egress" => egress.Count,
                _ => egressDeny.Count,
            };
            var at = $"{specPath}.{section}[{index.ToString(CultureInfo.InvariantCulture)}]";
            // A rule with intent errors is still rendered (what can be), so schema checks see the same shape.
            CheckRule(policy, rule, context, at);

            foreach (var group in rule.Peers.GroupBy(p => p.Kind).OrderBy(g => g.Key))
            {
                var peers = group.Distinct().ToList();
                foreach (var ports in Chunk(rule.Ports))
                {
                    switch (section)
                    {
                        case "ingress":
                            ingress.Add(Ingress(policy, peers, ports, rule));
                            break;
                        case "ingressDeny":
                            ingressDeny.Add(IngressDeny(policy, peers, ports, rule));
                            break;
                        case "egress":
                            egress.Add(Egress(policy, peers, ports, rule));
                            break;
                        default:
                            egressDeny.Add(EgressDeny(policy, peers, ports, rule));
                            break;
                    }
                }
            }
        }

        // FQDN peers only work when the DNS proxy sees the lookups: add the L7 DNS rule unless the author wrote one.
        var needsDnsProxy = policy.Rules.Any(r => r.Direction == Direction.Egress && !r.IsDeny && r.Peers.Any(p => p is FqdnPeer));
        if (needsDnsProxy && !policy.Rules.Any(r => r.Direction == Direction.Egress && !r.IsDeny && r.Dns.Count > 0))
        {
            egress.Add(DnsProxyRule());
        }

        spec.Ingress = ingress.Count > 0 ? ingress : null;
        spec.IngressDeny = ingressDeny.Count > 0 ? ingressDeny : null;
        spec.Egress = egress.Count > 0 ? egress : null;
        spec.EgressDeny = egressDeny.Count > 0 ? egressDeny : null;
        spec.EnableDefaultDeny = DefaultDeny(policy, mode, ingress.Count + ingressDeny.Count > 0, egress.Count + egressDeny.Count > 0);

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
        var matchLabels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            matchLabels[key] = value;
        }

        if (@namespace is not null)
        {
            matchLabels[Labels.NamespaceKey] = @namespace;
        }

        return new V1LabelSelector { MatchLabels = matchLabels.Count == 0 ? null : new Dictionary<string, string>(matchLabels) };
    }

    private static bool CheckRule(Policy policy, PolicyRule rule, ValidationContext context, string at)
    {
        var ok = true;
        void Fail(string value, string message, string fix)
        {
            context.Add(at, value, message, fix, ValidationLayers.Agent);
            ok = false;
        }

        foreach (var peer in rule.Peers)
        {
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

    private static IEnumerable<IReadOnlyList<Port>> Chunk(IReadOnlyList<Port> ports)
    {
        if (ports.Count == 0)
        {
            yield return ports;
            yield break;
        }

        var distinct = ports.Distinct().ToList();
        for (var i = 0; i < distinct.Count; i += MaxPortsPerRule)
        {
            yield return distinct.Skip(i).Take(MaxPortsPerRule).ToList();
        }
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

        return [new PortRule { Ports = ports.Select(p => p.ToGenerated()).ToList(), Rules = l7 }];
    }

    private static List<PortDenyRule>? PortDenyRules(IReadOnlyList<Port> ports) =>
        ports.Count == 0 ? null : [new PortDenyRule { Ports = ports.Select(p => p.ToGenerated()).ToList() }];

    private static List<IcmpRule>? Icmps(PolicyRule rule) =>
        rule.Icmps.Count == 0 ? null : [new IcmpRule { Fields = rule.Icmps.Select(i => i.ToGenerated()).ToList() }];

    private static List<V1LabelSelector>? EndpointSelectors(List<Peer> peers) =>
        Of(peers.OfType<EndpointsPeer>().Select(p => Endpoints(p.Labels, p.Namespace)));

    private static List<PolicyEntity>? Entities(List<Peer> peers) =>
        Of(peers.OfType<EntityPeer>().Select(p => p.Entity.ToGenerated()));

    private static List<CidrRule>? CidrSet(List<Peer> peers) =>
        Of(peers.Select(p => p switch
        {
            CidrPeer c => new CidrRule { Cidr = c.Cidr, Except = c.Except.Count == 0 ? null : c.Except.ToList() },
            CidrGroupPeer g => new CidrRule { CidrGroupRef = g.Name },
            _ => null,
        }).OfType<CidrRule>());

    private static List<T>? Of<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }

    private static IngressRule Ingress(Policy policy, List<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        FromEndpoints = EndpointSelectors(peers),
        FromEntities = Entities(peers),
        FromCIDRSet = CidrSet(peers),
        ToPorts = PortRules(ports, rule),
        Icmps = Icmps(rule),
    };

    private static IngressDenyRule IngressDeny(Policy policy, List<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        FromEndpoints = EndpointSelectors(peers),
        FromEntities = Entities(peers),
        FromCIDRSet = CidrSet(peers),
        ToPorts = PortDenyRules(ports),
        Icmps = Icmps(rule),
    };

    private static EgressRule Egress(Policy policy, List<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        ToEndpoints = EndpointSelectors(peers),
        ToEntities = Entities(peers),
        ToCIDRSet = CidrSet(peers),
        ToFQDNs = Of(peers.OfType<FqdnPeer>().Select(f => new FqdnSelector { MatchName = f.Name, MatchPattern = f.Pattern })),
        ToServices = Of(peers.OfType<ServicePeer>().Select(s => new ServiceSelector { K8sService = new ServiceNameRef { ServiceName = s.Name, Namespace = s.Namespace } })),
        ToPorts = PortRules(ports, rule),
        Icmps = Icmps(rule),
    };

    private static EgressDenyRule EgressDeny(Policy policy, List<Peer> peers, IReadOnlyList<Port> ports, PolicyRule rule) => new()
    {
        ToEndpoints = EndpointSelectors(peers),
        ToEntities = Entities(peers),
        ToCIDRSet = CidrSet(peers),
        ToServices = Of(peers.OfType<ServicePeer>().Select(s => new ServiceSelector { K8sService = new ServiceNameRef { ServiceName = s.Name, Namespace = s.Namespace } })),
        ToPorts = PortDenyRules(ports),
        Icmps = Icmps(rule),
    };
}
