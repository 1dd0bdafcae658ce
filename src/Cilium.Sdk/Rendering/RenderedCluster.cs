using System.Collections.Generic;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Output;
using Cilium.Sdk.Validation;

namespace Cilium.Sdk.Rendering;

/// <summary>What a cluster renders to: the file tree (byte-identical for the same input), the typed records and values
/// it came from, and the warnings that did not stop it.</summary>
public sealed class RenderedCluster
{
    internal RenderedCluster(OutputTree tree, ClusterResources resources, JsonObject helmValues, IReadOnlyList<ValidationError> warnings)
    {
        Tree = tree;
        Resources = resources;
        HelmValues = helmValues;
        Warnings = warnings;
    }

    /// <summary>Every file, by relative path.</summary>
    public OutputTree Tree { get; }

    /// <summary>The typed records behind the manifests.</summary>
    public ClusterResources Resources { get; }

    /// <summary>The Cilium chart values written into the HelmRelease.</summary>
    public JsonObject HelmValues { get; }

    /// <summary>Advice that did not stop rendering.</summary>
    public IReadOnlyList<ValidationError> Warnings { get; }
}
