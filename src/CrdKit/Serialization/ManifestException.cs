using System;
using System.Globalization;

namespace CrdKit.Serialization;

/// <summary>
/// A YAML manifest that cannot be read or written: bad YAML syntax, a construct this SDK refuses (custom tags,
/// duplicate keys, alias bombs), an unknown kind, or a value that does not fit the generated type.
/// </summary>
/// <remarks>
/// The message says where (line and column when known, the field path when known), what is wrong and how to fix
/// it. The underlying YamlDotNet or System.Text.Json exception, if any, is the <see cref="Exception.InnerException"/>;
/// no YamlDotNet exception type escapes the manifest API.
/// </remarks>
public sealed class ManifestException : Exception
{
    /// <summary>Creates the exception with a message only.</summary>
    public ManifestException()
        : base("The manifest could not be processed.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public ManifestException(string message)
        : base(message)
    {
        Detail = message;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public ManifestException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Detail = message;
    }

    private ManifestException(string message, string detail, int? line, int? column, string? fieldPath, Exception? innerException, string? file = null, int? documentIndex = null)
        : base(message, innerException)
    {
        Detail = detail;
        Line = line;
        Column = column;
        FieldPath = fieldPath;
        File = file;
        DocumentIndex = documentIndex;
    }

    /// <summary>The file the offending YAML was read from, when known.</summary>
    public string? File { get; }

    /// <summary>The 0-based position of the offending document in its file or stream (empty documents count), when known.</summary>
    public int? DocumentIndex { get; }

    /// <summary>The 1-based line of the offending YAML, when known.</summary>
    public int? Line { get; }

    /// <summary>The 1-based column of the offending YAML, when known.</summary>
    public int? Column { get; }

    /// <summary>The field path of the offending value (e.g. <c>spec.egress[0].toPorts[0].ports[0].port</c>), when known.</summary>
    public string? FieldPath { get; }

    /// <summary>What is wrong and how to fix it, without the position.</summary>
    public string Detail { get; } = string.Empty;

    /// <summary>An error at a position in the YAML text.</summary>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    /// <param name="detail">What is wrong and how to fix it.</param>
    /// <param name="inner">The cause, if any.</param>
    /// <returns>The exception.</returns>
    internal static ManifestException At(long line, long column, string detail, Exception? inner = null)
    {
        var l = (int)Math.Min(line, int.MaxValue);
        var c = (int)Math.Min(column, int.MaxValue);
        var message = string.Create(CultureInfo.InvariantCulture, $"line {l}, column {c}: {detail}");
        return new ManifestException(message, detail, l, c, null, inner);
    }

    /// <summary>
    /// <paramref name="error"/> placed in its file and document: the message becomes
    /// <c>file:line:column: document N (title): field: detail</c>; line, column, field path and detail are kept.
    /// </summary>
    /// <param name="error">The error, with the line and column of the original text when known.</param>
    /// <param name="file">The file, or null for text.</param>
    /// <param name="documentIndex">The 0-based document index.</param>
    /// <param name="title">What the document is (e.g. <c>CiliumNetworkPolicy shop/web</c>), or null.</param>
    /// <param name="line">The line to use when <paramref name="error"/> has none (e.g. the field's key).</param>
    /// <param name="column">The column to use when <paramref name="error"/> has none.</param>
    /// <returns>The exception.</returns>
    internal static ManifestException InDocument(ManifestException error, string? file, int documentIndex, string? title, int? line = null, int? column = null)
    {
        var l = error.Line ?? line;
        var c = error.Column ?? column;
        var where = (file ?? "<text>") + (l is { } ln ? string.Create(CultureInfo.InvariantCulture, $":{ln}:{c ?? 1}") : string.Empty);
        var document = string.Create(CultureInfo.InvariantCulture, $"document {documentIndex}") + (title is null ? string.Empty : " (" + title + ")");
        var path = string.IsNullOrEmpty(error.FieldPath) ? string.Empty : error.FieldPath + ": ";
        return new ManifestException($"{where}: {document}: {path}{error.Detail}", error.Detail, l, c, error.FieldPath, error, file, documentIndex);
    }

    /// <summary>An error at a field of a manifest, optionally with the YAML position of that field.</summary>
    /// <param name="fieldPath">The field path; empty for the whole document.</param>
    /// <param name="line">1-based line, if known.</param>
    /// <param name="column">1-based column, if known.</param>
    /// <param name="detail">What is wrong and how to fix it.</param>
    /// <param name="inner">The cause, if any.</param>
    /// <returns>The exception.</returns>
    internal static ManifestException AtField(string fieldPath, int? line, int? column, string detail, Exception? inner = null)
    {
        var where = line is { } l && column is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"line {l}, column {c}: ")
            : string.Empty;
        var path = fieldPath.Length == 0 ? string.Empty : fieldPath + ": ";
        return new ManifestException(where + path + detail, detail, line, column, fieldPath, inner);
    }
}
