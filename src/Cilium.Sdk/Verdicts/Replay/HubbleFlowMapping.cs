using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>Turns observed Hubble flows into engine <see cref="Flow"/>s and names their workloads.</summary>
public static class HubbleFlowMapping
{
    private static readonly Regex DeploymentPod = new("^(?<w>.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    private static readonly Regex OtherPod = new("^(?<w>.+)-([a-z0-9]{5}|[0-9]+)$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    // Numeric reserved identities (pkg/identity): used when a flow prints no labels.
    private static readonly Dictionary<long, Entity> ReservedIdentities = new()
    {
        [1] = Entity.Host,
        [2] = Entity.World,
        [3] = Entity.Unmanaged,
        [4] = Entity.Health,
        [5] = Entity.Init,
        [6] = Entity.RemoteNode,
        [7] = Entity.KubeApiServer,
        [8] = Entity.Ingress,
        [9] = Entity.World,
        [10] = Entity.World,
    };

    /// <summary>
    /// The engine flow for an observed one, or null with <paramref name="why"/> when it cannot be built: no L4 part, or a
    /// side with neither labels, a namespace nor a reserved identity. L7 HTTP requests and DNS queries are carried over;
    /// the destination's <c>destination_names</c> become its DNS names.
    /// </summary>
    /// <param name="observed">The Hubble flow.</param>
    /// <param name="why">Why no flow could be built.</param>
    /// <returns>The flow, or null.</returns>
    public static Flow? ToFlow(HubbleFlow observed, out string? why)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var protocol = Protocol(observed.L4Protocol);
        why = CheckL4(protocol, observed.DestinationPort);
        if (why is not null)
        {
            return null;
        }

        var source = ToEndpoint(observed.Source, [], out var sWhy);
        var destination = ToEndpoint(observed.Destination, observed.DestinationNames, out var dWhy);
        if (source is null || destination is null)
        {
            why = SideMissing(source, sWhy, dWhy);
            return null;
        }

        return Build(source, destination, protocol!.Value, observed.DestinationPort!.Value, observed.HttpMethod, observed.HttpUrl, observed.HttpHeaders, observed.DnsQuery);
    }

    /// <summary>The protocol Hubble prints (<c>TCP</c>, <c>ICMPv4</c>, ...), or null.</summary>
    internal static FlowProtocol? Protocol(string? l4) => l4 switch
    {
        "TCP" => FlowProtocol.Tcp,
        "UDP" => FlowProtocol.Udp,
        "SCTP" => FlowProtocol.Sctp,
        "ICMPv4" => FlowProtocol.IcmpV4,
        "ICMPv6" => FlowProtocol.IcmpV6,
        _ => null,
    };

    /// <summary>The name Hubble prints for a protocol (the inverse of <see cref="Protocol(string?)"/>).</summary>
    internal static string ProtocolName(FlowProtocol protocol) => protocol switch
    {
        FlowProtocol.Tcp => "TCP",
        FlowProtocol.Udp => "UDP",
        FlowProtocol.Sctp => "SCTP",
        FlowProtocol.IcmpV4 => "ICMPv4",
        _ => "ICMPv6",
    };

    /// <summary>Why a flow with this L4 part cannot be mapped, or null when it can.</summary>
    internal static string? CheckL4(FlowProtocol? protocol, int? destinationPort)
    {
        if (protocol is null || destinationPort is not { } port)
        {
            return "the flow has no L4 protocol and destination port";
        }

        var icmp = protocol is FlowProtocol.IcmpV4 or FlowProtocol.IcmpV6;
        return (icmp ? port is < 0 or > 255 : port is < 1 or > 65535) ? $"destination port {port} is out of range" : null;
    }

    /// <summary>Why a flow with a side that could not be mapped is unmappable.</summary>
    internal static string SideMissing(Endpoint? source, string? sourceWhy, string? destinationWhy) =>
        "the " + (source is null ? "source " + sourceWhy : "destination " + destinationWhy);

    /// <summary>The engine flow, carrying the HTTP request (TCP) or else the DNS query when the flow has one.</summary>
    internal static Flow Build(Endpoint source, Endpoint destination, FlowProtocol protocol, int port, string? httpMethod, string? httpUrl, IReadOnlyDictionary<string, string>? httpHeaders, string? dnsQuery)
    {
        var flow = Flow.Create(source, destination, protocol, port);
        if (httpMethod is { } method && protocol == FlowProtocol.Tcp)
        {
            var (host, path) = SplitUrl(httpUrl);
            flow = flow.WithHttp(new HttpRequest(method, path, host, httpHeaders));
        }
        else if (dnsQuery is { Length: > 0 } query)
        {
            flow = flow.WithDnsQuery(query);
        }

        return flow;
    }

    /// <summary>The engine endpoint for one side of a Hubble flow, or null with <paramref name="why"/>.</summary>
    /// <param name="side">The side.</param>
    /// <param name="dnsNames">DNS names to attach (the destination's <c>destination_names</c>).</param>
    /// <param name="why">Why no endpoint could be built.</param>
    /// <returns>The endpoint, or null.</returns>
    public static Endpoint? ToEndpoint(HubbleEndpoint side, IReadOnlyList<string> dnsNames, out string? why)
    {
        ArgumentNullException.ThrowIfNull(side);
        ArgumentNullException.ThrowIfNull(dnsNames);
        why = null;
        var entities = new List<Entity>();
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var nsLabels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var ns = string.IsNullOrEmpty(side.Namespace) ? null : side.Namespace;
        var k8sLabels = 0;
        foreach (var raw in side.Labels)
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            var source = colon > 0 ? raw[..colon] : "unspec";
            var rest = colon > 0 ? raw[(colon + 1)..] : raw;
            var eq = rest.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? rest : rest[..eq];
            var value = eq < 0 ? string.Empty : rest[(eq + 1)..];
            if (key.Length == 0)
            {
                continue;
            }
            if (source == "reserved")
            {
                if (ReservedName(key) is { } entity)
                {
                    entities.Add(entity);
                }
            }
            else if (source == "k8s")
            {
                k8sLabels++;
                if (key == Policies.Labels.NamespaceKey)
                {
                    ns ??= value.Length == 0 ? null : value;
                }
                else if (key.StartsWith("io.cilium.k8s.namespace.labels.", StringComparison.Ordinal))
                {
                    nsLabels[key["io.cilium.k8s.namespace.labels.".Length..]] = value;
                }
                else
                {
                    labels[key] = value;
                }
            }
        }

        Endpoint endpoint;
        if (entities.Count > 0)
        {
            endpoint = Endpoint.Reserved([.. entities]);
        }
        else if (ns is not null)
        {
            endpoint = Endpoint.Pod(ns, labels, ns + "/" + Workload(side, labels));
            if (nsLabels.Count > 0)
            {
                endpoint = endpoint.WithNamespaceLabels(nsLabels);
            }

            if (k8sLabels == 0)
            {
                endpoint = endpoint.WithUnknownLabels();
            }
        }
        else if (side.Identity is { } id && ReservedIdentities.TryGetValue(id, out var reserved))
        {
            endpoint = Endpoint.Reserved(reserved);
        }
        else
        {
            why = side.Identity is { } other
                ? $"has identity {other} but no labels or namespace"
                : "has no labels, namespace or identity";
            return null;
        }

        if (side.Address is { } address && IPAddress.TryParse(address, out _))
        {
            endpoint = endpoint.WithAddress(address);
        }

        if (endpoint.Is(Entity.World))
        {
            if (dnsNames.Count > 0)
            {
                endpoint = endpoint.WithDnsNames([.. dnsNames]).Named("world (" + string.Join(", ", dnsNames.Select(DnsNames.Normalize)) + ")");
            }
            else if (side.Address is { } ip)
            {
                endpoint = endpoint.Named("world " + ip);
            }
        }

        return endpoint;
    }

    /// <summary>A workload name for a pod: the agent's workload, or the pod name without its ReplicaSet/DaemonSet
    /// suffix, or a well-known label, or the labels.</summary>
    private static string Workload(HubbleEndpoint side, IReadOnlyDictionary<string, string> labels)
    {
        if (side.Workloads.Count > 0)
        {
            return side.Workloads[0];
        }

        if (side.PodName is { } pod)
        {
            var m = DeploymentPod.Match(pod);
            if (!m.Success)
            {
                m = OtherPod.Match(pod);
            }

            return m.Success ? m.Groups["w"].Value : pod;
        }

        foreach (var key in new[] { "app.kubernetes.io/name", "app", "k8s-app", "name" })
        {
            if (labels.TryGetValue(key, out var v))
            {
                return v;
            }
        }

        return "{" + string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value)) + "}";
    }

    private static Entity? ReservedName(string key) => key switch
    {
        "host" => Entity.Host,
        "remote-node" => Entity.RemoteNode,
        "kube-apiserver" => Entity.KubeApiServer,
        "world" or "world-ipv4" or "world-ipv6" => Entity.World,
        "health" => Entity.Health,
        "init" => Entity.Init,
        "ingress" => Entity.Ingress,
        "unmanaged" => Entity.Unmanaged,
        _ => null,
    };

    private static (string? Host, string Path) SplitUrl(string? url)
    {
        if (url is null)
        {
            return (null, "/");
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return (uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), uri.AbsolutePath);
        }

        var q = url.IndexOf('?', StringComparison.Ordinal);
        return (null, q < 0 ? url : url[..q]);
    }
}
