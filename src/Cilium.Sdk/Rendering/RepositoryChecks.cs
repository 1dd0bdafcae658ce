using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Output;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Talos;

namespace Cilium.Sdk.Rendering;

/// <summary>
/// Checks of the repository around the generated tree, in files the SDK does not own but depends on (a
/// <c>.sops.yaml</c> must have a creation rule for every secret file the SDK writes; a <c>talconfig.yaml</c> must apply
/// the SDK's Talos patch). Run before every write (<see cref="RenderedCluster.WriteTo(string, WriteOptions)"/>) and every
/// drift check (<see cref="RenderedCluster.CheckAgainst(string)"/>): with adoption a check may fit the tree with merged
/// entries that put the SDK into such a file; otherwise it reports what is missing (an error stops the write and fails
/// the check, naming file, line, value and fix; a warning is reported only).
/// </summary>
/// <remarks>A check is a method taking a <see cref="RepositoryCheckContext"/>; add it to <see cref="Checks"/>. Checks
/// read the repository only; the writer alone writes.</remarks>
internal static class RepositoryChecks
{
    // Deterministic order; each check sees the tree the previous ones fitted.
    private static readonly Action<RepositoryCheckContext>[] Checks =
    [
        SopsCoverage.Check,
        PlainRouterConfig.Check,
        TalosRepositoryCheck.Check,
    ];

    /// <summary>Runs every check against the repository at <paramref name="root"/>.</summary>
    /// <param name="tree">The tree the render produced.</param>
    /// <param name="root">The repository root (the output directory), as the caller gave it.</param>
    /// <param name="adopt">Whether the write adopts the repository (checks may then add merged entries).</param>
    /// <returns>The tree fitted with the checks' merged entries, the findings (sorted), and files to replace.</returns>
    /// <exception cref="OutputException">The ownership manifest cannot be read.</exception>
    public static RepositoryCheckResult Run(OutputTree tree, string root, bool adopt)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(root);
        var context = new RepositoryCheckContext(tree, root, adopt);
        foreach (Action<RepositoryCheckContext> check in Checks)
        {
            check(context);
        }

        return new RepositoryCheckResult(
            context.Tree,
            [.. context.Findings.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Line ?? 0).ThenBy(f => f.Message, StringComparer.Ordinal)],
            context.Replaces);
    }
}

/// <summary>What the repository checks decided: the tree to write, what they found, and repository files a write with
/// adoption deletes because the tree holds their content elsewhere (path to its replacement).</summary>
internal sealed record RepositoryCheckResult(OutputTree Tree, IReadOnlyList<RepositoryFinding> Findings, IReadOnlyDictionary<string, string> Replaces)
{
    public IEnumerable<RepositoryFinding> Errors => Findings.Where(f => f.IsError);

    public IReadOnlyList<RepositoryFinding> Warnings => [.. Findings.Where(f => !f.IsError)];
}

/// <summary>What one repository check sees and may do: read the repository, fit the tree with merged entries, and report.</summary>
internal sealed class RepositoryCheckContext
{
    private readonly Lazy<Ownership> owned;
    private readonly SortedDictionary<string, string> replaces = new(StringComparer.Ordinal);

    internal RepositoryCheckContext(OutputTree tree, string root, bool adopt)
    {
        Tree = tree;
        DisplayRoot = root;
        Root = Path.GetFullPath(root);
        Adopt = adopt;
        // Read only when a check asks (most renders have nothing for most checks to look at).
        owned = new Lazy<Ownership>(() => Directory.Exists(Root) ? new OutputState(Root).ReadManifest(root) : Ownership.Empty());
    }

    /// <summary>The tree as fitted so far.</summary>
    public OutputTree Tree { get; private set; }

    /// <summary>The repository root, full path.</summary>
    public string Root { get; }

    /// <summary>The repository root as the caller gave it (for messages).</summary>
    public string DisplayRoot { get; }

    /// <summary>True when the write adopts the repository: a check may add the SDK's entries to the repository's files.</summary>
    public bool Adopt { get; }

    public List<RepositoryFinding> Findings { get; } = [];

    public IReadOnlyDictionary<string, string> Replaces => replaces;

    /// <summary>The text of a repository file, or null when it does not exist (or is not a file).</summary>
    /// <param name="relative">The path relative to the root, '/'-separated.</param>
    public string? ReadText(string relative)
    {
        string full = Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
        try
        {
            return File.Exists(full) ? File.ReadAllText(full) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error(relative, null, $"cannot be read ({e.Message})", "make the file readable");
            return null;
        }
    }

    /// <summary>The entries owned.json records the SDK added to a merged file earlier (empty when none).</summary>
    public IReadOnlyList<MergedEntry> RecordedEntries(string relative) => owned.Value.Merged.GetValueOrDefault(relative) ?? [];

    /// <summary>True when owned.json records the file as written whole by the SDK.</summary>
    public bool IsOwned(string relative) => owned.Value.Files.ContainsKey(relative);

    /// <summary>Puts <paramref name="entries"/> into the repository's file <paramref name="relative"/> (a merged file):
    /// the writer adds the missing ones keeping every other byte, and records them as the SDK's.</summary>
    /// <param name="relative">The file.</param>
    /// <param name="content">What the file holds if the writer creates it; null to never create it.</param>
    /// <param name="entries">The entries the SDK needs in it.</param>
    public void Merge(string relative, string? content, IReadOnlyList<MergedEntry> entries) =>
        Tree = Tree.WithMergedEntries(relative, content, entries);

    /// <summary>With adoption: the repository file <paramref name="relative"/> is deleted by the write because the tree
    /// holds its content in <paramref name="by"/>.</summary>
    public void Replace(string relative, string by) => replaces[relative] = by;

    public void Error(string path, int? line, string message, string fix) => Findings.Add(new RepositoryFinding(path, line, message, fix, IsError: true));

    public void Warning(string path, int? line, string message, string fix) => Findings.Add(new RepositoryFinding(path, line, message, fix, IsError: false));
}
