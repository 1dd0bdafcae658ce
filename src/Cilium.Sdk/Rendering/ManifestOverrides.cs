using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cilium.Sdk.Output;
using Cilium.Sdk.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Rendering;

/// <summary>
/// Fields and comments merged into the manifests the SDK renders, object by object: what an adoption keeps from a
/// repository's files that the cluster's description does not cover (a Flux Kustomization's <c>postBuild</c>, a
/// HelmRelease's <c>install</c> remediation, the comments people wrote), so taking a file over loses none of it.
/// The shape, file path to <c>Kind/name</c> to what to merge:
/// <code>
/// kubernetes/apps/kube-system/cilium/ks.yaml:
///   Kustomization/cilium:
///     fields:                       # merged over the rendered object, key by key (an explicit null removes a key)
///       spec: { postBuild: { substituteFrom: [ { kind: Secret, name: cluster-secrets } ] } }
///     comments:
///       above: { spec.interval: "# how often Flux applies the folder" }   # key path: keys joined with '.', items [i]
///       beside: { spec.prune: "# remove what the folder no longer holds" }
/// </code>
/// Secret files take no overrides (their text is encrypted). HelmRelease values belong in the Helm values
/// (<c>WithHelmValues</c>), not here.
/// </summary>
internal static partial class ManifestOverrides
{
    /// <summary>Merges <paramref name="overrides"/> into the tree's files; returns the problems (an error for an
    /// override of the wrong shape; a warning for one naming a file or object the configuration does not render, or a
    /// comment whose key is not rendered: the configuration may have turned them off since the adoption).</summary>
    public static List<ValidationError> Apply(OutputTree.Builder tree, JsonObject overrides)
    {
        var problems = new List<ValidationError>();
        foreach (var (path, node) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (tree.Get(path) is not { Kind: OutputFileKind.Owned, IsSecret: false } file)
            {
                // A file the configuration no longer renders (BGP turned off, ...) takes its kept fields with it: said, not fatal.
                problems.Add(new ValidationError(path, null, "is not a file Cilium.Sdk renders (or is a secret file), so its overrides are left out",
                    "remove the file's entry from the manifest overrides, or correct its path (relative to the repository root)", ValidationLayers.Cluster, ValidationSeverity.Warning));
                continue;
            }

            if (node is not JsonObject objects)
            {
                problems.Add(new ValidationError(path, node?.ToJsonString(), "must map 'Kind/name' to the fields and comments to merge", "write e.g. 'Kustomization/cilium: { fields: { spec: { ... } } }'", ValidationLayers.Cluster));
                continue;
            }

            tree.Replace(path, ApplyToFile(path, file.Content, objects, problems));
        }

        return problems;
    }

    private static string ApplyToFile(string path, string content, JsonObject objects, List<ValidationError> problems)
    {
        var documents = SplitDocuments(content);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < documents.Count; i++)
        {
            if (Manifests.ParseYaml(documents[i]) is not [JsonObject document] || Identity(document) is not { } identity
                || objects[identity] is not { } entry)
            {
                continue;
            }

            seen.Add(identity);
            string where = $"{path} {identity}";
            if (entry is not JsonObject parts || parts.Any(p => p.Key is not ("fields" or "comments")))
            {
                problems.Add(new ValidationError(where, null, "takes only 'fields' and 'comments'", "put the keys to merge under 'fields:' and comments under 'comments: { above: ..., beside: ... }'", ValidationLayers.Cluster));
                continue;
            }

            string text = documents[i];
            if (parts["fields"] is JsonObject fields)
            {
                Merge(document, fields, top: true);
                text = "---\n" + Manifests.ToYaml(document);
            }

            if (parts["comments"] is JsonObject comments)
            {
                var missing = new List<YamlComments.Comment>();
                text = YamlComments.Insert(text, Comments(comments), missing);
                foreach (var comment in missing)
                {
                    problems.Add(new ValidationError(where + " " + comment.Path, comment.Text,
                        "is a comment kept for a key Cilium.Sdk no longer renders, so it is left out",
                        "move the comment to a key that is rendered, or delete it from the manifest overrides", ValidationLayers.Cluster, ValidationSeverity.Warning));
                }
            }

            documents[i] = text;
        }

        foreach (var (identity, _) in objects.Where(o => !seen.Contains(o.Key)))
        {
            problems.Add(new ValidationError($"{path} {identity}", null, "names an object this file does not hold (any more), so its overrides are left out",
                "write the object as 'Kind/name' as in the file (e.g. 'Kustomization/cilium'), or remove the entry", ValidationLayers.Cluster, ValidationSeverity.Warning));
        }

        return string.Concat(documents);
    }

    /// <summary>The comments of an override's <c>comments</c> object.</summary>
    internal static IEnumerable<YamlComments.Comment> Comments(JsonObject comments)
    {
        foreach (var (side, beside) in new[] { ("above", false), ("beside", true) })
        {
            if (comments[side] is JsonObject byPath)
            {
                foreach (var (key, text) in byPath)
                {
                    if (text is JsonValue value && value.TryGetValue(out string? s))
                    {
                        yield return new YamlComments.Comment(key, string.Join('\n', s.Split('\n').Select(l => l.TrimStart().StartsWith('#') ? l.Trim() : "# " + l.Trim())), beside, 0);
                    }
                }
            }
        }
    }

    /// <summary><c>Kind/name</c> of a manifest, or null.</summary>
    internal static string? Identity(JsonObject document) =>
        document["kind"] is JsonValue kind && kind.TryGetValue(out string? k) && document["metadata"]?["name"] is JsonValue name && name.TryGetValue(out string? n)
            ? k + "/" + n
            : null;

    /// <summary>The documents of a file the SDK wrote (each starts with its <c>---</c> line), or of a person's file (the
    /// text before the first <c>---</c> goes with the first document).</summary>
    internal static List<string> SplitDocuments(string content)
    {
        var parts = DocumentStart().Split(content).ToList();
        var documents = new List<string>();
        string carried = parts[0];
        if (!IsBlankOrComments(carried))
        {
            // A file that does not start with '---' (a person's, usually): its first document stands alone.
            documents.Add(carried);
            carried = string.Empty;
        }

        for (int i = 1; i < parts.Count; i++)
        {
            documents.Add(carried + "---\n" + parts[i]);
            carried = string.Empty;
        }

        if (carried.Length > 0)
        {
            documents.Add(carried);
        }

        return documents;
    }

    private static bool IsBlankOrComments(string text) =>
        text.Split('\n').All(line => line.Trim() is { Length: 0 } or ['#', ..]);

    [GeneratedRegex("(?m)^---[ \t]*\r?\n")]
    private static partial Regex DocumentStart();

    // Key by key; an explicit null removes a key; a key the object lacks goes where ordinal order puts it among the
    // rendered keys (they are sorted), so the file reads as if the SDK had written it.
    private static void Merge(JsonObject target, JsonObject fields, bool top = false)
    {
        foreach (var (key, value) in fields)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner, top: false);
            }
            else if (target.ContainsKey(key))
            {
                target[key] = value.DeepClone();
            }
            else
            {
                var keys = target.Select(p => p.Key).ToList();
                int at = 0;
                while (at < keys.Count && ((top && IsHead(keys[at])) || string.CompareOrdinal(keys[at], key) < 0))
                {
                    at++;
                }

                InsertAt(target, at, key, value.DeepClone());
            }
        }
    }

    // JsonObject.Insert is .NET 9+; the library also targets net8.0, where the keys after the position are moved behind it.
    private static void InsertAt(JsonObject target, int at, string key, JsonNode value)
    {
        var after = target.Skip(at).ToList();
        foreach (var (moved, _) in after)
        {
            target.Remove(moved);
        }

        target.Add(key, value);
        foreach (var (moved, node) in after)
        {
            target.Add(moved, node);
        }
    }

    private static bool IsHead(string key) => key is "apiVersion" or "kind" or "metadata";
}
