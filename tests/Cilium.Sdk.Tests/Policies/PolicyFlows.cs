using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Tests.Policies;

/// <summary>
/// Flattens CiliumNetworkPolicy documents into allowed flows, one string per
/// "scope direction peer port", with selectors resolved to catalogue components so that the template's policies and
/// the presets compare by what they select rather than how they spell it.
/// </summary>
internal static class PolicyFlows
{
    private const string NamespaceKey = "io.kubernetes.pod.namespace";

    /// <summary>Template selectors that FINDINGS.md (or a stated assumption) says mean another component's labels.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // FINDINGS 4: Envoy Gateway proxies carry gateway.envoyproxy.io/owning-gateway-name, and the Gateways are
        // named envoy-internal / envoy-external.
        ["network/gateway.networking.k8s.io/gateway-name=internal"] = "envoy-internal",
        ["network/gateway.networking.k8s.io/gateway-name=external"] = "envoy-external",

        // FINDINGS 4: the envoy-gateway policy's rules (world, the tunnel) are the proxies' flows; it selected the controller.
        ["network/app.kubernetes.io/name=envoy-gateway"] = "envoy-external",

        // Assumption: the metrics-server Helm chart labels its pods app.kubernetes.io/name, not k8s-app.
        ["kube-system/k8s-app=metrics-server"] = "metrics-server",
    };

    public static SortedSet<string> Of(IEnumerable<JsonObject> docs)
    {
        var flows = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            var ns = doc["metadata"]?["namespace"]?.GetValue<string>();
            var spec = doc["spec"]!.AsObject();
            foreach (var scope in Scopes(spec["endpointSelector"]!.AsObject(), ns))
            {
                foreach (var (direction, field) in new[] { ("ingress", "from"), ("egress", "to") })
                {
                    foreach (var rule in spec[direction]?.AsArray().OfType<JsonObject>() ?? [])
                    {
                        foreach (var peer in Peers(rule, field, ns))
                        {
                            foreach (var port in Ports(rule))
                            {
                                flows.Add($"{scope} {direction} {peer} {port}");
                            }
                        }
                    }
                }
            }
        }

        return flows;
    }

    private static IEnumerable<string> Scopes(JsonObject selector, string? ns)
    {
        if (selector["matchExpressions"] is JsonArray expressions)
        {
            // The template's two cluster-wide selectors: every namespace but kube-system, and part-of In [flux, cert-manager].
            var e = expressions[0]!;
            if (e["operator"]!.GetValue<string>() == "NotIn")
            {
                return ["*"];
            }

            return e["values"]!.AsArray().Select(v => v!.GetValue<string>()).SelectMany(v => v == "flux"
                ? new[] { "flux-controllers" }
                : new[] { "cert-manager-controller", "cert-manager-webhook", "cert-manager-cainjector" });
        }

        var labels = Labels(selector);
        if (labels.Count == 0)
        {
            return [ns is null ? "*" : "ns:" + ns];
        }

        labels.Remove(NamespaceKey, out var own);
        return [Resolve(labels, own ?? ns)];
    }

    private static IEnumerable<string> Peers(JsonObject rule, string field, string? ns)
    {
        var any = true;
        foreach (var selector in rule[field + "Endpoints"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            any = false;
            var labels = Labels(selector);
            labels.Remove(NamespaceKey, out var peerNs);
            peerNs ??= ns;
            yield return labels.Count == 0 ? "ns:" + peerNs : "c:" + Resolve(labels, peerNs);
        }

        foreach (var entity in rule[field + "Entities"]?.AsArray() ?? [])
        {
            any = false;
            yield return "entity:" + entity!.GetValue<string>();
        }

        foreach (var fqdn in rule["toFQDNs"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            any = false;
            yield return "fqdn:" + (fqdn["matchName"] ?? fqdn["matchPattern"])!.GetValue<string>();
        }

        foreach (var cidr in rule[field + "CIDRSet"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            any = false;
            yield return "cidr:" + (cidr["cidr"] ?? cidr["cidrGroupRef"])!.GetValue<string>();
        }

        if (any)
        {
            yield return "any";
        }
    }

    private static IEnumerable<string> Ports(JsonObject rule)
    {
        var ports = (rule["toPorts"]?.AsArray().OfType<JsonObject>() ?? [])
            .SelectMany(p => p["ports"]?.AsArray().OfType<JsonObject>() ?? [])
            .Select(p => p["port"]!.GetValue<string>() + "/" + (p["protocol"]?.GetValue<string>() ?? "ANY"))
            .ToList();
        return ports.Count == 0 ? ["all"] : ports;
    }

    private static Dictionary<string, string> Labels(JsonObject selector) =>
        (selector["matchLabels"]?.AsObject() ?? [])
            .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);

    private static string Resolve(Dictionary<string, string> labels, string? ns)
    {
        var text = string.Join(",", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        if (Aliases.TryGetValue(ns + "/" + text, out var alias))
        {
            return alias;
        }

        var matches = Components.All.Where(c => (ns is null || c.Namespace == ns) && c.Carries(labels)).ToList();
        return matches.Count == 1 ? matches[0].Name : $"unresolved({ns}/{text})";
    }
}
