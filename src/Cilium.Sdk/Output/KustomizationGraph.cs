using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Output;

/// <summary>
/// Finds which YAML files of a GitOps tree Flux actually applies, starting from its entry point, and which it never
/// reaches (orphans: objects that are rendered but never applied).
/// </summary>
/// <remarks>
/// <para>The walk follows what Flux and kustomize follow:</para>
/// <list type="number">
/// <item>A Flux <c>Kustomization</c> (<c>kustomize.toolkit.fluxcd.io/*</c>) whose <c>sourceRef</c> is a
/// <c>GitRepository</c> (or absent) reaches its <c>spec.path</c>, relative to the repository root, and its
/// <c>spec.components</c>, relative to that path.</item>
/// <item>A folder with a <c>kustomization.yaml</c> (<c>kustomization.yml</c>, <c>Kustomization</c>) reaches that file.
/// A folder Flux applies without one reaches what Flux's generated kustomization holds: its YAML files, and its
/// sub-folders (through their own kustomization file when they have one, else recursively).</item>
/// <item>A kustomize <c>Kustomization</c> or <c>Component</c> (<c>kustomize.config.k8s.io/*</c>) reaches its
/// <c>resources</c>, <c>components</c> and <c>bases</c> (files or folders, relative to its own folder), and marks its
/// patch, replacement, transformer, generator and configuration files as reachable (they are read, not applied).</item>
/// <item>Every reached file's documents are read (multi-document YAML), so Flux Kustomizations anywhere in applied
/// files are followed in turn.</item>
/// </list>
/// <para>Only YAML files (<c>.yaml</c>, <c>.yml</c>) under the entry point's top folder (<c>kubernetes/</c> by default)
/// are considered; <c>talos/</c>, <c>bootstrap/</c> and the like are not Flux's. Remote resources (URLs) are skipped.
/// A reference to a missing file or folder, a path outside the repository and unreadable YAML become
/// <see cref="ReachabilityReport.Problems"/>; the walk goes on.</para>
/// </remarks>
public static class KustomizationGraph
{
    /// <summary>The Flux entry point of the usual cluster template layout.</summary>
    public const string DefaultEntryPoint = "kubernetes/flux/cluster/ks.yaml";

    private static readonly string[] KustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>Whether <paramref name="path"/> (relative, '/'-separated) names a kustomization file, by the names kustomize reads.</summary>
    internal static bool IsKustomization(string path) =>
        Array.IndexOf(KustomizationNames, path[(path.LastIndexOf('/') + 1)..]) >= 0;
    private static readonly string[] FollowedFields = ["resources", "components", "bases"];
    private static readonly string[] ReadOnlyListFields = ["patchesStrategicMerge", "crds", "transformers", "generators", "validators", "configurations"];
    private static readonly string[] ReadOnlyPathFields = ["patches", "patchesJson6902", "replacements"];

    /// <summary>Walks a repository checked out (or written) at <paramref name="directory"/>.</summary>
    /// <param name="directory">The repository root.</param>
    /// <param name="entryPoint">The entry point relative to the root: a Flux Kustomization file, or the folder Flux's
    /// bootstrap applies.</param>
    /// <returns>Reachable files, orphans and problems, each sorted (ordinal).</returns>
    /// <exception cref="ArgumentException">The directory does not exist or the entry point is not a relative path.</exception>
    public static ReachabilityReport Analyze(string directory, string entryPoint = DefaultEntryPoint)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"The repository directory '{directory}' does not exist. Fix: pass the folder that holds '{entryPoint}'.", nameof(directory));
        }

        return Walk(new DiskSource(Path.GetFullPath(directory)), entryPoint);
    }

    /// <summary>Walks the files of an <see cref="OutputTree"/> before they are written.</summary>
    /// <param name="tree">The tree; its paths are relative to the repository root.</param>
    /// <param name="entryPoint">The entry point (see <see cref="Analyze(string, string)"/>).</param>
    /// <returns>Reachable files, orphans and problems, each sorted (ordinal).</returns>
    /// <exception cref="ArgumentException">The entry point is not a relative path.</exception>
    public static ReachabilityReport Analyze(OutputTree tree, string entryPoint = DefaultEntryPoint)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Walk(new TreeSource(tree), entryPoint);
    }

    private static ReachabilityReport Walk(ISource source, string entryPoint)
    {
        ArgumentNullException.ThrowIfNull(entryPoint);
        string entry = entryPoint.TrimEnd('/');
        if (entry.StartsWith("./", StringComparison.Ordinal))
        {
            entry = entry[2..];
        }

        if (OutputPaths.Problem(entry) is { } problem)
        {
            throw new ArgumentException($"Entry point '{entryPoint}': {problem}.", nameof(entryPoint));
        }

        string scope = entry.Split('/')[0];
        var walker = new Walker(source);
        if (source.IsFile(entry))
        {
            walker.VisitFile(entry, entry);
        }
        else if (source.IsFolder(entry))
        {
            walker.VisitFluxPath(entry, entry);
        }
        else
        {
            walker.Problem(entry, "the entry point does not exist");
        }

        List<string> all = source.YamlFiles(scope);
        List<string> reachable = all.Where(walker.Reached.Contains).ToList();
        List<string> orphans = all.Where(f => !walker.Reached.Contains(f)).ToList();
        List<ReachabilityProblem> problems = walker.Problems
            .OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Message, StringComparer.Ordinal).ToList();
        return new ReachabilityReport(entry, scope, reachable, orphans, problems);
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Joins a relative reference to a base folder and removes '.' and '..'; null when it leaves the root.</summary>
    private static string? Resolve(string baseFolder, string reference) =>
        OutputPaths.Combine(reference.StartsWith('/') ? string.Empty : baseFolder.Trim('/'), reference);

    private static string Folder(string path) => path.LastIndexOf('/') is var i and >= 0 ? path[..i] : string.Empty;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private sealed class Walker(ISource source)
    {
        public HashSet<string> Reached { get; } = new(StringComparer.Ordinal);

        public List<ReachabilityProblem> Problems { get; } = [];

        private HashSet<string> VisitedFolders { get; } = new(StringComparer.Ordinal);

        public void Problem(string path, string message) => Problems.Add(new ReachabilityProblem(path, message));

        /// <summary>A file that is applied: it is reached, and every Flux Kustomization in it is followed.</summary>
        public void VisitFile(string path, string from)
        {
            if (!Reached.Add(path) || !IsYaml(path))
            {
                return;
            }

            string? text = source.Read(path);
            if (text is null)
            {
                Problem(path, $"cannot be read (referenced from {from})");
                return;
            }

            IReadOnlyList<JsonNode> documents;
            try
            {
                documents = Manifests.ParseYaml(text);
            }
            catch (ManifestException e)
            {
                Problem(path, "is not valid YAML: " + e.Message);
                return;
            }

            foreach (JsonNode document in documents)
            {
                string apiVersion = Text(document["apiVersion"]) ?? string.Empty;
                string kind = Text(document["kind"]) ?? string.Empty;
                if (apiVersion.StartsWith("kustomize.toolkit.fluxcd.io/", StringComparison.Ordinal) && kind == "Kustomization")
                {
                    VisitFluxKustomization(path, document);
                }
                else if (apiVersion.StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal) && kind is "Kustomization" or "Component")
                {
                    VisitKustomize(path, document);
                }
            }
        }

        /// <summary>A folder Flux applies: its kustomization file, or what Flux's generated one would hold.</summary>
        public void VisitFluxPath(string folder, string from)
        {
            if (!VisitedFolders.Add(folder))
            {
                return;
            }

            if (KustomizationFile(folder) is { } file)
            {
                VisitFile(file, from);
                return;
            }

            foreach (string child in source.FilesIn(folder).Where(IsYaml))
            {
                VisitFile(child, from);
            }

            foreach (string sub in source.FoldersIn(folder))
            {
                VisitFluxPath(sub, from);
            }
        }

        private string? KustomizationFile(string folder) =>
            KustomizationNames.Select(n => folder.Length == 0 ? n : folder + "/" + n).FirstOrDefault(source.IsFile);

        private void VisitFluxKustomization(string path, JsonNode document)
        {
            JsonNode? spec = document["spec"];
            string? sourceKind = Text(spec?["sourceRef"]?["kind"]);
            string? specPath = Text(spec?["path"]);
            if (sourceKind is not null and not "GitRepository")
            {
                return; // Another artifact (OCI, Helm, bucket): its paths are not in this repository.
            }

            string name = Text(document["metadata"]?["name"]) ?? "(unnamed)";
            string? target = Resolve(string.Empty, specPath ?? "./");
            if (target is null)
            {
                Problem(path, $"Flux Kustomization '{name}' spec.path '{specPath}' points outside the repository");
                return;
            }

            if (!source.IsFolder(target))
            {
                Problem(path, $"Flux Kustomization '{name}' spec.path '{specPath}' does not exist as a folder of the repository");
                return;
            }

            VisitFluxPath(target, path);
            if (spec?["components"] is JsonArray components)
            {
                foreach (string component in components.Select(Text).OfType<string>())
                {
                    FollowReference(path, target, component, $"Flux Kustomization '{name}' spec.components");
                }
            }
        }

        private void VisitKustomize(string path, JsonNode document)
        {
            string folder = Folder(path);
            foreach (string field in FollowedFields)
            {
                if (document[field] is JsonArray list)
                {
                    foreach (string reference in list.Select(Text).OfType<string>())
                    {
                        FollowReference(path, folder, reference, field);
                    }
                }
            }

            foreach (string field in ReadOnlyListFields)
            {
                if (document[field] is JsonArray list)
                {
                    foreach (string reference in list.Select(Text).OfType<string>().Where(r => !r.Contains('\n', StringComparison.Ordinal)))
                    {
                        MarkRead(path, folder, reference, field);
                    }
                }
            }

            foreach (string field in ReadOnlyPathFields)
            {
                if (document[field] is JsonArray list)
                {
                    foreach (string reference in list.Select(item => item is JsonObject ? Text(item["path"]) : null).OfType<string>())
                    {
                        MarkRead(path, folder, reference, field);
                    }
                }
            }
        }

        private void FollowReference(string path, string folder, string reference, string field)
        {
            if (IsRemote(reference))
            {
                return;
            }

            string? target = Resolve(folder, reference);
            if (target is null)
            {
                Problem(path, $"{field} entry '{reference}' points outside the repository");
            }
            else if (source.IsFile(target))
            {
                VisitFile(target, path);
            }
            else if (source.IsFolder(target) && KustomizationFile(target) is { } file)
            {
                VisitFile(file, path);
            }
            else if (source.IsFolder(target))
            {
                Problem(path, $"{field} entry '{reference}' is a folder without a kustomization.yaml");
            }
            else
            {
                Problem(path, $"{field} entry '{reference}' does not exist");
            }
        }

        private void MarkRead(string path, string folder, string reference, string field)
        {
            if (IsRemote(reference))
            {
                return;
            }

            string? target = Resolve(folder, reference);
            if (target is not null && source.IsFile(target))
            {
                Reached.Add(target);
            }
            else if (IsYaml(reference))
            {
                Problem(path, $"{field} entry '{reference}' does not exist");
            }
        }

        private static bool IsRemote(string reference) =>
            reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith("github.com/", StringComparison.Ordinal)
            || reference.StartsWith("git@", StringComparison.Ordinal);
    }

    /// <summary>Where the walk reads files: a directory on disk or an <see cref="OutputTree"/>. Paths are '/'-separated.</summary>
    private interface ISource
    {
        bool IsFile(string path);

        bool IsFolder(string path);

        string? Read(string path);

        IEnumerable<string> FilesIn(string folder);

        IEnumerable<string> FoldersIn(string folder);

        List<string> YamlFiles(string scope);
    }

    private sealed class DiskSource(string root) : ISource
    {
        public bool IsFile(string path) => File.Exists(Full(path));

        public bool IsFolder(string path) => Directory.Exists(Full(path));

        public string? Read(string path)
        {
            try
            {
                return File.ReadAllText(Full(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public IEnumerable<string> FilesIn(string folder) =>
            Directory.EnumerateFiles(Full(folder)).Select(Relative).Order(StringComparer.Ordinal);

        public IEnumerable<string> FoldersIn(string folder) =>
            Directory.EnumerateDirectories(Full(folder)).Select(Relative).Order(StringComparer.Ordinal);

        public List<string> YamlFiles(string scope) => Directory.Exists(Full(scope))
            ? Directory.EnumerateFiles(Full(scope), "*", SearchOption.AllDirectories).Select(Relative).Where(IsYaml).Order(StringComparer.Ordinal).ToList()
            : [];

        private string Full(string path) => path.Length == 0 ? root : Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));

        private string Relative(string full) => Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
    }

    private sealed class TreeSource(OutputTree tree) : ISource
    {
        public bool IsFile(string path) => tree[path] is not null;

        public bool IsFolder(string path) => path.Length == 0 ? tree.Files.Count > 0 : tree.Files.Any(f => f.Path.StartsWith(path + "/", StringComparison.Ordinal));

        public string? Read(string path) => tree[path]?.Content;

        public IEnumerable<string> FilesIn(string folder) =>
            tree.Files.Select(f => f.Path).Where(p => Folder(p) == folder);

        public IEnumerable<string> FoldersIn(string folder)
        {
            string prefix = folder.Length == 0 ? string.Empty : folder + "/";
            return tree.Files.Select(f => f.Path)
                .Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.IndexOf('/', prefix.Length) > 0)
                .Select(p => p[..p.IndexOf('/', prefix.Length)])
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        }

        public List<string> YamlFiles(string scope) =>
            tree.Files.Select(f => f.Path).Where(p => p.StartsWith(scope + "/", StringComparison.Ordinal) && IsYaml(p)).ToList();
    }
}

/// <summary>The result of <see cref="KustomizationGraph"/>: which YAML files Flux applies and which it never reaches.</summary>
public sealed class ReachabilityReport
{
    internal ReachabilityReport(string entryPoint, string scope, IReadOnlyList<string> reachable, IReadOnlyList<string> orphans, IReadOnlyList<ReachabilityProblem> problems)
    {
        EntryPoint = entryPoint;
        Scope = scope;
        Reachable = reachable;
        Orphans = orphans;
        Problems = problems;
    }

    /// <summary>The entry point the walk started from.</summary>
    public string EntryPoint { get; }

    /// <summary>The top folder whose YAML files were considered (the entry point's first segment).</summary>
    public string Scope { get; }

    /// <summary>YAML files under <see cref="Scope"/> that Flux reaches, sorted (ordinal).</summary>
    public IReadOnlyList<string> Reachable { get; }

    /// <summary>YAML files under <see cref="Scope"/> that Flux never reaches: their objects are never applied.</summary>
    public IReadOnlyList<string> Orphans { get; }

    /// <summary>References that lead nowhere and files that cannot be read, sorted by path.</summary>
    public IReadOnlyList<ReachabilityProblem> Problems { get; }

    /// <summary>A one-line summary, e.g. <c>kubernetes/flux/cluster/ks.yaml reaches 80 of 101 YAML files; 21 orphans, 3 problems</c>.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{EntryPoint} reaches {Reachable.Count} of {Reachable.Count + Orphans.Count} YAML files; {Orphans.Count} orphans, {Problems.Count} problems");
}

/// <summary>A reference the walk could not follow, or a file it could not read.</summary>
/// <param name="Path">The file holding the reference (or the unreadable file).</param>
/// <param name="Message">What is wrong.</param>
public sealed record ReachabilityProblem(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
