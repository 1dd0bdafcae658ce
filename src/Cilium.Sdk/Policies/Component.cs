using System;
using System.Collections.Generic;
using System.Linq;

namespace Cilium.Sdk.Policies;

/// <summary>
/// A workload the SDK knows: its namespace, the pod labels it really carries (the ones policies select it by),
/// and the ports it listens on. The same component is selected by the same labels everywhere.
/// </summary>
public sealed record Component
{
    /// <summary>Creates a component.</summary>
    /// <param name="name">A stable key such as "coredns".</param>
    /// <param name="namespace">The namespace its pods run in.</param>
    /// <param name="labels">Pod labels that select exactly its pods.</param>
    /// <param name="ports">Its listening ports by role ("dns-udp", "metrics").</param>
    public Component(string name, string @namespace, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, Port>? ports = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
        {
            throw new ArgumentException($"component '{name}' needs at least one label: an empty selector selects every pod of the namespace", nameof(labels));
        }

        Name = name;
        Namespace = @namespace;
        Labels = Policies.Labels.Sorted(labels);
        Ports = new SortedDictionary<string, Port>(ports?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? new Dictionary<string, Port>(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>The stable key.</summary>
    public string Name { get; }

    /// <summary>The namespace.</summary>
    public string Namespace { get; }

    /// <summary>The selecting labels, sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The listening ports by role, sorted by role.</summary>
    public IReadOnlyDictionary<string, Port> Ports { get; }

    /// <summary>The port for <paramref name="role"/>.</summary>
    /// <param name="role">The role, such as "metrics".</param>
    /// <returns>The port.</returns>
    /// <exception cref="KeyNotFoundException">The component has no such port.</exception>
    public Port Port(string role) =>
        Ports.TryGetValue(role, out var port)
            ? port
            : throw new KeyNotFoundException($"component '{Name}' has no port '{role}'; it has {string.Join(", ", Ports.Keys)}");

    /// <summary>Whether the component's pods carry every label of <paramref name="labels"/>.</summary>
    /// <param name="labels">Labels a selector asks for.</param>
    /// <returns>True when a selector with these labels selects this component.</returns>
    public bool Carries(IReadOnlyDictionary<string, string> labels) => Policies.Labels.Covers(Labels, labels);

    /// <inheritdoc />
    public bool Equals(Component? other) =>
        other is not null && Name == other.Name && Namespace == other.Namespace && Policies.Labels.Equal(Labels, other.Labels);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Namespace);

    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Name} {{{Policies.Labels.Format(Labels)}}}";
}
