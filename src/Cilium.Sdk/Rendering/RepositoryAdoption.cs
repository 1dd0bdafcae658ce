using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Helm;
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
            if (file.Kind == OutputFileKind.Owned && !file.IsSecret && !owned.Contains(file.Path)
                && ReadText(root, file.Path) is { } taken && taken != file.Content)
            {
                // Field by field and comment by comment: what the SDK changes is named with why, what it does not set is kept.
                CompareObjects(file.Path, taken, file.Content, plan);
            }

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

            if (file.Kind == OutputFileKind.Merged && KustomizationGraph.IsKustomization(file.Path) && ReadText(root, file.Path) is { } kustomization)
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
        var theirLeaves = LeavesOf(theirs);
        foreach (var (key, (keys, value)) in theirLeaves)
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
                SetAt(plan.KeptValues, keys, FindAt(theirs, keys)!.DeepClone());
            }
        }

        plan.AddedValues.AddRange(mine.Where(m => !theirLeaves.ContainsKey(m.Key)).Select(m => new AdoptedValue(m.Key, null, m.Value, WhyAddedValue(m.Key))));
    }

    // Why the SDK writes a Helm value the template's HelmRelease lacks.
    private static string WhyAddedValue(string key) => key switch
    {
        "cgroup.autoMount.enabled" => "replaces the template's cgroup.automount.enabled, a typo the chart ignores",
        "localRedirectPolicies.enabled" => "replaces the template's localRedirectPolicy, deprecated in Cilium 1.19",
        "policyAuditMode" => "network_policies_mode is audit: policies are reported, not enforced",
        _ => "rendered from cluster.yaml",
    };

    // Why the SDK's value of a field differs from the template's, for the differences the template makes itself (its
    // known defects); any other difference is a hand edit.
    private static string? WhyChanged(string kind, string key, string theirs, string ours) => (kind, key) switch
    {
        ("OCIRepository", "spec.url") when theirs.Contains("cilium-charts-dev", StringComparison.Ordinal) =>
            "the template pins Cilium's development chart repository; Cilium.Sdk installs the released chart from Cilium's own repository",
        ("OCIRepository", "spec.ref.tag") when theirs.Contains("-dev", StringComparison.Ordinal) || theirs.Contains("-pre", StringComparison.Ordinal) =>
            $"the template pins a development pre-release of the chart; Cilium.Sdk installs the release of the Cilium version it renders for ({ours.Trim('"')})",
        ("CiliumL2AnnouncementPolicy", "apiVersion") when theirs == "\"cilium.io/v2\"" =>
            "Cilium's CRD serves CiliumL2AnnouncementPolicy only as cilium.io/v2alpha1 (1.18 to 1.20), so the API server refuses the template's cilium.io/v2",
        ("CiliumLoadBalancerIPPool", "spec.blocks") when theirs.StartsWith("[{\"cidr\":", StringComparison.Ordinal) && theirs.Count(c => c == '{') == 1 =>
            "the template hands out the whole CIDR; Cilium.Sdk leaves out the addresses cluster.yaml and nodes.yaml give the nodes, the API and the gateways, so no Service takes one of them",
        _ => null,
    };

    private const string PresetWhy = "Cilium.Sdk's policy preset for the component replaces the template's rules (docs/policies.md)";

    // Why the SDK writes a field the template's object lacks.
    private static string WhyAdded(string kind, string key, string ours) => (kind, key) switch
    {
        ("Kustomization", "spec.decryption.provider") => "the app folder holds a sops-encrypted Secret (the BGP password), which Flux must decrypt",
        ("CiliumBGPPeerConfig", "spec.timers.connectRetryTimeSeconds") => $"Cilium.Sdk redials a lost router after {ours} s instead of Cilium's default 120 s",
        _ => "rendered from cluster.yaml",
    };

    private static void CompareObjects(string path, string theirsText, string oursText, AdoptionPlan plan)
    {
        var ours = Documents(oursText);
        var theirDocuments = Documents(theirsText);
        static string KindOf(string id) => id[..id.IndexOf('/', StringComparison.Ordinal)];
        foreach (var theirs in theirDocuments)
        {
            string kind = KindOf(theirs.Id);
            if (ours.FirstOrDefault(o => o.Id == theirs.Id) is not { Node: not null } our)
            {
                // The one object of its kind the SDK names differently is this one renamed (its name shows as a change);
                // otherwise the SDK renders it in another file, or the file-level checks refuse the take-over.
                var unmatchedOurs = ours.Where(o => KindOf(o.Id) == kind && !theirDocuments.Any(t => t.Id == o.Id)).ToList();
                if (unmatchedOurs.Count != 1 || theirDocuments.Count(t => KindOf(t.Id) == kind && !ours.Any(o => o.Id == t.Id)) != 1)
                {
                    continue;
                }

                our = unmatchedOurs[0];
            }

            string shown = theirs.Id.Replace('/', ' ');
            // A policy is the SDK's preset for its component, replacing the template's rules as a whole: every difference
            // is named, none kept (a kept rule or enableDefaultDeny would change what the preset allows).
            bool preset = kind is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy"
                || path.Contains("/network-policies/", StringComparison.Ordinal) || path.Contains("/cluster-policies/", StringComparison.Ordinal);
            var theirFields = Leaves(theirs.Node, kind);
            var ourFields = Leaves(our.Node, kind);
            var kept = new JsonObject();
            foreach (var (key, (keys, value)) in theirFields)
            {
                string? sdk = ourFields.TryGetValue(key, out var mine) ? mine.Json
                    : ourFields.Keys.Any(k => k.StartsWith(key + ".", StringComparison.Ordinal)) ? "(an object)"
                    : ourFields.FirstOrDefault(k => key.StartsWith(k.Key + ".", StringComparison.Ordinal)) is { Key: not null } parent ? parent.Value.Json
                    : null;
                if (sdk is null && preset)
                {
                    plan.ChangedFields.Add(new AdoptedField(path, shown, key, value, "(not rendered)", PresetWhy));
                }
                else if (sdk is null)
                {
                    SetAt(kept, keys, FindAt(theirs.Node, keys)!.DeepClone());
                }
                else if (sdk != value)
                {
                    var field = new AdoptedField(path, shown, key, value, sdk, preset ? PresetWhy : WhyChanged(kind, key, value, sdk) ?? "edited by hand");
                    (field.Why == "edited by hand" ? plan.EditedFields : plan.ChangedFields).Add(field);
                }
            }

            plan.AddedFields.AddRange(ourFields.Where(f => !theirFields.ContainsKey(f.Key) && !theirFields.Keys.Any(k => f.Key.StartsWith(k + ".", StringComparison.Ordinal)))
                .Select(f => new AdoptedField(path, shown, f.Key, null, f.Value.Json, preset ? PresetWhy : WhyAdded(kind, f.Key, f.Value.Json))));

            // Comments stay wherever their key is still rendered (kept fields and kept Helm values included).
            var withKept = HelmValues.Merge(our.Node, kept);
            var paths = JsonPaths(withKept);
            if (kind == "HelmRelease")
            {
                paths.UnionWith(JsonPaths(plan.KeptValues).Select(p => "spec.values." + p));
            }

            // A comment the render already carries (kept by an earlier adoption, perhaps moved) is not kept twice.
            var present = YamlComments.Extract(our.Text).Select(c => c.Text).ToHashSet(StringComparer.Ordinal);
            var above = new JsonObject();
            var beside = new JsonObject();
            var theirKeys = YamlComments.Keys(theirs.Text);
            foreach (var comment in YamlComments.Extract(theirs.Text, theirs.Line))
            {
                if (present.Contains(comment.Text))
                {
                    continue;
                }

                string at = comment.Path;
                string moved = string.Empty;
                if (at != YamlComments.End && !paths.Contains(at))
                {
                    // Its key is gone: the comment goes above the next key after it that is still rendered, at its level or
                    // the level that holds it, so it stays near where it was; only a comment with no such key is dropped.
                    string values = kind == "HelmRelease" && at.StartsWith("spec.values.", StringComparison.Ordinal) ? at["spec.values.".Length..] : string.Empty;
                    string gone = plan.ReplacedValues.FirstOrDefault(v => values.Length > 0 && (v.Path == values || v.Path.StartsWith(values + ".", StringComparison.Ordinal))) is { } replaced
                        ? $"its key {at} is not rendered: {replaced.Sdk}"
                        : $"its key {at} is not in the file Cilium.Sdk renders";
                    int line = theirKeys.FindIndex(k => k.Path == at);
                    string? next = null;
                    for (string level = YamlComments.Parent(at); next is null; level = YamlComments.Parent(level))
                    {
                        next = theirKeys.Skip(line + 1).Where(k => YamlComments.Parent(k.Path) == level && paths.Contains(k.Path)).Select(k => k.Path).FirstOrDefault();
                        if (level.Length == 0)
                        {
                            break;
                        }
                    }

                    if (line < 0 || next is null)
                    {
                        plan.DroppedComments.Add(new AdoptedComment(path, comment.Line, comment.Path, comment.Text, gone));
                        continue;
                    }

                    at = next;
                    moved = $", moved: {gone}";
                }

                bool besideKey = comment.Beside && moved.Length == 0;
                var side = besideKey ? beside : above;
                side[at] = side[at] is JsonValue before ? (string)before! + (besideKey ? " " : "\n") + comment.Text : comment.Text;
                plan.KeptComments.Add(new AdoptedComment(path, comment.Line, at, comment.Text, (besideKey ? "beside " : "above ") + (at == YamlComments.End ? "the end" : at) + moved));
            }

            var entry = new JsonObject();
            if (kept.Count > 0)
            {
                entry["fields"] = kept;
            }

            if (above.Count > 0 || beside.Count > 0)
            {
                var comments = new JsonObject();
                if (above.Count > 0)
                {
                    comments["above"] = above;
                }

                if (beside.Count > 0)
                {
                    comments["beside"] = beside;
                }

                entry["comments"] = comments;
            }

            if (entry.Count > 0)
            {
                if (plan.KeptOverrides[path] is not JsonObject file)
                {
                    plan.KeptOverrides[path] = file = new JsonObject();
                }

                file[our.Id] = entry;
            }
        }
    }

    // The documents of a file with their identity (Kind/name), JSON and text, and the line each starts on.
    private static List<(string Id, JsonObject Node, string Text, int Line)> Documents(string text)
    {
        var documents = new List<(string, JsonObject, string, int)>();
        int line = 1;
        foreach (string chunk in ManifestOverrides.SplitDocuments(text))
        {
            try
            {
                if (Manifests.ParseYaml(chunk) is [JsonObject node] && ManifestOverrides.Identity(node) is { } id)
                {
                    documents.Add((id, node, chunk, line));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // an unreadable document: the file-level checks report the file
            }

            line += chunk.Count(c => c == '\n');
        }

        return documents;
    }

    // Every leaf of a manifest (lists whole), by path; a HelmRelease's values are compared as Helm values instead.
    private static SortedDictionary<string, (string[] Keys, string Json)> Leaves(JsonObject manifest, string kind) =>
        LeavesOf(manifest, (keys, key) => keys.Count == 0 && key == "status" || kind == "HelmRelease" && keys is ["spec"] && key == "values");

    // Every leaf of a JSON object (lists and empty objects whole, in a canonical key order) by its dotted path, with the
    // keys themselves: a key may hold a dot (podAnnotations."prometheus.io/scrape"), so paths are never split again.
    private static SortedDictionary<string, (string[] Keys, string Json)> LeavesOf(JsonObject root, Func<List<string>, string, bool>? skip = null)
    {
        var result = new SortedDictionary<string, (string[], string)>(StringComparer.Ordinal);
        void Walk(JsonNode? node, List<string> keys)
        {
            if (node is JsonObject obj && obj.Count > 0)
            {
                foreach (var (key, child) in obj)
                {
                    if (skip?.Invoke(keys, key) == true)
                    {
                        continue;
                    }

                    keys.Add(key);
                    Walk(child, keys);
                    keys.RemoveAt(keys.Count - 1);
                }
            }
            else
            {
                result[string.Join('.', keys)] = ([.. keys], node is JsonArray or JsonObject
                    ? HelmValues.Sorted(new JsonObject { ["v"] = node.DeepClone() })["v"]!.ToJsonString()
                    : node?.ToJsonString() ?? "null");
            }
        }

        Walk(root, []);
        return result;
    }

    // Every key and list item path of a JSON value, as YamlComments names them.
    private static HashSet<string> JsonPaths(JsonNode? root)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, child) in obj)
                {
                    string at = path.Length == 0 ? key : path + "." + key;
                    paths.Add(at);
                    Walk(child, at);
                }
            }
            else if (node is JsonArray array)
            {
                for (int i = 0; i < array.Count; i++)
                {
                    string at = path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
                    paths.Add(at);
                    Walk(array[i], at);
                }
            }
        }

        Walk(root, string.Empty);
        return paths;
    }

    private static JsonNode? FindAt(JsonObject root, string[] keys)
    {
        JsonNode? node = root;
        foreach (string key in keys)
        {
            node = node?[key];
        }

        return node;
    }

    private static void SetAt(JsonObject root, string[] keys, JsonNode value)
    {
        JsonObject current = root;
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

    internal static SortedDictionary<string, string> Flatten(JsonObject values) =>
        new(LeavesOf(values).ToDictionary(p => p.Key, p => p.Value.Json, StringComparer.Ordinal), StringComparer.Ordinal);

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
/// <param name="Why">Why the SDK adds or changes the value, when it does.</param>
public sealed record AdoptedValue(string Path, string? Yours, string Sdk, string? Why = null)
{
    /// <inheritdoc />
    public override string ToString() => (Yours is null ? $"{Path}: {Sdk}" : $"{Path}: {Yours} -> {Sdk}") + (Why is null ? string.Empty : $" ({Why})");
}

/// <summary>One field of a taken-over file that an adoption names (outside a HelmRelease's values).</summary>
/// <param name="File">The file, relative to the repository root.</param>
/// <param name="Object">The object: kind and name, e.g. <c>Kustomization cilium</c>.</param>
/// <param name="Path">The field's path, keys joined with '.', e.g. <c>spec.postBuild.substituteFrom</c>.</param>
/// <param name="Yours">The repository's value (JSON), or null when it had none.</param>
/// <param name="Sdk">The SDK's value (JSON), or null when the SDK does not set the field.</param>
/// <param name="Why">Why the SDK's value differs (for a hand edit: "edited by hand").</param>
public sealed record AdoptedField(string File, string Object, string Path, string? Yours, string? Sdk, string Why)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}: {Object} {Path}: " + (Yours is null ? Sdk : Sdk is null ? Yours : $"{Yours} -> {Sdk}") + $" ({Why})";
}

/// <summary>One comment of a taken-over file: kept (written again above or beside its key) or dropped (with why).</summary>
/// <param name="File">The file, relative to the repository root.</param>
/// <param name="Line">The comment's first line in the repository's file.</param>
/// <param name="Key">The path of the key it belongs to (<c>(end)</c> after the last key).</param>
/// <param name="Text">The comment, its lines joined with line feeds.</param>
/// <param name="Why">For a kept comment where it goes (<c>above spec.interval</c>, and why it moved when its own key is
/// gone); for a dropped one why.</param>
public sealed record AdoptedComment(string File, int Line, string Key, string Text, string Why)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {Text.Replace("\n", " ", StringComparison.Ordinal)} ({Why})";
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

    /// <summary>What the repository's taken-over files hold that the render lacks and that is kept: fields the SDK does
    /// not set and comments whose key it renders, by file and object (pass to
    /// <c>CiliumClusterBuilder.WithManifestOverrides</c>; the CLI keeps them in <c>cilium-overrides.yaml</c>).</summary>
    public JsonObject KeptOverrides { get; } = new();

    /// <summary>Fields of taken-over files (outside Helm values) the SDK sets differently, not a known template
    /// difference: hand edits, refused unless forced.</summary>
    public List<AdoptedField> EditedFields { get; } = [];

    /// <summary>Fields the SDK sets differently from the template, with why (the template's known differences).</summary>
    public List<AdoptedField> ChangedFields { get; } = [];

    /// <summary>Fields the SDK sets that the repository's objects lack, with why.</summary>
    public List<AdoptedField> AddedFields { get; } = [];

    /// <summary>Comments of taken-over files written again where their key is still rendered (through
    /// <see cref="KeptOverrides"/>).</summary>
    public List<AdoptedComment> KeptComments { get; } = [];

    /// <summary>Comments whose key the SDK does not render, so they do not survive the take-over; each with why.</summary>
    public List<AdoptedComment> DroppedComments { get; } = [];

    /// <summary>Repository files whose every object the tree renders under another path: file to its replacement (pass to
    /// <see cref="WriteOptions.Replaces"/>).</summary>
    public SortedDictionary<string, string> Replaces { get; } = new(StringComparer.Ordinal);

    /// <summary>What stops the adoption: objects a take-over would drop.</summary>
    public List<OutputConflict> Conflicts { get; } = [];

    /// <summary>True when the adoption keeps, names or replaces nothing.</summary>
    public bool IsEmpty => KeptValues.Count == 0 && EditedValues.Count == 0 && ReplacedValues.Count == 0 && AddedValues.Count == 0 && Replaces.Count == 0 && Conflicts.Count == 0
        && KeptOverrides.Count == 0 && EditedFields.Count == 0 && ChangedFields.Count == 0 && AddedFields.Count == 0 && KeptComments.Count == 0 && DroppedComments.Count == 0;

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
            text.Append("added Helm value: ").Append(value.Path).Append(": ").Append(value.Sdk).Append(value.Why is null ? string.Empty : $" ({value.Why})").Append('\n');
        }

        foreach (var (file, objects) in KeptOverrides)
        {
            foreach (var (identity, entry) in (JsonObject)objects!)
            {
                if (entry?["fields"] is JsonObject fields)
                {
                    foreach (var (key, _) in RepositoryAdoption.Flatten(fields))
                    {
                        text.Append("kept field (not set by Cilium.Sdk): ").Append(file).Append(": ").Append(identity.Replace('/', ' ')).Append(' ').Append(key).Append('\n');
                    }
                }
            }
        }

        foreach (AdoptedField field in EditedFields)
        {
            text.Append("edited field: ").Append(field.File).Append(": ").Append(field.Object).Append(' ').Append(field.Path).Append(" is ").Append(field.Yours)
                .Append(" in your file, Cilium.Sdk sets ").Append(field.Sdk).Append('\n');
        }

        foreach (AdoptedField field in ChangedFields)
        {
            text.Append("changed field: ").Append(field).Append('\n');
        }

        foreach (AdoptedField field in AddedFields)
        {
            text.Append("added field: ").Append(field).Append('\n');
        }

        foreach (AdoptedComment comment in KeptComments)
        {
            text.Append("kept comment: ").Append(comment.File).Append(':').Append(comment.Line.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(" (").Append(comment.Why).Append("): ").Append(comment.Text.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
        }

        foreach (AdoptedComment comment in DroppedComments)
        {
            text.Append("dropped comment: ").Append(comment).Append('\n');
        }

        foreach (var (file, by) in Replaces)
        {
            text.Append("replaced file: ").Append(file).Append(" (its objects are rendered in ").Append(by).Append(")\n");
        }

        return text.ToString();
    }
}
