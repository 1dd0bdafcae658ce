using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CrdKit.Generators.Emitting;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Validation;

/// <summary>
/// Turns the value-validation forms of a schema (<c>allOf</c>, <c>anyOf</c>, <c>oneOf</c> other than required sets,
/// <c>not</c>) into C# conditions over the generated record, as the API server applies them: a sub-schema constrains
/// the same value and never changes its type. A sub-schema with a fact this planner cannot express exactly is not
/// checked (CRDGEN013, Info), never half-checked.
/// </summary>
internal static class SchemaFormPlanner
{
    private const string Functions = "global::CrdKit.Validation.CelFunctions";

    // The enum lookup of the plan being built (one planner call at a time per thread).
    [System.ThreadStatic]
    private static System.Func<string, EnumPlan?>? Enums;

    /// <summary>Returns <paramref name="record"/> with its schema forms planned; adds diagnostics located in <paramref name="file"/>.</summary>
    public static RecordPlan Plan(RecordPlan record, string file, System.Func<string, EnumPlan?> enums, List<DiagnosticInfo> diagnostics)
    {
        Enums = enums;
        var checks = new List<FormCheck>();
        var where = record.Root is { } root ? $"{root.Kind} ({root.Version})" : record.Name;
        var self = new TypeRef(RefKind.Record, "global::" + record.Namespace + "." + record.Name, null);
        Collect(record.Schema, null, self, "this", record, where, file, checks, diagnostics);
        foreach (var property in record.Properties)
        {
            // A record-typed property's forms are the nested record's own, checked by its Validate().
            if (property.Type.Kind != RefKind.Record)
            {
                Collect(property.Schema, property.WireName, property.Type, "cel_self", null, where + "." + property.WireName, file, checks, diagnostics);
            }
        }

        return checks.Count == 0 ? record : record with { Forms = checks.ToEquatableArray() };
    }

    private static void Collect(SchemaNode node, string? property, TypeRef type, string value, RecordPlan? record, string where, string file, List<FormCheck> checks, List<DiagnosticInfo> diagnostics)
    {
        var counter = 0;
        void Unsupported(string form, string reason) =>
            diagnostics.Add(DiagnosticInfo.Create("CRDGEN013", file, System.Math.Max(0, node.Line - 1), 0, where, $"'{form}' ({reason})"));

        for (var i = 0; i < node.AllOfSchemas.Count; i++)
        {
            var sub = node.AllOfSchemas[i];
            if (Predicate(sub, type, value, record, ref counter, out var reason) is { } condition)
            {
                checks.Add(new FormCheck(property, condition, $"does not match {Summary(sub)} (allOf[{I(i)}])", "change the value so that it does"));
            }
            else
            {
                Unsupported($"allOf[{I(i)}]", reason);
            }
        }

        if (!node.AnyOfSchemas.IsEmpty)
        {
            var conditions = Conditions(node.AnyOfSchemas, type, value, record, ref counter, out var reason);
            if (conditions is null)
            {
                Unsupported("anyOf", reason);
            }
            else
            {
                checks.Add(new FormCheck(property, "(" + string.Join(" || ", conditions) + ")",
                    "matches none of the anyOf alternatives: " + string.Join("; ", node.AnyOfSchemas.Select(Summary)), "change the value so that at least one holds"));
            }
        }

        if (!node.OneOfSchemas.IsEmpty)
        {
            var conditions = Conditions(node.OneOfSchemas, type, value, record, ref counter, out var reason);
            if (conditions is null)
            {
                Unsupported("oneOf", reason);
            }
            else
            {
                checks.Add(new FormCheck(property, "(" + string.Join(" + ", conditions.Select(c => $"({c} ? 1 : 0)")) + ") == 1",
                    "must match exactly one of the oneOf alternatives: " + string.Join("; ", node.OneOfSchemas.Select(Summary)), "change the value so that exactly one holds"));
            }
        }

        if (node.Not is { } not)
        {
            if (Predicate(not, type, value, record, ref counter, out var reason) is { } condition)
            {
                checks.Add(new FormCheck(property, "!" + condition, $"must not match {Summary(not)} (not)", "change the value so that it does not (for required fields: remove one of them)"));
            }
            else
            {
                Unsupported("not", reason);
            }
        }
    }

    private static List<string>? Conditions(EquatableArray<SchemaNode> subs, TypeRef type, string value, RecordPlan? record, ref int counter, out string reason)
    {
        var result = new List<string>();
        reason = string.Empty;
        foreach (var sub in subs)
        {
            if (Predicate(sub, type, value, record, ref counter, out reason) is not { } condition)
            {
                return null;
            }

            result.Add(condition);
        }

        return result;
    }

    /// <summary>A C# condition that is true when <paramref name="value"/> satisfies <paramref name="sub"/>, or null.</summary>
    private static string? Predicate(SchemaNode sub, TypeRef type, string value, RecordPlan? record, ref int counter, out string reason)
    {
        reason = string.Empty;
        if (sub.Items is not null || sub.AdditionalProperties is not null || sub.MinItems is not null || sub.MaxItems is not null
            || sub.MinProperties is not null || sub.MaxProperties is not null || !sub.Rules.IsEmpty || sub.ListType is not null
            || sub.DefaultJson is not null)
        {
            reason = "the sub-schema sets a fact other than required, properties, enum, pattern, format, length, bounds or nested allOf/anyOf/oneOf/not";
            return null;
        }

        var parts = new List<string>();
        if (sub.Type.Length > 0)
        {
            var test = TypeTest(sub.Type, type, value);
            if (test is null)
            {
                reason = $"'type: {sub.Type}' on a {Describe(type)}";
                return null;
            }

            parts.Add(test);
        }

        if (!sub.Required.IsEmpty || !sub.Properties.IsEmpty)
        {
            if (record is null)
            {
                reason = "'required'/'properties' on a value that is not an object";
                return null;
            }

            foreach (var name in sub.Required)
            {
                parts.Add(Presence(record, value, name));
            }

            foreach (var property in sub.Properties)
            {
                var plan = record.Properties.FirstOrDefault(p => p.WireName == property.Name);
                if (plan is null)
                {
                    reason = $"'properties.{property.Name}' is not a field of the object";
                    return null;
                }

                if (plan.Type.Kind == RefKind.Record)
                {
                    reason = $"'properties.{property.Name}' constrains a nested object";
                    return null;
                }

                var access = $"{value}.{plan.Name}";
                var valueType = plan.Required && plan.Type.IsValueType;

                // An absent field with a default is checked as its default: the server defaults before it validates.
                var fallback = plan.Schema.DefaultJson is { } json && Enums is not null ? Defaults.Literal(json, plan.Type, Enums) : null;
                var inner = valueType ? access : fallback is not null ? $"({access} ?? {fallback})" : plan.Type.IsValueType ? access + ".GetValueOrDefault()" : access + "!";
                if (Predicate(property.Schema, plan.Type, inner, null, ref counter, out reason) is not { } condition)
                {
                    return null;
                }

                // Absent fields satisfy 'properties' (only 'required' asks for presence).
                parts.Add(valueType || fallback is not null ? condition : $"({access} is null || {condition})");
            }
        }

        if (!sub.Enum.IsEmpty)
        {
            var wire = Wire(type, value);
            if (wire is null)
            {
                reason = $"'enum' on a {Describe(type)}";
                return null;
            }

            parts.Add($"({wire} is {string.Join(" or ", sub.Enum.Select(SourceWriter.Literal))})");
        }

        if (sub.Pattern is not null || sub.Format is not null || sub.MinLength is not null || sub.MaxLength is not null)
        {
            var text = type.Kind == RefKind.String ? value : type.Kind == RefKind.IntOrString ? value + ".StringValue!" : null;
            if (text is null)
            {
                reason = $"a string constraint on a {Describe(type)}";
                return null;
            }

            var tests = new List<string>();
            if (sub.Pattern is not null)
            {
                tests.Add($"{Functions}.Matches({text}, {SourceWriter.Literal(sub.Pattern)})");
            }

            if (sub.Format is not null)
            {
                tests.Add($"global::CrdKit.Validation.Formats.IsValid({SourceWriter.Literal(sub.Format)}, {text}, out _)");
            }

            if (sub.MinLength is { } min)
            {
                tests.Add($"{Functions}.Size({text}) >= {I(min)}L");
            }

            if (sub.MaxLength is { } max)
            {
                tests.Add($"{Functions}.Size({text}) <= {I(max)}L");
            }

            // OpenAPI string constraints do not apply to the integer of an int-or-string.
            parts.Add(type.Kind == RefKind.IntOrString ? $"(!{value}.IsString || ({string.Join(" && ", tests)}))" : "(" + string.Join(" && ", tests) + ")");
        }

        if (sub.Minimum is not null || sub.Maximum is not null)
        {
            var number = type.Kind is RefKind.Int32 or RefKind.Int64 or RefKind.Double ? value : null;
            if (number is null || !double.TryParse(sub.Minimum ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture, out var low) || !double.TryParse(sub.Maximum ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture, out var high))
            {
                reason = $"numeric bounds on a {Describe(type)}";
                return null;
            }

            if (sub.Minimum is not null)
            {
                parts.Add($"({number} {(sub.ExclusiveMinimum ? ">" : ">=")} {low.ToString("R", CultureInfo.InvariantCulture)}d)");
            }

            if (sub.Maximum is not null)
            {
                parts.Add($"({number} {(sub.ExclusiveMaximum ? "<" : "<=")} {high.ToString("R", CultureInfo.InvariantCulture)}d)");
            }
        }

        foreach (var nested in sub.AllOfSchemas)
        {
            if (Predicate(nested, type, value, record, ref counter, out reason) is not { } condition)
            {
                return null;
            }

            parts.Add(condition);
        }

        if (!sub.AnyOfSchemas.IsEmpty)
        {
            var conditions = Conditions(sub.AnyOfSchemas, type, value, record, ref counter, out reason);
            if (conditions is null)
            {
                return null;
            }

            parts.Add("(" + string.Join(" || ", conditions) + ")");
        }

        if (!sub.OneOfSchemas.IsEmpty)
        {
            var conditions = Conditions(sub.OneOfSchemas, type, value, record, ref counter, out reason);
            if (conditions is null)
            {
                return null;
            }

            parts.Add("((" + string.Join(" + ", conditions.Select(c => $"({c} ? 1 : 0)")) + ") == 1)");
        }

        foreach (var (sets, join) in new[] { (sub.AnyOf, "any"), (sub.OneOf, "one") })
        {
            if (sets.IsEmpty)
            {
                continue;
            }

            if (record is null)
            {
                reason = "required sets on a value that is not an object";
                return null;
            }

            var present = sets.Select(set => "(" + string.Join(" && ", set.Split(',').Where(n => n.Length > 0).Select(n => Presence(record, value, n)).DefaultIfEmpty("true")) + ")").ToList();
            parts.Add(join == "any" ? "(" + string.Join(" || ", present) + ")" : "((" + string.Join(" + ", present.Select(c => $"({c} ? 1 : 0)")) + ") == 1)");
        }

        if (sub.Not is { } not)
        {
            if (Predicate(not, type, value, record, ref counter, out reason) is not { } condition)
            {
                return null;
            }

            parts.Add("!" + condition);
        }

        return parts.Count == 0 ? "true" : "(" + string.Join(" && ", parts) + ")";
    }

    private static string Presence(RecordPlan record, string value, string wireName) =>
        record.Properties.FirstOrDefault(p => p.WireName == wireName) is { } p
            ? ((p.Required && p.Type.IsValueType) || p.Schema.DefaultJson is not null ? "true" : $"{value}.{p.Name} is not null")
            : $"({value}.AdditionalProperties?.ContainsKey({SourceWriter.Literal(wireName)}) ?? false)";

    /// <summary>The value's wire text for an enum comparison, or null when it has none.</summary>
    private static string? Wire(TypeRef type, string value) => type.Kind switch
    {
        RefKind.String => value,
        RefKind.Enum => $"{type.FullName}JsonConverter.ToWire({value})",
        RefKind.IntOrString => $"{value}.ToString()",
        _ => null,
    };

    private static string? TypeTest(string schemaType, TypeRef type, string value) => (schemaType, type.Kind) switch
    {
        ("string", RefKind.IntOrString) => $"{value}.IsString",
        ("integer", RefKind.IntOrString) => $"!{value}.IsString",
        ("string", RefKind.String or RefKind.Enum) => "true",
        ("integer", RefKind.Int32 or RefKind.Int64) => "true",
        ("number", RefKind.Int32 or RefKind.Int64 or RefKind.Double) => "true",
        ("boolean", RefKind.Boolean) => "true",
        ("object", RefKind.Record or RefKind.Map) => "true",
        ("array", RefKind.List) => "true",
        _ => null,
    };

    private static string Describe(TypeRef type) => type.Kind.ToString().ToLowerInvariant();

    /// <summary>A short, readable statement of a sub-schema for messages ("required name and names", "format ipv4").</summary>
    internal static string Summary(SchemaNode sub)
    {
        var parts = new List<string>();
        if (sub.Type.Length > 0)
        {
            parts.Add("type " + sub.Type);
        }

        if (!sub.Required.IsEmpty)
        {
            parts.Add("required " + string.Join(" and ", sub.Required.Select(r => "'" + r + "'")));
        }

        foreach (var property in sub.Properties)
        {
            parts.Add($"'{property.Name}' {Summary(property.Schema)}");
        }

        if (!sub.Enum.IsEmpty)
        {
            parts.Add("one of " + string.Join(", ", sub.Enum));
        }

        if (sub.Pattern is not null)
        {
            parts.Add("pattern " + sub.Pattern);
        }

        if (sub.Format is not null)
        {
            parts.Add("format " + sub.Format);
        }

        if (sub.MinLength is not null || sub.MaxLength is not null)
        {
            parts.Add($"length {I(sub.MinLength ?? 0)} to {(sub.MaxLength is { } max ? I(max) : "any")}");
        }

        if (sub.Minimum is not null || sub.Maximum is not null)
        {
            parts.Add($"range {sub.Minimum ?? "-inf"} to {sub.Maximum ?? "inf"}");
        }

        if (!sub.AnyOfSchemas.IsEmpty)
        {
            parts.Add("any of (" + string.Join("; ", sub.AnyOfSchemas.Select(Summary)) + ")");
        }

        if (!sub.OneOfSchemas.IsEmpty)
        {
            parts.Add("one of (" + string.Join("; ", sub.OneOfSchemas.Select(Summary)) + ")");
        }

        if (!sub.AllOfSchemas.IsEmpty)
        {
            parts.Add("all of (" + string.Join("; ", sub.AllOfSchemas.Select(Summary)) + ")");
        }

        if (sub.Not is { } not)
        {
            parts.Add("not (" + Summary(not) + ")");
        }

        return parts.Count == 0 ? "anything" : string.Join(", ", parts);
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
