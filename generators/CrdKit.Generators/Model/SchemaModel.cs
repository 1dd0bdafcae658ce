using System;

namespace CrdKit.Generators.Model;

// The parsed form of a CRD file. Every type here is a record of strings, numbers, bools and
// EquatableArray<T>: no Roslyn object and no reference-equal collection enters the pipeline,
// so an unchanged file compares equal and the incremental cache hits.

/// <summary>One opted-in file, parsed. Remarks: equatable by value (pipeline model).</summary>
internal sealed record CrdFile(
    string Path,
    string Namespace,
    EquatableArray<CrdModel> Crds,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>
    /// The severity the file's opt-in asks for rules and schema constraints Validate() cannot check
    /// (<c>KubernetesCrdUntranslatedRules="Warning"</c>); null keeps each diagnostic's default (Info).
    /// </summary>
    public string? UntranslatedSeverity { get; init; }
}

/// <summary>One CustomResourceDefinition. Remarks: equatable by value (pipeline model).</summary>
internal sealed record CrdModel(
    string Group,
    string Kind,
    string ListKind,
    string Plural,
    string Scope,
    string FilePath,
    int Line,
    EquatableArray<CrdVersion> Versions);

/// <summary>One version a CRD declares. Remarks: equatable by value (pipeline model).</summary>
internal sealed record CrdVersion(
    string Name,
    bool Served,
    bool Storage,
    bool Deprecated,
    SchemaNode Schema);

/// <summary>A property of an object schema. Remarks: equatable by value (pipeline model).</summary>
internal sealed record PropertyNode(string Name, SchemaNode Schema);

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>). Remarks: equatable by value (pipeline model); <see cref="Line"/>
/// (zero-based) only feeds diagnostics and is left out of shape keys.
/// </summary>
internal sealed record CelRule(string Rule, string? Message, string? FieldPath, string? AddedIn, string? RemovedIn, int Line = 0);

/// <summary>Enum values a release adds or removes. Remarks: equatable by value (pipeline model).</summary>
internal sealed record EnumVersioning(string Value, string? AddedIn, string? RemovedIn);

/// <summary>
/// One OpenAPI v3 structural schema node with the facts the generator maps and validates.
/// Remarks: equatable by value (pipeline model); <see cref="Line"/> only feeds diagnostics.
/// </summary>
internal sealed record SchemaNode
{
    public string Type { get; init; } = string.Empty;

    public string? Format { get; init; }

    public string? Pattern { get; init; }

    public EquatableArray<string> Enum { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<EnumVersioning> EnumVersions { get; init; } = EquatableArray<EnumVersioning>.Empty;

    public string? Minimum { get; init; }

    public string? Maximum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public EquatableArray<PropertyNode> Properties { get; init; } = EquatableArray<PropertyNode>.Empty;

    public bool HasProperties { get; init; }

    public EquatableArray<string> Required { get; init; } = EquatableArray<string>.Empty;

    public SchemaNode? Items { get; init; }

    public SchemaNode? AdditionalProperties { get; init; }

    public bool IntOrString { get; init; }

    public bool PreserveUnknownFields { get; init; }

    public bool EmbeddedResource { get; init; }

    public bool Nullable { get; init; }

    public string? ListType { get; init; }

    public EquatableArray<string> ListMapKeys { get; init; } = EquatableArray<string>.Empty;

    public string? MapType { get; init; }

    /// <summary><c>oneOf</c> in the "exactly one of these required sets" form; each entry joins names with ','.</summary>
    public EquatableArray<string> OneOf { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>anyOf</c> in the "at least one of these required sets" form.</summary>
    public EquatableArray<string> AnyOf { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<CelRule> Rules { get; init; } = EquatableArray<CelRule>.Empty;

    /// <summary><c>allOf</c> sub-schemas (value validation only: they never change the C# type).</summary>
    public EquatableArray<SchemaNode> AllOfSchemas { get; init; } = EquatableArray<SchemaNode>.Empty;

    /// <summary><c>anyOf</c> sub-schemas in a form other than required sets (see <see cref="AnyOf"/>).</summary>
    public EquatableArray<SchemaNode> AnyOfSchemas { get; init; } = EquatableArray<SchemaNode>.Empty;

    /// <summary><c>oneOf</c> sub-schemas in a form other than required sets (see <see cref="OneOf"/>).</summary>
    public EquatableArray<SchemaNode> OneOfSchemas { get; init; } = EquatableArray<SchemaNode>.Empty;

    /// <summary>The <c>not</c> sub-schema, or null.</summary>
    public SchemaNode? Not { get; init; }

    /// <summary>The schema default as compact JSON text.</summary>
    public string? DefaultJson { get; init; }

    public string? Description { get; init; }

    /// <summary>A type name chosen by the schema author (<c>x-csharp-type-name</c> or a named definition).</summary>
    public string? TypeName { get; init; }

    /// <summary>A property name chosen by the schema author (<c>x-csharp-property-name</c>).</summary>
    public string? PropertyName { get; init; }

    /// <summary>First release that has this field (<c>x-crdkit-added-in</c>).</summary>
    public string? AddedIn { get; init; }

    /// <summary>First release that no longer has this field (<c>x-crdkit-removed-in</c>).</summary>
    public string? RemovedIn { get; init; }

    public int Line { get; init; }
}

/// <summary>A diagnostic raised while parsing, located in the CRD file. Remarks: equatable (pipeline model).</summary>
internal sealed record DiagnosticInfo(
    string Id,
    string FilePath,
    int Line,
    int Column,
    EquatableArray<string> Arguments)
{
    /// <summary>A severity that replaces the descriptor's default ("Info", "Warning", "Error"), or null.</summary>
    public string? Severity { get; init; }

    public static DiagnosticInfo Create(string id, string filePath, int line, int column, params string[] arguments) =>
        new(id, filePath, line, column, arguments.ToEquatableArray());
}
