using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Cilium.Sdk.Policies;
using k8s.Models;

namespace Cilium.Sdk.Verdicts;

/// <summary>Three-valued match: the engine answers Unknown where deciding would mean guessing.</summary>
internal enum Tri
{
    No,
    Yes,
    Unknown,
}

/// <summary>Where a label selector stands in a policy: the agent rewrites each kind differently when it parses the policy.</summary>
internal enum SelectorRole
{
    /// <summary>The endpointSelector of a CiliumNetworkPolicy: always confined to the policy's namespace.</summary>
    NamespacedSubject,

    /// <summary>The endpointSelector of a cluster-wide policy: taken as written.</summary>
    AsWritten,

    /// <summary>A nodeSelector, toNodes or fromNodes selector: taken as written, matched against node labels.</summary>
    Node,

    /// <summary>A from/toEndpoints selector of a CiliumNetworkPolicy: the policy's namespace unless it names one.</summary>
    NamespacedPeer,

    /// <summary>A from/toEndpoints selector of a cluster-wide policy: pods only (any namespace) unless it names one.</summary>
    ClusterPeer,

    /// <summary>Like <see cref="ClusterPeer"/> in a policy whose subject is <c>reserved:init</c>: taken as written.</summary>
    ClusterPeerOfInit,
}

/// <summary>A label requirement of a selector, with Cilium's label source (<c>k8s</c>, <c>reserved</c>, <c>any</c>, ...).</summary>
internal sealed record LabelRequirement(string Source, string Key, string Operator, IReadOnlyList<string> Values);

/// <summary>
/// A Kubernetes label selector as the agent holds it after parsing a policy (the namespace rules of
/// <c>ParseToCiliumRule</c> applied), evaluated against an endpoint's identity labels.
/// </summary>
internal sealed class CompiledSelector
{
    internal const string PodNamespace = Policies.Labels.NamespaceKey;
    internal const string NamespaceLabelsPrefix = "io.cilium.k8s.namespace.labels.";
    internal const string ClusterLabel = "io.cilium.k8s.policy.cluster";
    internal const string ServiceAccountLabel = "io.cilium.k8s.policy.serviceaccount";

    private static readonly HashSet<string> Sources = new(StringComparer.Ordinal) { "k8s", "reserved", "any", "cidr", "fqdn", "container", "unspec", "cilium-generated", "kvstore", "cni", "node" };

    private readonly LabelRequirement[] requirements;

    private readonly bool nodeLabels;

    private CompiledSelector(LabelRequirement[] requirements, string text, string? pinnedNamespace, bool nodeLabels)
    {
        this.requirements = requirements;
        Text = text;
        PinnedNamespace = pinnedNamespace;
        this.nodeLabels = nodeLabels;
    }

    /// <summary>The selector as the agent holds it, for explanations ("{app=web,k8s:io.kubernetes.pod.namespace=shop}").</summary>
    public string Text { get; }

    /// <summary>The one namespace this selector can select pods in (from a <c>k8s:</c> namespace requirement), or null.</summary>
    public string? PinnedNamespace { get; }

    /// <summary>Whether the selector names <c>reserved:init</c> (a policy for initializing endpoints).</summary>
    public bool SelectsInit => requirements.Any(r => r.Source is "reserved" or "any" && r.Key == "init");

    /// <summary>Compiles <paramref name="selector"/> for its <paramref name="role"/>, as the agent's parser rewrites it.</summary>
    public static CompiledSelector Compile(V1LabelSelector? selector, SelectorRole role, string? policyNamespace, string? clusterName = null)
    {
        var matchLabels = new List<LabelRequirement>();
        foreach (var (key, value) in selector?.MatchLabels ?? new Dictionary<string, string>())
        {
            var (source, name) = Split(key);
            matchLabels.Add(new LabelRequirement(source, name, "In", [value ?? string.Empty]));
        }

        var expressions = new List<LabelRequirement>();
        foreach (var e in selector?.MatchExpressions ?? [])
        {
            var (source, name) = Split(e.Key ?? string.Empty);
            expressions.Add(new LabelRequirement(source, name, e.OperatorProperty ?? "In", e.Values?.ToArray() ?? []));
        }

        var all = matchLabels.Concat(expressions).ToList();
        bool HasKey(string source, string key) => all.Any(r => r.Source == source && r.Key == key);
        var namesNamespace = HasKey("k8s", PodNamespace) || HasKey("any", PodNamespace);
        var explicitReserved = all.Any(r => r.Source == "reserved");
        switch (role)
        {
            case SelectorRole.NamespacedSubject:
                // The parser overrides any k8s: namespace match of the subject with the policy's own namespace.
                matchLabels.RemoveAll(r => r.Source == "k8s" && r.Key == PodNamespace);
                matchLabels.Add(new LabelRequirement("k8s", PodNamespace, "In", [policyNamespace!]));
                break;
            case SelectorRole.NamespacedPeer when !explicitReserved && !namesNamespace && !all.Any(r => r.Source is "k8s" or "any" && r.Key.StartsWith(NamespaceLabelsPrefix, StringComparison.Ordinal)):
                matchLabels.Add(new LabelRequirement("k8s", PodNamespace, "In", [policyNamespace!]));
                break;
            case SelectorRole.ClusterPeer when !explicitReserved && !namesNamespace:
                // A cluster-wide peer selector only selects endpoints Cilium manages as pods: {} is "any pod".
                expressions.Add(new LabelRequirement("k8s", PodNamespace, "Exists", []));
                break;
        }

        // With a cluster name, the agent scopes peer selectors to the local cluster unless they name one (cluster mesh).
        if (clusterName is not null && role is SelectorRole.NamespacedPeer or SelectorRole.ClusterPeer or SelectorRole.ClusterPeerOfInit
            && !explicitReserved && !HasKey("k8s", ClusterLabel) && !HasKey("any", ClusterLabel))
        {
            matchLabels.Add(new LabelRequirement("k8s", ClusterLabel, "In", [clusterName]));
        }

        var sorted = matchLabels.Concat(expressions).OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Operator, StringComparer.Ordinal).ToArray();
        var text = sorted.Length == 0 ? "{}" : "{" + string.Join(",", sorted.Select(Describe)) + "}";
        var pinned = sorted.Where(r => r.Source == "k8s" && r.Key == PodNamespace && r.Operator == "In" && r.Values.Count == 1).Select(r => r.Values[0]).FirstOrDefault();
        return new CompiledSelector(sorted, text, pinned, role == SelectorRole.Node);
    }

    /// <summary>Whether the selector selects <paramref name="endpoint"/>; <paramref name="unknownWhy"/> says what is missing when Unknown.</summary>
    public Tri Matches(Endpoint endpoint, VerdictOptions options, out string? unknownWhy)
    {
        unknownWhy = null;
        var result = Tri.Yes;
        foreach (var r in requirements)
        {
            var (found, value, why) = EndpointLabels.Lookup(endpoint, r.Source, r.Key, options, nodeLabels);
            bool? ok = null;
            if (why is null)
            {
                ok = r.Operator switch
                {
                    "In" => found && r.Values.Contains(value!, StringComparer.Ordinal),
                    "NotIn" => !found || !r.Values.Contains(value!, StringComparer.Ordinal),
                    "Exists" => found,
                    "DoesNotExist" => !found,
                    _ => null,
                };
                if (ok is null)
                {
                    why = $"the selector operator '{r.Operator}' is not a Kubernetes operator";
                }
            }

            if (ok == false)
            {
                return Tri.No;
            }

            if (ok is null)
            {
                unknownWhy ??= why;
                result = Tri.Unknown;
            }
        }

        return result;
    }

    private static (string Source, string Key) Split(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && Sources.Contains(key[..colon]))
        {
            return (key[..colon], key[(colon + 1)..]);
        }

        return ("any", key);
    }

    private static string Describe(LabelRequirement r)
    {
        var key = r.Source == "any" ? r.Key : r.Source + ":" + r.Key;
        return r.Operator switch
        {
            "In" when r.Values.Count == 1 => key + "=" + r.Values[0],
            "Exists" => key,
            "DoesNotExist" => "!" + key,
            _ => $"{key} {r.Operator} ({string.Join(",", r.Values)})",
        };
    }
}

/// <summary>The identity labels of an endpoint as the agent derives them, by label source.</summary>
internal static class EndpointLabels
{
    /// <summary>The endpoint's value for a label; <c>Why</c> is set when it cannot be known.</summary>
    public static (bool Found, string? Value, string? Why) Lookup(Endpoint e, string source, string key, VerdictOptions options, bool nodeView)
    {
        if (source is "reserved" or "any")
        {
            var reserved = e.Entities.Any(r => r.ToWire() == key || (r == Entity.World && key is "world-ipv4" or "world-ipv6"));
            if (reserved || source == "reserved")
            {
                return (reserved, reserved ? string.Empty : null, null);
            }
        }

        if (source is not ("k8s" or "any"))
        {
            return (false, null, $"selectors on '{source}:' labels are not modelled");
        }

        if (!e.IsPod)
        {
            // Node selectors see a node's labels (as its host endpoint carries them); other selectors see none.
            if (nodeView && (e.Is(Entity.Host) || e.Is(Entity.RemoteNode)))
            {
                if (e.NodeLabels is null)
                {
                    return (false, null, $"the labels of node {e.Name} are not known (Endpoint.WithNodeLabels)");
                }

                return e.NodeLabels.TryGetValue(key, out var nodeValue) ? (true, nodeValue, null) : (false, null, null);
            }

            return (false, null, null);
        }

        if (key == CompiledSelector.PodNamespace)
        {
            return (true, e.Namespace, null);
        }

        if (key.StartsWith(CompiledSelector.NamespaceLabelsPrefix, StringComparison.Ordinal))
        {
            var nsKey = key[CompiledSelector.NamespaceLabelsPrefix.Length..];
            if (e.NamespaceLabels.TryGetValue(nsKey, out var nsValue))
            {
                return (true, nsValue, null);
            }

            // Namespaces carry kubernetes.io/metadata.name; other namespace labels are unknown unless given.
            if (nsKey == "kubernetes.io/metadata.name")
            {
                return (true, e.Namespace, null);
            }

            return e.NamespaceLabels.Count > 0 ? (false, null, null) : (false, null, $"the labels of namespace '{e.Namespace}' are not known (Endpoint.WithNamespaceLabels)");
        }

        if (key == CompiledSelector.ClusterLabel && !e.Labels.ContainsKey(key))
        {
            // The agent labels every local pod with its cluster's name (the cluster-name option).
            return (true, options.ClusterName ?? "default", null);
        }

        if (!e.LabelsKnown)
        {
            return (false, null, $"the labels of pod {e.Name} are not known");
        }

        if (e.Labels.TryGetValue(key, out var v))
        {
            return (true, v, null);
        }

        if (key == CompiledSelector.ServiceAccountLabel)
        {
            return (false, null, $"the service account of pod {e.Name} is not known (Endpoint.WithServiceAccount)");
        }

        return (false, null, null);
    }
}

/// <summary>DNS name matching as the agent does it for <c>matchName</c> and <c>matchPattern</c>.</summary>
internal static class DnsNames
{
    public static Regex? Pattern(string? matchName, string? matchPattern)
    {
        if (matchName is not null)
        {
            return new Regex("^" + Regex.Escape(Normalize(matchName)) + "$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }

        if (matchPattern is null)
        {
            return null;
        }

        var p = Normalize(matchPattern);
        if (p == "*")
        {
            return new Regex("^.+$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }

        // "**." matches one or more labels; "*" matches within one label (the agent's allowed DNS characters).
        var body = new System.Text.StringBuilder();
        var i = 0;
        if (p.StartsWith("**.", StringComparison.Ordinal))
        {
            body.Append("([-a-z0-9_]+\\.)+");
            i = 3;
        }

        for (; i < p.Length; i++)
        {
            body.Append(p[i] == '*' ? "[-a-z0-9_]*" : Regex.Escape(p[i].ToString()));
        }

        return new Regex("^" + body + "$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    public static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
