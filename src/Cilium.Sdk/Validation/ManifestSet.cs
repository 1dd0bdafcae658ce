using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation.Sets;
using CrdKit.Validation;

namespace Cilium.Sdk.Validation;

/// <summary>What a <see cref="ManifestSet"/> does with one document.</summary>
public enum ManifestCoverage
{
    /// <summary>A Cilium document, checked: its schema, CEL rules and agent layer for the release, and the set rules.</summary>
    Checked,

    /// <summary>A Cilium document of a kind the SDK has no schema for (e.g. CiliumEnvoyConfig): its apiVersion, name and
    /// scope are checked, its fields are not.</summary>
    KindWithoutSchema,

    /// <summary>Encrypted with sops (a top-level <c>sops</c> block): its values cannot be read; not checked.</summary>
    Encrypted,

    /// <summary>Not of a Cilium API group (a Deployment, a Flux Kustomization, a kustomization.yaml): skipped.</summary>
    NotCilium,

    /// <summary>Not readable: not YAML kubectl accepts. Reported as an error.</summary>
    Unreadable,
}

/// <summary>
/// Manifest files read together (files and folders as a repository has them), validated as one: every Cilium
/// document against its schema, CEL rules and the agent layer of a release, plus what only the set shows (pools that
/// overlap across files, selectors that select nothing, BGP references that point nowhere). What <c>cilium-sdk lint</c> runs.
/// </summary>
/// <example>
/// <code>
/// var set = ManifestSet.Load(["kubernetes/apps"]);
/// foreach (var finding in set.Validate(CiliumVersion.V1_20))
/// {
///     Console.WriteLine(finding); // kubernetes/apps/.../pool.yaml:7:9: error: ...
/// }
/// </code>
/// </example>
public sealed class ManifestSet
{
    private static readonly string[] YamlExtensions = [".yaml", ".yml"];

    private ManifestSet(IReadOnlyList<ManifestReadResult> files)
    {
        Files = files;
        Documents = files.SelectMany(f => f).ToList();
    }

    /// <summary>The files, in the order read (sorted within each folder).</summary>
    public IReadOnlyList<ManifestReadResult> Files { get; }

    /// <summary>Every document of every file.</summary>
    public IReadOnlyList<ManifestDocument> Documents { get; }

    /// <summary>
    /// Reads files and folders: a file is read whatever its name; a folder gives every <c>*.yaml</c> and <c>*.yml</c>
    /// file below it, in ordinal order of their paths, skipping folders whose name starts with a dot (<c>.git</c>,
    /// <c>.cilium-sdk</c>). Paths are reported as given.
    /// </summary>
    /// <param name="paths">Files and folders.</param>
    /// <param name="kinds">The kinds to type; <see cref="ManifestKinds.Default"/> when null.</param>
    /// <returns>The set.</returns>
    /// <exception cref="FileNotFoundException">A path is neither a file nor a folder.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file or folder cannot be read.</exception>
    public static ManifestSet Load(IEnumerable<string> paths, ManifestKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<ManifestReadResult>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            foreach (var file in Expand(path))
            {
                if (seen.Add(Path.GetFullPath(file)))
                {
                    files.Add(Manifests.ReadFile(file, kinds));
                }
            }
        }

        return new ManifestSet(files);
    }

    /// <summary>A set of files already read (e.g. with <see cref="Manifests.ReadAll"/>).</summary>
    /// <param name="files">The files.</param>
    /// <returns>The set.</returns>
    public static ManifestSet Of(IEnumerable<ManifestReadResult> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return new ManifestSet(files.ToList());
    }

    /// <summary>The files a path stands for (see <see cref="Load"/>).</summary>
    /// <param name="path">A file or a folder.</param>
    /// <returns>The files, sorted.</returns>
    /// <exception cref="FileNotFoundException">The path is neither a file nor a folder.</exception>
    public static IReadOnlyList<string> Expand(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"{path} is neither a file nor a folder", path);
        }

        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(path);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            found.AddRange(Directory.EnumerateFiles(folder).Where(f => YamlExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase))));
            foreach (var sub in Directory.EnumerateDirectories(folder))
            {
                if (!Path.GetFileName(sub).StartsWith('.'))
                {
                    pending.Push(sub);
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>What validation does with <paramref name="document"/>.</summary>
    /// <param name="document">A document of this set.</param>
    /// <returns>The coverage.</returns>
    public static ManifestCoverage CoverageOf(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Node is null)
        {
            return ManifestCoverage.Unreadable;
        }

        if (!document.IsCilium)
        {
            return ManifestCoverage.NotCilium;
        }

        if (document.Node is JsonObject obj && obj["sops"] is JsonObject)
        {
            return ManifestCoverage.Encrypted;
        }

        return document.Type is not null ? ManifestCoverage.Checked : ManifestCoverage.KindWithoutSchema;
    }

    /// <summary>
    /// Every problem of the set for <paramref name="version"/>: syntax errors; for each Cilium document the apiVersion
    /// the release serves, its name and scope, and (for the kinds the SDK has schemas for) every schema, CEL and agent
    /// violation; then the set rules. Each finding carries the file, line and column of the original text.
    /// </summary>
    /// <param name="version">The Cilium release.</param>
    /// <returns>The findings, by file, line and column.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not a supported release.</exception>
    public IReadOnlyList<ManifestFinding> Validate(CiliumVersion version)
    {
        CiliumValidation.Require(version);
        var findings = new List<ManifestFinding>();
        foreach (var file in Files)
        {
            findings.AddRange(file.Errors.Where(e => e.DocumentIndex is null));
        }

        foreach (var document in Documents)
        {
            switch (CoverageOf(document))
            {
                case ManifestCoverage.Unreadable:
                    findings.AddRange(document.Validate(version));
                    break;
                case ManifestCoverage.Checked or ManifestCoverage.KindWithoutSchema:
                    findings.AddRange(CiliumApis.Check(document, version, out var served).Select(document.At));
                    if (served)
                    {
                        findings.AddRange(document.Validate(version).Where(f => !IsHeaderDuplicate(f)));
                    }

                    break;
            }
        }

        findings.AddRange(SetRules.Check(Documents));
        return ManifestFinding.Sort(findings);
    }

    // metadata.name is checked for every Cilium kind above; a schema that also requires it must not report it twice.
    private static bool IsHeaderDuplicate(ManifestFinding finding) =>
        finding.Error.Path == "metadata.name" && finding.Error.Layer == ValidationLayers.Schema && finding.Error.Message.StartsWith("is required", StringComparison.Ordinal);
}
