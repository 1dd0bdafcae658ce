using System;
using System.Collections.Generic;
using System.Linq;

namespace Cilium.Sdk.Policies;

/// <summary>Label-map helpers: ordinal-sorted copies, equality and a stable text form.</summary>
internal static class Labels
{
    /// <summary>The pod label Cilium derives from the pod's namespace.</summary>
    public const string NamespaceKey = "io.kubernetes.pod.namespace";

    public static IReadOnlyDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> labels)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, nameof(labels));
            sorted[key] = value ?? throw new ArgumentException($"label '{key}' has no value", nameof(labels));
        }

        return sorted;
    }

    public static IReadOnlyDictionary<string, string> Of(params (string Key, string Value)[] pairs) =>
        Sorted(pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    public static bool Equal(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="carried"/> has every label of <paramref name="wanted"/>.</summary>
    public static bool Covers(IReadOnlyDictionary<string, string> carried, IReadOnlyDictionary<string, string> wanted) =>
        wanted.All(kv => carried.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal));

    public static string Format(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
}
