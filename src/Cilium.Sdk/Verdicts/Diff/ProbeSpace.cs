using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// The endpoints and ports a policy diff probes: the catalogue's components (with their named ports), a pod for every
/// selector the policies write (subjects and peers, in the namespace the parser puts them in), the reserved identities,
/// an address inside every CIDR (and every <c>except</c>), a world endpoint for every FQDN name; every port the policies
/// or the catalogue name, on its protocol (both TCP and UDP for ANY).
/// </summary>
internal sealed class ProbeSpace
{
    private static readonly string[] NameKeys = ["app.kubernetes.io/name", "app", "k8s-app", "name"];

    private readonly SortedDictionary<string, Endpoint> endpoints = new(StringComparer.Ordinal);
    private readonly SortedSet<(FlowProtocol Protocol, int Port)> ports = [];

    public IReadOnlyList<Endpoint> Endpoints => endpoints.Values.ToList();

    public IReadOnlyList<(FlowProtocol Protocol, int Port)> Ports => ports.ToList();

    /// <summary>HTTP requests the policies' HTTP rules name, each on a TCP port of its rule: a request a rule's literal
    /// method and path (wildcards filled in) would let through, so narrowing or widening the rule shows.</summary>
    public IReadOnlyList<(int Port, string Method, string Path)> Requests => requests.ToList();

    private readonly SortedSet<(int Port, string Method, string Path)> requests = [];

    /// <summary>The space for the policies of both sides, the catalogue (when asked) and extra endpoints.</summary>
    public static ProbeSpace Of(IEnumerable<object> policies, bool catalogue, IEnumerable<Endpoint> extra)
    {
        var space = new ProbeSpace();
        foreach (var e in extra)
        {
            space.Add(e);
        }

        if (catalogue)
        {
            foreach (var component in Components.All)
            {
                space.Add(Endpoint.Of(component));
                foreach (var port in component.Ports.Values)
                {
                    space.AddPort(port.Number, port.EndPort, port.Protocol.ToString().ToUpperInvariant());
                }
            }
        }

        space.Add(Endpoint.Host);
        space.Add(Endpoint.RemoteNode);
        space.Add(Endpoint.KubeApiServer);
        space.Add(Endpoint.World("203.0.113.10"));
        foreach (var record in policies)
        {
            space.Walk(ToJson(record));
        }

        return space;
    }

    private static JsonNode? ToJson(object record) =>
        JsonSerializer.SerializeToNode(record, Manifests.SerializerOptions.GetTypeInfo(record.GetType()));

    private void Add(Endpoint endpoint)
    {
        // The first endpoint of a key stays: explicit ones and catalogue components (with named ports) come first.
        endpoint = WithKnownNamespace(endpoint);
        endpoints.TryAdd(Key(endpoint), endpoint);
    }

    private static string Key(Endpoint e) =>
        e.IsPod
            ? "pod|" + e.Namespace + "|" + string.Join(",", e.Labels.Select(kv => kv.Key + "=" + kv.Value)) + "|" + string.Join(",", e.NamespaceLabels.Select(kv => kv.Key + "=" + kv.Value))
            : "reserved|" + e.Name;

    private void Walk(JsonNode? node)
    {
        if (node is not JsonObject root)
        {
            return;
        }

        if (root["items"] is JsonArray items)
        {
            foreach (var item in items)
            {
                Walk(item);
            }

            return;
        }

        var kind = Text(root["kind"]);
        var ns = kind == "CiliumNetworkPolicy" ? Text(root["metadata"]?["namespace"]) ?? "default" : null;
        if (kind is not ("CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy"))
        {
            return;
        }

        var specs = new List<JsonObject>();
        if (root["spec"] is JsonObject spec)
        {
            specs.Add(spec);
        }

        if (root["specs"] is JsonArray list)
        {
            specs.AddRange(list.OfType<JsonObject>());
        }

        foreach (var s in specs)
        {
            AddSelector(s["endpointSelector"], ns);
            foreach (var direction in new[] { "ingress", "ingressDeny", "egress", "egressDeny" })
            {
                foreach (var rule in (s[direction] as JsonArray ?? []).OfType<JsonObject>())
                {
                    AddRule(rule, ns);
                }
            }
        }
    }

    private void AddRule(JsonObject rule, string? ns)
    {
        foreach (var key in new[] { "fromEndpoints", "toEndpoints" })
        {
            foreach (var selector in rule[key] as JsonArray ?? [])
            {
                AddSelector(selector, ns);
            }
        }

        foreach (var key in new[] { "fromCIDR", "toCIDR" })
        {
            foreach (var cidr in rule[key] as JsonArray ?? [])
            {
                AddCidr(Text(cidr));
            }
        }

        foreach (var key in new[] { "fromCIDRSet", "toCIDRSet" })
        {
            foreach (var set in (rule[key] as JsonArray ?? []).OfType<JsonObject>())
            {
                AddCidr(Text(set["cidr"]));
                foreach (var except in set["except"] as JsonArray ?? [])
                {
                    AddCidr(Text(except));
                }
            }
        }

        foreach (var fqdn in (rule["toFQDNs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(fqdn["matchName"]) ?? Text(fqdn["matchPattern"])?.Replace("**.", "a.", StringComparison.Ordinal).Replace("*", "a", StringComparison.Ordinal);
            if (!string.IsNullOrEmpty(name))
            {
                var dns = name.TrimEnd('.');
                Add(Endpoint.World("192.0.2.10", dns).Named("world (" + dns + ")"));
            }
        }

        foreach (var toPort in (rule["toPorts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var p in (toPort["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var text = p["port"] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture) : null) : null;
                int? number = text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
                int? end = p["endPort"] is JsonValue e && e.TryGetValue<long>(out var el) ? (int)el : null;
                AddPort(number, end, Text(p["protocol"]) ?? "ANY");
                if (number is { } port and > 0 and <= 65535 && (Text(p["protocol"]) ?? "ANY").ToUpperInvariant() is "TCP" or "ANY")
                {
                    foreach (var http in (toPort["rules"]?["http"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        requests.Add((port, Literal(Text(http["method"]), "GET"), Literal(Text(http["path"]), "/")));
                    }
                }
            }
        }
    }

    // A value a whole-value regex matches, when it is nearly literal: anchors dropped, ".*" and ".+" filled in.
    private static string Literal(string? pattern, string otherwise)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return otherwise;
        }

        var text = pattern.TrimStart('^').TrimEnd('$').Replace(".*", "x", StringComparison.Ordinal).Replace(".+", "x", StringComparison.Ordinal);
        return text.Length == 0 || text.IndexOfAny(['\\', '(', ')', '[', ']', '{', '}', '|', '?', '*', '+', '^', '$']) >= 0 ? otherwise : text;
    }

    private void AddPort(int? number, int? end, string protocol)
    {
        if (number is not { } first || first is <= 0 or > 65535)
        {
            return; // every port (0 or none) or a named port: the catalogue's ports stand for them.
        }

        var protocols = protocol.ToUpperInvariant() switch
        {
            "TCP" => new[] { FlowProtocol.Tcp },
            "UDP" => [FlowProtocol.Udp],
            "SCTP" => [FlowProtocol.Sctp],
            "ANY" => [FlowProtocol.Tcp, FlowProtocol.Udp],
            _ => [],
        };
        foreach (var p in protocols)
        {
            ports.Add((p, first));
            if (end is { } last && last > first && last <= 65535)
            {
                ports.Add((p, last));
            }
        }
    }

    private void AddCidr(string? cidr)
    {
        if (cidr is null || !IPNetwork.TryParse(cidr, out var network))
        {
            return;
        }

        // An address inside the prefix: the one after the network address when there is room.
        var bytes = network.BaseAddress.GetAddressBytes();
        var bits = bytes.Length * 8;
        if (network.PrefixLength < bits)
        {
            bytes[^1] |= 1;
        }

        var ip = new IPAddress(bytes).ToString();
        Add(Endpoint.World(ip));
    }

    private void AddSelector(JsonNode? node, string? policyNamespace)
    {
        if (node is not JsonObject selector)
        {
            return;
        }

        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var namespaceLabels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? ns = null;
        void Put(string key, string value)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var source = colon > 0 ? key[..colon] : null;
            var bare = colon > 0 ? key[(colon + 1)..] : key;
            if (source is "reserved" or "cidr" or "fqdn" or "unspec")
            {
                return;
            }

            if (bare == "io.kubernetes.pod.namespace")
            {
                ns = value;
            }
            else if (bare.StartsWith("io.cilium.k8s.namespace.labels.", StringComparison.Ordinal))
            {
                namespaceLabels[bare["io.cilium.k8s.namespace.labels.".Length..]] = value;
            }
            else if (bare.StartsWith("io.cilium.k8s.policy.", StringComparison.Ordinal))
            {
                // service account, cluster: not a label a probe pod can carry meaningfully.
            }
            else
            {
                labels[bare] = value;
            }
        }

        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (Text(value) is { } v)
            {
                Put(key, v);
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = Text(expression["key"]);
            var op = Text(expression["operator"]);
            var first = (expression["values"] as JsonArray ?? []).Select(Text).FirstOrDefault(v => v is not null);
            if (key is null)
            {
                continue;
            }

            if (op == "In" && first is not null)
            {
                Put(key, first);
            }
            else if (op == "Exists")
            {
                Put(key, "probe");
            }
        }

        ns ??= policyNamespace;
        if (labels.Count == 0 && namespaceLabels.Count == 0 && ns is null)
        {
            return; // {} in a cluster-wide policy: every pod, which the other probes stand for.
        }

        ns ??= "default";
        var name = NameKeys.Select(k => labels.TryGetValue(k, out var v) ? v : null).FirstOrDefault(v => v is not null)
            ?? "{" + string.Join(",", labels.Select(kv => kv.Key + "=" + kv.Value)) + "}";
        namespaceLabels.TryAdd("kubernetes.io/metadata.name", ns);
        Add(Endpoint.Pod(ns, labels, ns + "/" + name).WithNamespaceLabels(namespaceLabels));
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A probe pod's namespace labels are known (Kubernetes always sets <c>kubernetes.io/metadata.name</c>).</summary>
    internal static Endpoint WithKnownNamespace(Endpoint e) =>
        e.IsPod && e.NamespaceLabels.Count == 0
            ? e.WithNamespaceLabels(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = e.Namespace! })
            : e;
}
