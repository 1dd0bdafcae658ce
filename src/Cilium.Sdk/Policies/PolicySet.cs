using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Policies;

/// <summary>
/// An immutable collection of policies: <see cref="Add(Policy)"/> returns a new set. <see cref="Validate"/>
/// reports every problem of every policy plus set-level ones; <see cref="Render"/> produces the documents to write.
/// </summary>
public sealed class PolicySet
{
    private readonly Policy[] policies;

    private PolicySet(Policy[] policies) => this.policies = policies;

    /// <summary>The empty set.</summary>
    public static PolicySet Empty { get; } = new([]);

    /// <summary>The policies, in the order added.</summary>
    public IReadOnlyList<Policy> Policies => policies;

    /// <summary>A new set with <paramref name="policy"/> added.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The new set.</returns>
    public PolicySet Add(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new PolicySet([.. policies, policy]);
    }

    /// <summary>A new set with <paramref name="more"/> added.</summary>
    /// <param name="more">The policies.</param>
    /// <returns>The new set.</returns>
    public PolicySet Add(IEnumerable<Policy> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        return new PolicySet([.. policies, .. more.Select(p => p ?? throw new ArgumentException("a policy is null", nameof(more)))]);
    }

    /// <summary>
    /// Builds every policy and reports all errors and warnings: each policy's own (see <see cref="Policy.Build"/>),
    /// duplicate names (an error), and selectors that can match nothing given <paramref name="knownComponents"/>
    /// (a warning): a selector asking for labels that no known component of that namespace carries. Namespaces
    /// the catalogue knows nothing about are not judged.
    /// </summary>
    /// <param name="version">The target Cilium version.</param>
    /// <param name="mode">Audit or enforce.</param>
    /// <param name="knownComponents">The components the cluster runs; <see cref="Components.All"/> when null.</param>
    /// <returns>Every error and warning, policies in order.</returns>
    public IReadOnlyList<ValidationError> Validate(CiliumVersion version, PolicyMode mode = PolicyMode.Enforce, IEnumerable<Component>? knownComponents = null) =>
        BuildAll(version, mode, knownComponents, null);

    /// <summary>
    /// Validates, then renders one document per policy, sorted by folder then file name. The cluster builder merges
    /// <see cref="PolicyModes.HelmValues"/> for the same <paramref name="mode"/> into Cilium's Helm values.
    /// </summary>
    /// <param name="version">The target Cilium version.</param>
    /// <param name="mode">Audit or enforce.</param>
    /// <param name="knownComponents">The components the cluster runs; <see cref="Components.All"/> when null.</param>
    /// <returns>The documents.</returns>
    /// <exception cref="PolicyValidationException">Any error (warnings do not stop rendering); it lists them all.</exception>
    public IReadOnlyList<RenderedPolicy> Render(CiliumVersion version, PolicyMode mode, IEnumerable<Component>? knownComponents = null)
    {
        var results = new List<PolicyBuildResult>();
        var errors = BuildAll(version, mode, knownComponents, results.Add);
        if (errors.Any(e => e.IsError))
        {
            throw new PolicyValidationException(errors);
        }

        return InFileOrder(results.Select(r => new RenderedPolicy(r.Policy.Namespace, r.Policy.Name, r.Resource)), d => d.Folder, d => d.FileName).ToList();
    }

    /// <summary>
    /// The records of a set already validated (what the cluster renderer streams): one at a time, sorted by folder then
    /// file name, each built when asked for, so a caller that writes each one and lets it go never holds them all.
    /// </summary>
    internal IEnumerable<RenderedPolicy> Expand(CiliumVersion version, PolicyMode mode)
    {
        var sorted = InFileOrder(policies, p => RenderedPolicy.FolderOf(p.Namespace), p => RenderedPolicy.FileNameOf(p.Name)).ToList();
        var versionText = version.ToString();
        foreach (var policy in sorted)
        {
            // Validated already: the context only takes what the expansion reports, which nothing reads.
            yield return new RenderedPolicy(policy.Namespace, policy.Name, PolicyRenderer.Render(policy, mode, new ValidationContext(versionText), string.Empty));
        }
    }

    /// <summary>
    /// Validates every policy (as <see cref="Validate"/>) and writes each valid one as soon as it is checked, so only the
    /// texts outlive the loop, never thousands of records at once. What the cluster builder's <c>Build()</c> uses.
    /// </summary>
    /// <param name="version">The target Cilium version.</param>
    /// <param name="mode">Audit or enforce.</param>
    /// <param name="write">Turns a record into its file's text.</param>
    /// <returns>The written policies in <see cref="Render"/>'s order, and every problem.</returns>
    internal (IReadOnlyList<PolicyFile> Files, IReadOnlyList<ValidationError> Problems) ValidateAndWrite(CiliumVersion version, PolicyMode mode, Func<object, string> write)
    {
        var files = new List<PolicyFile>();
        var problems = BuildAll(version, mode, null, result =>
        {
            if (result.IsValid)
            {
                files.Add(new PolicyFile(RenderedPolicy.FolderOf(result.Policy.Namespace), RenderedPolicy.FileNameOf(result.Policy.Name), write(result.Resource)));
            }
        });
        return (InFileOrder(files, f => f.Folder, f => f.FileName).ToList(), problems);
    }

    // The order every rendering of a set uses: folder (the namespace, or the cluster-wide folder), then file name.
    private static IOrderedEnumerable<T> InFileOrder<T>(IEnumerable<T> items, Func<T, string> folder, Func<T, string> fileName) =>
        items.OrderBy(folder, StringComparer.Ordinal).ThenBy(fileName, StringComparer.Ordinal);

    // Builds and checks every policy, handing each result to 'built' (when given) and keeping none: validation alone
    // needs no record afterwards, and a large set's records would otherwise all live until the end.
    private List<ValidationError> BuildAll(CiliumVersion version, PolicyMode mode, IEnumerable<Component>? knownComponents, Action<PolicyBuildResult>? built)
    {
        var known = new KnownComponents(knownComponents ?? Components.All);
        var errors = new List<ValidationError>();
        // A namespaced and a cluster-wide policy may share a name: the kind is part of the identity (a null namespace).
        var seen = new HashSet<(string? Namespace, string Name)>(policies.Length);
        var versionText = version.ToString();
        foreach (var policy in policies)
        {
            var result = policy.BuildFor(versionText, mode);
            built?.Invoke(result);
            errors.AddRange(result.Errors);
            if (!seen.Add((policy.Namespace, policy.Name)))
            {
                var kind = policy.IsClusterWide ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy";
                errors.Add(new ValidationError($"policies[{policy.Key}].metadata.name", policy.Name, $"another {kind} is already named '{policy.Key}': the later one would overwrite it", "rename one of them", ValidationLayers.Cluster));
            }

            if (MayWarn(result, known))
            {
                errors.AddRange(SelectorWarnings(result, known));
            }
        }

        return errors;
    }

    // Whether any selector of the policy is in a namespace the catalogue knows (where SelectorWarnings can judge it); a
    // quick scan, so the common case (the user's own namespaces) builds nothing.
    private static bool MayWarn(PolicyBuildResult result, KnownComponents known)
    {
        var policy = result.Policy;
        if (policy.Selection is { Component: null } selection && selection.Labels.Count > 0 && known.In(policy.Namespace ?? selection.Namespace).Count > 0)
        {
            return true;
        }

        var spec = (result.Resource as Resources.V2.CiliumNetworkPolicy)?.Spec ?? (result.Resource as Resources.V2.CiliumClusterwideNetworkPolicy)?.Spec;
        bool Known(IList<k8s.Models.V1LabelSelector>? selectors)
        {
            for (var i = 0; i < (selectors?.Count ?? 0); i++)
            {
                var labels = selectors![i]?.MatchLabels;
                if (labels is not null && known.In(labels.TryGetValue(Labels.NamespaceKey, out var own) ? own : policy.Namespace).Count > 0)
                {
                    return true;
                }
            }

            return false;
        }

        bool Any<T>(IList<T>? rules, Func<T, IList<k8s.Models.V1LabelSelector>?> selectors)
        {
            for (var i = 0; i < (rules?.Count ?? 0); i++)
            {
                if (rules![i] is { } rule && Known(selectors(rule)))
                {
                    return true;
                }
            }

            return false;
        }

        return Any(spec?.Ingress, static r => r.FromEndpoints) || Any(spec?.IngressDeny, static r => r.FromEndpoints)
            || Any(spec?.Egress, static r => r.ToEndpoints) || Any(spec?.EgressDeny, static r => r.ToEndpoints);
    }

    private static IEnumerable<ValidationError> SelectorWarnings(PolicyBuildResult result, KnownComponents known)
    {
        var policy = result.Policy;
        var prefix = $"policies[{policy.Key}].spec";
        if (policy.Selection is { Component: null } selection && selection.Labels.Count > 0)
        {
            var ns = policy.Namespace ?? selection.Namespace;
            if (Unmatched(selection.Labels, ns, known) is { } message)
            {
                yield return Warning(prefix + ".endpointSelector", selection.ToString(), message);
            }
        }

        // Peers are judged on the rendered record, so the paths point at the exact selector written.
        var spec = (result.Resource as Resources.V2.CiliumNetworkPolicy)?.Spec ?? (result.Resource as Resources.V2.CiliumClusterwideNetworkPolicy)?.Spec;
        var sections = new (string Path, IEnumerable<IList<k8s.Models.V1LabelSelector>?> Selectors)[]
        {
            ("ingress", spec?.Ingress?.Select(r => r.FromEndpoints) ?? []),
            ("ingressDeny", spec?.IngressDeny?.Select(r => r.FromEndpoints) ?? []),
            ("egress", spec?.Egress?.Select(r => r.ToEndpoints) ?? []),
            ("egressDeny", spec?.EgressDeny?.Select(r => r.ToEndpoints) ?? []),
        };
        foreach (var (section, rules) in sections)
        {
            var field = section.StartsWith("ingress", StringComparison.Ordinal) ? "fromEndpoints" : "toEndpoints";
            var i = 0;
            foreach (var selectors in rules)
            {
                for (var j = 0; j < (selectors?.Count ?? 0); j++)
                {
                    var matchLabels = selectors![j].MatchLabels;
                    var selectorNamespace = matchLabels is not null && matchLabels.TryGetValue(Labels.NamespaceKey, out var own) ? own : policy.Namespace;
                    if (matchLabels is null || known.In(selectorNamespace).Count == 0)
                    {
                        continue; // nothing known there to judge against (the common case for the user's own namespaces)
                    }

                    var labels = new SortedDictionary<string, string>(matchLabels, StringComparer.Ordinal);
                    var ns = labels.Remove(Labels.NamespaceKey, out var explicitNamespace) ? explicitNamespace : policy.Namespace;
                    if (labels.Count > 0 && Unmatched(labels, ns, known) is { } message)
                    {
                        yield return Warning($"{prefix}.{section}[{i}].{field}[{j}]", $"{ns ?? "*"}/{{{Labels.Format(labels)}}}", message);
                    }
                }

                i++;
            }
        }
    }

    private static string? Unmatched(IReadOnlyDictionary<string, string> labels, string? ns, KnownComponents known)
    {
        var candidates = known.In(ns);
        if (candidates.Count == 0 || candidates.Any(c => c.Carries(labels)))
        {
            return null;
        }

        return $"no known component{(ns is null ? string.Empty : " in namespace '" + ns + "'")} carries these labels, so the selector can match nothing (known there: {string.Join("; ", candidates.Select(c => c.Name + " {" + Labels.Format(c.Labels) + "}"))})";
    }

    /// <summary>The known components, indexed by namespace once per validation (checked for every selector).</summary>
    private sealed class KnownComponents(IEnumerable<Component> components)
    {
        private readonly List<Component> all = components.ToList();
        private readonly Dictionary<string, List<Component>> byNamespace = components
            .GroupBy(c => c.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        /// <summary>The components in <paramref name="ns"/>, or all of them when it is null.</summary>
        public IReadOnlyList<Component> In(string? ns) =>
            ns is null ? all : byNamespace.TryGetValue(ns, out var list) ? list : [];
    }

    private static ValidationError Warning(string path, string value, string message) =>
        new(path, value, message, "select by a catalogue component (Peer.Component / Selecting(component)), or add your component to the known components", ValidationLayers.Cluster, ValidationSeverity.Warning);
}

/// <summary>One rendered policy document and where the builder writes it.</summary>
public sealed record RenderedPolicy
{
    internal RenderedPolicy(string? @namespace, string name, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> resource)
    {
        Namespace = @namespace;
        Name = name;
        Resource = resource;
        FileName = FileNameOf(name);
    }

    /// <summary>The folder cluster-wide policies go to; no namespace can have this name (namespaces cannot hold '_').</summary>
    public const string ClusterWideFolder = "_cluster";

    /// <summary>The namespace, or null for a cluster-wide policy.</summary>
    public string? Namespace { get; }

    /// <summary>The policy name.</summary>
    public string Name { get; }

    /// <summary>The typed <c>CiliumNetworkPolicy</c> or <c>CiliumClusterwideNetworkPolicy</c>.</summary>
    public k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> Resource { get; }

    /// <summary>The folder: the namespace, or <see cref="ClusterWideFolder"/>.</summary>
    public string Folder => FolderOf(Namespace);

    /// <summary>The file name: the policy name with ".yaml" (stable: names are unique per folder).</summary>
    public string FileName { get; }

    internal static string FolderOf(string? @namespace) => @namespace ?? ClusterWideFolder;

    internal static string FileNameOf(string name) => name + ".yaml";

    /// <summary>"folder/file", with '/' on every platform.</summary>
    public string RelativePath => Folder + "/" + FileName;

    /// <summary>The document as YAML (apiVersion, kind, metadata first; one trailing line feed).</summary>
    /// <returns>The YAML text.</returns>
    public string ToYaml() => Manifests.Write(Resource);
}

/// <summary>One policy's file, written: its folder (<see cref="RenderedPolicy.Folder"/>), file name and text.</summary>
internal sealed record PolicyFile(string Folder, string FileName, string Text);

/// <summary>Thrown by <see cref="PolicySet.Render"/> when a policy has errors; lists every one.</summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">All errors and warnings.</param>
    public PolicyValidationException(IReadOnlyList<ValidationError> errors)
        : base(Describe(errors)) => Errors = errors;

    /// <summary>Every error and warning.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    private static string Describe(IReadOnlyList<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var real = errors.Where(e => e.IsError).ToList();
        return $"{real.Count} network policy error(s):\n" + string.Join("\n", real.Select(e => "  " + e));
    }
}
