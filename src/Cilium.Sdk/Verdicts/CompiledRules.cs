using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Resources;

namespace Cilium.Sdk.Verdicts;

/// <summary>One spec of one policy, compiled: its subject selector, default-deny switches and rules.</summary>
internal sealed class CompiledSpec
{
    public required string Policy { get; init; }

    public required string SpecPath { get; init; }

    public required CompiledSelector? Subject { get; init; }

    /// <summary>Why the spec's subject cannot be decided (a nodeSelector host policy), or null.</summary>
    public string? HostPolicy { get; init; }

    public required bool HasIngress { get; init; }

    public required bool HasEgress { get; init; }

    public required bool DefaultDenyIngress { get; init; }

    public required bool DefaultDenyEgress { get; init; }

    public required CompiledRule[] Rules { get; init; }

    public static IEnumerable<CompiledSpec> Compile(string policy, string? ns, Rule? spec, IList<Rule>? specs)
    {
        var all = new List<(string Path, Rule Rule)>();
        if (spec is not null)
        {
            all.Add(("spec", spec));
        }

        for (var i = 0; i < (specs?.Count ?? 0); i++)
        {
            all.Add(($"specs[{i.ToString(CultureInfo.InvariantCulture)}]", specs![i]));
        }

        foreach (var (path, rule) in all)
        {
            var rules = new List<CompiledRule>();
            for (var i = 0; i < (rule.Ingress?.Count ?? 0); i++)
            {
                var r = rule.Ingress![i];
                rules.Add(CompiledRule.Create(Direction.Ingress, false, $"{path}.ingress[{I(i)}]", ns, r.FromEndpoints, r.FromEntities, r.FromCIDR, r.FromCIDRSet, null, r.ToPorts, null, r.Icmps, Unsupported(("fromGroups", r.FromGroups?.Count), ("fromNodes", r.FromNodes?.Count), ("fromRequires", r.FromRequires?.Count), ("authentication", r.Authentication is null ? 0 : 1))));
            }

            for (var i = 0; i < (rule.IngressDeny?.Count ?? 0); i++)
            {
                var r = rule.IngressDeny![i];
                rules.Add(CompiledRule.Create(Direction.Ingress, true, $"{path}.ingressDeny[{I(i)}]", ns, r.FromEndpoints, r.FromEntities, r.FromCIDR, r.FromCIDRSet, null, null, r.ToPorts, r.Icmps, Unsupported(("fromGroups", r.FromGroups?.Count), ("fromNodes", r.FromNodes?.Count), ("fromRequires", r.FromRequires?.Count))));
            }

            for (var i = 0; i < (rule.Egress?.Count ?? 0); i++)
            {
                var r = rule.Egress![i];
                rules.Add(CompiledRule.Create(Direction.Egress, false, $"{path}.egress[{I(i)}]", ns, r.ToEndpoints, r.ToEntities, r.ToCIDR, r.ToCIDRSet, r.ToFQDNs, r.ToPorts, null, r.Icmps, Unsupported(("toServices", r.ToServices?.Count), ("toGroups", r.ToGroups?.Count), ("toNodes", r.ToNodes?.Count), ("toRequires", r.ToRequires?.Count), ("authentication", r.Authentication is null ? 0 : 1))));
            }

            for (var i = 0; i < (rule.EgressDeny?.Count ?? 0); i++)
            {
                var r = rule.EgressDeny![i];
                rules.Add(CompiledRule.Create(Direction.Egress, true, $"{path}.egressDeny[{I(i)}]", ns, r.ToEndpoints, r.ToEntities, r.ToCIDR, r.ToCIDRSet, null, null, r.ToPorts, r.Icmps, Unsupported(("toServices", r.ToServices?.Count), ("toGroups", r.ToGroups?.Count), ("toNodes", r.ToNodes?.Count), ("toRequires", r.ToRequires?.Count))));
            }

            var hasIngress = (rule.Ingress?.Count ?? 0) + (rule.IngressDeny?.Count ?? 0) > 0;
            var hasEgress = (rule.Egress?.Count ?? 0) + (rule.EgressDeny?.Count ?? 0) > 0;
            yield return new CompiledSpec
            {
                Policy = policy,
                SpecPath = path,
                Subject = rule.EndpointSelector is null ? null : CompiledSelector.Compile(rule.EndpointSelector, ns),
                HostPolicy = rule.NodeSelector is null ? null : $"{policy} {path} is a host policy (nodeSelector): the host firewall is not modelled",
                HasIngress = hasIngress,
                HasEgress = hasEgress,
                // Cilium's default: a policy with rules in a direction puts its endpoints into default deny there.
                DefaultDenyIngress = rule.EnableDefaultDeny?.Ingress ?? true,
                DefaultDenyEgress = rule.EnableDefaultDeny?.Egress ?? true,
                Rules = rules.ToArray(),
            };
        }
    }

    private static string I(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string? Unsupported(params (string Field, int? Count)[] fields)
    {
        var used = fields.Where(f => f.Count > 0).Select(f => f.Field).ToList();
        return used.Count == 0 ? null : string.Join(", ", used);
    }
}

/// <summary>One ingress/egress (deny) rule, compiled.</summary>
internal sealed class CompiledRule
{
    private CompiledSelector[] endpoints = [];
    private PolicyEntity[] entities = [];
    private (IPNetwork Net, IPNetwork[] Except)[] cidrs = [];
    private string? cidrUnsupported;
    private (string Text, Regex? Match)[] fqdns = [];
    private bool anyPeer;
    private bool matchesNothing;
    private CompiledPort[]? ports;
    private (bool V6, IntOrStringValue Type)[]? icmps;
    private CompiledL7? l7;
    private string? unsupported;

    public required Direction Direction { get; init; }

    public required bool IsDeny { get; init; }

    public required string Path { get; init; }

    public bool HasL7 => l7 is not null;

    public static CompiledRule Create(
        Direction direction,
        bool deny,
        string path,
        string? ns,
        IList<k8s.Models.V1LabelSelector>? endpointSelectors,
        IList<PolicyEntity>? entities,
        IList<string>? cidr,
        IList<CidrRule>? cidrSet,
        IList<FqdnSelector>? fqdns,
        IList<PortRule>? portRules,
        IList<PortDenyRule>? portDenyRules,
        IList<IcmpRule>? icmpRules,
        string? unsupported)
    {
        var rule = new CompiledRule { Direction = direction, IsDeny = deny, Path = path, unsupported = unsupported is null ? null : $"{unsupported} is not modelled" };
        rule.endpoints = (endpointSelectors ?? []).Select(s => CompiledSelector.Compile(s, ns)).ToArray();
        rule.entities = (entities ?? []).ToArray();
        var nets = new List<(IPNetwork, IPNetwork[])>();
        foreach (var c in cidr ?? [])
        {
            if (IPNetwork.TryParse(c, out var n))
            {
                nets.Add((n, []));
            }
            else
            {
                rule.cidrUnsupported = $"'{c}' is not a CIDR";
            }
        }

        foreach (var c in cidrSet ?? [])
        {
            if (c.Cidr is not null && IPNetwork.TryParse(c.Cidr, out var n))
            {
                nets.Add((n, (c.Except ?? []).Select(e => IPNetwork.TryParse(e, out var x) ? x : n).ToArray()));
            }
            else
            {
                rule.cidrUnsupported = c.CidrGroupRef is not null ? $"cidrGroupRef '{c.CidrGroupRef}' needs the CiliumCIDRGroup's CIDRs, which are not modelled"
                    : c.CidrGroupSelector is not null ? "cidrGroupSelector needs the CiliumCIDRGroups, which are not modelled"
                    : $"'{c.Cidr}' is not a CIDR";
            }
        }

        rule.cidrs = nets.ToArray();
        rule.fqdns = (fqdns ?? []).Select(f => (f.MatchName ?? f.MatchPattern ?? string.Empty, DnsNames.Pattern(f.MatchName, f.MatchPattern))).ToArray();
        var hasL3 = rule.endpoints.Length + rule.entities.Length + nets.Count + rule.fqdns.Length > 0 || rule.cidrUnsupported is not null || unsupported is not null;

        var portList = new List<CompiledPort>();
        var hasPortRules = false;
        foreach (var pr in portRules ?? [])
        {
            hasPortRules = true;
            portList.AddRange((pr.Ports ?? []).Select(CompiledPort.From));
            if (pr.Ports is null || pr.Ports.Count == 0)
            {
                portList.Add(CompiledPort.All);
            }

            var l7 = CompiledL7.From(pr);
            if (l7 is not null)
            {
                rule.l7 = rule.l7 is null ? l7 : rule.l7.Merge(l7);
            }
        }

        foreach (var pr in portDenyRules ?? [])
        {
            hasPortRules = true;
            portList.AddRange((pr.Ports ?? []).Select(CompiledPort.From));
            if (pr.Ports is null || pr.Ports.Count == 0)
            {
                portList.Add(CompiledPort.All);
            }
        }

        rule.ports = hasPortRules ? portList.ToArray() : null;
        var icmpList = (icmpRules ?? []).SelectMany(r => r.Fields ?? []).Select(f => (f.Family == IcmpFamily.IPv6, new IntOrStringValue(f.Type.IsString ? null : f.Type.IntValue, f.Type.StringValue))).ToArray();
        rule.icmps = icmpList.Length > 0 ? icmpList : null;
        rule.anyPeer = !hasL3;
        // An empty rule ({}) selects no peer: it only switches default deny on.
        rule.matchesNothing = !hasL3 && !hasPortRules && rule.icmps is null;
        return rule;
    }

    /// <summary>Whether this rule matches <paramref name="flow"/> with <paramref name="peer"/> on the other side.</summary>
    public Tri Matches(Flow flow, Endpoint peer, out string? why, out string? l7Note)
    {
        why = null;
        l7Note = null;
        if (matchesNothing)
        {
            return Tri.No;
        }

        var l4 = MatchL4(flow, out var l4Why);
        if (l4 == Tri.No)
        {
            return Tri.No;
        }

        var l3 = MatchPeer(peer, out var l3Why);
        if (l3 == Tri.No)
        {
            return Tri.No;
        }

        var l7Result = Tri.Yes;
        string? l7Why = null;
        if (l7 is not null)
        {
            l7Result = l7.Matches(flow, out l7Why, out l7Note);
            if (l7Result == Tri.No)
            {
                return Tri.No;
            }
        }

        if (l3 == Tri.Unknown || l4 == Tri.Unknown || l7Result == Tri.Unknown)
        {
            why = l3Why ?? l4Why ?? l7Why;
            return Tri.Unknown;
        }

        return Tri.Yes;
    }

    private Tri MatchL4(Flow flow, out string? why)
    {
        why = null;
        if (icmps is not null)
        {
            if (!flow.IsIcmp)
            {
                return Tri.No;
            }

            var v6 = flow.Protocol == FlowProtocol.IcmpV6;
            var result = Tri.No;
            foreach (var (isV6, type) in icmps)
            {
                if (isV6 != v6)
                {
                    continue;
                }

                if (type.Number is { } n)
                {
                    if (n == flow.Port)
                    {
                        return Tri.Yes;
                    }
                }
                else
                {
                    why = $"the ICMP type name '{type.Name}' is not modelled (write the number)";
                    result = Tri.Unknown;
                }
            }

            return result;
        }

        if (ports is null)
        {
            // L3-only rule: every protocol and port.
            return Tri.Yes;
        }

        if (flow.IsIcmp)
        {
            return Tri.No;
        }

        var any = Tri.No;
        foreach (var p in ports)
        {
            var m = p.Matches(flow, out var pWhy);
            if (m == Tri.Yes)
            {
                return Tri.Yes;
            }

            if (m == Tri.Unknown)
            {
                any = Tri.Unknown;
                why ??= pWhy;
            }
        }

        return any;
    }

    private Tri MatchPeer(Endpoint peer, out string? why)
    {
        why = null;
        if (anyPeer)
        {
            return Tri.Yes;
        }

        var result = Tri.No;
        string? firstWhy = null;
        void Unknown(string reason)
        {
            result = Tri.Unknown;
            firstWhy ??= reason;
        }

        if (unsupported is not null)
        {
            Unknown(unsupported);
        }

        if (cidrUnsupported is not null)
        {
            Unknown(cidrUnsupported);
        }

        foreach (var selector in endpoints)
        {
            // An empty selector ({}) in a cluster-wide policy selects every identity, reserved ones included.
            var m = selector.Matches(peer, out var sWhy);
            if (m == Tri.Yes)
            {
                return Tri.Yes;
            }

            if (m == Tri.Unknown)
            {
                Unknown(sWhy!);
            }
        }

        foreach (var entity in entities)
        {
            if (EntityMatches(entity, peer))
            {
                return Tri.Yes;
            }
        }

        if (cidrs.Length > 0)
        {
            // CIDR rules select what is outside the cluster (world, an external kube-apiserver), by address.
            var outside = !peer.IsPod && peer.Entities.All(r => r is Entity.World or Entity.KubeApiServer);
            if (outside)
            {
                if (peer.Addresses.Count == 0)
                {
                    Unknown($"{peer} has no IP, so CIDR rules cannot be decided");
                }
                else if (peer.Addresses.Any(a => cidrs.Any(c => c.Net.Contains(a) && !c.Except.Any(x => x.Contains(a)))))
                {
                    return Tri.Yes;
                }
            }
        }

        if (fqdns.Length > 0 && peer.Is(Entity.World))
        {
            if (peer.DnsNames.Count == 0)
            {
                Unknown($"{peer} carries no DNS name, so toFQDNs ({string.Join(", ", fqdns.Select(f => f.Text))}) cannot be decided");
            }
            else if (peer.DnsNames.Any(n => fqdns.Any(f => f.Match?.IsMatch(n) == true)))
            {
                return Tri.Yes;
            }
        }

        why = firstWhy;
        return result;
    }

    internal static bool EntityMatches(PolicyEntity entity, Endpoint e) => entity switch
    {
        PolicyEntity.All => true,
        PolicyEntity.None => false,
        PolicyEntity.World => e.Is(Entity.World),
        PolicyEntity.Cluster => e.IsPod || e.Entities.Any(r => r is Entity.Host or Entity.RemoteNode or Entity.Init or Entity.Ingress or Entity.Health or Entity.Unmanaged),
        PolicyEntity.Host => e.Is(Entity.Host),
        PolicyEntity.RemoteNode => e.Is(Entity.RemoteNode),
        PolicyEntity.KubeApiserver => e.Is(Entity.KubeApiServer),
        PolicyEntity.Health => e.Is(Entity.Health),
        PolicyEntity.Init => e.Is(Entity.Init),
        PolicyEntity.Ingress => e.Is(Entity.Ingress),
        PolicyEntity.Unmanaged => e.Is(Entity.Unmanaged),
        _ => false,
    };
}

/// <summary>An ICMP type as written: a number or a name.</summary>
internal readonly record struct IntOrStringValue(long? Number, string? Name);

/// <summary>One <c>toPorts[].ports[]</c> entry.</summary>
internal sealed record CompiledPort(int First, int Last, string? Name, PolicyProtocol? Protocol)
{
    public static CompiledPort All { get; } = new(0, 0, null, null);

    public static CompiledPort From(PortProtocol p)
    {
        var text = p.Port ?? "0";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return new CompiledPort(n, p.EndPort is { } end && end > n ? end : n, null, p.Protocol);
        }

        return new CompiledPort(0, 0, text, p.Protocol);
    }

    public Tri Matches(Flow flow, out string? why)
    {
        why = null;
        var protocolOk = Protocol switch
        {
            null or PolicyProtocol.ANY => flow.Protocol is FlowProtocol.Tcp or FlowProtocol.Udp or FlowProtocol.Sctp,
            PolicyProtocol.TCP => flow.Protocol == FlowProtocol.Tcp,
            PolicyProtocol.UDP => flow.Protocol == FlowProtocol.Udp,
            PolicyProtocol.SCTP => flow.Protocol == FlowProtocol.Sctp,
            _ => false,
        };
        if (!protocolOk)
        {
            return Tri.No;
        }

        if (Name is not null)
        {
            // A named port is the destination pod's container port of that name.
            if (flow.Destination.NamedPorts.TryGetValue(Name, out var named))
            {
                return named.Number == flow.Port ? Tri.Yes : Tri.No;
            }

            if (!flow.Destination.IsPod)
            {
                return Tri.No;
            }

            why = $"the named port '{Name}' needs {flow.Destination}'s container ports (Endpoint.WithNamedPort)";
            return Tri.Unknown;
        }

        return First == 0 || (flow.Port >= First && flow.Port <= Last) ? Tri.Yes : Tri.No;
    }
}

/// <summary>The L7 part of a port rule: HTTP and DNS rules (other L7 protocols are refused).</summary>
internal sealed class CompiledL7
{
    private readonly List<(Regex? Method, Regex? Path, Regex? Host, IList<string> Headers, string? Unsupported)> http = [];
    private readonly List<Regex?> dns = [];
    private string? unsupported;

    public static CompiledL7? From(PortRule rule)
    {
        var l7 = new CompiledL7();
        var any = false;
        if (rule.Rules is { } r)
        {
            foreach (var h in r.Http ?? [])
            {
                any = true;
                string? bad = h.HeaderMatches is { Count: > 0 } ? "headerMatches is not modelled" : null;
                l7.http.Add((Full(h.Method, ref bad), Full(h.Path, ref bad), Full(h.Host, ref bad), h.Headers ?? [], bad));
            }

            foreach (var d in r.Dns ?? [])
            {
                any = true;
                l7.dns.Add(DnsNames.Pattern(d.MatchName, d.MatchPattern));
            }

            if (r.Kafka is { Count: > 0 } || r.L7 is { Count: > 0 } || r.L7proto is not null)
            {
                any = true;
                l7.unsupported = "Kafka and generic L7 (l7proto) rules are not modelled";
            }
        }

        if (rule.Listener is not null || rule.TerminatingTLS is not null || rule.OriginatingTLS is not null || rule.ServerNames is { Count: > 0 })
        {
            any = true;
            l7.unsupported ??= "listener, TLS interception and serverNames are not modelled";
        }

        return any ? l7 : null;
    }

    public CompiledL7 Merge(CompiledL7 other)
    {
        http.AddRange(other.http);
        dns.AddRange(other.dns);
        unsupported ??= other.unsupported;
        return this;
    }

    public Tri Matches(Flow flow, out string? why, out string? note)
    {
        why = null;
        note = null;
        if (unsupported is not null)
        {
            why = unsupported;
            return Tri.Unknown;
        }

        if (http.Count > 0)
        {
            if (flow.Http is null)
            {
                note = $"the connection is redirected to the proxy; {http.Count} HTTP rule(s) then filter each request (give the flow an HTTP request to check it)";
                return Tri.Yes;
            }

            var result = Tri.No;
            foreach (var (method, path, host, headers, bad) in http)
            {
                if (bad is not null)
                {
                    why ??= bad;
                    result = Tri.Unknown;
                    continue;
                }

                if ((method is not null && !method.IsMatch(flow.Http.Method)) || (path is not null && !path.IsMatch(flow.Http.Path)))
                {
                    continue;
                }

                if (host is not null)
                {
                    if (flow.Http.Host is null)
                    {
                        why ??= "the rule matches on the HTTP host, which the flow does not carry";
                        result = Tri.Unknown;
                        continue;
                    }

                    if (!host.IsMatch(flow.Http.Host))
                    {
                        continue;
                    }
                }

                var headerResult = Headers(flow.Http, headers, ref why);
                if (headerResult == Tri.Yes)
                {
                    note = "HTTP " + flow.Http + " matches an HTTP rule";
                    return Tri.Yes;
                }

                if (headerResult == Tri.Unknown)
                {
                    result = Tri.Unknown;
                }
            }

            return result;
        }

        if (dns.Count > 0)
        {
            if (flow.DnsQuery is null)
            {
                note = $"the connection is redirected to the DNS proxy; {dns.Count} DNS rule(s) then filter each query (give the flow a DNS query to check it)";
                return Tri.Yes;
            }

            if (dns.Any(d => d?.IsMatch(flow.DnsQuery) == true))
            {
                note = "DNS query " + flow.DnsQuery + " matches a DNS rule";
                return Tri.Yes;
            }

            return Tri.No;
        }

        return Tri.Yes;
    }

    private static Tri Headers(HttpRequest request, IList<string> headers, ref string? why)
    {
        if (headers.Count == 0)
        {
            return Tri.Yes;
        }

        if (request.Headers is null)
        {
            why ??= "the rule requires headers and the flow's headers are not known";
            return Tri.Unknown;
        }

        foreach (var h in headers)
        {
            var colon = h.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? h.Trim() : h[..colon].Trim();
            var value = colon < 0 ? null : h[(colon + 1)..].Trim();
            var found = request.Headers.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
            if (found.Key is null || (value is not null && !string.Equals(found.Value, value, StringComparison.Ordinal)))
            {
                return Tri.No;
            }
        }

        return Tri.Yes;
    }

    private static Regex? Full(string? pattern, ref string? bad)
    {
        if (pattern is null)
        {
            return null;
        }

        try
        {
            return new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException)
        {
            bad ??= $"the HTTP pattern '{pattern}' is not a regular expression .NET's RE2-like engine accepts";
            return null;
        }
    }
}
