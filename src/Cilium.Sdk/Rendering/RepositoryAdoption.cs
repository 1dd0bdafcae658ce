using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Output;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Rendering;

/// <summary>
/// What taking over a repository's existing Cilium files would do, computed before anything is written
/// (<see cref="Plan"/>), so nothing is lost: Helm values in the repository's HelmRelease that the SDK does not set are
/// <see cref="AdoptionPlan.KeptValues">kept</see> (to be passed back with <c>WithHelmValues</c>; the CLI keeps them in
/// <c>cilium-values.yaml</c>), values the SDK sets differently are <see cref="AdoptionPlan.EditedValues">named</see> and
/// refused unless forced, the template's known defects are <see cref="AdoptionPlan.ReplacedValues">replaced by name</see>,
/// and repository files whose objects the SDK renders under another name are <see cref="AdoptionPlan.Replaces">replaced</see>.
/// </summary>
public static class RepositoryAdoption
{
    private const string ReleaseSuffix = "/cilium/app/helmrelease.yaml";

    // Values the cluster template writes that the SDK deliberately does not (../shared FINDINGS.md): replaced, not kept.
    private static readonly (string Prefix, string Why)[] TemplateDefects =
    [
        ("cgroup.automount", "a typo the chart ignores; Cilium.Sdk writes cgroup.autoMount.enabled"),
        ("localRedirectPolicy", "deprecated in Cilium 1.19; Cilium.Sdk writes localRedirectPolicies.enabled"),
        ("dashboards", "the template turns Grafana dashboards on without a monitoring stack; Cilium.Sdk does with monitoring on"),
        ("operator.dashboards", "the template turns Grafana dashboards on without a monitoring stack; Cilium.Sdk does with monitoring on"),
        ("prometheus.serviceMonitor", "the template turns ServiceMonitors on without a monitoring stack; Cilium.Sdk does with monitoring on"),
        ("operator.prometheus.serviceMonitor", "the template turns ServiceMonitors on without a monitoring stack; Cilium.Sdk does with monitoring on"),
    ];

    /// <summary>Compares <paramref name="rendered"/> with the repository at <paramref name="directory"/>. Reads only.</summary>
    /// <param name="rendered">The render to adopt the repository with.</param>
    /// <param name="directory">The repository root.</param>
    /// <returns>The plan; <see cref="AdoptionPlan.IsEmpty"/> when there is nothing to take over.</returns>
    public static AdoptionPlan Plan(RenderedCluster rendered, string directory)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(directory);
        string root = Path.GetFullPath(directory);
        var owned = OwnedFiles(root);
        var plan = new AdoptionPlan();

        if (rendered.Tree.Files.FirstOrDefault(f => f.Path.EndsWith(ReleaseSuffix, StringComparison.Ordinal)) is { } release
            && !owned.Contains(release.Path) && ReadText(root, release.Path) is { } existing)
        {
            CompareValues(release.Path, existing, rendered.HelmValues, plan);
        }

        var objects = ObjectsOf(rendered.Tree);
        foreach (OutputFile file in rendered.Tree.Files)
        {
            if (file.Kind == OutputFileKind.Owned && !file.IsSecret && !owned.Contains(file.Path) && !file.Path.EndsWith(ReleaseSuffix, StringComparison.Ordinal)
                && ReadText(root, file.Path) is { } text && text != file.Content)
            {
                // A file taken over must not hold objects the SDK would drop with it. An object the tree renders anywhere
                // is kept; one whose kind the SDK's file holds under another name is that object renamed (the diff shows it).
                var ours = Identities(file.Content).ToList();
                var theirs = Identities(text).ToList();
                var renamedKinds = ours.Where(o => !theirs.Any(t => t.Matches(o))).Select(o => o.Kind).ToHashSet(StringComparer.Ordinal);
                foreach (var identity in theirs.Where(i => !objects.Any(o => o.Id.Matches(i)) && !renamedKinds.Contains(i.Kind)))
                {
                    plan.Conflicts.Add(new OutputConflict(
                        file.Path,
                        $"holds {identity} that Cilium.Sdk does not render, so taking the file over would drop it",
                        "move that object into its own file listed by the folder's kustomization.yaml, then adopt again"));
                }
            }

            if (file.Kind == OutputFileKind.Merged && Path.GetFileName(file.Path) == "kustomization.yaml" && ReadText(root, file.Path) is { } kustomization)
            {
                FindReplaced(root, file.Path, kustomization, rendered.Tree, owned, objects, plan);
            }
        }

        return plan;
    }

    private static void CompareValues(string path, string existing, JsonObject ours, AdoptionPlan plan)
    {
        JsonObject? theirs;
        try
        {
            theirs = Manifests.ParseYaml(existing).OfType<JsonObject>()
                .FirstOrDefault(d => (string?)d["kind"] == "HelmRelease")?["spec"]?["values"] as JsonObject;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            plan.Conflicts.Add(new OutputConflict(path, "cannot be read as YAML, so its Helm values cannot be kept", "correct the file, then adopt again"));
            return;
        }

        if (theirs is null)
        {
            return;
        }

        var mine = Flatten(ours);
        foreach (var (key, value) in Flatten(theirs))
        {
            if (mine.TryGetValue(key, out string? sdk))
            {
                if (sdk != value)
                {
                    plan.EditedValues.Add(new AdoptedValue(key, value, sdk));
                }
            }
            else if (mine.Keys.Any(k => k.StartsWith(key + ".", StringComparison.Ordinal)) || mine.Keys.Any(k => key.StartsWith(k + ".", StringComparison.Ordinal)))
            {
                plan.EditedValues.Add(new AdoptedValue(key, value, mine.GetValueOrDefault(key) ?? "(an object)"));
            }
            else if (TemplateDefects.FirstOrDefault(d => key == d.Prefix || key.StartsWith(d.Prefix + ".", StringComparison.Ordinal)) is { Why: not null } defect)
            {
                plan.ReplacedValues.Add(new AdoptedValue(key, value, defect.Why));
            }
            else
            {
                Set(plan.KeptValues, key, Find(theirs, key)!.DeepClone());
            }
        }

        var theirKeys = Flatten(theirs);
        plan.AddedValues.AddRange(mine.Where(m => !theirKeys.ContainsKey(m.Key)).Select(m => new AdoptedValue(m.Key, null, m.Value)));
    }

    private static void FindReplaced(string root, string kustomizationPath, string text, OutputTree tree, HashSet<string> owned, List<(string Path, Identity Id)> objects, AdoptionPlan plan)
    {
        IReadOnlyList<YamlListEntry> entries;
        try
        {
            entries = YamlListEditor.Entries(text, ["resources"]);
        }
        catch (YamlListEditException)
        {
            return; // the writer reports the file with its line
        }

        foreach (YamlListEntry entry in entries.Where(e => !e.IsMapping))
        {
            if (MergedFiles.Resolve(kustomizationPath, entry.Identity) is not { } target || tree[target] is not null || owned.Contains(target)
                || ReadText(root, target) is not { } content)
            {
                continue;
            }

            var ids = Identities(content).ToList();
            var matched = ids.Select(id => (Id: id, By: objects.FirstOrDefault(o => o.Id.Matches(id)).Path)).ToList();
            if (ids.Count > 0 && matched.All(m => m.By is not null))
            {
                plan.Replaces[target] = matched[0].By!;
            }
            else if (matched.Any(m => m.By is not null))
            {
                var both = matched.First(m => m.By is not null);
                plan.Conflicts.Add(new OutputConflict(
                    target,
                    $"holds {both.Id}, which Cilium.Sdk renders in {both.By}, beside objects it does not render (both would be applied)",
                    $"move the other objects into their own file listed by {kustomizationPath}, then adopt again"));
            }
        }
    }

    // Every object of the tree (kind, name, namespace) and its file; secrets included (their text is plain in the tree).
    private static List<(string Path, Identity Id)> ObjectsOf(OutputTree tree) =>
        tree.Files.Where(f => f.Kind == OutputFileKind.Owned).SelectMany(f => Identities(f.Content).Select(id => (f.Path, id))).ToList();

    private static IEnumerable<Identity> Identities(string text)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = Manifests.ParseYaml(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            yield break;
        }

        foreach (JsonObject document in documents.OfType<JsonObject>())
        {
            if (document["kind"] is JsonValue kind && document["metadata"]?["name"] is JsonValue name && kind.TryGetValue(out string? k) && name.TryGetValue(out string? n))
            {
                yield return new Identity(k, n, document["metadata"]?["namespace"] is JsonValue ns && ns.TryGetValue(out string? s) ? s : null);
            }
        }
    }

    private static HashSet<string> OwnedFiles(string root)
    {
        var state = new OutputState(root);
        try
        {
            return [.. state.ReadManifest(root).Files.Keys];
        }
        catch (OutputException)
        {
            return new HashSet<string>(StringComparer.Ordinal); // the writer reports the manifest itself
        }
    }

    private static string? ReadText(string root, string path)
    {
        string full = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
        try
        {
            return File.Exists(full) ? File.ReadAllText(full, Encoding.UTF8) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the writer reports an unreadable file
        }
    }

    internal static SortedDictionary<string, string> Flatten(JsonObject values)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject obj && obj.Count > 0)
            {
                foreach (var (key, child) in obj)
                {
                    Walk(child, path.Length == 0 ? key : path + "." + key);
                }
            }
            else
            {
                result[path] = node is JsonArray or JsonObject
                    ? Helm.HelmValues.Sorted(new JsonObject { ["v"] = node.DeepClone() })["v"]!.ToJsonString()
                    : node?.ToJsonString() ?? "null";
            }
        }

        foreach (var (key, child) in values)
        {
            Walk(child, key);
        }

        return result;
    }

    private static JsonNode? Find(JsonObject values, string path)
    {
        JsonNode? node = values;
        foreach (string key in path.Split('.'))
        {
            node = node?[key];
        }

        return node;
    }

    private static void Set(JsonObject values, string path, JsonNode value)
    {
        string[] keys = path.Split('.');
        JsonObject current = values;
        foreach (string key in keys[..^1])
        {
            if (current[key] is not JsonObject next)
            {
                next = new JsonObject();
                current[key] = next;
            }

            current = next;
        }

        current[keys[^1]] = value;
    }

    private sealed record Identity(string Kind, string Name, string? Namespace)
    {
        public bool Matches(Identity other) =>
            Kind == other.Kind && Name == other.Name && (Namespace is null || other.Namespace is null || Namespace == other.Namespace);

        public override string ToString() => $"{Kind} {Name}";
    }
}

/// <summary>One Helm value an adoption names: its path, the repository's value and what the SDK does with it.</summary>
/// <param name="Path">The value's path, keys joined with '.', e.g. <c>loadBalancer.algorithm</c>.</param>
/// <param name="Yours">The value in the repository's HelmRelease (JSON), or null when it had none.</param>
/// <param name="Sdk">The SDK's value (JSON), or for a replaced value why the SDK does not write it.</param>
public sealed record AdoptedValue(string Path, string? Yours, string Sdk)
{
    /// <inheritdoc />
    public override string ToString() => Yours is null ? $"{Path}: {Sdk}" : $"{Path}: {Yours} -> {Sdk}";
}

/// <summary>What <see cref="RepositoryAdoption.Plan"/> found. Lists are in path order.</summary>
public sealed class AdoptionPlan
{
    internal AdoptionPlan()
    {
    }

    /// <summary>Values of the repository's HelmRelease that the SDK does not set: keep them by passing them to
    /// <c>CiliumClusterBuilder.WithHelmValues</c> (the CLI writes them to <c>cilium-values.yaml</c> and reads it back).</summary>
    public JsonObject KeptValues { get; } = new();

    /// <summary>Values the SDK sets differently from the repository's HelmRelease (hand edits): refused unless forced.</summary>
    public List<AdoptedValue> EditedValues { get; } = [];

    /// <summary>Values the cluster template writes that the SDK deliberately replaces (its known defects), with why.</summary>
    public List<AdoptedValue> ReplacedValues { get; } = [];

    /// <summary>Values the SDK sets that the repository's HelmRelease does not have.</summary>
    public List<AdoptedValue> AddedValues { get; } = [];

    /// <summary>Repository files whose every object the tree renders under another path: file to its replacement (pass to
    /// <see cref="WriteOptions.Replaces"/>).</summary>
    public SortedDictionary<string, string> Replaces { get; } = new(StringComparer.Ordinal);

    /// <summary>What stops the adoption: objects a take-over would drop.</summary>
    public List<OutputConflict> Conflicts { get; } = [];

    /// <summary>True when the adoption keeps, names or replaces nothing.</summary>
    public bool IsEmpty => KeptValues.Count == 0 && EditedValues.Count == 0 && ReplacedValues.Count == 0 && AddedValues.Count == 0 && Replaces.Count == 0 && Conflicts.Count == 0;

    /// <summary>The plan as text, one line per value or file, for a person reviewing an adoption.</summary>
    /// <returns>The text; empty when <see cref="IsEmpty"/>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, _) in RepositoryAdoption.Flatten(KeptValues))
        {
            text.Append("kept Helm value (not set by Cilium.Sdk): ").Append(key).Append('\n');
        }

        foreach (AdoptedValue value in EditedValues)
        {
            text.Append("edited Helm value: ").Append(value.Path).Append(" is ").Append(value.Yours).Append(" in your HelmRelease, Cilium.Sdk sets ").Append(value.Sdk).Append('\n');
        }

        foreach (AdoptedValue value in ReplacedValues)
        {
            text.Append("replaced Helm value: ").Append(value.Path).Append(" (").Append(value.Sdk).Append(")\n");
        }

        foreach (AdoptedValue value in AddedValues)
        {
            text.Append("added Helm value: ").Append(value.Path).Append(": ").Append(value.Sdk).Append('\n');
        }

        foreach (var (file, by) in Replaces)
        {
            text.Append("replaced file: ").Append(file).Append(" (its objects are rendered in ").Append(by).Append(")\n");
        }

        return text.ToString();
    }
}
