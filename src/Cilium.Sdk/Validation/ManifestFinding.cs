using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Cluster;
using CrdKit.Validation;

namespace Cilium.Sdk.Validation;

/// <summary>
/// A <see cref="ValidationError"/> found in a manifest, with the file, line and column of the original text where it
/// is: what <see cref="Serialization.ManifestDocument.Validate(CiliumVersion)"/>, <see cref="ManifestSet.Validate(CiliumVersion)"/> and
/// <c>cilium-sdk lint</c> report.
/// </summary>
/// <param name="File">The file, as given; null for text.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Error">The problem: path, value, message, fix, layer and severity.</param>
public sealed record ManifestFinding(string? File, int Line, int Column, ValidationError Error)
{
    /// <summary>The layer of text that is not a YAML stream kubectl decodes (syntax, duplicate keys, tags, alias bombs).</summary>
    public const string YamlLayer = "yaml";

    /// <summary>The 0-based index of the document in its file, or null for a problem of the file itself.</summary>
    public int? DocumentIndex { get; init; }

    /// <summary>"Kind namespace/name" of the document, or null for a problem of the file itself.</summary>
    public string? Document { get; init; }

    /// <summary>True for an error, false for a warning.</summary>
    public bool IsError => Error.IsError;

    /// <summary>One line as compilers print them: <c>file:line:column: severity: message</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var severity = IsError ? "error" : "warning";
        return string.Create(CultureInfo.InvariantCulture, $"{File ?? "<text>"}:{Line}:{Column}: {severity}: {Describe()}");
    }

    /// <summary>The message without position and severity: the document, the field, what is wrong, the value, the fix and the layer.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        var at = Error.Path.Length == 0 ? string.Empty : Error.Path + ": ";
        var value = Error.Value is null ? string.Empty : $" (value: {Error.Value})";
        var document = Document is null ? string.Empty : Document + ": ";
        return $"{document}{at}{Error.Message}{value}; fix: {Error.Fix} [{Error.Layer}]";
    }

    /// <summary>Orders findings by file, line, column, then message (deterministic output).</summary>
    internal static IReadOnlyList<ManifestFinding> Sort(IEnumerable<ManifestFinding> findings) =>
        findings.OrderBy(f => f.File ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(f => f.Line).ThenBy(f => f.Column)
            .ThenBy(f => f.Error.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Error.Message, StringComparer.Ordinal)
            .ToList();

    /// <summary>Splits a reader's "what is wrong; how to fix it" detail; <paramref name="fallback"/> when it names no fix.</summary>
    internal static (string Message, string Fix) SplitFix(string detail, string fallback)
    {
        var cut = detail.IndexOf("; ", StringComparison.Ordinal);
        return cut < 0 ? (detail, fallback) : (detail[..cut], detail[(cut + 2)..]);
    }
}
