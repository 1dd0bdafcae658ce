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

/// <summary>A label requirement of a selector, with Cilium's label source (<c>k8s:</c>, <c>reserved:</c>, <c>any:</c>).</summary>
internal sealed record LabelRequirement(string Source, string Key, string Operator, IReadOnlyList<string> Values);

/// <summary>A compiled Kubernetes label selector with Cilium's label sources.</summary>
internal sealed class CompiledSelector
{
    private static readonly HashSet<string> Sources = new(StringComparer.Ordinal) { "k8s", "reserved", "any", "cidr", "fqdn", "container", "unspec", "cilium-generated", "kvstore", "cni" };

    private readonly LabelRequirement[] requirements;

    private CompiledSelector(LabelRequirement[] requirements, string text)
    {
        this.requirements = requirements;
        Text = text;
    }

    public string Text { get; }

    public bool IsEmpty => requirements.Length == 0;

    /// <summary>Compiles <paramref name="selector"/>; in a namespaced policy, adds the policy's namespace unless the
    /// selector names a namespace itself or selects <c>reserved:init</c> (as the agent does).</summary>
    public static CompiledSelector Compile(V1LabelSelector? selector, string? policyNamespace)
    {
        var list = new List<LabelRequirement>();
        foreach (var (key, value) in selector?.MatchLabels ?? new Dictionary<string, string>())
        {
            var (source, name) = Split(key);
            list.Add(new LabelRequirement(source, name, "In", [value ?? string.Empty]));
        }

        foreach (var e in selector?.MatchExpressions ?? [])
        {
            var (source, name) = Split(e.Key);
            list.Add(new LabelRequirement(source, name, e.OperatorProperty ?? "In", e.Values?.ToArray() ?? []));
        }

        var namesNamespace = list.Any(r => r.Key == Policies.Labels.NamespaceKey && r.Source is "k8s" or "any");
        var init = list.Any(r => r.Source is "reserved" or "any" && r.Key == "init");
        if (policyNamespace is not null && !namesNamespace && !init)
        {
            list.Add(new LabelRequirement("k8s", Policies.Labels.NamespaceKey, "In", [policyNamespace]));
        }

        var sorted = list.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal).ToArray();
        var text = sorted.Length == 0 ? "{}" : "{" + string.Join(",", sorted.Select(Describe)) + "}";
        return new CompiledSelector(sorted, text);
    }

    public Tri Matches(Endpoint endpoint, out string? unknownWhy)
    {
        unknownWhy = null;
        var result = Tri.Yes;
        foreach (var r in requirements)
        {
            var (found, value, why) = Lookup(endpoint, r.Source, r.Key);
            if (why is not null)
            {
                unknownWhy ??= why;
                result = Tri.Unknown;
                continue;
            }

            var ok = r.Operator switch
            {
                "In" => found && r.Values.Contains(value!, StringComparer.Ordinal),
                "NotIn" => !found || !r.Values.Contains(value!, StringComparer.Ordinal),
                "Exists" => found,
                "DoesNotExist" => !found,
                _ => (bool?)null,
            };
            if (ok is null)
            {
                unknownWhy ??= $"the selector operator '{r.Operator}' is not a Kubernetes operator";
                result = Tri.Unknown;
            }
            else if (ok == false)
            {
                return Tri.No;
            }
        }

        return result;
    }

    /// <summary>The endpoint's value for a label; <c>why</c> is set when it cannot be known.</summary>
    private static (bool Found, string? Value, string? Why) Lookup(Endpoint e, string source, string key)
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
            return (false, null, null);
        }

        if (key == Policies.Labels.NamespaceKey)
        {
            return (true, e.Namespace, null);
        }

        if (key.StartsWith("io.cilium.k8s.namespace.labels.", StringComparison.Ordinal))
        {
            var nsKey = key["io.cilium.k8s.namespace.labels.".Length..];
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

        if (!e.LabelsKnown)
        {
            return (false, null, $"the labels of pod {e.Name} are not known");
        }

        if (key == "io.cilium.k8s.policy.cluster" && !e.Labels.ContainsKey(key))
        {
            return (false, null, "the cluster name (io.cilium.k8s.policy.cluster) is not known");
        }

        return e.Labels.TryGetValue(key, out var v) ? (true, v, null) : (false, null, null);
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
            return new Regex("^.*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }

        // "**." matches any number of labels; "*" matches within one label (the agent's allowed DNS characters).
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
