using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// Suggests allow policies for dropped flows: one namespaced policy per (direction, selected workload), one rule per
/// peer with the ports seen. Pods are selected by their workload labels (<c>app.kubernetes.io/name</c> and
/// <c>app.kubernetes.io/instance</c>, else <c>app</c>, <c>k8s-app</c> or <c>name</c>, else all stable labels); world
/// peers become FQDN peers when the flow carried DNS names (egress), else /32 (/128) CIDRs.
/// </summary>
public static class RuleSuggestions
{
    private static readonly string[] Volatile = ["pod-template-hash", "controller-revision-hash", "pod-template-generation", "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index"];

    /// <summary>Suggestions for the sides that deny <paramref name="verdicts"/> (allowed or undecidable sides get none).</summary>
    /// <param name="verdicts">The verdicts of dropped flows.</param>
    /// <param name="version">The version the YAML is rendered for.</param>
    /// <returns>The suggestions, sorted by namespace, policy name.</returns>
    public static IReadOnlyList<RuleSuggestion> For(IEnumerable<Verdict> verdicts, CiliumVersion version)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        var wanted = new SortedDictionary<string, (Direction Direction, Endpoint Subject, SortedDictionary<string, (Endpoint Peer, SortedSet<string> Ports, List<(FlowProtocol, int)> Raw)> Peers)>(StringComparer.Ordinal);
        foreach (var v in verdicts)
        {
            foreach (var (direction, subject, peer, denied) in new[]
            {
                (Direction.Egress, v.Flow.Source, v.Flow.Destination, v.EgressDecision == Decision.Denied),
                (Direction.Ingress, v.Flow.Destination, v.Flow.Source, v.IngressDecision == Decision.Denied),
            })
            {
                if (!denied || !subject.IsPod)
                {
                    continue;
                }

                var key = subject.Namespace + "/" + PolicyName(subject, direction);
                if (!wanted.TryGetValue(key, out var entry))
                {
                    entry = (direction, subject, new(StringComparer.Ordinal));
                    wanted[key] = entry;
                }

                var peerKey = PeerCode(peer, subject.Namespace!, direction);
                if (!entry.Peers.TryGetValue(peerKey, out var p))
                {
                    p = (peer, new SortedSet<string>(StringComparer.Ordinal), []);
                    entry.Peers[peerKey] = p;
                }

                var portCode = PortCode(v.Flow.Protocol, v.Flow.Port);
                if (p.Ports.Add(portCode))
                {
                    p.Raw.Add((v.Flow.Protocol, v.Flow.Port));
                }
            }
        }

        var result = new List<RuleSuggestion>();
        foreach (var (key, (direction, subject, peers)) in wanted)
        {
            var name = PolicyName(subject, direction);
            var ns = subject.Namespace!;
            var labels = SelectLabels(subject);
            // Additive: enableDefaultDeny false, so a broader selector never puts more pods into default deny.
            var policy = Policy.Namespaced(name, ns).WithDescription("Suggested by cilium-sdk replay from observed flows; review before applying").WithDefaultDeny(false);
            policy = labels.Count == 0 ? policy.SelectingNamespace(ns) : policy.Selecting(labels);
            var code = new StringBuilder();
            code.Append("Policy.Namespaced(").Append(Lit(name)).Append(", ").Append(Lit(ns)).Append(")\n");
            code.Append("    .WithDescription(\"Suggested by cilium-sdk replay from observed flows; review before applying\")\n");
            code.Append("    .WithDefaultDeny(false)\n");
            code.Append(labels.Count == 0 ? $"    .SelectingNamespace({Lit(ns)})\n" : $"    .Selecting({LabelsCode(labels)})\n");
            foreach (var (peerCode, (peer, ports, raw)) in peers)
            {
                var peerValue = PeerOf(peer, direction);
                var icmps = raw.Where(r => r.Item1 is FlowProtocol.IcmpV4 or FlowProtocol.IcmpV6).ToList();
                var l4 = raw.Where(r => r.Item1 is not (FlowProtocol.IcmpV4 or FlowProtocol.IcmpV6)).OrderBy(r => r.Item1).ThenBy(r => r.Item2).ToList();
                if (l4.Count > 0)
                {
                    var portValues = l4.Select(r => ToPort(r.Item1, r.Item2)).ToArray();
                    policy = direction == Direction.Egress ? policy.AllowEgress(peerValue, portValues) : policy.AllowIngress(peerValue, portValues);
                    code.Append(direction == Direction.Egress ? "    .AllowEgress(" : "    .AllowIngress(").Append(peerCode).Append(", ")
                        .Append(string.Join(", ", l4.Select(r => PortCode(r.Item1, r.Item2)))).Append(")\n");
                }

                if (icmps.Count > 0)
                {
                    var types = icmps.Select(r => r.Item1 == FlowProtocol.IcmpV4 ? IcmpType.V4(r.Item2) : IcmpType.V6(r.Item2)).ToArray();
                    policy = direction == Direction.Egress ? policy.AllowIcmpEgress(peerValue, types) : policy.AllowIcmpIngress(peerValue, types);
                    code.Append(direction == Direction.Egress ? "    .AllowIcmpEgress(" : "    .AllowIcmpIngress(").Append(peerCode).Append(", ")
                        .Append(string.Join(", ", icmps.Select(r => (r.Item1 == FlowProtocol.IcmpV4 ? "IcmpType.V4(" : "IcmpType.V6(") + r.Item2.ToString(CultureInfo.InvariantCulture) + ")"))).Append(")\n");
                }
            }

            var built = policy.Build(version, PolicyMode.Enforce);
            var yaml = built.IsValid
                ? Manifests.Write(built.Resource)
                : "# the suggestion does not validate:\n" + string.Join("\n", built.Errors.Where(e => e.IsError).Select(e => "# " + e)) + "\n";
            result.Add(new RuleSuggestion(direction, subject.Name, policy, code.ToString().TrimEnd('\n') + ";\n", yaml));
        }

        return result;
    }

    private static string PolicyName(Endpoint subject, Direction direction)
    {
        var workload = subject.Name.Contains('/', StringComparison.Ordinal) ? subject.Name[(subject.Name.IndexOf('/', StringComparison.Ordinal) + 1)..] : subject.Name;
        var clean = new StringBuilder();
        foreach (var c in workload.ToLowerInvariant())
        {
            clean.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' ? c : '-');
        }

        var text = clean.ToString().Trim('-');
        if (text.Length > 40)
        {
            text = text[..40].Trim('-');
        }

        return $"allow-{(text.Length == 0 ? "workload" : text)}-{(direction == Direction.Egress ? "egress" : "ingress")}";
    }

    private static IReadOnlyDictionary<string, string> SelectLabels(Endpoint e)
    {
        var l = e.Labels;
        var picked = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (l.TryGetValue("app.kubernetes.io/name", out var name))
        {
            picked["app.kubernetes.io/name"] = name;
            if (l.TryGetValue("app.kubernetes.io/instance", out var instance))
            {
                picked["app.kubernetes.io/instance"] = instance;
            }

            return picked;
        }

        foreach (var key in new[] { "app", "k8s-app", "name" })
        {
            if (l.TryGetValue(key, out var v))
            {
                picked[key] = v;
                return picked;
            }
        }

        foreach (var (k, v) in l)
        {
            if (!Volatile.Contains(k, StringComparer.Ordinal) && !k.StartsWith("io.cilium.", StringComparison.Ordinal))
            {
                picked[k] = v;
            }
        }

        return picked;
    }

    private static Peer PeerOf(Endpoint peer, Direction direction)
    {
        if (peer.IsPod)
        {
            var labels = SelectLabels(peer);
            return labels.Count == 0 ? Peer.Namespace(peer.Namespace!) : Peer.Endpoints(labels, peer.Namespace);
        }

        if (peer.Is(Entity.World))
        {
            if (direction == Direction.Egress && peer.DnsNames.Count > 0)
            {
                return Peer.Fqdn(peer.DnsNames[0]);
            }

            if (peer.Addresses.Count > 0)
            {
                var a = peer.Addresses[0];
                return Peer.Cidr(a + (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "/128" : "/32"));
            }
        }

        // Most specific first: a kube-apiserver on a node is selected as kube-apiserver.
        var entity = new[] { Entity.KubeApiServer, Entity.Host, Entity.RemoteNode, Entity.Health, Entity.Ingress, Entity.Init, Entity.Unmanaged, Entity.World }.First(peer.Is);
        return Peer.Entity(entity);
    }

    private static string PeerCode(Endpoint peer, string subjectNamespace, Direction direction) => PeerOf(peer, direction) switch
    {
        EndpointsPeer p when p.Labels.Count == 0 => $"Peer.Namespace({Lit(p.Namespace!)})",
        EndpointsPeer p => $"Peer.Endpoints({LabelsCode(p.Labels)}, {Lit(p.Namespace!)})",
        FqdnPeer f => $"Peer.Fqdn({Lit(f.Name!)})",
        CidrPeer c => $"Peer.Cidr({Lit(c.Cidr)})",
        EntityPeer e => $"Peer.Entity(Entity.{e.Entity})",
        var other => throw new InvalidOperationException("unexpected peer " + other),
    };

    private static Port ToPort(FlowProtocol protocol, int port) => protocol switch
    {
        FlowProtocol.Tcp => Port.Tcp(port),
        FlowProtocol.Udp => Port.Udp(port),
        _ => Port.Sctp(port),
    };

    private static string PortCode(FlowProtocol protocol, int port)
    {
        var n = port.ToString(CultureInfo.InvariantCulture);
        return protocol switch
        {
            FlowProtocol.Tcp => $"Port.Tcp({n})",
            FlowProtocol.Udp => $"Port.Udp({n})",
            FlowProtocol.Sctp => $"Port.Sctp({n})",
            FlowProtocol.IcmpV4 => $"IcmpType.V4({n})",
            _ => $"IcmpType.V6({n})",
        };
    }

    private static string LabelsCode(IReadOnlyDictionary<string, string> labels) =>
        "new Dictionary<string, string> { " + string.Join(", ", labels.Select(kv => $"[{Lit(kv.Key)}] = {Lit(kv.Value)}")) + " }";

    private static string Lit(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return b.Append('"').ToString();
    }
}
