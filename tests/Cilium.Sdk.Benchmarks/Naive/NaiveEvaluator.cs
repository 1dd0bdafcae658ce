using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Benchmarks.Naive;

/// <summary>What the naive evaluator decides.</summary>
internal enum NaiveDecision
{
    Allowed,
    Denied,
}

/// <summary>An endpoint as the naive evaluator sees it: a pod (namespace and labels) or reserved entities (wire names such as "world").</summary>
internal sealed record NaiveEndpoint(string? Namespace, IReadOnlyDictionary<string, string> Labels, string[] Entities, string[] Addresses, IReadOnlyDictionary<string, int> NamedPorts);

/// <summary>A flow: protocol "TCP", "UDP", "SCTP", "ICMPV4" or "ICMPV6"; the port (or ICMP type); an optional HTTP method and path.</summary>
internal sealed record NaiveFlow(NaiveEndpoint Source, NaiveEndpoint Destination, string Protocol, int Port, string? Method = null, string? Path = null);

/// <summary>
/// A deliberately naive Cilium policy evaluator, written apart from the engine and sharing no code with it: it keeps
/// the policies as parsed YAML and, for every flow, walks every rule of every policy. It is the benchmark's baseline
/// and the unit tests' differential oracle. It covers endpoint selectors (with the parser's namespace rules), entities,
/// CIDRs with except, ports, ranges and protocols, deny rules, enableDefaultDeny, allow-localhost, and HTTP method/path
/// rules on the most specific port entry. It does not know named ports, ICMP, FQDNs, node selectors or CIDR groups.
/// </summary>
internal sealed class NaiveEvaluator
{
    private readonly List<NaiveSpec> specs;

    private NaiveEvaluator(List<NaiveSpec> specs) => this.specs = specs;

    public static NaiveEvaluator FromYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var specs = new List<NaiveSpec>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is not YamlMappingNode root)
            {
                continue;
            }

            var kind = Scalar(root, "kind");
            if (kind is not ("CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy"))
            {
                continue;
            }

            var meta = Map(root, "metadata");
            var ns = kind == "CiliumNetworkPolicy" ? (meta is null ? null : Scalar(meta, "namespace")) ?? "default" : null;
            if (Map(root, "spec") is { } spec)
            {
                specs.Add(new NaiveSpec(ns, spec));
            }

            foreach (var s in Seq(root, "specs"))
            {
                if (s is YamlMappingNode m)
                {
                    specs.Add(new NaiveSpec(ns, m));
                }
            }
        }

        return new NaiveEvaluator(specs);
    }

    public NaiveDecision Decide(NaiveFlow flow)
    {
        var egress = flow.Source.Namespace is null || Side(flow.Source, flow.Destination, flow, ingress: false);
        var ingress = flow.Destination.Namespace is null || Side(flow.Destination, flow.Source, flow, ingress: true);
        return egress && ingress ? NaiveDecision.Allowed : NaiveDecision.Denied;
    }

    private bool Side(NaiveEndpoint subject, NaiveEndpoint peer, NaiveFlow flow, bool ingress)
    {
        var enforced = false;
        var allows = new List<(int Specificity, List<YamlMappingNode>? Http)>();
        var denied = false;
        var dir = ingress ? "ingress" : "egress";
        foreach (var spec in specs)
        {
            var selector = Map(spec.Body, "endpointSelector");
            if (selector is null || !SubjectSelects(selector, spec.Namespace, subject))
            {
                continue;
            }

            var rules = Seq(spec.Body, dir).ToList();
            var denies = Seq(spec.Body, dir + "Deny").ToList();
            if (rules.Count + denies.Count == 0)
            {
                continue;
            }

            var defaultDeny = Map(spec.Body, "enableDefaultDeny") is { } dd && Scalar(dd, dir) is { } flag ? flag == "true" : true;
            enforced |= defaultDeny;
            var subjectIsInit = selector.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "matchLabels") && Map(selector, "matchLabels")!.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "reserved:init");
            foreach (var rule in rules.Concat(denies).OfType<YamlMappingNode>())
            {
                var isDeny = denies.Contains(rule);
                if (!PeerSelected(rule, ingress, spec.Namespace, subjectIsInit, peer))
                {
                    continue;
                }

                foreach (var (specificity, http) in PortMatches(rule, flow))
                {
                    if (isDeny)
                    {
                        denied = true;
                    }
                    else
                    {
                        allows.Add((specificity, http));
                    }
                }
            }
        }

        if (denied)
        {
            return false;
        }

        if (ingress && peer.Entities.Contains("host"))
        {
            allows.Add((0, null));
        }

        if (!enforced)
        {
            allows.Add((0, null));
        }

        if (allows.Count == 0)
        {
            return false;
        }

        var best = allows.Max(a => a.Specificity);
        var top = allows.Where(a => a.Specificity == best).ToList();
        if (top.Any(a => a.Http is null) || flow.Method is null)
        {
            return true;
        }

        return top.SelectMany(a => a.Http!).Any(h => Whole(Scalar(h, "method"), flow.Method) && Whole(Scalar(h, "path"), flow.Path!));
    }

    // Each way the rule's ports cover the flow, with how specific the datapath entry is and the HTTP rules on it.
    private static IEnumerable<(int Specificity, List<YamlMappingNode>? Http)> PortMatches(YamlMappingNode rule, NaiveFlow flow)
    {
        var toPorts = Seq(rule, "toPorts").OfType<YamlMappingNode>().ToList();
        var hasPeer = rule.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value is "fromEndpoints" or "toEndpoints" or "fromEntities" or "toEntities" or "fromCIDR" or "toCIDR" or "fromCIDRSet" or "toCIDRSet");
        if (toPorts.Count == 0)
        {
            if (hasPeer)
            {
                yield return (0, null);
            }

            yield break;
        }

        foreach (var pr in toPorts)
        {
            var http = Map(pr, "rules") is { } l7 ? Seq(l7, "http").OfType<YamlMappingNode>().ToList() : null;
            if (http is { Count: 0 })
            {
                http = null;
            }

            var ports = Seq(pr, "ports").OfType<YamlMappingNode>().ToList();
            if (ports.Count == 0)
            {
                yield return (0, http);
                continue;
            }

            foreach (var p in ports)
            {
                var protocol = Scalar(p, "protocol") ?? "ANY";
                var port = int.Parse(Scalar(p, "port") ?? "0", CultureInfo.InvariantCulture);
                var end = Scalar(p, "endPort") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : port;
                if (port == 0 && protocol == "ANY")
                {
                    yield return (0, http);
                    continue;
                }

                var protocolMatches = protocol == "ANY" ? flow.Protocol is "TCP" or "UDP" or "SCTP" : protocol == flow.Protocol;
                if (!protocolMatches)
                {
                    continue;
                }

                if (port == 0)
                {
                    yield return (8, http);
                    continue;
                }

                end = Math.Max(end, port);
                if (flow.Port < port || flow.Port > end)
                {
                    continue;
                }

                // The largest aligned power-of-two block around the port that stays inside the range.
                var size = 1;
                while (size < 65536)
                {
                    var bigger = size * 2;
                    var start = flow.Port / bigger * bigger;
                    if (start < port || start + bigger - 1 > end)
                    {
                        break;
                    }

                    size = bigger;
                }

                yield return (24 - (int)Math.Log2(size), http);
            }
        }
    }

    private static bool PeerSelected(YamlMappingNode rule, bool ingress, string? ns, bool subjectIsInit, NaiveEndpoint peer)
    {
        var prefix = ingress ? "from" : "to";
        var fields = rule.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToHashSet();
        if (!fields.Any(f => f is not null && f.StartsWith(prefix, StringComparison.Ordinal) && f != "toPorts"))
        {
            // No peer field: every peer (an empty rule is handled by having no ports).
            return true;
        }

        foreach (var sel in Seq(rule, prefix + "Endpoints").OfType<YamlMappingNode>())
        {
            if (PeerSelectorSelects(sel, ns, subjectIsInit, peer))
            {
                return true;
            }
        }

        foreach (var entity in Seq(rule, prefix + "Entities").OfType<YamlScalarNode>())
        {
            if (EntityIncludes(entity.Value!, peer))
            {
                return true;
            }
        }

        var outside = peer.Namespace is null && peer.Entities.All(e => e is "world" or "kube-apiserver");
        if (!outside)
        {
            return false;
        }

        foreach (var c in Seq(rule, prefix + "CIDR").OfType<YamlScalarNode>())
        {
            if (peer.Addresses.Any(a => InPrefix(a, c.Value!)))
            {
                return true;
            }
        }

        foreach (var c in Seq(rule, prefix + "CIDRSet").OfType<YamlMappingNode>())
        {
            var cidr = Scalar(c, "cidr");
            if (cidr is null)
            {
                continue;
            }

            var except = Seq(c, "except").OfType<YamlScalarNode>().Select(x => x.Value!).ToList();
            if (peer.Addresses.Any(a => InPrefix(a, cidr) && !except.Any(x => InPrefix(a, x))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EntityIncludes(string entity, NaiveEndpoint e) => entity switch
    {
        "all" => true,
        "cluster" => e.Namespace is not null || e.Entities.Any(x => x is "host" or "remote-node" or "init" or "ingress" or "health" or "unmanaged" or "kube-apiserver"),
        _ => e.Entities.Contains(entity),
    };

    private static bool SubjectSelects(YamlMappingNode selector, string? ns, NaiveEndpoint e)
    {
        if (e.Namespace is null)
        {
            // Only initializing endpoints among the reserved identities are subjects.
            if (!e.Entities.Contains("init") || ns is not null)
            {
                return false;
            }
        }
        else if (ns is not null && e.Namespace != ns)
        {
            return false;
        }

        // In a namespaced policy the subject's own namespace replaces any k8s: namespace match it writes.
        return Requirements(selector).Where(r => !(ns is not null && r.Key == "k8s:io.kubernetes.pod.namespace" && r.FromMatchLabels)).All(r => Holds(r, e));
    }

    private static bool PeerSelectorSelects(YamlMappingNode selector, string? ns, bool subjectIsInit, NaiveEndpoint e)
    {
        var reqs = Requirements(selector).ToList();
        var reserved = reqs.Any(r => r.Key.StartsWith("reserved:", StringComparison.Ordinal));
        var namesNs = reqs.Any(r => r.Key is "k8s:io.kubernetes.pod.namespace" or "io.kubernetes.pod.namespace" or "any:io.kubernetes.pod.namespace");
        var nsLabels = reqs.Any(r => r.Key.Contains("io.cilium.k8s.namespace.labels.", StringComparison.Ordinal));
        if (!reserved && !namesNs)
        {
            if (ns is null && !subjectIsInit && e.Namespace is null)
            {
                return false;
            }

            if (ns is not null && !nsLabels && e.Namespace != ns)
            {
                return false;
            }
        }

        return reqs.All(r => Holds(r, e));
    }

    private static bool Holds((string Key, string Op, string[] Values, bool FromMatchLabels) r, NaiveEndpoint e)
    {
        var key = r.Key;
        string? source = null;
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && key[..colon] is "k8s" or "reserved" or "any")
        {
            source = key[..colon];
            key = key[(colon + 1)..];
        }

        string? value = null;
        var has = false;
        if (source is null or "any" or "reserved" && e.Entities.Contains(key))
        {
            has = true;
            value = string.Empty;
        }
        else if (source is null or "any" or "k8s" && e.Namespace is not null)
        {
            if (key == "io.kubernetes.pod.namespace")
            {
                has = true;
                value = e.Namespace;
            }
            else if (e.Labels.TryGetValue(key, out var v))
            {
                has = true;
                value = v;
            }
        }

        return r.Op switch
        {
            "In" => has && r.Values.Contains(value),
            "NotIn" => !has || !r.Values.Contains(value),
            "Exists" => has,
            "DoesNotExist" => !has,
            _ => false,
        };
    }

    private static IEnumerable<(string Key, string Op, string[] Values, bool FromMatchLabels)> Requirements(YamlMappingNode selector)
    {
        if (Map(selector, "matchLabels") is { } labels)
        {
            foreach (var (k, v) in labels.Children)
            {
                yield return (((YamlScalarNode)k).Value!, "In", [((YamlScalarNode)v).Value ?? string.Empty], true);
            }
        }

        foreach (var e in Seq(selector, "matchExpressions").OfType<YamlMappingNode>())
        {
            yield return (Scalar(e, "key")!, Scalar(e, "operator")!, Seq(e, "values").OfType<YamlScalarNode>().Select(v => v.Value!).ToArray(), false);
        }
    }

    private static bool InPrefix(string address, string prefix)
    {
        var slash = prefix.IndexOf('/', StringComparison.Ordinal);
        var net = IPAddress.Parse(slash < 0 ? prefix : prefix[..slash]).GetAddressBytes();
        var ip = IPAddress.Parse(address).GetAddressBytes();
        if (net.Length != ip.Length)
        {
            return false;
        }

        var bits = slash < 0 ? net.Length * 8 : int.Parse(prefix[(slash + 1)..], CultureInfo.InvariantCulture);
        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((net[i / 8] & mask) != (ip[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Whole(string? pattern, string value) => pattern is null || Regex.IsMatch(value, "^(?:" + pattern + ")$");

    private static YamlMappingNode? Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode s ? s.Children : [];

    private sealed record NaiveSpec(string? Namespace, YamlMappingNode Body);
}
