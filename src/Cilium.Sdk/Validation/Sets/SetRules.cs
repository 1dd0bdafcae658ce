using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Validation.Sets;

/// <summary>
/// What only a set of documents shows, each rule at the document and field it is about: LB pools that overlap
/// (across files too), L2 announcement policies and BGP advertisements that can select no Service a pool serves, BGP
/// peer configs referenced but missing, BGP instances without peers, peer families selecting no advertisement, and
/// network policies whose selectors match no workload of the linted files.
/// </summary>
/// <remarks>
/// Rules read the documents' JSON (after they read into their typed records without error), so they hold for both
/// served versions of a kind. What the Cilium operator flags with a status condition (a pool conflict, a missing peer
/// config) is an error of the agent layer; what only looks wrong given the files at hand is a warning of the cluster
/// layer, because the rest of the cluster (Services and workloads from Helm charts) is not in the files.
/// </remarks>
internal static class SetRules
{
    private const string ServiceNamespaceLabel = "io.kubernetes.service.namespace";
    private const string PodNamespaceLabel = "io.kubernetes.pod.namespace";

    public static IEnumerable<ManifestFinding> Check(IReadOnlyList<ManifestDocument> documents)
    {
        var cilium = documents.Where(d => d.IsCilium && d.Resource is not null && d.Node is JsonObject).ToList();
        var findings = new List<ManifestFinding>();
        var pools = Of(cilium, "CiliumLoadBalancerIPPool");
        findings.AddRange(PoolOverlaps(pools));
        var services = documents.Where(d => d.Group == string.Empty && d.Kind == "Service" && d.Node is JsonObject).ToList();
        findings.AddRange(ServiceSelections(cilium, pools, services));
        findings.AddRange(BgpReferences(cilium));
        findings.AddRange(PolicySelectors(cilium, documents));
        return findings;
    }

    private static List<ManifestDocument> Of(IEnumerable<ManifestDocument> documents, string kind) =>
        documents.Where(d => d.Kind == kind).ToList();

    private static JsonObject? Spec(ManifestDocument document) => document.Node!["spec"] as JsonObject;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Where(ManifestDocument d, string path)
    {
        var (line, _) = d.PositionOf(path);
        return string.Create(CultureInfo.InvariantCulture, $"{d.File ?? "<text>"}:{line}");
    }

    private static ManifestFinding Finding(ManifestDocument d, string path, string? value, string message, string fix, string layer, ValidationSeverity severity) =>
        d.At(new ValidationError(path, value, message, fix, layer, severity));

    // --- LB-IPAM ------------------------------------------------------------------------------------------------

    /// <summary>Overlapping blocks: the operator marks the pool that came later conflicting and allocates from none of
    /// its blocks (within one pool too). Which pool is "later" depends on creation order; the one later in the files is reported.</summary>
    private static IEnumerable<ManifestFinding> PoolOverlaps(List<ManifestDocument> pools)
    {
        var seen = new List<(ManifestDocument Pool, string Path, string Text, AddressBlock Block)>();
        foreach (var pool in pools)
        {
            var blocks = Spec(pool)?["blocks"] as JsonArray ?? [];
            for (var i = 0; i < blocks.Count; i++)
            {
                if (blocks[i] is not JsonObject block)
                {
                    continue;
                }

                var path = ValidationPath.Index("spec.blocks", i);
                var cidr = Text(block["cidr"]);
                var parsed = cidr is not null ? AddressBlock.FromCidr(cidr) : AddressBlock.FromRange(Text(block["start"]), Text(block["stop"]));
                var text = cidr ?? $"{Text(block["start"])}-{Text(block["stop"]) ?? Text(block["start"])}";
                if (parsed is not { } range)
                {
                    if (cidr is null && block["start"] is not null)
                    {
                        yield return Finding(pool, path, text, "is not a range the operator can read: start and stop must be addresses of one family, start first", "write start and stop as IP addresses (e.g. start: 192.168.1.200, stop: 192.168.1.239)", ValidationLayers.Agent, ValidationSeverity.Error);
                    }

                    continue; // a bad CIDR is the schema's error already
                }

                foreach (var (other, otherPath, otherText, otherBlock) in seen)
                {
                    if (!range.Overlaps(otherBlock))
                    {
                        continue;
                    }

                    var same = ReferenceEquals(other, pool);
                    yield return Finding(pool, path, text,
                        same
                            ? $"overlaps {otherPath} ({otherText}) of the same pool: the operator marks the pool conflicting and allocates from none of its blocks"
                            : $"overlaps {otherPath} ({otherText}) of pool '{other.Name}' at {Where(other, otherPath)}: the operator marks the pool created later conflicting and allocates from none of its blocks",
                        same ? "remove or shrink one of the two blocks" : "give each pool its own addresses",
                        ValidationLayers.Agent, ValidationSeverity.Error);
                    break;
                }

                seen.Add((pool, path, text, range));
            }
        }
    }

    // --- What announces Service addresses: L2 policies and BGP Service advertisements ---------------------------

    private static IEnumerable<ManifestFinding> ServiceSelections(List<ManifestDocument> cilium, List<ManifestDocument> pools, List<ManifestDocument> services)
    {
        var poolSelectors = pools
            .Where(p => Spec(p)?["disabled"] is not JsonValue disabled || !disabled.TryGetValue<bool>(out var d) || !d)
            .Select(p => (Pool: p, Selector: Spec(p)?["serviceSelector"] is { } s ? LabelQuery.From(s) : null))
            .ToList();
        var serviceLabels = services.Select(ServiceLabels).ToList();

        foreach (var policy in Of(cilium, "CiliumL2AnnouncementPolicy"))
        {
            if (Spec(policy)?["serviceSelector"] is not { } node || LabelQuery.From(node) is not { } selector)
            {
                continue; // no selector: every Service
            }

            if (Unserved(selector, poolSelectors, serviceLabels, loadBalancerIPs: true) is { } why)
            {
                yield return Finding(policy, "spec.serviceSelector", selector.ToString(), why + ": this policy announces nothing", "select the Services a pool gives addresses to (compare the pools' serviceSelector), or remove the selector to announce every Service", ValidationLayers.Cluster, ValidationSeverity.Warning);
            }
        }

        foreach (var advertisement in Of(cilium, "CiliumBGPAdvertisement"))
        {
            var items = Spec(advertisement)?["advertisements"] as JsonArray ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not JsonObject item || Text(item["advertisementType"]) != "Service")
                {
                    continue;
                }

                var path = ValidationPath.Index("spec.advertisements", i);
                if (item["selector"] is not { } node || LabelQuery.From(node) is not { } selector)
                {
                    yield return Finding(advertisement, path, "Service", "has no selector: a Service advertisement without one advertises no Service", "add a selector, e.g. selector: {matchExpressions: [{key: somekey, operator: NotIn, values: [never-used-value]}]} for every Service", ValidationLayers.Cluster, ValidationSeverity.Warning);
                    continue;
                }

                var addresses = (item["service"]?["addresses"] as JsonArray ?? []).Select(Text).ToList();
                if (Unserved(selector, poolSelectors, serviceLabels, loadBalancerIPs: addresses.Contains("LoadBalancerIP")) is { } why)
                {
                    yield return Finding(advertisement, ValidationPath.Property(path, "selector"), selector.ToString(), why + ": this advertisement announces nothing", "select Services that exist and that a pool gives addresses to (compare the pools' serviceSelector)", ValidationLayers.Cluster, ValidationSeverity.Warning);
                }
            }
        }
    }

    /// <summary>Why a Service selector selects nothing that gets announced, or null when it may.</summary>
    private static string? Unserved(LabelQuery selector, List<(ManifestDocument Pool, LabelQuery? Selector)> pools, List<Dictionary<string, string>> services, bool loadBalancerIPs)
    {
        if (!selector.IsJudgeable)
        {
            return null;
        }

        if (services.Count > 0 && !services.Any(selector.Matches))
        {
            return $"selects none of the {services.Count} Service(s) in the linted files";
        }

        if (loadBalancerIPs && pools.Count > 0 && !pools.Any(p => p.Selector is null || !p.Selector.IsJudgeable || selector.CanOverlap(p.Selector)))
        {
            return $"can select no Service that one of the {pools.Count} enabled pool(s) gives an address to (pools: {string.Join("; ", pools.Select(p => $"{p.Pool.Name} {p.Selector?.ToString() ?? "{}"}"))})";
        }

        return null;
    }

    private static Dictionary<string, string> ServiceLabels(ManifestDocument service)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (service.Node!["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = Text(value) ?? string.Empty;
            }
        }

        // LB-IPAM and L2 policies can also select on these two (Cilium adds them to every Service's labels).
        labels[ServiceNamespaceLabel] = service.Namespace ?? "default";
        labels["io.kubernetes.service.name"] = service.Name ?? string.Empty;
        return labels;
    }

    // --- BGP control plane v2 -----------------------------------------------------------------------------------

    private static IEnumerable<ManifestFinding> BgpReferences(List<ManifestDocument> cilium)
    {
        var peerConfigs = Of(cilium, "CiliumBGPPeerConfig");
        var peerNames = peerConfigs.Select(p => p.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var advertisements = Of(cilium, "CiliumBGPAdvertisement");
        foreach (var config in Of(cilium, "CiliumBGPClusterConfig"))
        {
            var instances = Spec(config)?["bgpInstances"] as JsonArray ?? [];
            for (var i = 0; i < instances.Count; i++)
            {
                if (instances[i] is not JsonObject instance)
                {
                    continue;
                }

                var path = ValidationPath.Index("spec.bgpInstances", i);
                var peers = instance["peers"] as JsonArray;
                if (peers is null || peers.Count == 0)
                {
                    yield return Finding(config, path, Text(instance["name"]), "has no peers: the instance runs on the selected nodes but opens no BGP session", "add peers (name, peerAddress, peerASN, peerConfigRef), or remove the instance", ValidationLayers.Cluster, ValidationSeverity.Warning);
                    continue;
                }

                for (var j = 0; j < peers.Count; j++)
                {
                    if (Text(peers[j]?["peerConfigRef"]?["name"]) is { } name && !peerNames.Contains(name))
                    {
                        var peerPath = ValidationPath.Property(ValidationPath.Index(ValidationPath.Property(path, "peers"), j), "peerConfigRef");
                        yield return Finding(config, ValidationPath.Property(peerPath, "name"), name,
                            $"names a CiliumBGPPeerConfig that is not in the linted files{Known(peerNames)}: the operator reports MissingPeerConfigs and the peer gets no session",
                            "add the CiliumBGPPeerConfig, or correct the name", ValidationLayers.Agent, ValidationSeverity.Error);
                    }
                }
            }
        }

        foreach (var peer in peerConfigs)
        {
            var families = Spec(peer)?["families"] as JsonArray ?? [];
            for (var i = 0; i < families.Count; i++)
            {
                if (families[i] is not JsonObject family)
                {
                    continue;
                }

                var path = ValidationPath.Index("spec.families", i);
                var selector = LabelQuery.From(family["advertisements"]);
                if (selector is null)
                {
                    yield return Finding(peer, path, $"{Text(family["afi"])}/{Text(family["safi"])}", "selects no CiliumBGPAdvertisement (advertisements is not set): nothing is advertised to this peer for the family", "add advertisements: {matchLabels: {...}} matching the labels of your CiliumBGPAdvertisement", ValidationLayers.Cluster, ValidationSeverity.Warning);
                }
                else if (selector.IsJudgeable && advertisements.Count > 0 && !advertisements.Any(a => selector.Matches(Labels(a))))
                {
                    yield return Finding(peer, ValidationPath.Property(path, "advertisements"), selector.ToString(), $"matches none of the {advertisements.Count} CiliumBGPAdvertisement(s) in the linted files ({string.Join(", ", advertisements.Select(a => $"{a.Name} {{{string.Join(", ", Labels(a).Select(kv => kv.Key + "=" + kv.Value))}}}"))}): nothing is advertised to this peer for the family", "label a CiliumBGPAdvertisement to match, or correct the selector", ValidationLayers.Cluster, ValidationSeverity.Warning);
                }
            }
        }
    }

    private static string Known(HashSet<string> names) =>
        names.Count == 0 ? string.Empty : " (there: " + string.Join(", ", names.Order(StringComparer.Ordinal)) + ")";

    private static Dictionary<string, string> Labels(ManifestDocument document)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.Node!["metadata"]?["labels"] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                labels[key] = Text(value) ?? string.Empty;
            }
        }

        return labels;
    }

    // --- Network policies against the workloads in the files -----------------------------------------------------

    private static IEnumerable<ManifestFinding> PolicySelectors(List<ManifestDocument> cilium, IReadOnlyList<ManifestDocument> all)
    {
        var workloads = Workloads(all);
        if (workloads.Count == 0)
        {
            yield break; // nothing known to judge against
        }

        var byNamespace = workloads.GroupBy(w => w.Namespace, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var policy in cilium.Where(d => d.Kind is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy"))
        {
            var namespaced = policy.Kind == "CiliumNetworkPolicy";
            var policyNamespace = namespaced ? policy.Namespace ?? "default" : null;
            foreach (var (spec, specPath) in Specs(policy))
            {
                if (spec["endpointSelector"] is { } endpointSelector)
                {
                    if (Unmatched(endpointSelector, policyNamespace, byNamespace) is { } why)
                    {
                        yield return Finding(policy, ValidationPath.Property(specPath, "endpointSelector"), LabelQuery.From(endpointSelector)?.ToString(), why + ": the policy applies to nothing", "select the labels the workload's pods carry (spec.template.metadata.labels)", ValidationLayers.Cluster, ValidationSeverity.Warning);
                    }
                }

                foreach (var (direction, peersField) in new[] { ("ingress", "fromEndpoints"), ("ingressDeny", "fromEndpoints"), ("egress", "toEndpoints"), ("egressDeny", "toEndpoints") })
                {
                    var rules = spec[direction] as JsonArray ?? [];
                    for (var i = 0; i < rules.Count; i++)
                    {
                        var peers = rules[i]?[peersField] as JsonArray ?? [];
                        for (var j = 0; j < peers.Count; j++)
                        {
                            if (peers[j] is { } peer && Unmatched(peer, policyNamespace, byNamespace) is { } why)
                            {
                                var path = ValidationPath.Index(ValidationPath.Property(ValidationPath.Index(ValidationPath.Property(specPath, direction), i), peersField), j);
                                yield return Finding(policy, path, LabelQuery.From(peer)?.ToString(), why + ": this peer matches nothing", "select the labels the workload's pods carry (spec.template.metadata.labels)", ValidationLayers.Cluster, ValidationSeverity.Warning);
                            }
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<(JsonObject Spec, string Path)> Specs(ManifestDocument policy)
    {
        if (policy.Node!["spec"] is JsonObject spec)
        {
            yield return (spec, "spec");
        }

        if (policy.Node["specs"] is JsonArray specs)
        {
            for (var i = 0; i < specs.Count; i++)
            {
                if (specs[i] is JsonObject s)
                {
                    yield return (s, ValidationPath.Index("specs", i));
                }
            }
        }
    }

    /// <summary>Why a pod selector matches no workload of the files, or null when it may (or nothing is known where it looks).</summary>
    private static string? Unmatched(JsonNode selectorNode, string? policyNamespace, Dictionary<string, List<Workload>> byNamespace)
    {
        if (LabelQuery.From(selectorNode) is not { IsJudgeable: true, IsEmpty: false } selector)
        {
            return null;
        }

        // The namespace the selector looks in: its own io.kubernetes.pod.namespace label, else the policy's (a
        // cluster-wide policy without one looks everywhere).
        var pinned = selector.Pinned(PodNamespaceLabel);
        var ns = pinned ?? policyNamespace;
        var labels = selector.Without(PodNamespaceLabel);
        if (labels.IsEmpty)
        {
            return null;
        }

        var candidates = ns is null ? byNamespace.Values.SelectMany(w => w).ToList() : byNamespace.GetValueOrDefault(ns);
        if (candidates is null || candidates.Count == 0 || candidates.Any(w => labels.Matches(w.Labels)))
        {
            return null;
        }

        var shown = string.Join("; ", candidates.Take(5).Select(w => $"{w.Kind} {w.Name} {{{string.Join(", ", w.Labels.Where(kv => kv.Key != PodNamespaceLabel).Select(kv => kv.Key + "=" + kv.Value))}}}"));
        return $"matches no workload {(ns is null ? "in" : "of namespace '" + ns + "' in")} the linted files (there: {shown}{(candidates.Count > 5 ? "; ..." : string.Empty)})";
    }

    private sealed record Workload(string Namespace, string Kind, string? Name, Dictionary<string, string> Labels);

    /// <summary>Pods and the pod templates of workload controllers that name their namespace.</summary>
    private static List<Workload> Workloads(IReadOnlyList<ManifestDocument> all)
    {
        var list = new List<Workload>();
        foreach (var d in all)
        {
            if (d.Node is not JsonObject obj || d.Namespace is not { } ns)
            {
                continue; // the namespace may come from a kustomization: not known here
            }

            JsonNode? podMetadata = (d.Group, d.Kind) switch
            {
                ("", "Pod") => obj["metadata"],
                ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet") or ("batch", "Job") => obj["spec"]?["template"]?["metadata"],
                ("batch", "CronJob") => obj["spec"]?["jobTemplate"]?["spec"]?["template"]?["metadata"],
                _ => null,
            };
            if (podMetadata?["labels"] is JsonObject map)
            {
                var labels = map.ToDictionary(kv => kv.Key, kv => Text(kv.Value) ?? string.Empty, StringComparer.Ordinal);
                labels[PodNamespaceLabel] = ns;
                list.Add(new Workload(ns, d.Kind!, d.Name, labels));
            }
        }

        return list;
    }
}
