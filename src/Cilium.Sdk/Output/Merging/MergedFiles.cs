using System;
using System.Collections.Generic;
using System.Linq;

namespace Cilium.Sdk.Output;

/// <summary>
/// What the writer does to a merged file on disk: remove the entries it added earlier that the tree no longer needs,
/// add the entries it needs that are missing, and (when adopting) drop entries naming files the write replaces. Every
/// other byte stays (<see cref="YamlListEditor"/>).
/// </summary>
internal static class MergedFiles
{
    /// <summary>The merged text and the entries the SDK now has in it that it added itself.</summary>
    /// <param name="path">The file's path relative to the output root (resolves <c>resources</c> entries).</param>
    /// <param name="existing">The text on disk.</param>
    /// <param name="needed">The entries the tree needs (none when the tree no longer holds the file).</param>
    /// <param name="recorded">The entries owned.json says the SDK added earlier.</param>
    /// <param name="replaced">Paths (relative to the output root) the write deletes because the tree holds their objects
    /// elsewhere: <c>resources</c> entries naming them are dropped.</param>
    /// <exception cref="YamlListEditException">A list cannot be edited (the message names the line).</exception>
    public static (string Text, List<MergedEntry> Added) Merge(string path, string existing, IReadOnlyList<MergedEntry> needed, IReadOnlyList<MergedEntry> recorded, IReadOnlySet<string> replaced)
    {
        string text = existing;
        var neededByKey = new Dictionary<string, MergedEntry>(StringComparer.Ordinal);
        foreach (MergedEntry entry in needed)
        {
            neededByKey.TryAdd(entry.Key, entry);
        }

        var added = new List<MergedEntry>();
        var addedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (MergedEntry old in recorded)
        {
            if (neededByKey.TryGetValue(old.Key, out MergedEntry? still))
            {
                if (addedKeys.Add(still.Key))
                {
                    added.Add(still);
                }
            }
            else
            {
                text = YamlListEditor.Remove(text, old.KeyPath, old.Value, old.Comparer);
            }
        }

        if (replaced.Count > 0)
        {
            foreach (YamlListEntry entry in YamlListEditor.Entries(text, ["resources"]))
            {
                if (!entry.IsMapping && Resolve(path, entry.Identity) is { } target && replaced.Contains(target))
                {
                    text = YamlListEditor.Remove(text, ["resources"], entry.Identity);
                }
            }
        }

        // Each list is read once; only a missing entry costs an edit (a render with thousands of policies stays linear).
        foreach (var list in needed.GroupBy(n => n.List, StringComparer.Ordinal))
        {
            MergedEntry first = list.First();
            var present = YamlListEditor.Entries(text, first.KeyPath).Select(e => first.KeyOf(e.Identity)).ToHashSet(StringComparer.Ordinal);
            foreach (MergedEntry entry in list)
            {
                if (present.Add(entry.Key))
                {
                    text = YamlListEditor.Add(text, entry.KeyPath, entry.Item, entry.Comparer);
                    if (addedKeys.Add(entry.Key))
                    {
                        added.Add(entry);
                    }
                }
            }
        }

        return (text, added);
    }

    /// <summary>A kustomization entry as a path relative to the output root, or null when it leaves the root or is a URL.</summary>
    public static string? Resolve(string kustomizationPath, string entry)
    {
        if (entry.Contains("://", StringComparison.Ordinal) || entry.StartsWith('/'))
        {
            return null;
        }

        int slash = kustomizationPath.LastIndexOf('/');
        return OutputPaths.Combine(slash < 0 ? string.Empty : kustomizationPath[..slash], entry);
    }
}
