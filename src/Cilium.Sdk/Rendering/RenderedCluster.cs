using System;
using System.Collections.Generic;
using System.Linq;
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
    /// <remarks>With <see cref="WriteOptions.Adopt"/> the repository's files are compared first
    /// (<see cref="RepositoryAdoption.Plan"/>) and nothing is lost silently: Helm values of its HelmRelease this render
    /// does not carry stop the write (keep them with <c>WithHelmValues(plan.KeptValues)</c>), hand-edited values the SDK
    /// sets differently stop it unless <see cref="WriteOptions.Force"/>, a file taken over that holds objects the SDK does
    /// not render stops it, and files whose objects the render holds elsewhere are replaced.</remarks>
    public WriteResult WriteTo(string directory, WriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options with { SecretValues = [.. options.SecretValues, .. secrets] };
        var conflicts = new List<OutputConflict>();
        var replaces = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.Adopt)
        {
            AdoptionPlan plan = RepositoryAdoption.Plan(this, directory);
            conflicts.AddRange(plan.Conflicts);
            string release = Tree.Files.First(f => f.Path.EndsWith("/cilium/app/helmrelease.yaml", StringComparison.Ordinal)).Path;
            if (plan.KeptValues.Count > 0)
            {
                conflicts.Add(new OutputConflict(
                    release,
                    "holds Helm values Cilium.Sdk does not set (" + string.Join(", ", RepositoryAdoption.Flatten(plan.KeptValues).Keys) + "), so taking it over would drop them",
                    "keep them: pass RepositoryAdoption.Plan(...).KeptValues to CiliumClusterBuilder.WithHelmValues and render again (the cilium-sdk tool keeps them in cilium-values.yaml)"));
            }

            if (plan.EditedValues.Count > 0 && !options.Force)
            {
                conflicts.Add(new OutputConflict(
                    release,
                    "was edited by hand: " + string.Join("; ", plan.EditedValues.Select(v => $"{v.Path} is {v.Yours}, Cilium.Sdk sets {v.Sdk}")),
                    "set each in the configuration that renders it, or keep yours with CiliumClusterBuilder.WithHelmValues (the tool: in cilium-values.yaml), or write with WriteOptions.Force and WriteOptions.Adopt to take the SDK's values"));
            }

            foreach (var (file, objects) in plan.KeptOverrides)
            {
                conflicts.Add(new OutputConflict(
                    file,
                    "holds fields or comments Cilium.Sdk does not render (in " + string.Join(", ", ((JsonObject)objects!).Select(o => o.Key)) + "), so taking it over would drop them",
                    "keep them: pass RepositoryAdoption.Plan(...).KeptOverrides to CiliumClusterBuilder.WithManifestOverrides and render again (the cilium-sdk tool keeps them in cilium-overrides.yaml)"));
            }

            foreach (var group in options.Force ? [] : plan.EditedFields.GroupBy(f => f.File, StringComparer.Ordinal))
            {
                conflicts.Add(new OutputConflict(
                    group.Key,
                    "was edited by hand: " + string.Join("; ", group.Select(f => $"{f.Object} {f.Path} is {f.Yours}, Cilium.Sdk sets {f.Sdk}")),
                    "set each in the configuration that renders it, or keep yours with CiliumClusterBuilder.WithManifestOverrides (the tool: in cilium-overrides.yaml), or write with WriteOptions.Force and WriteOptions.Adopt to take the SDK's values"));
            }

            foreach (KeyValuePair<string, string> replace in plan.Replaces)
            {
                replaces[replace.Key] = replace.Value;
            }
        }

        // The repository's own files the tree depends on (.sops.yaml, talconfig.yaml): fitted with the SDK's entries
        // when adopting, else their errors stop the write like any conflict.
        RepositoryCheckResult checks = RepositoryChecks.Run(Tree, directory, options.Adopt);
        conflicts.AddRange(checks.Errors.Select(e => e.ToConflict()));
        options = options with { Conflicts = conflicts };
        if (options.Adopt)
        {
            foreach (KeyValuePair<string, string> replace in checks.Replaces)
            {
                replaces.TryAdd(replace.Key, replace.Value);
            }

            options = options with { Replaces = replaces };
        }

        WriteResult result = OutputWriter.Write(checks.Tree, directory, options);
        result.Warnings = checks.Warnings;
        return result;
    }

    /// <summary>Compares the tree with <paramref name="directory"/> without writing (the CI drift check), and checks the
    /// repository's files the tree depends on (<see cref="DriftReport.Problems"/>, <see cref="DriftReport.Warnings"/>).</summary>
    /// <param name="directory">The repository root.</param>
    /// <returns>The drift and the repository's problems.</returns>
    public DriftReport CheckAgainst(string directory) => CheckAgainst(directory, adopt: false);

    /// <summary>Compares as <see cref="CheckAgainst(string)"/> does, or, with <paramref name="adopt"/>, shows what a write
    /// with <see cref="WriteOptions.Adopt"/> would change (the SDK's entries added to the repository's files).</summary>
    /// <param name="directory">The repository root.</param>
    /// <param name="adopt">Compare with the tree an adopting write would write.</param>
    /// <returns>The drift and the repository's problems.</returns>
    public DriftReport CheckAgainst(string directory, bool adopt)
    {
        RepositoryCheckResult checks = RepositoryChecks.Run(Tree, directory, adopt);
        return OutputWriter.Check(checks.Tree, directory).WithFindings(checks.Findings);
    }
}
