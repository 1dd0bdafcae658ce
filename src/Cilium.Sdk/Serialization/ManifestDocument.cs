using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Validation;
using CrdKit.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Serialization;

/// <summary>
/// One document of a manifest file as <see cref="Manifests.ReadAll"/> read it: where it is (file, index, line and
/// column), what it is (apiVersion, kind, name), its JSON, and its typed record when the kind is registered.
/// </summary>
public sealed class ManifestDocument
{
    private readonly CrdYamlDocument document;

    internal ManifestDocument(string? file, CrdYamlDocument document, ManifestKind? kind, object? resource, ManifestException? error)
    {
        File = file;
        this.document = document;
        Type = kind;
        Resource = resource;
        Error = error ?? document.Error;
        if (document.Root is JsonObject obj)
        {
            ApiVersion = Text(obj, "apiVersion");
            Kind = Text(obj, "kind");
            if (obj["metadata"] is JsonObject metadata)
            {
                Name = Text(metadata, "name");
                Namespace = Text(metadata, "namespace");
            }
        }
    }

    /// <summary>The file the document was read from, as given; null for text.</summary>
    public string? File { get; }

    /// <summary>The 0-based position of the document in its file (empty documents count).</summary>
    public int Index => document.Index;

    /// <summary>The 1-based line where the document starts.</summary>
    public int Line => document.Line;

    /// <summary>The 1-based column where the document starts.</summary>
    public int Column => document.Column;

    /// <summary>The document as JSON, or null when it is not valid YAML for kubectl (see <see cref="Error"/>).</summary>
    public JsonNode? Node => document.Root;

    /// <summary>The <c>apiVersion</c> (null when missing or not a string).</summary>
    public string? ApiVersion { get; }

    /// <summary>The <c>kind</c> (null when missing or not a string).</summary>
    public string? Kind { get; }

    /// <summary>The API group of <see cref="ApiVersion"/> (<c>cilium.io</c>; empty for the core group; null without apiVersion).</summary>
    public string? Group => ApiVersion is null ? null : ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary>The <c>metadata.name</c>, or null.</summary>
    public string? Name { get; }

    /// <summary>The <c>metadata.namespace</c>, or null.</summary>
    public string? Namespace { get; }

    /// <summary>The registered kind the document was read as, or null when its apiVersion and kind are not registered.</summary>
    public ManifestKind? Type { get; }

    /// <summary>The typed record (of <see cref="ManifestKind.Type"/>), or null when the kind is not registered or the
    /// document does not fit it (see <see cref="Error"/>).</summary>
    public object? Resource { get; }

    /// <summary>Why the document could not be read: not YAML kubectl accepts, or a value that does not fit the
    /// registered type. The line and column are those of the original text. Null when it was read.</summary>
    public ManifestException? Error { get; }

    /// <summary>Whether the document is of a Cilium API group (<c>cilium.io</c>).</summary>
    public bool IsCilium => Group is "cilium.io" || (Group?.EndsWith(".cilium.io", StringComparison.Ordinal) ?? false);

    /// <summary>"Kind namespace/name" (or "Kind name"), for messages.</summary>
    public string Title
    {
        get
        {
            var name = Namespace is null ? Name : Namespace + "/" + Name;
            return (Kind ?? "document") + (name is null ? string.Empty : " " + name);
        }
    }

    /// <summary>The line and column of a field in the original text (see <see cref="CrdYamlDocument.PositionOf"/>).</summary>
    /// <param name="fieldPath">E.g. <c>spec.blocks[0].cidr</c>; empty for the document.</param>
    /// <returns>1-based line and column.</returns>
    public (int Line, int Column) PositionOf(string fieldPath) => document.PositionOf(fieldPath);

    /// <summary>
    /// Every problem of this document for <paramref name="version"/>: the read error, if any, else every schema, CEL and
    /// agent-layer violation of the record (each item of a list kind), each at its line in the original text. Documents
    /// of a kind that is not registered have none here.
    /// </summary>
    /// <param name="version">The Cilium release (used for Cilium kinds; other kinds are validated without one).</param>
    /// <returns>The findings, in the order found.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is not a supported release (e.g. <c>default</c>).</exception>
    public IReadOnlyList<ManifestFinding> Validate(CiliumVersion version)
    {
        CiliumValidation.Require(version);
        if (Error is not null)
        {
            return [FromReadError(Error)];
        }

        if (Resource is null || Type is null)
        {
            return [];
        }

        var context = new ValidationContext(IsCilium ? version.ToString() : null);
        if (Type.IsList)
        {
            var i = 0;
            foreach (var item in Type.ItemsOf(Resource))
            {
                if (item is IValidatable validatable)
                {
                    context.Validate(validatable, ValidationPath.Index("items", i));
                }

                i++;
            }
        }
        else if (Resource is IValidatable validatable)
        {
            context.Validate(validatable, string.Empty);
        }

        // One mistake, one error: the API server refuses a value before the agent ever sees it, so an agent-layer
        // error at a field the schema already rejects is not reported again.
        var refused = context.Errors.Where(e => e.IsError && e.Layer == ValidationLayers.Schema).Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        return context.Errors.Where(e => !(e.Layer == ValidationLayers.Agent && refused.Contains(e.Path))).Select(At).ToList();
    }

    /// <summary>A finding at the field <paramref name="error"/> names, in this document.</summary>
    /// <param name="error">The problem.</param>
    /// <returns>The finding.</returns>
    public ManifestFinding At(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (line, column) = PositionOf(error.Path);
        return new ManifestFinding(File, line, column, error) { DocumentIndex = Index, Document = Kind is null && Name is null ? null : Title };
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File ?? "<text>"}:{Line}:{Column}: {Title}");

    internal ManifestFinding FromReadError(ManifestException error)
    {
        // A value that does not fit the schema's type is what the API server refuses; text kubectl cannot decode is the YAML's.
        var layer = error.FieldPath is null ? ManifestFinding.YamlLayer : ValidationLayers.Schema;
        var (message, fix) = ManifestFinding.SplitFix(error.Detail, layer == ValidationLayers.Schema
            ? "give the field a value of the type the schema declares"
            : "fix the YAML there");
        var problem = new ValidationError(error.FieldPath ?? string.Empty, null, message, fix, layer);
        var (line, column) = error.Line is { } l ? (l, error.Column ?? 1) : PositionOf(error.FieldPath ?? string.Empty);
        return new ManifestFinding(File, line, column, problem) { DocumentIndex = Index, Document = Kind is null && Name is null ? null : Title };
    }

    private static string? Text(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>Every document of one file or text, as <see cref="Manifests.ReadAll"/> read them.</summary>
public sealed class ManifestReadResult : IReadOnlyList<ManifestDocument>
{
    private readonly IReadOnlyList<ManifestDocument> documents;

    internal ManifestReadResult(string? file, IReadOnlyList<ManifestDocument> documents, ManifestException? error)
    {
        File = file;
        this.documents = documents;
        Error = error;
    }

    /// <summary>The file, as given; null for text.</summary>
    public string? File { get; }

    /// <summary>The syntax error that stopped reading (the documents before it are kept), or null.</summary>
    public ManifestException? Error { get; }

    /// <inheritdoc />
    public int Count => documents.Count;

    /// <inheritdoc />
    public ManifestDocument this[int index] => documents[index];

    /// <summary>The typed records of the documents whose kind is registered and that were read.</summary>
    public IReadOnlyList<object> Resources => documents.Where(d => d.Resource is not null).Select(d => d.Resource!).ToList();

    /// <summary>Every read error: the syntax error that stopped reading, and each document that could not be read,
    /// each with the file, line and column of the original text.</summary>
    public IReadOnlyList<ManifestFinding> Errors
    {
        get
        {
            var errors = documents.Where(d => d.Error is not null).Select(d => d.FromReadError(d.Error!)).ToList();
            if (Error is not null)
            {
                var (message, fix) = ManifestFinding.SplitFix(Error.Detail, "fix the YAML there");
                errors.Add(new ManifestFinding(File, Error.Line ?? 1, Error.Column ?? 1, new ValidationError(string.Empty, null, message, fix, ManifestFinding.YamlLayer)));
            }

            return errors;
        }
    }

    /// <summary>The read errors and every document's problems for <paramref name="version"/> (see <see cref="ManifestDocument.Validate(CiliumVersion)"/>).</summary>
    /// <param name="version">The Cilium release.</param>
    /// <returns>The findings, by position.</returns>
    public IReadOnlyList<ManifestFinding> Validate(CiliumVersion version)
    {
        var findings = documents.SelectMany(d => d.Validate(version)).ToList();
        if (Error is not null)
        {
            findings.AddRange(Errors.Where(e => e.DocumentIndex is null));
        }

        return ManifestFinding.Sort(findings);
    }

    /// <inheritdoc />
    public IEnumerator<ManifestDocument> GetEnumerator() => documents.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
