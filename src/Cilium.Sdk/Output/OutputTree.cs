using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace Cilium.Sdk.Output;

/// <summary>
/// The set of files one render produces, ready for <see cref="OutputWriter"/>. Immutable: <see cref="Add"/> returns a
/// new tree. Files are kept sorted by path (ordinal), so every enumeration is deterministic.
/// </summary>
/// <remarks>
/// A tree refuses, with an <see cref="ArgumentException"/> naming the path and the fix: a duplicate path; two paths
/// that differ only in letter case (they collide on macOS and Windows checkouts); a path that is also a folder of
/// another path (<c>a</c> and <c>a/b</c>); an absolute path; a backslash; an empty, <c>.</c> or <c>..</c> segment;
/// a path in the writer's reserved <c>.cilium-sdk/</c> folder; and a secret file whose name does not end in
/// <c>.sops.yaml</c>.
/// </remarks>
public sealed class OutputTree
{
    private readonly ImmutableSortedDictionary<string, OutputFile> files;

    // The paths by case-insensitive key, and every folder that holds a file of the tree (so "is this path already a
    // folder?" is one lookup, not a scan: a scan made building a 2,000-file tree quadratic). Both follow from the
    // paths alone; a tree frozen from a Builder (a render: thousands of files) makes them only when Add is called on it.
    private ImmutableDictionary<string, string>? caseFolded;
    private ImmutableHashSet<string>? folders;
    private IReadOnlyList<OutputFile>? fileList;

    private OutputTree(ImmutableSortedDictionary<string, OutputFile> files, ImmutableDictionary<string, string>? caseFolded, ImmutableHashSet<string>? folders)
    {
        this.files = files;
        this.caseFolded = caseFolded;
        this.folders = folders;
    }

    private ImmutableDictionary<string, string> CaseFolded =>
        caseFolded ??= files.Keys.ToImmutableDictionary(p => p, p => p, StringComparer.OrdinalIgnoreCase);

    private ImmutableHashSet<string> Folders => folders ??= FoldersOf(files.Keys);

    // Every proper parent folder of every path: what Check records as files are added.
    private static ImmutableHashSet<string> FoldersOf(IEnumerable<string> paths)
    {
        var all = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            for (var slash = path.LastIndexOf('/'); slash > 0 && all.Add(path[..slash]); slash = path.LastIndexOf('/', slash - 1))
            {
            }
        }

        return all.ToImmutable();
    }

    /// <summary>The tree without files.</summary>
    public static OutputTree Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, OutputFile>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase),
        ImmutableHashSet.Create<string>(StringComparer.Ordinal));

    /// <summary>The files, sorted by <see cref="OutputFile.Path"/> (ordinal).</summary>
    public IReadOnlyList<OutputFile> Files => fileList ??= [.. files.Values];

    /// <summary>The file at <paramref name="path"/>, or null.</summary>
    /// <param name="path">The relative path, exactly as added.</param>
    public OutputFile? this[string path]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(path);
            return files.TryGetValue(path, out OutputFile? file) ? file : null;
        }
    }

    /// <summary>Returns a new tree with one more file.</summary>
    /// <param name="path">The path relative to the output root, <c>/</c>-separated and normalized.</param>
    /// <param name="content">The file's text (written as UTF-8, byte for byte).</param>
    /// <param name="isSecret">True for a SOPS secret; its name must end in <c>.sops.yaml</c>.</param>
    /// <returns>The new tree; this tree is unchanged.</returns>
    /// <exception cref="ArgumentException">The path is invalid or already taken (see the remarks on
    /// <see cref="OutputTree"/>); the message names the path and the fix.</exception>
    public OutputTree Add(string path, string content, bool isSecret = false)
    {
        var folderSet = Folders;
        var newFolders = Check(path, content, isSecret, files, CaseFolded, f => folderSet.Contains(f.ToString()));
        return new OutputTree(files.Add(path, new OutputFile(path, content, isSecret)), CaseFolded.Add(path, path), newFolders is null ? folderSet : folderSet.Union(newFolders));
    }

    /// <summary>Returns a new tree with one more merged file: a file of the repository in which the SDK needs
    /// <paramref name="entries"/> (see <see cref="OutputFileKind.Merged"/>).</summary>
    /// <param name="path">The path relative to the output root.</param>
    /// <param name="content">What the file holds when the writer creates it (it must hold every entry); null when the
    /// writer must never create it (an absent file stays absent).</param>
    /// <param name="entries">The entries the SDK needs in it.</param>
    /// <returns>The new tree; this tree is unchanged.</returns>
    /// <exception cref="ArgumentException">The path is invalid or taken, or <paramref name="content"/> lacks an entry.</exception>
    public OutputTree AddMerged(string path, string? content, IReadOnlyList<MergedEntry> entries)
    {
        var file = MergedFile(path, content, entries);
        var folderSet = Folders;
        var newFolders = Check(path, file.Content, false, files, CaseFolded, f => folderSet.Contains(f.ToString()));
        return new OutputTree(files.Add(path, file), CaseFolded.Add(path, path), newFolders is null ? folderSet : folderSet.Union(newFolders));
    }

    /// <summary>Returns a new tree in which the merged file at <paramref name="path"/> also needs
    /// <paramref name="entries"/>: added as <see cref="AddMerged"/> does when the tree does not hold the path yet, else
    /// joined to the entries it has (what the repository checks use, so two checks can need entries in one file).</summary>
    /// <exception cref="ArgumentException">The path is an owned file of the tree, or as <see cref="AddMerged"/>.</exception>
    internal OutputTree WithMergedEntries(string path, string? content, IReadOnlyList<MergedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entries);
        if (!files.TryGetValue(path, out OutputFile? existing))
        {
            return AddMerged(path, content, entries);
        }

        if (existing.Kind != OutputFileKind.Merged)
        {
            throw new ArgumentException($"Output path '{path}' is a file the tree writes whole, so entries cannot be merged into it.", nameof(path));
        }

        var all = existing.Entries.Concat(entries.Where(e => !existing.Entries.Any(x => x.Key == e.Key))).ToList();
        OutputFile file = MergedFile(path, existing.CreateIfMissing ? existing.Content : content, all);
        return new OutputTree(files.SetItem(path, file), caseFolded, folders);
    }

    // A merged file; unless the caller wrote the content from these very entries (checkContent false), the content is
    // read as YAML to check it holds every entry.
    private static OutputFile MergedFile(string path, string? content, IReadOnlyList<MergedEntry> entries, bool checkContent = true)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (content is not null && checkContent)
        {
            foreach (var list in entries.GroupBy(e => e.List, StringComparer.Ordinal))
            {
                HashSet<string> listed;
                try
                {
                    listed = YamlListEditor.Entries(content, list.First().KeyPath).Select(e => list.First().KeyOf(e.Identity)).ToHashSet(StringComparer.Ordinal);
                }
                catch (YamlListEditException e)
                {
                    throw new ArgumentException($"Output path '{path}': the content is not a list file: {e.Message}.", nameof(content), e);
                }

                if (list.FirstOrDefault(e => !listed.Contains(e.Key)) is { } missing)
                {
                    throw new ArgumentException($"Output path '{path}': the content does not hold the entry '{missing}'. Fix: write every entry into the content the file is created with.", nameof(content));
                }
            }
        }

        return new OutputFile(path, content ?? string.Empty) { Kind = OutputFileKind.Merged, Entries = [.. entries], CreateIfMissing = content is not null };
    }

    /// <summary>Starts a batch of additions on this tree: the same checks as <see cref="Add"/>, on mutable collections,
    /// frozen once by <see cref="Builder.ToTree"/> (what a render of thousands of files uses).</summary>
    internal Builder ToBuilder() => new(this);

    private delegate bool IsFolder(ReadOnlySpan<char> path);

    // The checks of one addition, against any tree state. Returns the folders the path adds (deepest first; null for
    // none, the common case), so callers record them; walking up stops at the first folder already known, whose
    // parents are known too.
    private static List<string>? Check(string path, string content, bool isSecret, IReadOnlyDictionary<string, OutputFile> files, IReadOnlyDictionary<string, string> caseFolded, IsFolder isFolder)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        if (OutputPaths.Problem(path) is { } problem)
        {
            throw new ArgumentException($"Output path '{path}': {problem}.", nameof(path));
        }

        if (files.ContainsKey(path))
        {
            throw new ArgumentException($"Output path '{path}' is added twice. Fix: generate each file once, or merge the contents.", nameof(path));
        }

        if (caseFolded.TryGetValue(path, out string? other))
        {
            throw new ArgumentException(
                $"Output path '{path}' differs from '{other}' only in letter case; they collide on macOS and Windows. Fix: rename one of them.",
                nameof(path));
        }

        if (isSecret && !path.EndsWith(OutputPaths.SecretSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Output path '{path}' holds a secret but does not end in '{OutputPaths.SecretSuffix}', so SOPS would not encrypt it. Fix: name it e.g. '{SuggestSecretName(path)}'.",
                nameof(path));
        }

        if (isFolder(path))
        {
            string existing = files.Keys.Where(k => k.StartsWith(path + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
            throw new ArgumentException($"Output path '{path}' is a folder of '{existing}', which this tree already holds. Fix: rename one of them.", nameof(path));
        }

        // A file cannot also be a folder: 'a' and 'a/b' cannot both exist on disk. A known folder is never a file.
        List<string>? added = null;
        for (int slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            if (isFolder(path.AsSpan(0, slash)))
            {
                break;
            }

            string folder = path[..slash];
            if (files.ContainsKey(folder))
            {
                throw new ArgumentException($"Output path '{path}' needs '{folder}' to be a folder, but '{folder}' is a file of this tree. Fix: rename one of them.", nameof(path));
            }

            (added ??= []).Add(folder);
        }

        return added;
    }

    /// <summary>Mutable additions to a tree with the checks of <see cref="Add"/>; <see cref="ToTree"/> freezes them.</summary>
    internal sealed class Builder
    {
        private readonly Dictionary<string, OutputFile> files;
        private readonly Dictionary<string, string> caseFolded;
        private readonly HashSet<string> folders;
        private readonly IsFolder isFolder;

        internal Builder(OutputTree start)
        {
            files = new Dictionary<string, OutputFile>(start.files, StringComparer.Ordinal);
            caseFolded = new Dictionary<string, string>(start.CaseFolded, StringComparer.OrdinalIgnoreCase);
            folders = new HashSet<string>(start.Folders, StringComparer.Ordinal);
#if NET9_0_OR_GREATER
            // Looked up by span: no folder string per file added.
            var lookup = folders.GetAlternateLookup<ReadOnlySpan<char>>();
            isFolder = f => lookup.Contains(f);
#else
            // net8.0 has no span lookup on a HashSet: one string per probe there.
            isFolder = f => folders.Contains(f.ToString());
#endif
        }

        /// <summary>Adds a file, or throws as <see cref="OutputTree.Add"/> does (and then adds nothing).</summary>
        public Builder Add(string path, string content, bool isSecret = false)
        {
            var newFolders = Check(path, content, isSecret, files, caseFolded, isFolder);
            files.Add(path, new OutputFile(path, content, isSecret));
            caseFolded.Add(path, path);
            if (newFolders is not null)
            {
                folders.UnionWith(newFolders);
            }

            return this;
        }

        /// <summary>Adds a merged file, or throws as <see cref="OutputTree.AddMerged"/> does (and then adds nothing).</summary>
        public Builder AddMerged(string path, string? content, IReadOnlyList<MergedEntry> entries) => AddMerged(path, content, entries, checkContent: true);

        /// <summary>Adds a merged file whose <paramref name="content"/> the SDK wrote from <paramref name="entries"/>
        /// themselves (a rendered kustomization): the path checks of <see cref="AddMerged(string, string?, IReadOnlyList{MergedEntry})"/>,
        /// without reading the content back as YAML to find each entry (a parse per file; tests hold every rendered
        /// merged file to its entries).</summary>
        public Builder AddMergedWritten(string path, string content, IReadOnlyList<MergedEntry> entries) => AddMerged(path, content, entries, checkContent: false);

        private Builder AddMerged(string path, string? content, IReadOnlyList<MergedEntry> entries, bool checkContent)
        {
            var file = MergedFile(path, content, entries, checkContent);
            var newFolders = Check(path, file.Content, false, files, caseFolded, isFolder);
            files.Add(path, file);
            caseFolded.Add(path, path);
            if (newFolders is not null)
            {
                folders.UnionWith(newFolders);
            }

            return this;
        }

        /// <summary>The file at <paramref name="path"/>, or null.</summary>
        public OutputFile? Get(string path) => files.GetValueOrDefault(path);

        /// <summary>Changes the content of a file already added (the renderer's manifest overrides); its kind stays.</summary>
        public Builder Replace(string path, string content)
        {
            files[path] = files[path] with { Content = content };
            return this;
        }

        /// <summary>The tree holding every file added (its case and folder indexes made when first needed).</summary>
        public OutputTree ToTree() => new(files.ToImmutableSortedDictionary(StringComparer.Ordinal), null, null);
    }

    private static string SuggestSecretName(string path)
    {
        foreach (string ext in new[] { ".yaml", ".yml" })
        {
            if (path.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^ext.Length] + OutputPaths.SecretSuffix;
            }
        }

        return path + OutputPaths.SecretSuffix;
    }
}
