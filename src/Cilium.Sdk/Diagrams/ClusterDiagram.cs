using System;
using System.Collections.Generic;
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
    public sealed record Edge(string From, string To, string? Label);

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
            edges.Add(new Edge(id, router, spec.L2 is null ? null : "L2"));
        }

        foreach (var pool in spec.Pools)
        {
            var poolId = Id("pool", pool.Name);
            vertices.Add(new Vertex(poolId, $"LB pool {pool.Name}\\n{string.Join("\\n", pool.Blocks)}", "LoadBalancer IPs"));
            foreach (var pin in spec.PinnedIps.Where(p => PoolContains(pool, p.Address)))
            {
                var serviceId = Id("svc", pin.Namespace + "_" + pin.Name);
                vertices.Add(new Vertex(serviceId, $"{pin.Namespace}/{pin.Name}\\n{pin.Address}", "LoadBalancer IPs"));
                edges.Add(new Edge(serviceId, poolId, "pinned"));
            }

            edges.Add(new Edge(poolId, router, spec.L2 is not null ? "announced by ARP (L2)" : "announced"));
        }

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

    /// <summary>Mermaid flowchart text.</summary>
    public static string ToMermaid(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder("flowchart LR\n");
        foreach (var group in graph.Vertices.GroupBy(v => v.Group))
        {
            var indent = group.Key is null ? "  " : "    ";
            if (group.Key is not null)
            {
                text.Append("  subgraph ").Append(Id("g", group.Key)).Append("[\"").Append(Escape(group.Key)).Append("\"]\n");
            }

            foreach (var vertex in group)
            {
                text.Append(indent).Append(vertex.Id).Append("[\"").Append(Escape(vertex.Label).Replace("\\n", "<br/>", StringComparison.Ordinal)).Append("\"]\n");
            }

            if (group.Key is not null)
            {
                text.Append("  end\n");
            }
        }

        foreach (var edge in graph.Edges)
        {
            text.Append("  ").Append(edge.From).Append(edge.Label is null ? " --- " : $" ---|\"{Escape(edge.Label)}\"| ").Append(edge.To).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Graphviz DOT text.</summary>
    public static string ToDot(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var text = new StringBuilder("graph cluster_network {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        foreach (var group in graph.Vertices.GroupBy(v => v.Group))
        {
            var indent = group.Key is null ? "  " : "    ";
            if (group.Key is not null)
            {
                text.Append("  subgraph cluster_").Append(Id("g", group.Key)).Append(" {\n    label=\"").Append(Escape(group.Key)).Append("\";\n");
            }

            foreach (var vertex in group)
            {
                text.Append(indent).Append(vertex.Id).Append(" [label=\"").Append(Escape(vertex.Label)).Append("\"];\n");
            }

            if (group.Key is not null)
            {
                text.Append("  }\n");
            }
        }

        foreach (var edge in graph.Edges)
        {
            text.Append("  ").Append(edge.From).Append(" -- ").Append(edge.To);
            if (edge.Label is not null)
            {
                text.Append(" [label=\"").Append(Escape(edge.Label)).Append("\"]");
            }

            text.Append(";\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>A diagram-safe identifier.</summary>
    public static string Id(string prefix, string name) =>
        prefix + "_" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    private static string Escape(string text) => text.Replace("\"", "'", StringComparison.Ordinal);

    private static bool PoolContains(LoadBalancing.LbPool pool, string address)
    {
        if (!Ipv4.TryParseAddress(address, out var ip, out _))
        {
            return false;
        }

        var value = Ipv4.ToUInt(ip);
        foreach (var block in pool.Blocks)
        {
            if (block.CidrText is { } cidr && Ipv4.TryParseCidr(cidr, out var network, out _) && Ipv4Range.Of(network).Contains(value))
            {
                return true;
            }

            if (Ipv4.TryParseAddress(block.Start, out var start, out _) && Ipv4.TryParseAddress(block.Stop, out var stop, out _)
                && new Ipv4Range(Ipv4.ToUInt(start), Ipv4.ToUInt(stop)).Contains(value))
            {
                return true;
            }
        }

        return false;
    }
}
