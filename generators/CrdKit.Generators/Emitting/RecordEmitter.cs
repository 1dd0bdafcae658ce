using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Emitting;

/// <summary>Emits a sealed partial record (a root kind or a nested shape) and, for roots, its list type.</summary>
internal static class RecordEmitter
{
    private const string Meta = Emitter.KubernetesModelsAlias + ".V1ObjectMeta";
    private const string ListMeta = Emitter.KubernetesModelsAlias + ".V1ListMeta";
    private const string AdditionalProperties = "public " + Emitter.JsonAlias + ".Nodes.JsonObject? AdditionalProperties { get; set; }";

    public static void Emit(SourceWriter w, RecordPlan record)
    {
        var root = record.Root;
        w.Doc("summary", Described(record.Description) ?? (root is not null ? $"{root.Kind} ({root.Group}/{root.Version})." : $"Part of {string.Join(", ", record.UsedAt.Select(u => u.Split(':')[0]).Distinct())}."));
        if (root is not null)
        {
            var remarks = $"API version <c>{root.Group}/{root.Version}</c>, {root.Scope.ToLowerInvariant()}, plural <c>{root.Plural}</c>."
                + (root.Storage ? " This is the storage version." : string.Empty)
                + (root.Deprecated ? " This version is deprecated." : string.Empty);
            w.Doc("remarks", remarks);
            w.Line($"[{Emitter.KubernetesModelsAlias}.KubernetesEntity(Group = {SourceWriter.Literal(root.Group)}, Kind = {SourceWriter.Literal(root.Kind)}, ApiVersion = {SourceWriter.Literal(root.Version)}, PluralName = {SourceWriter.Literal(root.Plural)})]");
        }
        else if (!record.UsedAt.IsEmpty)
        {
            w.Doc("remarks", "Used at " + string.Join("; ", record.UsedAt) + ".");
        }

        w.Line(Emitter.GeneratedCode);
        w.Line($"[{Emitter.JsonAlias}.Serialization.JsonConverter(typeof({record.Name}JsonConverter))]");
        var interfaces = Emitter.ValidationAlias + ".IValidatable";
        if (root is not null)
        {
            interfaces = $"global::k8s.IKubernetesObject<{Meta}>, " + interfaces;
            var spec = record.Properties.FirstOrDefault(p => p.WireName == "spec");
            var status = record.Properties.FirstOrDefault(p => p.WireName == "status");
            if (spec is not null && spec.Name == "Spec")
            {
                interfaces += $", {Emitter.KubernetesModelsAlias}.ISpec<{PropertyType(spec, record.Namespace)}>";
            }

            if (status is not null && status.Name == "Status")
            {
                interfaces += $", {Emitter.KubernetesModelsAlias}.IStatus<{PropertyType(status, record.Namespace)}>";
            }
        }

        w.Open($"public sealed partial record {record.Name} : {interfaces}");
        if (root is not null)
        {
            EmitRootMembers(w, root);
        }

        foreach (var property in record.Properties)
        {
            EmitProperty(w, property, record.Namespace);
        }

        w.Doc("summary", "Fields the schema does not declare, kept so that read-modify-write loses nothing.");
        w.Line(AdditionalProperties);
        w.Line();
        var fields = new System.Collections.Generic.List<EqualityEmitter.Field>();
        if (root is not null)
        {
            fields.Add(new("ApiVersion", TypeRef.String));
            fields.Add(new("Kind", TypeRef.String));
            fields.Add(new("Metadata", new TypeRef(RefKind.Known, Meta, null)));
        }

        fields.AddRange(record.Properties.Select(p => new EqualityEmitter.Field(p.Name, p.Type)));
        fields.Add(new("AdditionalProperties", TypeRef.Json));
        EqualityEmitter.Emit(w, record.Name, record.Namespace, fields);
        ValidationEmitter.Emit(w, record);
        w.Close();
        w.Line();
    }

    public static void EmitList(SourceWriter w, RecordPlan record)
    {
        var root = record.Root!;
        w.Doc("summary", $"A list of <see cref=\"{record.Name}\"/> ({root.Group}/{root.Version}).");
        w.Line(Emitter.GeneratedCode);
        w.Line($"[{Emitter.KubernetesModelsAlias}.KubernetesEntity(Group = {SourceWriter.Literal(root.Group)}, Kind = {SourceWriter.Literal(root.ListKind)}, ApiVersion = {SourceWriter.Literal(root.Version)}, PluralName = {SourceWriter.Literal(root.Plural)})]");
        w.Line($"[{Emitter.JsonAlias}.Serialization.JsonConverter(typeof({root.ListTypeName}JsonConverter))]");
        w.Open($"public sealed partial record {root.ListTypeName} : global::k8s.IKubernetesObject<{ListMeta}>, {Emitter.KubernetesModelsAlias}.IItems<{record.Name}>");
        Const(w, "KubeApiVersion", root.Version, "The API version without the group.");
        Const(w, "KubeKind", root.ListKind, "The list kind.");
        Const(w, "KubeGroup", root.Group, "The API group.");
        w.Doc("summary", "The <c>apiVersion</c> field.");
        w.Line($"public string ApiVersion {{ get; set; }} = {SourceWriter.Literal(root.Group + "/" + root.Version)};");
        w.Doc("summary", "The <c>kind</c> field.");
        w.Line($"public string Kind {{ get; set; }} = {SourceWriter.Literal(root.ListKind)};");
        w.Doc("summary", "List metadata.");
        w.Line($"public {ListMeta} Metadata {{ get; set; }} = new();");
        w.Doc("summary", "The items.");
        w.Line($"public {Emitter.CollectionsAlias}.IList<{record.Name}> Items {{ get; set; }} = new {Emitter.CollectionsAlias}.List<{record.Name}>();");
        w.Doc("summary", "Top-level fields of the list that are not declared, kept so that read-modify-write loses nothing.");
        w.Line(AdditionalProperties);
        w.Line();
        EqualityEmitter.Emit(w, root.ListTypeName, record.Namespace, new EqualityEmitter.Field[]
        {
            new("ApiVersion", TypeRef.String),
            new("Kind", TypeRef.String),
            new("Metadata", new TypeRef(RefKind.Known, ListMeta, null)),
            new("Items", new TypeRef(RefKind.List, string.Empty, new TypeRef(RefKind.Record, "global::" + record.Namespace + "." + record.Name, null))),
            new("AdditionalProperties", TypeRef.Json),
        });
        w.Close();
        w.Line();
    }

    private static void EmitRootMembers(SourceWriter w, RootInfo root)
    {
        Const(w, "KubeApiVersion", root.Version, "The API version without the group.");
        Const(w, "KubeKind", root.Kind, "The kind.");
        Const(w, "KubeGroup", root.Group, "The API group.");
        Const(w, "KubePluralName", root.Plural, "The plural resource name.");
        w.Doc("summary", "Whether this version is the CRD's storage version.");
        w.Line($"public const bool IsStorageVersion = {(root.Storage ? "true" : "false")};");
        w.Line();
        w.Doc("summary", "The <c>apiVersion</c> field.");
        w.Line($"public string ApiVersion {{ get; set; }} = {SourceWriter.Literal(root.Group + "/" + root.Version)};");
        w.Line();
        w.Doc("summary", "The <c>kind</c> field.");
        w.Line($"public string Kind {{ get; set; }} = {SourceWriter.Literal(root.Kind)};");
        w.Line();
        w.Doc("summary", "Standard object metadata.");
        w.Line($"public {Meta} Metadata {{ get; set; }} = new();");
        w.Line();
    }

    private static void Const(SourceWriter w, string name, string value, string doc)
    {
        w.Doc("summary", doc);
        w.Line($"public const string {name} = {SourceWriter.Literal(value)};");
    }

    private static void EmitProperty(SourceWriter w, PropertyPlan property, string ns)
    {
        var schema = property.Schema;
        w.Doc("summary", Described(schema.Description) ?? $"The <c>{SourceWriter.Escape(property.WireName)}</c> field.");
        var remarks = Facts(property);
        if (remarks.Length > 0)
        {
            w.Doc("remarks", remarks);
        }

        w.Line($"[{Emitter.PropertyNameAlias}({SourceWriter.Literal(property.WireName)})]");
        var required = property.Required ? "required " : string.Empty;
        w.Line($"public {required}{PropertyType(property, ns)} {property.Name} {{ get; set; }}");
        w.Line();

        if (schema.DefaultJson is { } json)
        {
            w.Doc("summary", $"The schema default of <see cref=\"{property.Name}\"/> as JSON: <c>{SourceWriter.Escape(json)}</c>.");
            w.Line($"public const string {property.Name}DefaultJson = {SourceWriter.Literal(json)};");
            w.Line();
        }
    }

    /// <summary>Wire name (unless plainly the property's), Kubernetes markers and bounds, so IntelliSense shows what Validate() enforces.</summary>
    private static string Facts(PropertyPlan property)
    {
        var s = property.Schema;
        // The wire name only when it is not the property's name with a lower-case first letter (toPorts for ToPorts).
        var camel = property.Name.Length > 0 && property.WireName == char.ToLowerInvariant(property.Name[0]) + property.Name.Substring(1);
        var facts = new System.Collections.Generic.List<string>();
        if (!camel)
        {
            facts.Add($"Wire name <c>{SourceWriter.Escape(property.WireName)}</c>.");
        }

        if (property.Required)
        {
            facts.Add("Required.");
        }

        if (s.Format is not null)
        {
            facts.Add($"Format <c>{SourceWriter.Escape(s.Format)}</c>.");
        }

        if (s.Pattern is not null)
        {
            facts.Add($"Pattern <c>{SourceWriter.Escape(s.Pattern)}</c>.");
        }

        if (s.Minimum is not null || s.Maximum is not null)
        {
            facts.Add(SourceWriter.Escape($"Range {(s.ExclusiveMinimum ? "(" : "[")}{s.Minimum ?? "-inf"}, {s.Maximum ?? "inf"}{(s.ExclusiveMaximum ? ")" : "]")}."));
        }

        if (s.MinLength is not null || s.MaxLength is not null)
        {
            facts.Add($"Length {Invariant(s.MinLength ?? 0)} to {(s.MaxLength is null ? "any" : Invariant(s.MaxLength.Value))}.");
        }

        if (s.MinItems is not null || s.MaxItems is not null)
        {
            facts.Add($"Items {Invariant(s.MinItems ?? 0)} to {(s.MaxItems is null ? "any" : Invariant(s.MaxItems.Value))}.");
        }

        if (s.ListType is not null)
        {
            facts.Add($"List type <c>{SourceWriter.Escape(s.ListType)}</c>{(s.ListMapKeys.IsEmpty ? string.Empty : " keyed by " + SourceWriter.Escape(string.Join(", ", s.ListMapKeys)))}.");
        }

        if (s.IntOrString)
        {
            facts.Add("Integer or string.");
        }

        if (s.AddedIn is not null)
        {
            facts.Add($"Available from version {SourceWriter.Escape(s.AddedIn)}.");
        }

        if (s.RemovedIn is not null)
        {
            facts.Add($"Removed in version {SourceWriter.Escape(s.RemovedIn)}.");
        }

        return string.Join(" ", facts);
    }

    /// <summary>The compiler host may run under any culture; generated text must not depend on it.</summary>
    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? Described(string? description) => description is null ? null : SourceWriter.Escape(description);

    public static string PropertyType(PropertyPlan property, string ns) =>
        Emitter.TypeName(property.Type, ns) + (property.Required ? string.Empty : "?");
}
