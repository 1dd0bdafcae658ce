using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Shaping;

/// <summary>
/// Decides which C# types exist and what they are called. Walks every CRD version of one namespace, folds
/// structurally identical object and enum schemas into one shape (across paths, versions and CRDs), then names
/// each shape Kind + the shortest property-path suffix no other shape wants, unless the schema author chose a name.
/// </summary>
internal sealed class TypePlanner
{
    private readonly string ns;
    private readonly Dictionary<string, Shape> shapesByCanon = new(StringComparer.Ordinal);
    private readonly List<Shape> shapes = new();
    private readonly List<DiagnosticInfo> diagnostics = new();
    private readonly Dictionary<string, string> filesByKind = new(StringComparer.Ordinal);
    private readonly Dictionary<CrdModel, string> typeKinds = new();
    private readonly CancellationToken cancellationToken;

    private TypePlanner(string ns, CancellationToken cancellationToken)
    {
        this.ns = ns;
        this.cancellationToken = cancellationToken;
    }

    public static GenerationPlan Plan(ImmutableArray<CrdFile> files, CancellationToken cancellationToken)
    {
        var units = new List<EmitUnit>();
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var group in files.GroupBy(f => f.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var planner = new TypePlanner(group.Key, cancellationToken);
            units.AddRange(planner.PlanNamespace(group.OrderBy(f => f.Path, StringComparer.Ordinal)));

            // What Validate() cannot check is Info unless the file's opt-in asks for more.
            var severities = group.Where(f => f.UntranslatedSeverity is not null).ToDictionary(f => f.Path, f => f.UntranslatedSeverity, StringComparer.Ordinal);
            diagnostics.AddRange(planner.diagnostics.Select(d =>
                d.Id is "CRDGEN010" or "CRDGEN013" && severities.TryGetValue(d.FilePath, out var severity) ? d with { Severity = severity } : d));
        }

        return new GenerationPlan(units.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private IEnumerable<EmitUnit> PlanNamespace(IEnumerable<CrdFile> files)
    {
        var crds = new List<CrdModel>();
        var seen = new Dictionary<string, CrdModel>(StringComparer.Ordinal);
        var all = files.SelectMany(f => f.Crds).OrderBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Group, StringComparer.Ordinal).ToList();
        foreach (var crd in all)
        {
            if (seen.TryGetValue(crd.Group + "/" + crd.Kind, out var first))
            {
                diagnostics.Add(DiagnosticInfo.Create("CRDGEN006", crd.FilePath, Math.Max(0, crd.Line - 1), 0,
                    $"Kind '{crd.Kind}' of group '{crd.Group}' is already generated into namespace '{ns}' from {first.FilePath}; opt in one of the two files only"));
                continue;
            }

            seen.Add(crd.Group + "/" + crd.Kind, crd);
            crds.Add(crd);
        }

        // The same kind in two groups (kyverno.io and policies.kyverno.io both have a PolicyException): the group that
        // sorts first keeps the plain name, the others get their group's leading labels in front of it, so both are
        // generated and adding the second never renames the first.
        foreach (var crd in crds)
        {
            var name = crd.Kind;
            var labels = crd.Group.Split('.');
            for (var n = 1; typeKinds.ContainsValue(name) || typeKinds.Values.Any(v => v + "List" == name); n++)
            {
                name = string.Concat(labels.Take(Math.Min(n, labels.Length)).Select(Identifiers.Pascal)) + crd.Kind + (n > labels.Length ? (n - labels.Length + 1).ToString(CultureInfo.InvariantCulture) : string.Empty);
            }

            typeKinds[crd] = name;
            filesByKind[name] = crd.FilePath;
        }

        crds.Sort((a, b) => string.CompareOrdinal(typeKinds[a], typeKinds[b]));

        // 1. Walk every version's schema into shapes (storage version first: it names shared shapes).
        var roots = new List<(CrdModel Crd, CrdVersion Version, List<(PropertyNode Property, Ref Ref)> Properties)>();
        foreach (var crd in crds)
        {
            foreach (var version in OrderVersions(crd))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var properties = new List<(PropertyNode, Ref)>();
                foreach (var property in version.Schema.Properties)
                {
                    if (property.Name is "apiVersion" or "kind" or "metadata")
                    {
                        continue;
                    }

                    var path = new Occurrence(typeKinds[crd], version.Name, ImmutableArray.Create(Identifiers.Pascal(property.Name)));
                    properties.Add((property, Walk(property.Schema, path, 0)));
                }

                roots.Add((crd, version, properties));
            }
        }

        // 2. Name the shapes.
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var crd in crds)
        {
            taken.Add(typeKinds[crd]);
            taken.Add(ListTypeName(crd));
        }

        AssignNames(taken);

        // 3. Materialize plans, grouped into one unit per CRD (its roots and the shapes it first uses).
        var recordPlans = new Dictionary<Shape, RecordPlan>();
        var enumPlans = new Dictionary<Shape, EnumPlan>();
        foreach (var shape in shapes)
        {
            if (shape.IsEnum)
            {
                enumPlans[shape] = new EnumPlan(ns, shape.Name!, EnumMembers(shape.Node), UsedAt(shape));
            }
            else
            {
                recordPlans[shape] = new RecordPlan(ns, shape.Name!, shape.Node.Description, Properties(shape.Node, shape.Properties, shape.Name!), shape.Node with { Properties = EquatableArray<PropertyNode>.Empty, Items = null }, null, UsedAt(shape));
            }
        }

        // 4. Translate CEL rules: needs every record's properties (field access) and enum members (literals).
        var byName = new Dictionary<string, RecordPlan>(StringComparer.Ordinal);
        foreach (var plan in recordPlans.Values)
        {
            byName["global::" + plan.Namespace + "." + plan.Name] = plan;
        }

        var enumsByName = enumPlans.Values.ToDictionary(e => "global::" + e.Namespace + "." + e.Name, StringComparer.Ordinal);
        RecordPlan? FindRecord(string name) => byName.TryGetValue(name, out var found) ? found : null;
        EnumPlan? FindEnum(string name) => enumsByName.TryGetValue(name, out var found) ? found : null;
        foreach (var shape in shapes.Where(s => !s.IsEnum))
        {
            recordPlans[shape] = Validation.SchemaFormPlanner.Plan(Validation.RulePlanner.Plan(recordPlans[shape], FileOf(shape), FindRecord, FindEnum, diagnostics), FileOf(shape), FindEnum, diagnostics);
        }

        var contextRecords = new List<string>();
        foreach (var crd in crds)
        {
            var records = new List<RecordPlan>();
            foreach (var (rootCrd, version, properties) in roots.Where(r => r.Crd == crd))
            {
                var rootNs = ns + "." + Identifiers.Pascal(version.Name);
                var typeKind = typeKinds[crd];
                var props = Properties(version.Schema, properties, typeKind);
                var spec = props.FirstOrDefault(p => p.WireName == "spec");
                var status = props.FirstOrDefault(p => p.WireName == "status");
                var root = new RootInfo(crd.Group, version.Name, crd.Kind, crd.ListKind, crd.Plural, crd.Scope, version.Storage, version.Deprecated,
                    spec?.Type.CSharp, status?.Type.CSharp)
                {
                    ListTypeName = ListTypeName(crd),
                };
                var rootPlan = new RecordPlan(rootNs, typeKind, version.Schema.Description, props.ToEquatableArray(),
                    version.Schema with { Properties = EquatableArray<PropertyNode>.Empty }, root, EquatableArray<string>.Empty);
                byName["global::" + rootNs + "." + typeKind] = rootPlan;
                records.Add(Validation.SchemaFormPlanner.Plan(Validation.RulePlanner.Plan(rootPlan, crd.FilePath, FindRecord, FindEnum, diagnostics), crd.FilePath, FindEnum, diagnostics));
                contextRecords.Add("global::" + rootNs + "." + typeKind);
                contextRecords.Add("global::" + rootNs + "." + ListTypeName(crd));
            }

            var owned = shapes.Where(s => s.Occurrences[0].Kind == typeKinds[crd]).ToList();
            records.AddRange(owned.Where(s => !s.IsEnum).Select(s => recordPlans[s]));
            yield return new EmitUnit(
                $"{crd.Group}.{typeKinds[crd]}.g.cs",
                records.Select(LineFree.Of).ToEquatableArray(),
                owned.Where(s => s.IsEnum).Select(s => enumPlans[s]).ToEquatableArray(),
                null);
        }

        if (crds.Count > 0)
        {
            contextRecords.AddRange(shapes.Where(s => !s.IsEnum).Select(s => "global::" + ns + "." + s.Name));
            contextRecords.Sort(StringComparer.Ordinal);
            var contextName = ContextName();
            yield return new EmitUnit(
                $"{ns}.{contextName}.g.cs",
                EquatableArray<RecordPlan>.Empty,
                EquatableArray<EnumPlan>.Empty,
                new ContextPlan(ns, contextName, contextRecords.ToEquatableArray(),
                    shapes.Where(s => s.IsEnum).Select(s => "global::" + ns + "." + s.Name).OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray()));
        }
    }

    /// <summary>The list type's C# name: the wire list kind, or the renamed kind + "List" when the kind was renamed.</summary>
    private string ListTypeName(CrdModel crd) => typeKinds[crd] == crd.Kind ? crd.ListKind : typeKinds[crd] + "List";

    private string ContextName()
    {
        var last = ns.Substring(ns.LastIndexOf('.') + 1);
        return last + "JsonContext";
    }

    private static IEnumerable<CrdVersion> OrderVersions(CrdModel crd) =>
        crd.Versions.Where(v => v.Served || v.Storage)
            .OrderBy(v => v.Storage ? 0 : 1)
            .ThenBy(v => v.Name, StringComparer.Ordinal);

    private static EquatableArray<string> UsedAt(Shape shape) =>
        shape.Occurrences.Select(o => o.Display).Distinct().Take(8).ToEquatableArray();

    private EquatableArray<PropertyPlan> Properties(SchemaNode node, List<(PropertyNode Property, Ref Ref)> properties, string typeName)
    {
        var result = new List<PropertyPlan>();
        var used = new HashSet<string>(StringComparer.Ordinal) { typeName, "AdditionalProperties", "Validate", "EqualityContract", "ToString", "GetHashCode", "Equals", "GetType", "Clone" };
        foreach (var (property, reference) in properties)
        {
            var name = property.Schema.PropertyName ?? Identifiers.Pascal(property.Name);
            if (used.Contains(name))
            {
                name += "Value";
            }

            var unique = name;
            for (var i = 2; !used.Add(unique); i++)
            {
                unique = name + i.ToString(CultureInfo.InvariantCulture);
            }

            // A required field with a schema default is optional to a client: the API server fills it in (and so does
            // every check here that reads it), so reading a manifest without it is not an error.
            var required = node.Required.Contains(property.Name) && property.Schema.DefaultJson is null;
            result.Add(new PropertyPlan(property.Name, unique, ToTypeRef(reference), required, property.Schema));
        }

        return result.ToEquatableArray();
    }

    private static EquatableArray<EnumMemberPlan> EnumMembers(SchemaNode node)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<EnumMemberPlan>();
        foreach (var value in node.Enum)
        {
            var name = Identifiers.Pascal(value);
            var unique = name;
            for (var i = 2; !used.Add(unique); i++)
            {
                unique = name + i.ToString(CultureInfo.InvariantCulture);
            }

            var versions = node.EnumVersions.Where(v => v.Value == value).ToList();
            members.Add(new EnumMemberPlan(value, unique, versions.Select(v => v.AddedIn).FirstOrDefault(v => v is not null), versions.Select(v => v.RemovedIn).FirstOrDefault(v => v is not null)));
        }

        return members.ToEquatableArray();
    }

    private TypeRef ToTypeRef(Ref reference) => reference.Kind switch
    {
        RefKind.Record or RefKind.Enum => new TypeRef(reference.Kind, "global::" + ns + "." + reference.Shape!.Name, null),
        RefKind.List or RefKind.Map => new TypeRef(reference.Kind, string.Empty, ToTypeRef(reference.Element!)),
        _ => reference.Known!,
    };

    /// <summary>Maps one schema to a reference, registering object and enum shapes on the way.</summary>
    private Ref Walk(SchemaNode node, Occurrence at, int depth)
    {
        if (node.IntOrString)
        {
            return Ref.Of(TypeRef.IntOrString);
        }

        switch (node.Type)
        {
            case "string":
                return node.Enum.IsEmpty ? Ref.Of(TypeRef.String) : Register(node, at, isEnum: true, properties: null);
            case "integer":
                return Ref.Of(node.Format == "int32" ? TypeRef.Int32 : TypeRef.Int64);
            case "number":
                return Ref.Of(TypeRef.Double);
            case "boolean":
                return Ref.Of(TypeRef.Boolean);
            case "array":
                if (node.Items is null)
                {
                    return new Ref(RefKind.List, null, Ref.Of(TypeRef.Json), null);
                }

                if (node.Items.Type is "object" or "" && WellKnownTypes.IsCondition(node.Items))
                {
                    return new Ref(RefKind.List, null, Ref.Of(WellKnownTypes.Condition), null);
                }

                return new Ref(RefKind.List, null, Walk(node.Items, at, depth + 1), null);
        }

        if (node.Properties.Count > 0)
        {
            if (WellKnownTypes.IsLabelSelector(node))
            {
                return Ref.Of(WellKnownTypes.LabelSelector);
            }

            var properties = new List<(PropertyNode, Ref)>();
            foreach (var property in node.Properties)
            {
                properties.Add((property, Walk(property.Schema, at.Then(Identifiers.Pascal(property.Name)), depth + 1)));
            }

            return Register(node, at, isEnum: false, properties);
        }

        if (node.AdditionalProperties is not null && !node.PreserveUnknownFields)
        {
            return new Ref(RefKind.Map, null, Walk(node.AdditionalProperties, at.Then("Value"), depth + 1), null);
        }

        return Ref.Of(TypeRef.Json);
    }

    private Ref Register(SchemaNode node, Occurrence at, bool isEnum, List<(PropertyNode Property, Ref Ref)>? properties)
    {
        var canon = new StringBuilder(isEnum ? "E{" : "R{");
        canon.Append(node.TypeName).Append('|');
        if (isEnum)
        {
            canon.Append(string.Join("\u0001", node.Enum)).Append('|');
            foreach (var v in node.EnumVersions)
            {
                canon.Append(v.Value).Append('+').Append(v.AddedIn).Append('-').Append(v.RemovedIn).Append(';');
            }
        }
        else
        {
            AppendFacts(canon, node);
            foreach (var (property, reference) in properties!)
            {
                canon.Append(property.Name).Append(node.Required.Contains(property.Name) ? "!" : "?").Append('=');
                AppendRef(canon, reference);
                canon.Append('[');
                AppendFacts(canon, property.Schema);
                if (property.Schema.Items is { } items)
                {
                    canon.Append("items:");
                    AppendFacts(canon, items);
                }

                canon.Append(']').Append(property.Schema.PropertyName).Append(';');
            }
        }

        canon.Append('}');
        var key = canon.ToString();
        if (!shapesByCanon.TryGetValue(key, out var shape))
        {
            shape = new Shape(shapes.Count, isEnum, node, properties ?? new List<(PropertyNode, Ref)>());
            shapesByCanon.Add(key, shape);
            shapes.Add(shape);
        }

        shape.Occurrences.Add(at);
        return new Ref(isEnum ? RefKind.Enum : RefKind.Record, shape, null, null);
    }

    private static void AppendRef(StringBuilder canon, Ref reference)
    {
        switch (reference.Kind)
        {
            case RefKind.Record:
            case RefKind.Enum:
                canon.Append('#').Append(reference.Shape!.Id.ToString(CultureInfo.InvariantCulture));
                break;
            case RefKind.List:
                canon.Append("L(");
                AppendRef(canon, reference.Element!);
                canon.Append(')');
                break;
            case RefKind.Map:
                canon.Append("M(");
                AppendRef(canon, reference.Element!);
                canon.Append(')');
                break;
            default:
                canon.Append(reference.Known!.FullName);
                break;
        }
    }

    /// <summary>Every fact that changes validation or serialization; descriptions and lines are left out on purpose.</summary>
    private static void AppendFacts(StringBuilder canon, SchemaNode node)
    {
        canon.Append(node.Type).Append(',').Append(node.Format).Append(',').Append(node.Pattern).Append(',')
            .Append(string.Join("\u0001", node.Enum)).Append(',').Append(node.Minimum).Append(',').Append(node.Maximum).Append(',')
            .Append(node.ExclusiveMinimum ? "x" : string.Empty).Append(node.ExclusiveMaximum ? "X" : string.Empty).Append(',')
            .Append(node.MinLength).Append(',').Append(node.MaxLength).Append(',').Append(node.MinItems).Append(',').Append(node.MaxItems).Append(',')
            .Append(node.MinProperties).Append(',').Append(node.MaxProperties).Append(',').Append(node.ListType).Append(',')
            .Append(string.Join("+", node.ListMapKeys)).Append(',').Append(node.MapType).Append(',').Append(node.Nullable ? "n" : string.Empty).Append(',')
            .Append(string.Join("|", node.OneOf)).Append(',').Append(string.Join("|", node.AnyOf)).Append(',')
            .Append(node.DefaultJson).Append(',').Append(node.AddedIn).Append(',').Append(node.RemovedIn).Append(',')
            .Append(node.PreserveUnknownFields ? "p" : string.Empty).Append(node.EmbeddedResource ? "e" : string.Empty).Append(',');
        foreach (var rule in node.Rules)
        {
            canon.Append(rule.Rule).Append('\u0002').Append(rule.Message).Append('\u0002').Append(rule.FieldPath).Append('\u0002').Append(rule.AddedIn).Append(rule.RemovedIn).Append('\u0003');
        }

        if (node.AdditionalProperties is { } additional)
        {
            canon.Append("ap:");
            AppendFacts(canon, additional);
        }

        AppendForms(canon, "allOf", node.AllOfSchemas);
        AppendForms(canon, "anyOf", node.AnyOfSchemas);
        AppendForms(canon, "oneOf", node.OneOfSchemas);
        if (node.Not is { } not)
        {
            AppendForms(canon, "not", new[] { not }.ToEquatableArray());
        }
    }

    /// <summary>Sub-schemas change validation, so they are part of a shape's identity.</summary>
    private static void AppendForms(StringBuilder canon, string form, EquatableArray<SchemaNode> subs)
    {
        if (subs.IsEmpty)
        {
            return;
        }

        canon.Append(form).Append('(');
        foreach (var sub in subs)
        {
            AppendFacts(canon, sub);
            canon.Append("req:").Append(string.Join(",", sub.Required)).Append(';');
            foreach (var property in sub.Properties)
            {
                canon.Append(property.Name).Append('{');
                AppendFacts(canon, property.Schema);
                canon.Append('}');
            }

            canon.Append('|');
        }

        canon.Append(')');
    }

    private void AssignNames(HashSet<string> taken)
    {
        foreach (var shape in shapes)
        {
            shape.Prefix = NeutralPrefix(shape.Occurrences.Select(o => o.Kind).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList());
        }

        // Order decides who gets a contested name: first occurrence by name prefix, storage version, path.
        var pending = shapes.OrderBy(s => s.SortKey, StringComparer.Ordinal).ToList();

        foreach (var shape in pending.Where(s => s.Node.TypeName is not null).ToList())
        {
            if (taken.Add(shape.Node.TypeName!))
            {
                shape.Name = shape.Node.TypeName;
                pending.Remove(shape);
            }
            else
            {
                diagnostics.Add(DiagnosticInfo.Create("CRDGEN006", FileOf(shape), Math.Max(0, shape.Node.Line - 1), 0,
                    $"Type name '{shape.Node.TypeName}' is chosen for two different schemas in namespace '{ns}' ({shape.Occurrences[0].Display}); the second was named from its path"));
            }
        }

        for (var length = 1; pending.Count > 0; length++)
        {
            var candidates = pending
                .Where(s => s.Occurrences[0].Path.Length >= length)
                .GroupBy(s => s.NameFor(length))
                .ToList();
            if (candidates.Count == 0)
            {
                break;
            }

            foreach (var group in candidates)
            {
                var contenders = group.ToList();
                if (taken.Contains(group.Key))
                {
                    continue;
                }

                // The only contender takes it; so does the first one that cannot grow a longer name. When the
                // contenders sit at the same path in different versions, the storage version's shape (first in
                // order) takes the short name and the others are suffixed with their version.
                var samePath = contenders.Select(c => c.Occurrences[0].Kind + "." + string.Join(".", c.Occurrences[0].Path)).Distinct().Count() == 1;
                var winner = contenders.Count == 1 || samePath
                    ? contenders[0]
                    : contenders.FirstOrDefault(s => s.Occurrences[0].Path.Length == length);
                if (winner is null)
                {
                    continue;
                }

                taken.Add(group.Key);
                winner.Name = group.Key;
                pending.Remove(winner);
                if (samePath)
                {
                    foreach (var other in contenders.Skip(1))
                    {
                        other.Name = Unique(group.Key + Identifiers.Pascal(other.Occurrences[0].Version), taken);
                        pending.Remove(other);
                    }
                }
            }

            foreach (var stuck in pending.Where(s => s.Occurrences[0].Path.Length == length).ToList())
            {
                stuck.Name = Unique(stuck.NameFor(length) + Identifiers.Pascal(stuck.Occurrences[0].Version), taken);
                pending.Remove(stuck);
            }
        }
    }

    /// <summary>
    /// The name prefix of a shape used by <paramref name="kinds"/>: the kind itself when one kind uses it, otherwise the
    /// words the kinds' names share, in order (CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy share
    /// Cilium-Network-Policy; HTTPRoute and GRPCRoute share Route), so a shape one kind's user sees keeps its name when
    /// a sibling kind is opted in too. Kinds that share no word fall back to the first kind.
    /// </summary>
    internal static string NeutralPrefix(IReadOnlyList<string> kinds)
    {
        var common = Words(kinds[0]);
        foreach (var kind in kinds.Skip(1))
        {
            common = CommonSubsequence(common, Words(kind));
        }

        return common.Count == 0 ? kinds[0] : string.Concat(common);
    }

    /// <summary>PascalCase words: "HTTPRoute" is HTTP + Route, "V2Alpha1Thing" is V2 + Alpha1 + Thing.</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= name.Length; i++)
        {
            var boundary = i == name.Length
                || (char.IsUpper(name[i]) && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))));
            if (boundary)
            {
                words.Add(name.Substring(start, i - start));
                start = i;
            }
        }

        return words;
    }

    /// <summary>The longest common subsequence of two word lists (the earliest one on ties, so the result is stable).</summary>
    private static List<string> CommonSubsequence(List<string> a, List<string> b)
    {
        var lengths = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var result = new List<string>();
        for (int i = 0, j = 0; i < a.Count && j < b.Count;)
        {
            if (a[i] == b[j])
            {
                result.Add(a[i]);
                i++;
                j++;
            }
            else if (lengths[i + 1, j] >= lengths[i, j + 1])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return result;
    }

    /// <summary>The name, or the name with the smallest numeric suffix that is free; marks it taken.</summary>
    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private string FileOf(Shape shape) => filesByKind.TryGetValue(shape.Occurrences[0].Kind, out var file) ? file : string.Empty;

    /// <summary>A place a shape is used: kind, version and the PascalCase property path from the root.</summary>
    private sealed class Occurrence
    {
        public Occurrence(string kind, string version, ImmutableArray<string> path)
        {
            Kind = kind;
            Version = version;
            Path = path;
        }

        public string Kind { get; }

        public string Version { get; }

        public ImmutableArray<string> Path { get; }

        public string Display => $"{Kind}/{Version}: {string.Join(".", Path)}";

        public Occurrence Then(string segment) => new(Kind, Version, Path.Add(segment));
    }

    private sealed class Shape
    {
        public Shape(int id, bool isEnum, SchemaNode node, List<(PropertyNode, Ref)> properties)
        {
            Id = id;
            IsEnum = isEnum;
            Node = node;
            Properties = properties;
        }

        public int Id { get; }

        public bool IsEnum { get; }

        public SchemaNode Node { get; }

        public List<(PropertyNode Property, Ref Ref)> Properties { get; }

        public List<Occurrence> Occurrences { get; } = new();

        public string? Name { get; set; }

        /// <summary>What names start with: the kind, or the words shared by every kind that uses the shape.</summary>
        public string Prefix { get; set; } = string.Empty;

        public string SortKey => Prefix + "\u0001" + string.Join(".", Occurrences[0].Path);

        public string NameFor(int length) => Prefix + string.Concat(Occurrences[0].Path.Skip(Occurrences[0].Path.Length - length));
    }

    private sealed class Ref
    {
        public Ref(RefKind kind, Shape? shape, Ref? element, TypeRef? known)
        {
            Kind = kind;
            Shape = shape;
            Element = element;
            Known = known;
        }

        public RefKind Kind { get; }

        public Shape? Shape { get; }

        public Ref? Element { get; }

        public TypeRef? Known { get; }

        public static Ref Of(TypeRef known) => new(known.Kind, null, null, known);
    }
}
