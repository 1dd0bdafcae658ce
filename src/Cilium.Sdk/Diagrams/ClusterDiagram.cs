using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Cilium.Sdk.Cluster;

namespace Cilium.Sdk.Diagrams;

/// <summary>
/// The cluster's network as a diagram: nodes on the node network, the router, LoadBalancer pools with the Services
/// pinned in them, and how addresses are announced (L2 or BGP sessions). Mermaid renders on GitHub; DOT renders with
/// Graphviz. Both are built from one graph, so they always agree.
/// </summary>
public static class ClusterDiagram
{
    /// <summary>A node of the diagram.</summary>
    /// <param name="Id">A stable identifier (letters, digits, '_').</param>
    /// <param name="Label">The text shown.</param>
    /// <param name="Group">The subgraph it belongs to, or null.</param>
    public sealed record Vertex(string Id, string Label, string? Group);

    /// <summary>An edge of the diagram.</summary>
    /// <param name="From">Source vertex id.</param>
    /// <param name="To">Target vertex id.</param>
    /// <param name="Label">Edge text, or null.</param>
    /// <param name="Directed">True when the edge is a traffic direction (policy flows), false for a link.</param>
    public sealed record Edge(string From, string To, string? Label, bool Directed = false);

    /// <summary>The graph both formats are written from.</summary>
    /// <param name="Vertices">Vertices in a stable order.</param>
    /// <param name="Edges">Edges in a stable order.</param>
    public sealed record Graph(IReadOnlyList<Vertex> Vertices, IReadOnlyList<Edge> Edges);

    /// <summary>Builds the graph of a cluster; <paramref name="extra"/> lets features (BGP sessions, policy flows) add theirs.</summary>
    public static Graph Build(CiliumCluster cluster, IEnumerable<(Vertex? Vertex, Edge? Edge)>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var spec = cluster.Spec;
        var vertices = new List<Vertex>();
        var edges = new List<Edge>();
        var lan = $"node network {spec.Networks.NodeCidr}";
        var router = "router";
        var gateway = spec.Networks.Gateway
            ?? (Ipv4.TryParseCidr(spec.Networks.NodeCidr, out var lanNetwork, out _) ? Ipv4.Text(Ipv4Range.Of(lanNetwork).First + 1) : "(gateway)");
        vertices.Add(new Vertex(router, "router " + gateway, null));
        foreach (var node in spec.Nodes)
        {
            var id = Id("node", node.Name);
            vertices.Add(new Vertex(id, $"{node.Name}\\n{node.Address}\\n{node.Role.ToString().ToLowerInvariant()}", lan));
            var link = spec.Bgp is { } bgp
                ? string.Create(CultureInfo.InvariantCulture, $"BGP AS{bgp.AsnOf(node.Name)} to AS{bgp.RouterAsn}")
                : spec.L2 is null ? null : "L2";
            edges.Add(new Edge(id, router, link));
        }

        foreach (var pool in spec.Pools)
        {
            var poolId = Id("pool", pool.Name);
            vertices.Add(new Vertex(poolId, $"LoadBalancer pool '{pool.Name}'\\n{string.Join("\\n", pool.Blocks)}", "LoadBalancer IPs"));
            foreach (var pin in spec.PinnedIps.Where(p => PoolContains(pool, p.Address)))
            {
                var serviceId = Id("svc", pin.Namespace + "_" + pin.Name);
                vertices.Add(new Vertex(serviceId, $"{pin.Namespace}/{pin.Name}\\n{pin.Address}", "LoadBalancer IPs"));
                edges.Add(new Edge(serviceId, poolId, "pinned"));
            }

            edges.Add(new Edge(poolId, router, spec.L2 is not null ? "announced by ARP (L2)" : "announced"));
        }

        PolicyFlows(spec, vertices, edges);
        foreach (var (vertex, edge) in extra ?? [])
        {
            if (vertex is not null)
            {
                vertices.Add(vertex);
            }

            if (edge is not null)
            {
                edges.Add(edge);
            }
        }

        return new Graph(vertices, edges);
    }

    // Who policies let talk to whom: one vertex per selected workload and per peer, grouped by namespace; an edge per
    // allow rule in the direction traffic flows, labelled with its ports.
    private static void PolicyFlows(ClusterSpec spec, List<Vertex> vertices, List<Edge> edges)
    {
        if (spec.Policies is not { } policies)
        {
            return;
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        void Add(string id, string label, string? group)
        {
            if (known.Add(id))
            {
                vertices.Add(new Vertex(id, label, group));
            }
        }

        foreach (var policy in policies.Policies)
        {
            var target = policy.Selection?.Component?.Name
                ?? (policy.Selection is { Labels.Count: > 0 } s ? string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}")) : "all pods");
            var targetGroup = "namespace " + (policy.Namespace ?? policy.Selection?.Namespace ?? "(cluster-wide)");
            var targetId = Id("w", targetGroup + "_" + target);
            Add(targetId, target, targetGroup);
            foreach (var rule in policy.Rules.Where(r => !r.IsDeny))
            {
                var ports = rule.Ports.Count == 0 ? "any port" : string.Join(" ", rule.Ports);
                foreach (var peer in rule.Peers)
                {
                    var (peerId, peerLabel, peerGroup) = peer switch
                    {
                        Policies.EndpointsPeer e => Workload(e, policy.Namespace),
                        _ => (Id("peer", peer.ToString() ?? "peer"), peer.ToString() ?? "peer", (string?)null),
                    };
                    Add(peerId, peerLabel.Length == 0 ? "all pods" : peerLabel, peerGroup);
                    edges.Add(rule.Direction == Policies.Direction.Ingress
                        ? new Edge(peerId, targetId, ports, Directed: true)
                        : new Edge(targetId, peerId, ports, Directed: true));
                }
            }
        }
    }

    // A peer's vertex: the catalogue component whose labels it selects (so a component is one vertex however a policy
    // names it), else its labels.
    private static (string Id, string Label, string? Group) Workload(Policies.EndpointsPeer peer, string? policyNamespace)
    {
        var ns = peer.Namespace ?? policyNamespace ?? "*";
        var component = Policies.Components.All.FirstOrDefault(c => c.Namespace == ns && c.Labels.Count > 0
            && c.Labels.All(l => peer.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
        var label = component?.Name ?? string.Join(",", peer.Labels.Select(l => $"{l.Key}={l.Value}"));
        var group = "namespace " + ns;
        return (Id("w", group + "_" + label), label, group);
    }

    /// <summary>Mermaid flowchart text.</summary>
    public static string ToMermaid(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder("flowchart LR\n");
        AppendVertices(
            text,
            graph,
            group => $"subgraph {Id("g", group)}[\"{Escape(group)}\"]",
            "end",
            vertex => $"{vertex.Id}[\"{Escape(vertex.Label).Replace("\\n", "<br/>", StringComparison.Ordinal)}\"]");

        foreach (var edge in graph.Edges)
        {
            var arrow = edge.Directed ? "-->" : "---";
            text.Append("  ").Append(edge.From).Append(edge.Label is null ? $" {arrow} " : $" {arrow}|\"{Escape(edge.Label)}\"| ").Append(edge.To).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The Mermaid flowchart as a fenced <c>```mermaid</c> block, so GitHub renders it in a Markdown file.</summary>
    public static string ToMarkdown(Graph graph) => "```mermaid\n" + ToMermaid(graph) + "```\n";

    /// <summary>Graphviz DOT text.</summary>
    public static string ToDot(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder("digraph cluster_network {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        AppendVertices(
            text,
            graph,
            group => $"subgraph cluster_{Id("g", group)} {{\n    label=\"{Escape(group)}\";",
            "}",
            vertex => $"{vertex.Id} [label=\"{Escape(vertex.Label)}\"];");

        foreach (var edge in graph.Edges)
        {
            text.Append("  ").Append(edge.From).Append(" -> ").Append(edge.To);
            var attributes = new List<string>();
            if (edge.Label is not null)
            {
                attributes.Add($"label=\"{Escape(edge.Label)}\"");
            }

            if (!edge.Directed)
            {
                attributes.Add("dir=none");
            }

            if (attributes.Count > 0)
            {
                text.Append(" [").Append(string.Join(", ", attributes)).Append(']');
            }

            text.Append(";\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>A diagram-safe identifier.</summary>
    /// <remarks>Letters and digits are kept; every other character becomes <c>_</c> plus its hex code, so two different
    /// names never share an identifier.</remarks>
    public static string Id(string prefix, string name) =>
        prefix + "_" + string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c.ToString() : "_" + ((int)c).ToString("x2", CultureInfo.InvariantCulture)));

    /// <summary>The vertices group by group, in the order they first appear: those without a group at the top level,
    /// the others inside a subgraph that <paramref name="open"/> starts and <paramref name="close"/> ends (Mermaid and
    /// DOT differ only in these words).</summary>
    private static void AppendVertices(StringBuilder text, Graph graph, Func<string, string> open, string close, Func<Vertex, string> vertex)
    {
        foreach (var group in graph.Vertices.GroupBy(v => v.Group))
        {
            if (group.Key is not null)
            {
                text.Append("  ").Append(open(group.Key)).Append('\n');
            }

            foreach (var v in group)
            {
                text.Append(group.Key is null ? "  " : "    ").Append(vertex(v)).Append('\n');
            }

            if (group.Key is not null)
            {
                text.Append("  ").Append(close).Append('\n');
            }
        }
    }

    private static string Escape(string text) => text.Replace("\"", "'", StringComparison.Ordinal);

    private static bool PoolContains(LoadBalancing.LbPool pool, string address) =>
        Ipv4.TryParseAddress(address, out var ip, out _) && pool.Blocks.Any(b => b.DeclaredRange()?.Contains(Ipv4.ToUInt(ip)) == true);
}
