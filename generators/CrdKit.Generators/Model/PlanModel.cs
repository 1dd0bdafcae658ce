namespace CrdKit.Generators.Model;

// What the emitters write, after naming and de-duplication. Equatable like the parse models, so a
// unit whose content did not change is Unchanged and its source is not written again.

/// <summary>How a property's value is represented in C#.</summary>
internal enum RefKind
{
    String,
    Int32,
    Int64,
    Double,
    Boolean,
    IntOrString,
    Json,
    Enum,
    Record,
    Known,
    List,
    Map,
}

/// <summary>A C# type reference. Remarks: equatable by value (pipeline model).</summary>
internal sealed record TypeRef(RefKind Kind, string FullName, TypeRef? Element)
{
    public static readonly TypeRef String = new(RefKind.String, "string", null);
    public static readonly TypeRef Int32 = new(RefKind.Int32, "int", null);
    public static readonly TypeRef Int64 = new(RefKind.Int64, "long", null);
    public static readonly TypeRef Double = new(RefKind.Double, "double", null);
    public static readonly TypeRef Boolean = new(RefKind.Boolean, "bool", null);
    public static readonly TypeRef IntOrString = new(RefKind.IntOrString, "global::CrdKit.Serialization.IntOrString", null);
    public static readonly TypeRef Json = new(RefKind.Json, "global::System.Text.Json.Nodes.JsonNode", null);

    public bool IsValueType => Kind is RefKind.Int32 or RefKind.Int64 or RefKind.Double or RefKind.Boolean or RefKind.IntOrString or RefKind.Enum;

    /// <summary>The C# type expression, without nullability.</summary>
    public string CSharp => Kind switch
    {
        RefKind.List => $"global::System.Collections.Generic.IList<{Element!.CSharp}>",
        RefKind.Map => $"global::System.Collections.Generic.IDictionary<string, {Element!.CSharp}>",
        _ => FullName,
    };
}

/// <summary>A property to emit. Remarks: equatable by value (pipeline model).</summary>
internal sealed record PropertyPlan(string WireName, string Name, TypeRef Type, bool Required, SchemaNode Schema);

/// <summary>What makes a record a Kubernetes root object. Remarks: equatable by value (pipeline model).</summary>
internal sealed record RootInfo(
    string Group,
    string Version,
    string Kind,
    string ListKind,
    string Plural,
    string Scope,
    bool Storage,
    bool Deprecated,
    string? SpecType,
    string? StatusType)
{
    /// <summary>The C# name of the list type (the list kind, unless the kind was renamed for a clash).</summary>
    public string ListTypeName { get; init; } = ListKind;
}

/// <summary>A record to emit. Remarks: equatable by value (pipeline model).</summary>
internal sealed record RecordPlan(
    string Namespace,
    string Name,
    string? Description,
    EquatableArray<PropertyPlan> Properties,
    SchemaNode Schema,
    RootInfo? Root,
    EquatableArray<string> UsedAt)
{
    /// <summary>The CEL rules of this object and its scalar/list properties, translated (or why not).</summary>
    public EquatableArray<RuleCheck> Rules { get; init; } = EquatableArray<RuleCheck>.Empty;

    /// <summary>The allOf/anyOf/oneOf/not forms of this object and its non-object properties, as C# conditions.</summary>
    public EquatableArray<FormCheck> Forms { get; init; } = EquatableArray<FormCheck>.Empty;
}

/// <summary>
/// One schema form (allOf/anyOf/oneOf/not) as Validate() checks it: <see cref="Property"/> is the wire name of the
/// property it constrains, or null for the object; <see cref="Condition"/> is true when it holds, written over
/// <c>this</c> or <c>cel_self</c>. Remarks: equatable by value (pipeline model).
/// </summary>
internal sealed record FormCheck(string? Property, string Condition, string Message, string Fix);

/// <summary>How a CEL rule is handled offline.</summary>
internal enum RuleKind
{
    /// <summary>Translated into a C# check.</summary>
    Checked,

    /// <summary>A transition rule (<c>oldSelf</c>): needs the stored object, so not checkable offline.</summary>
    Transition,

    /// <summary>Outside the translator's subset: kept as a comment, reported as a warning.</summary>
    Unsupported,
}

/// <summary>
/// One CEL rule as Validate() handles it. <see cref="Property"/> is the wire name of the scalar or list property
/// that carries the rule, or null for the object itself; <see cref="Condition"/> is the C# test (true = holds),
/// written over <c>this</c> or, for a property, over <c>cel_self</c>. Remarks: equatable by value (pipeline model).
/// </summary>
internal sealed record RuleCheck(
    string Rule,
    string? Property,
    RuleKind Kind,
    string? Condition,
    string Message,
    string? FieldPath,
    string? Reason,
    string? AddedIn,
    string? RemovedIn);

/// <summary>An enum member with its wire value. Remarks: equatable by value (pipeline model).</summary>
internal sealed record EnumMemberPlan(string WireValue, string Name, string? AddedIn, string? RemovedIn);

/// <summary>An enum to emit. Remarks: equatable by value (pipeline model).</summary>
internal sealed record EnumPlan(string Namespace, string Name, EquatableArray<EnumMemberPlan> Members, EquatableArray<string> UsedAt);

/// <summary>One generated source file. Remarks: equatable by value (pipeline model).</summary>
internal sealed record EmitUnit(
    string HintName,
    EquatableArray<RecordPlan> Records,
    EquatableArray<EnumPlan> Enums,
    ContextPlan? Context);

/// <summary>The serializer context of one namespace. Remarks: equatable by value (pipeline model).</summary>
internal sealed record ContextPlan(string Namespace, string Name, EquatableArray<string> RecordTypes, EquatableArray<string> EnumTypes);

/// <summary>Everything to emit, plus diagnostics found while shaping. Remarks: equatable (pipeline model).</summary>
internal sealed record GenerationPlan(EquatableArray<EmitUnit> Units, EquatableArray<DiagnosticInfo> Diagnostics);
