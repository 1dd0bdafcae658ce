using System;
using System.Collections.Generic;
using System.Threading;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Output;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Rendering;

/// <summary>What a cluster renders to: the file tree (byte-identical for the same input), the typed records and values
/// it came from, and the warnings that did not stop it.</summary>
public sealed class RenderedCluster
{
    private readonly IReadOnlyList<SecretValue> secrets;
    private readonly Lazy<ClusterResources> resources;

    // addPolicies, when given, builds the policy records on first use of Resources: the render wrote them without
    // keeping them (the same records; the expansion is deterministic).
    internal RenderedCluster(OutputTree tree, ClusterResources resources, Action<ClusterResources>? addPolicies, JsonObject helmValues, IReadOnlyList<ValidationError> warnings, IReadOnlyList<SecretValue> secrets)
    {
        this.secrets = secrets;
        this.resources = addPolicies is null
            ? new Lazy<ClusterResources>(resources)
            : new Lazy<ClusterResources>(() => { addPolicies(resources); return resources; }, LazyThreadSafetyMode.ExecutionAndPublication);
        Tree = tree;
        HelmValues = helmValues;
        Warnings = warnings;
    }

    /// <summary>Every file, by relative path.</summary>
    public OutputTree Tree { get; }

    /// <summary>The typed records behind the manifests (the policy records are built on first use, equal to the ones
    /// written).</summary>
    public ClusterResources Resources => resources.Value;

    /// <summary>The Cilium chart values written into the HelmRelease.</summary>
    public JsonObject HelmValues { get; }

    /// <summary>Advice that did not stop rendering.</summary>
    public IReadOnlyList<ValidationError> Warnings { get; }

    /// <summary>
    /// Writes the tree into <paramref name="directory"/> (usually the GitOps repository root): atomically, touching only
    /// files the SDK generated, and refusing if a secret of this cluster would land in a non-secret file.
    /// </summary>
    /// <param name="directory">The output root.</param>
    /// <param name="force">Overwrite generated files the user edited (never files the SDK did not generate).</param>
    /// <exception cref="OutputException">Conflicts or IO failures; nothing was changed.</exception>
    public WriteResult WriteTo(string directory, bool force = false) =>
        WriteTo(directory, new WriteOptions { Force = force });

    /// <summary>Writes the tree as <see cref="WriteTo(string, bool)"/> does, with every option of the writer
    /// (<see cref="WriteOptions.RewriteSecrets"/>, ...); this cluster's secrets are always guarded.</summary>
    /// <param name="directory">The output root.</param>
    /// <param name="options">The writer's options; their <see cref="WriteOptions.SecretValues"/> are joined by this cluster's.</param>
    /// <returns>What was written, and which secret files are left in plain text to encrypt.</returns>
    /// <exception cref="OutputException">Conflicts or IO failures; nothing was changed.</exception>
    public WriteResult WriteTo(string directory, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OutputWriter.Write(Tree, directory, options with { SecretValues = [.. options.SecretValues, .. secrets] });
    }

    /// <summary>Compares the tree with <paramref name="directory"/> without writing (the CI drift check).</summary>
    public DriftReport CheckAgainst(string directory) => OutputWriter.Check(Tree, directory);
}
