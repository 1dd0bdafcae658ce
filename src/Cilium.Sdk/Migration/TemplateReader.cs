using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Validation;
using CrdKit.Validation;
using YamlDotNet.Core;

namespace Cilium.Sdk.Migration;

/// <summary>What reading a template's <c>cluster.yaml</c> + <c>nodes.yaml</c> found.</summary>
/// <param name="Settings">The typed settings; null when an error prevented reading them.</param>
/// <param name="Problems">Every error and warning, each naming the key, its file and line, and the fix. Values of
/// secret keys are never shown.</param>
/// <param name="IgnoredKeys">Keys of <c>cluster.yaml</c> the Cilium parts do not use (sorted); reported, not imported.</param>
public sealed record TemplateReadResult(TemplateSettings? Settings, IReadOnlyList<ValidationError> Problems, IReadOnlyList<string> IgnoredKeys)
{
    /// <summary>Where each key and node was read (file and line), to report problems in the template's terms.</summary>
    internal TemplateSources? Sources { get; init; }
}

/// <summary>
/// Reads the makejinja cluster template's <c>cluster.yaml</c> and <c>nodes.yaml</c>, with the template's schema
/// constraints (its CUE ranges: hold 3-300, keepalive 1-100, graceful restart 30-600, ECMP 1-16; ASNs as digit
/// strings; distinct addresses) and the cross-field rules it lacks (a partial BGP set is an error, not L2).
/// </summary>
public static class TemplateReader
{
    private const string Layer = "template";

    /// <summary>Reads both files from disk.</summary>
    public static TemplateReadResult ReadFiles(string clusterYamlPath, string nodesYamlPath) =>
        ReadFiles(clusterYamlPath, nodesYamlPath, TemplateReadOptions.Default);

    /// <summary>Reads both files from disk with <paramref name="options"/>.</summary>
    public static TemplateReadResult ReadFiles(string clusterYamlPath, string nodesYamlPath, TemplateReadOptions options) =>
        Read(System.IO.File.ReadAllText(clusterYamlPath), System.IO.File.ReadAllText(nodesYamlPath), options,
            System.IO.Path.GetFileName(clusterYamlPath), System.IO.Path.GetFileName(nodesYamlPath));

    /// <summary>Reads both files' text.</summary>
    public static TemplateReadResult Read(string clusterYaml, string nodesYaml, string clusterFile = "cluster.yaml", string nodesFile = "nodes.yaml") =>
        Read(clusterYaml, nodesYaml, TemplateReadOptions.Default, clusterFile, nodesFile);

    /// <summary>Reads both files' text with <paramref name="options"/> (strict: a misspelt key is an error).</summary>
    public static TemplateReadResult Read(string clusterYaml, string nodesYaml, TemplateReadOptions options, string clusterFile = "cluster.yaml", string nodesFile = "nodes.yaml")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterYaml);
        ArgumentNullException.ThrowIfNull(nodesYaml);
        var problems = new List<ValidationError>();
        var cluster = Parse(clusterYaml, clusterFile, problems);
        var nodes = Parse(nodesYaml, nodesFile, problems);
        if (cluster is null || nodes is null)
        {
            return new TemplateReadResult(null, problems, []);
        }

        var reader = new Reader(cluster.Value.Root, cluster.Value.Positions, clusterFile, problems);
        var settings = reader.Settings();
        var nodeList = ReadNodes(nodes.Value.Root, nodes.Value.Positions, nodesFile, problems);
        var ignored = cluster.Value.Root.Select(p => p.Key)
            .Where(k => !TemplateSettings.CiliumKeys.Contains(k) && !k.EndsWith("_enabled", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        TemplateKeys.Misspellings(cluster.Value.Root, cluster.Value.Positions, clusterFile, TemplateKeys.Cluster, string.Empty, options.Strict, problems);
        if (nodes.Value.Root["nodes"] is JsonArray nodeItems)
        {
            for (var i = 0; i < nodeItems.Count; i++)
            {
                if (nodeItems[i] is JsonObject item)
                {
                    TemplateKeys.Misspellings(item, nodes.Value.Positions, nodesFile, TemplateKeys.Node, ValidationPath.Index("nodes", i) + ".", options.Strict, problems);
                }
            }
        }

        var sources = TemplateSources.Of(clusterFile, nodesFile, cluster.Value.Root, nodes.Value.Root, cluster.Value.Positions, nodes.Value.Positions);
        if (settings is null)
        {
            return new TemplateReadResult(null, Sorted(problems), ignored) { Sources = sources };
        }

        settings = settings with { Nodes = nodeList };
        CrossFieldRules(settings, reader, sources, problems);
        return new TemplateReadResult(problems.Any(p => p.IsError) ? null : settings, Sorted(problems), ignored) { Sources = sources };
    }

    private static List<ValidationError> Sorted(List<ValidationError> problems) =>
        problems.OrderBy(p => p.Severity).ThenBy(p => p.Path, StringComparer.Ordinal).ToList();

    private static (JsonObject Root, Dictionary<JsonNode, Mark> Positions)? Parse(string yaml, string file, List<ValidationError> problems)
    {
        var positions = new Dictionary<JsonNode, Mark>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlJsonBridge.Read(yaml, positions);
        }
        catch (ManifestException e)
        {
            problems.Add(new ValidationError(file, null, "is not valid YAML: " + e.Message, "fix the YAML syntax at the line given", Layer));
            return null;
        }

        if (documents.Count != 1 || documents[0] is not JsonObject root)
        {
            problems.Add(new ValidationError(file, null, "must be one YAML mapping", "write the settings as 'key: value' lines", Layer));
            return null;
        }

        return (root, positions);
    }

    private static ImmutableArray<TemplateNode> ReadNodes(JsonObject root, Dictionary<JsonNode, Mark> positions, string file, List<ValidationError> problems)
    {
        if (root["nodes"] is not JsonArray list || list.Count == 0)
        {
            problems.Add(new ValidationError("nodes", null, $"{file} has no 'nodes' list", "list the nodes: - name: k8s-0, address: 192.168.1.10, controller: true", Layer));
            return ImmutableArray<TemplateNode>.Empty;
        }

        var nodes = ImmutableArray.CreateBuilder<TemplateNode>();
        for (var i = 0; i < list.Count; i++)
        {
            var at = ValidationPath.Index("nodes", i);
            if (list[i] is not JsonObject item)
            {
                problems.Add(new ValidationError(at, null, $"must be a mapping ({Where(file, positions, list[i])})", "write name, address and controller for the node", Layer));
                continue;
            }

            var reader = new Reader(item, positions, file, problems, at + ".");
            var name = reader.String("name", required: true);
            var address = reader.String("address", required: true);
            var controller = reader.Bool("controller") ?? false;
            if (name is not null && address is not null)
            {
                nodes.Add(new TemplateNode(name, address, controller));
            }
        }

        return nodes.ToImmutable();
    }

    private static void CrossFieldRules(TemplateSettings s, Reader reader, TemplateSources sources, List<ValidationError> problems)
    {
        // " (cluster.yaml line 12)" for a key (or " (nodes.yaml line 4)" for nodes[i].address), empty when not set.
        string At(string key)
        {
            if (key.StartsWith("nodes[", StringComparison.Ordinal))
            {
                var index = int.Parse(key[6..key.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                return $" ({sources.NodeLocation(index, "address")})";
            }

            return sources.KeyLocation(key) is { } location ? $" ({location})" : string.Empty;
        }

        // The template silently stays in L2 mode when only some of the three BGP keys are set.
        var bgpKeys = new (string Key, bool Set)[]
        {
            ("cilium_bgp_router_addr", reader.Has("cilium_bgp_router_addr")),
            ("cilium_bgp_router_asn", reader.Has("cilium_bgp_router_asn")),
            ("cilium_bgp_node_asn", reader.Has("cilium_bgp_node_asn")),
        };
        if (bgpKeys.Any(k => k.Set) && !bgpKeys.All(k => k.Set))
        {
            var missing = string.Join(", ", bgpKeys.Where(k => !k.Set).Select(k => k.Key));
            problems.Add(new ValidationError(bgpKeys.First(k => !k.Set).Key, null,
                $"BGP is partly configured (missing {missing}; set: {string.Join(", ", bgpKeys.Where(k => k.Set).Select(k => k.Key + At(k.Key)))}); the template would silently stay in L2 mode",
                "set all of cilium_bgp_router_addr, cilium_bgp_router_asn and cilium_bgp_node_asn, or none", Layer));
        }

        var bgpOnly = new[] { "cilium_bgp_hold_time", "cilium_bgp_keepalive_time", "cilium_bgp_graceful_restart", "cilium_bgp_graceful_restart_time", "cilium_bgp_ecmp_max_paths", "cilium_bgp_password" };
        if (!bgpKeys.Any(k => k.Set))
        {
            foreach (var key in bgpOnly.Where(reader.Has))
            {
                problems.Add(new ValidationError(key, null, $"is set but BGP is not enabled, so it has no effect{At(key)}", "set cilium_bgp_router_addr, cilium_bgp_router_asn and cilium_bgp_node_asn, or remove it", Layer, ValidationSeverity.Warning));
            }
        }

        // With the template's defaults for an omitted timer (hold 30, keepalive 10), as the template renders them.
        if (s.BgpEnabled && (s.BgpKeepaliveTime is not null || s.BgpHoldTime is not null)
            && (s.BgpKeepaliveTime ?? TemplateDefaults.BgpKeepaliveTimeSeconds) is var keepalive
            && (s.BgpHoldTime ?? TemplateDefaults.BgpHoldTimeSeconds) is var hold && keepalive > hold)
        {
            var key = s.BgpKeepaliveTime is null ? "cilium_bgp_hold_time" : "cilium_bgp_keepalive_time";
            var message = s.BgpKeepaliveTime is null
                ? $"is below the keepalive time the template uses when cilium_bgp_keepalive_time is omitted ({keepalive.ToString(CultureInfo.InvariantCulture)}); Cilium's CRD rejects a keepalive above the hold time"
                : s.BgpHoldTime is null
                    ? $"is greater than the hold time the template uses when cilium_bgp_hold_time is omitted ({hold.ToString(CultureInfo.InvariantCulture)}); Cilium's CRD rejects it"
                    : $"is greater than cilium_bgp_hold_time ({hold.ToString(CultureInfo.InvariantCulture)}); Cilium's CRD rejects it";
            problems.Add(new ValidationError(key, (s.BgpKeepaliveTime is null ? hold : keepalive).ToString(CultureInfo.InvariantCulture),
                message + At(key), $"set cilium_bgp_keepalive_time to at most a third of the hold time ({Math.Max(1, hold / 3).ToString(CultureInfo.InvariantCulture)})", Layer));
        }

        var addresses = new[]
        {
            ("cluster_api_addr", s.ApiAddress), ("cluster_gateway_addr", s.InternalGatewayAddress),
            ("cluster_dns_gateway_addr", s.DnsGatewayAddress), ("cloudflare_gateway_addr", s.ExternalGatewayAddress),
        }.Concat(s.Nodes.Select((n, i) => ($"nodes[{i.ToString(CultureInfo.InvariantCulture)}].address", (string?)n.Address)));
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in addresses)
        {
            if (value is not null && !seen.TryAdd(value, key))
            {
                problems.Add(new ValidationError(key, value, $"is the same address as {seen[value]}{At(key)}", "give every address its own value", Layer));
            }
        }
    }

    private static string Where(string file, Dictionary<JsonNode, Mark> positions, JsonNode? node) =>
        node is not null && positions.TryGetValue(node, out var mark)
            ? string.Create(CultureInfo.InvariantCulture, $"{file} line {mark.Line}")
            : file;

    /// <summary>Typed access to one mapping, recording type and range errors with file and line.</summary>
    private sealed class Reader(JsonObject root, Dictionary<JsonNode, Mark> positions, string file, List<ValidationError> problems, string prefix = "")
    {
        private static readonly HashSet<string> SecretKeys = new(StringComparer.Ordinal) { "cilium_bgp_password" };

        public bool Has(string key) => root.ContainsKey(key);

        /// <summary>No template setting comes near this; longer strings are refused (a hostile file must not flow into errors and logs).</summary>
        private const int MaxStringLength = 4096;

        /// <summary>Values shown in an error are cut here: an alias bomb's expansion must not become the message.</summary>
        private const int MaxShownValue = 200;

        private void Error(string key, JsonNode? node, string message, string fix, bool showValue = true)
        {
            var value = showValue && !SecretKeys.Contains(key) ? Shown(node) : null;
            problems.Add(new ValidationError(prefix + key, value, $"{message} ({Where(file, positions, node ?? root)})", fix, Layer));
        }

        public string? String(string key, bool required = false)
        {
            var node = root[key];
            if (node is null)
            {
                if (required)
                {
                    Error(key, null, "is required", $"add '{key}: ...'");
                }

                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                var text = v.GetValue<string>();
                if (text.Length > MaxStringLength)
                {
                    Error(key, node, $"is {text.Length.ToString(CultureInfo.InvariantCulture)} characters long, more than any setting needs ({MaxStringLength.ToString(CultureInfo.InvariantCulture)})", "shorten the value; check the file was not damaged", showValue: false);
                    return null;
                }

                return text;
            }

            Error(key, node, "must be a string", $"quote the value: {key}: \"...\"");
            return null;
        }

        private static string? Shown(JsonNode? node)
        {
            var text = node?.ToJsonString();
            return text is null || text.Length <= MaxShownValue
                ? text
                : text[..MaxShownValue] + $"... ({text.Length.ToString(CultureInfo.InvariantCulture)} characters)";
        }

        public bool? Bool(string key)
        {
            var node = root[key];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                return v.GetValue<bool>();
            }

            Error(key, node, "must be true or false", $"write {key}: true or {key}: false");
            return null;
        }

        public int? Int(string key, int minimum, int maximum)
        {
            var node = root[key];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                && int.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                if (number < minimum || number > maximum)
                {
                    Error(key, node, $"is outside the template's range {minimum.ToString(CultureInfo.InvariantCulture)}-{maximum.ToString(CultureInfo.InvariantCulture)}", $"use a value from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}");
                    return null;
                }

                return number;
            }

            Error(key, node, "must be a whole number", $"write {key}: {minimum.ToString(CultureInfo.InvariantCulture)} (no quotes)");
            return null;
        }

        public uint? Asn(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            if (text.Length == 0 || !text.All(char.IsAsciiDigit) || !uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var asn) || asn == 0)
            {
                Error(key, root[key], "must be an ASN written as a string of digits (1-4294967295)", $"write {key}: \"64513\"");
                return null;
            }

            return asn;
        }

        public string? OneOf(string key, string fallback, params string[] allowed)
        {
            var text = String(key);
            if (text is null)
            {
                return root.ContainsKey(key) ? null : fallback;
            }

            if (!allowed.Contains(text, StringComparer.Ordinal))
            {
                Error(key, root[key], "is not one of " + string.Join(", ", allowed), $"use one of {string.Join(", ", allowed)}");
                return null;
            }

            return text;
        }

        public TemplateSettings? Settings()
        {
            var nodeCidr = String("node_cidr", required: true);
            var password = String("cilium_bgp_password");
            var flags = root.Where(p => p.Key.EndsWith("_enabled", StringComparison.Ordinal))
                .Select(p => (p.Key, Value: Bool(p.Key)))
                .Where(p => p.Value is not null)
                .ToImmutableSortedDictionary(p => p.Key, p => p.Value!.Value, StringComparer.Ordinal);
            var repository = String("repository_name");
            var repositoryName = repository?.Split('/')[^1].ToLowerInvariant();
            var settings = new TemplateSettings
            {
                ClusterName = repositoryName is not null && KubernetesNames.IsDns1123Label(repositoryName, out _) ? repositoryName : "cluster",
                NodeCidr = nodeCidr ?? string.Empty,
                PodCidr = String("cluster_pod_cidr") ?? TemplateDefaults.PodCidr,
                ServiceCidr = String("cluster_svc_cidr") ?? TemplateDefaults.ServiceCidr,
                ApiAddress = String("cluster_api_addr"),
                Gateway = String("node_default_gateway"),
                InternalGatewayAddress = String("cluster_gateway_addr"),
                DnsGatewayAddress = String("cluster_dns_gateway_addr"),
                ExternalGatewayAddress = String("cloudflare_gateway_addr"),
                LoadBalancerMode = OneOf("cilium_loadbalancer_mode", TemplateDefaults.LoadBalancerMode, "dsr", "snat") ?? TemplateDefaults.LoadBalancerMode,
                LbPoolCidr = String("cilium_lb_pool_cidr"),
                BgpRouterAddress = String("cilium_bgp_router_addr"),
                BgpRouterAsn = Asn("cilium_bgp_router_asn"),
                BgpNodeAsn = Asn("cilium_bgp_node_asn"),
                BgpHoldTime = Int("cilium_bgp_hold_time", 3, 300),
                BgpKeepaliveTime = Int("cilium_bgp_keepalive_time", 1, 100),
                BgpGracefulRestart = Bool("cilium_bgp_graceful_restart"),
                BgpGracefulRestartTime = Int("cilium_bgp_graceful_restart_time", 30, 600),
                BgpEcmpMaxPaths = Int("cilium_bgp_ecmp_max_paths", 1, 16),
                BgpPassword = string.IsNullOrEmpty(password) ? null : new SecretValue(password),
                HubbleEnabled = flags.GetValueOrDefault("hubble_enabled"),
                HubbleUiEnabled = flags.GetValueOrDefault("hubble_ui_enabled"),
                MonitoringEnabled = flags.GetValueOrDefault("monitoring_enabled"),
                TracingEnabled = flags.GetValueOrDefault("tracing_enabled"),
                NetworkPoliciesEnabled = flags.GetValueOrDefault("network_policies_enabled"),
                NetworkPoliciesMode = OneOf("network_policies_mode", TemplateDefaults.NetworkPoliciesMode, "audit", "enforce") ?? TemplateDefaults.NetworkPoliciesMode,
                ComponentFlags = flags,
            };
            return nodeCidr is null ? null : settings;
        }
    }
}
