using System;
using System.Collections.Generic;

namespace Cilium.Sdk.Output;

/// <summary>How the writer treats a file of an <see cref="OutputTree"/>.</summary>
public enum OutputFileKind
{
    /// <summary>The SDK owns the whole file: written whole, recorded with its hash in <c>.cilium-sdk/owned.json</c>,
    /// refused when someone else's file is in the way (unless <see cref="WriteOptions.Adopt"/>).</summary>
    Owned,

    /// <summary>The file belongs to the repository and the SDK only needs its <see cref="OutputFile.Entries"/> in it (a
    /// kustomization's <c>resources</c>, talconfig.yaml's <c>patches</c>, .sops.yaml's <c>creation_rules</c>): the writer
    /// adds the missing ones and later removes only the ones it added itself (recorded in <c>owned.json</c>), keeping
    /// every other entry, comment and the order. An absent file is created with <see cref="OutputFile.Content"/>.</summary>
    Merged,
}

/// <summary>One file of an <see cref="OutputTree"/>.</summary>
/// <param name="Path">The path relative to the output root: <c>/</c>-separated, no empty, <c>.</c> or <c>..</c>
/// segment, no backslash, not absolute (checked by <see cref="OutputTree.Add"/>).</param>
/// <param name="Content">The text, written as UTF-8 without a byte-order mark, byte for byte (for a merged file: what
/// it holds when the writer creates it).</param>
/// <param name="IsSecret">True for a SOPS secret (<c>*.sops.yaml</c>): written with mode 0600 on Unix and never
/// shown in a drift diff.</param>
public sealed record OutputFile(string Path, string Content, bool IsSecret = false)
{
    /// <summary>Owned (written whole) or merged (only its <see cref="Entries"/> are the SDK's).</summary>
    public OutputFileKind Kind { get; init; } = OutputFileKind.Owned;

    /// <summary>For a merged file: the list entries the SDK needs in it. Empty for an owned file.</summary>
    public IReadOnlyList<MergedEntry> Entries { get; init; } = Array.Empty<MergedEntry>();

    /// <summary>For a merged file: whether the writer creates it with <see cref="Content"/> when it is absent (false for
    /// a file only the repository may create, such as talconfig.yaml: then an absent file is left absent).</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>The path and whether the file is secret; never the content (it may hold a secret).</summary>
    /// <returns>For example <c>kubernetes/apps/ks.yaml (42 chars)</c>.</returns>
    public override string ToString() =>
        IsSecret ? $"{Path} (secret)" : $"{Path} ({Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)} chars)";
}

/// <summary>One entry the SDK needs in a list of a merged file.</summary>
/// <remarks>Entries of a <c>resources</c> or <c>components</c> list are relative paths: <c>./a</c>, <c>a</c> and
/// <c>a/</c> are the same entry. Other lists compare values exactly.</remarks>
public sealed record MergedEntry
{
    private MergedEntry(string list, string value, string? mappingYaml)
    {
        ArgumentException.ThrowIfNullOrEmpty(list);
        ArgumentNullException.ThrowIfNull(value);
        List = list;
        Value = value;
        MappingYaml = mappingYaml;
    }

    /// <summary>The list's key path from the document root, keys joined with '.': <c>resources</c>,
    /// <c>controlPlane.patches</c>, <c>creation_rules</c>.</summary>
    public string List { get; }

    /// <summary>The entry: a scalar value, or for a mapping entry the value of its first key (its identity).</summary>
    public string Value { get; }

    /// <summary>For a mapping entry: its block YAML at indentation 0, first key first; null for a scalar.</summary>
    public string? MappingYaml { get; }

    /// <summary>A scalar entry, e.g. <c>Scalar("resources", "./cilium/ks.yaml")</c>.</summary>
    /// <param name="list">The list's key path (keys joined with '.').</param>
    /// <param name="value">The value.</param>
    /// <returns>The entry.</returns>
    public static MergedEntry Scalar(string list, string value) => new(list, value, null);

    /// <summary>A mapping entry, e.g. a .sops.yaml creation rule identified by its <c>path_regex</c>.</summary>
    /// <param name="list">The list's key path (keys joined with '.').</param>
    /// <param name="identity">The value of the mapping's first key.</param>
    /// <param name="blockYaml">The mapping as block YAML at indentation 0, first key first.</param>
    /// <returns>The entry.</returns>
    public static MergedEntry Mapping(string list, string identity, string blockYaml)
    {
        ArgumentException.ThrowIfNullOrEmpty(blockYaml);
        return new(list, identity, blockYaml);
    }

    /// <summary>The list and value, e.g. <c>resources: ./cilium/ks.yaml</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{List}: {Value}";

    internal string[] KeyPath => List.Split('.');

    internal IEqualityComparer<string> Comparer =>
        List is "resources" or "components" || List.EndsWith(".resources", StringComparison.Ordinal) || List.EndsWith(".components", StringComparison.Ordinal)
            ? YamlListEditor.RelativePaths
            : StringComparer.Ordinal;

    internal bool SameAs(MergedEntry other) => List == other.List && Comparer.Equals(Value, other.Value);

    /// <summary>One string per distinct entry (list and value as the list compares it), for sets.</summary>
    internal string Key => List + "\0" + (ReferenceEquals(Comparer, YamlListEditor.RelativePaths) ? YamlListEditor.NormalizePath(Value) : Value);

    internal string KeyOf(string value) => List + "\0" + (ReferenceEquals(Comparer, YamlListEditor.RelativePaths) ? YamlListEditor.NormalizePath(value) : value);

    internal YamlListItem Item => MappingYaml is null ? YamlListItem.Of(Value) : YamlListItem.Mapping(Value, MappingYaml);
}
