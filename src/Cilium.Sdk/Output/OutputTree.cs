using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace Cilium.Sdk.Output;

/// <summary>One file of rendered output.</summary>
/// <param name="Path">Relative, '/'-separated.</param>
/// <param name="Content">The text.</param>
/// <param name="IsSecret">True for files that carry a secret (written as <c>*.sops.yaml</c>).</param>
public sealed record OutputFile(string Path, string Content, bool IsSecret = false);

/// <summary>PLACEHOLDER until the writer lands: an immutable, sorted set of output files.</summary>
public sealed class OutputTree
{
    private readonly ImmutableSortedDictionary<string, OutputFile> files;

    private OutputTree(ImmutableSortedDictionary<string, OutputFile> files) => this.files = files;

    /// <summary>No files.</summary>
    public static OutputTree Empty { get; } = new(ImmutableSortedDictionary.Create<string, OutputFile>(StringComparer.Ordinal));

    /// <summary>The files in path order.</summary>
    public IReadOnlyList<OutputFile> Files => files.Values.ToList();

    /// <summary>The file at a path, or null.</summary>
    public OutputFile? this[string path] => files.GetValueOrDefault(path);

    /// <summary>A new tree with one more file.</summary>
    public OutputTree Add(string path, string content, bool isSecret = false) => new(files.Add(path, new OutputFile(path, content, isSecret)));
}
