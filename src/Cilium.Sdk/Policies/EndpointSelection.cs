using System;
using System.Collections.Generic;

namespace Cilium.Sdk.Policies;

/// <summary>Which endpoints a policy applies to (its <c>endpointSelector</c>).</summary>
public sealed record EndpointSelection
{
    private EndpointSelection(IReadOnlyDictionary<string, string> labels, string? @namespace, Component? component)
    {
        Labels = labels;
        Namespace = @namespace;
        Component = component;
    }

    /// <summary>The pod labels to match (all must match); empty matches every pod in scope.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The namespace the pods must be in, or null for the policy's scope (its namespace, or the cluster).</summary>
    public string? Namespace { get; }

    /// <summary>The catalogue component selected, when selected by component.</summary>
    public Component? Component { get; }

    /// <summary>Pods with all of <paramref name="labels"/>.</summary>
    /// <param name="labels">The labels.</param>
    /// <returns>The selection.</returns>
    public static EndpointSelection ByLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new EndpointSelection(Policies.Labels.Sorted(labels), null, null);
    }

    /// <summary>Every pod of a namespace.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <returns>The selection.</returns>
    public static EndpointSelection ByNamespace(string @namespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return new EndpointSelection(new SortedDictionary<string, string>(StringComparer.Ordinal), @namespace, null);
    }

    /// <summary>The pods of a catalogue component, by the labels it carries.</summary>
    /// <param name="component">The component.</param>
    /// <returns>The selection.</returns>
    public static EndpointSelection ByComponent(Component component)
    {
        ArgumentNullException.ThrowIfNull(component);
        return new EndpointSelection(component.Labels, component.Namespace, component);
    }

    /// <summary>Every pod in the policy's scope (an empty selector).</summary>
    public static EndpointSelection All { get; } = new(new SortedDictionary<string, string>(StringComparer.Ordinal), null, null);

    /// <inheritdoc />
    public bool Equals(EndpointSelection? other) =>
        other is not null && Namespace == other.Namespace && Component == other.Component && Policies.Labels.Equal(Labels, other.Labels);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Namespace, Policies.Labels.Format(Labels));

    /// <inheritdoc />
    public override string ToString() => $"{Namespace ?? "*"}/{{{Policies.Labels.Format(Labels)}}}";
}
