using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CrdKit.Validation;

namespace Cilium.Sdk.Migration;

/// <summary>
/// Puts the cluster's validation problems into the template's terms: the builder reports at its own paths
/// (<c>bgp.timers.holdTime</c>) with fixes in its API (<c>BgpGracefulRestartOptions.Disabled</c>); a template user
/// edits <c>cluster.yaml</c> keys. Each problem moves to the key (or node) it comes from, with the file and line, builder
/// paths inside the text become keys, and fixes that name the API are rewritten in keys.
/// </summary>
internal static class TemplateTerms
{
    /// <summary>Builder path prefixes and the cluster.yaml key they come from (longest prefix wins).</summary>
    private static readonly (string Prefix, string Key)[] Keys =
    [
        ("name", "repository_name"),
        ("networks.nodeCidr", "node_cidr"),
        ("networks.podCidr", "cluster_pod_cidr"),
        ("networks.serviceCidr", "cluster_svc_cidr"),
        ("networks.apiAddress", "cluster_api_addr"),
        ("networks.gateway", "node_default_gateway"),
        ("routing.nativeRoutingCidr", "cluster_pod_cidr"),
        ("loadBalancer.mode", "cilium_loadbalancer_mode"),
        ("bgp.routerAddress", "cilium_bgp_router_addr"),
        ("bgp.routerAsn", "cilium_bgp_router_asn"),
        ("bgp.nodeAsn", "cilium_bgp_node_asn"),
        ("bgp.timers.holdTime", "cilium_bgp_hold_time"),
        ("bgp.timers.keepAlive", "cilium_bgp_keepalive_time"),
        ("bgp.gracefulRestart.restartTime", "cilium_bgp_graceful_restart_time"),
        ("bgp.gracefulRestart", "cilium_bgp_graceful_restart"),
        ("bgp.ecmpMaxPaths", "cilium_bgp_ecmp_max_paths"),
        ("bgp.password", "cilium_bgp_password"),
        ("bgp.loadBalancerPools", "cilium_lb_pool_cidr"),
        ("hubble.ui", "hubble_ui_enabled"),
        ("hubble.metrics", "tracing_enabled"),
        ("hubble", "hubble_enabled"),
        ("monitoring", "monitoring_enabled"),
        ("policies", "network_policies_enabled"),
    ];

    private static readonly Regex NodePath = new(@"^(?:bgp\.)?nodes\[(\d+)\](?:\.(\w+))?", RegexOptions.CultureInvariant);

    // Builder paths inside a message or fix, replaced by the key they come from.
    private static readonly Regex InnerPath = new(@"(?:bgp\.)?nodes\[\d+\](?:\.\w+)?|loadBalancer\.pinnedIps\[\d+\](?:\.address)?|loadBalancer\.pools\[\d+\](?:\.blocks\[\d+\])?|networks\.(?:nodeCidr|podCidr|serviceCidr|apiAddress|gateway)|bgp\.(?:routerAddress|routerAsn|nodeAsn|timers\.holdTime|timers\.keepAlive|ecmpMaxPaths)", RegexOptions.CultureInvariant);

    public static IReadOnlyList<ValidationError> Translate(TemplateImport import, IEnumerable<ValidationError> problems) =>
        problems.Select(p => Translate(import, p)).ToList();

    private static ValidationError Translate(TemplateImport import, ValidationError problem)
    {
        if (problem.Layer == "template" || import.Sources is not { } sources)
        {
            return problem; // The reader's own problems name the key, file and line already.
        }

        var (path, location) = Locate(import, sources, problem.Path, problem.Message);
        var message = Words(import, sources, problem.Message);
        var fix = Fix(import, problem, path) ?? Words(import, sources, problem.Fix);
        return problem with { Path = path, Message = location is null ? message : $"{message} ({location})", Fix = fix };
    }

    /// <summary>The key (or nodes.yaml node) a builder path comes from, and where it was read.</summary>
    private static (string Path, string? Location) Locate(TemplateImport import, TemplateSources sources, string path, string message)
    {
        if (NodePath.Match(path) is { Success: true } node)
        {
            var index = int.Parse(node.Groups[1].Value, CultureInfo.InvariantCulture);
            var field = node.Groups[2].Success ? node.Groups[2].Value : null;
            var at = ValidationPath.Index("nodes", index) + (field is null ? string.Empty : "." + field);
            var name = index < sources.NodeNames.Count && sources.NodeNames[index].Length > 0 ? $"node {sources.NodeNames[index]}, " : string.Empty;
            return (at, name + sources.NodeLocation(index, field));
        }

        if (path == "loadBalancer.pinnedIps")
        {
            // The grouped error lists its pins by path: name each one's key.
            var keys = import.PathKeys.Where(p => p.Key.StartsWith("loadBalancer.pinnedIps[", StringComparison.Ordinal) && message.Contains(p.Key + ")", StringComparison.Ordinal))
                .Select(p => p.Value).ToList();
            return (string.Join(", ", keys), string.Join(", ", keys.Select(k => sources.KeyLocation(k)).OfType<string>()));
        }

        var key = KeyOf(import, path);
        if (key is null)
        {
            return (path, null);
        }

        return (key, sources.KeyLocation(key) ?? $"not set in {sources.ClusterFile}, so the template's default applies");
    }

    private static string? KeyOf(TemplateImport import, string path)
    {
        foreach (var (prefix, key) in import.PathKeys.OrderByDescending(p => p.Key.Length))
        {
            if (path == prefix || path.StartsWith(prefix + ".", StringComparison.Ordinal) || path.StartsWith(prefix + "[", StringComparison.Ordinal))
            {
                return key;
            }
        }

        foreach (var (prefix, key) in Keys.OrderByDescending(k => k.Prefix.Length))
        {
            if (path == prefix || path.StartsWith(prefix + ".", StringComparison.Ordinal) || path.StartsWith(prefix + "[", StringComparison.Ordinal))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>Builder paths inside <paramref name="text"/> as the keys (and nodes) they come from.</summary>
    private static string Words(TemplateImport import, TemplateSources sources, string text) =>
        InnerPath.Replace(text, m =>
        {
            if (NodePath.Match(m.Value) is { Success: true } node)
            {
                var index = int.Parse(node.Groups[1].Value, CultureInfo.InvariantCulture);
                var name = index < sources.NodeNames.Count && sources.NodeNames[index].Length > 0 ? sources.NodeNames[index] : m.Value;
                return $"node {name} in {sources.NodesFile}";
            }

            return KeyOf(import, m.Value) ?? m.Value;
        });

    /// <summary>A fix in keys for the rules whose own fix names the builder's API; null keeps the translated original.</summary>
    private static string? Fix(TemplateImport import, ValidationError problem, string key)
    {
        var pool = import.PathKeys.GetValueOrDefault("loadBalancer.pools[0]", "cilium_lb_pool_cidr");
        var number = Regex.Match(problem.Fix, @"\buse (\d+)\b", RegexOptions.CultureInvariant);
        return problem.Path switch
        {
            "networks.nodeCidr" when problem.Message.StartsWith("contains none of the nodes", StringComparison.Ordinal) =>
                Regex.Replace(problem.Fix, "^use the nodes' network", "set node_cidr to the nodes' network", RegexOptions.CultureInvariant).Replace("fix the nodes' addresses", "fix the addresses in nodes.yaml", StringComparison.Ordinal),
            "nodes" when problem.Message.Contains("controller", StringComparison.Ordinal) => "set controller: true on at least one node in nodes.yaml",
            "hubble.ui" => "set hubble_enabled: true, or hubble_ui_enabled: false",
            "hubble.metrics" when problem.Message.Contains("tracing", StringComparison.Ordinal) =>
                "set monitoring_enabled: true (tracing comes with the monitoring stack), or tracing_enabled: false",
            "bgp.nodeAsn" when problem.Message.Contains("router ASN", StringComparison.Ordinal) =>
                "set cilium_bgp_node_asn to a private ASN other than cilium_bgp_router_asn (64512-65534, e.g. 64514); the template peers over eBGP",
            "bgp.gracefulRestart.restartTime" when problem.Message.StartsWith("defeats fast failover", StringComparison.Ordinal) =>
                "set cilium_bgp_graceful_restart: false, or cilium_bgp_graceful_restart_time to at most cilium_bgp_hold_time",
            "bgp.timers.keepAlive" when number.Success => $"set cilium_bgp_keepalive_time: {number.Groups[1].Value}",
            "bgp.ecmpMaxPaths" when number.Success => $"set cilium_bgp_ecmp_max_paths: {number.Groups[1].Value}",
            "bgp.routerAddress" when problem.Message.Contains("single-hop", StringComparison.Ordinal) =>
                "set cilium_bgp_router_addr to the router's address on node_cidr (the template peers single-hop)",
            "loadBalancer.pinnedIps" => $"set {key} to addresses inside {pool}",
            _ when problem.Path.StartsWith("loadBalancer.pinnedIps[", StringComparison.Ordinal) && problem.Message.Contains("in no LoadBalancer IP pool", StringComparison.Ordinal) =>
                $"set {key} to an address inside {pool}",
            _ when problem.Path.StartsWith("loadBalancer.pinnedIps[", StringComparison.Ordinal) && problem.Message.Contains("also pinned", StringComparison.Ordinal) =>
                $"give {key} its own address",
            _ when problem.Path.StartsWith("loadBalancer.pools[", StringComparison.Ordinal) && problem.Message.Contains("the cluster itself uses", StringComparison.Ordinal) =>
                $"set {pool} to a range without the node, API, gateway and router addresses (a dedicated network such as 172.20.10.0/24)",
            _ when problem.Path.StartsWith("loadBalancer.pools[", StringComparison.Ordinal) && problem.Message.StartsWith("contains ", StringComparison.Ordinal) =>
                $"set {pool} to a range without that address (a dedicated network such as 172.20.10.0/24)",
            _ when problem.Path.StartsWith("loadBalancer.pools[", StringComparison.Ordinal) && problem.Message.Contains("overlaps", StringComparison.Ordinal) =>
                $"set {pool} to a range outside cluster_pod_cidr, cluster_svc_cidr and any other pool",
            _ when problem.Path.StartsWith("loadBalancer.pools[", StringComparison.Ordinal) && problem.Message.Contains("not on the nodes' network", StringComparison.Ordinal) =>
                $"set {pool} inside node_cidr, or announce with BGP (set cilium_bgp_router_addr, cilium_bgp_router_asn and cilium_bgp_node_asn)",
            _ when problem.Path.StartsWith("loadBalancer.pools[", StringComparison.Ordinal) && problem.Message.Contains("pinned IPs take all", StringComparison.Ordinal) =>
                $"make {pool} larger",
            _ => null,
        };
    }
}
