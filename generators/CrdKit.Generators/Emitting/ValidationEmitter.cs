using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Emitting;

/// <summary>
/// Emits <c>Validate()</c>: every schema fact the API server enforces becomes a check that reports the JSON
/// path, the value and the fix, and all violations are collected (not only the first).
/// </summary>
internal static class ValidationEmitter
{
    private const string Ctx = Emitter.ContextAlias;

    // Child paths come from the context (context.Property / context.Index): its quick first pass builds none, so a valid
    // object costs no path strings (see ValidationContext.Validate(IValidatable, string)).
    private const string PathT = "context";

    public static void Emit(SourceWriter w, RecordPlan record)
    {
        // The documentation and the body live once in the runtime (ValidationContext.Run).
        w.Line($"/// <inheritdoc cref=\"{Ctx}.Run\"/>");
        var notChecked = record.Rules.Where(r => r.Kind != RuleKind.Checked).ToList();
        if (notChecked.Count > 0)
        {
            w.Doc("remarks", "Not checked offline: " + string.Join("; ", notChecked.Select(r =>
                $"<c>{SourceWriter.Escape(Validation.RulePlanner.OneLine(r.Rule))}</c>{(r.Property is null ? string.Empty : " on <c>" + SourceWriter.Escape(r.Property) + "</c>")} ({SourceWriter.Escape(r.Reason ?? string.Empty)})")) + ".");
        }

        w.Line($"public {Emitter.ErrorsAlias} Validate(string? version = null) => {Ctx}.Run(this, version);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open($"public void Validate({Ctx} context, string path)");
        foreach (var property in record.Properties)
        {
            EmitProperty(w, record, property);
        }

        EmitAlternatives(w, record, "OneOf", record.Schema.OneOf);
        EmitAlternatives(w, record, "AnyOf", record.Schema.AnyOf);
        if (record.Schema.MinProperties is not null || record.Schema.MaxProperties is not null)
        {
            var count = string.Join(" + ", record.Properties.Select(p => $"({p.Name} is null ? 0 : 1)").DefaultIfEmpty("0"));
            w.Line($"context.Count(path, {count} + (AdditionalProperties?.Count ?? 0), {Long(record.Schema.MinProperties)}, {Long(record.Schema.MaxProperties)}, \"properties\");");
        }

        if (!record.Schema.PreserveUnknownFields && !record.Schema.EmbeddedResource)
        {
            // Strict field validation (kubectl's default) rejects fields the schema lacks; the server prunes them otherwise.
            w.Line("context.UnknownFields(path, AdditionalProperties);");
        }

        foreach (var rule in record.Rules)
        {
            EmitRule(w, record, rule);
        }

        foreach (var form in record.Forms)
        {
            EmitForm(w, record, form);
        }

        w.Line("ValidateCustom(context, path);");
        w.Close();
        w.Line();
        w.Line("partial void ValidateCustom(" + Ctx + " context, string path);");
    }

    private static void EmitRule(SourceWriter w, RecordPlan record, RuleCheck rule)
    {
        var text = Validation.RulePlanner.OneLine(rule.Rule);
        if (rule.Kind == RuleKind.Transition)
        {
            w.Line("// CEL (transition rule, not checkable offline): " + text);
            return;
        }

        if (rule.Kind == RuleKind.Unsupported)
        {
            w.Line("// CEL (not translated, CRDGEN010: " + Validation.RulePlanner.OneLine(rule.Reason ?? string.Empty) + "): " + text);
            return;
        }

        w.Line("// CEL: " + text);
        var version = rule.AddedIn is null && rule.RemovedIn is null
            ? string.Empty
            : $"context.AppliesTo({SourceWriter.Literal(rule.AddedIn)}, {SourceWriter.Literal(rule.RemovedIn)}) && ";
        string Report(string at, string value) => $"context.Rule({at}, {value}, {SourceWriter.Literal(rule.Message)}, {SourceWriter.Literal(text)});";
        if (rule.Property is null)
        {
            var path = "path";
            foreach (var segment in (rule.FieldPath ?? string.Empty).Split('.').Where(x => x.Length > 0))
            {
                path = rule.FieldPath!.IndexOfAny(new[] { '[', ']', '\'' }) >= 0 ? "path" : $"{PathT}.Property({path}, {SourceWriter.Literal(segment)})";
            }

            w.Open($"if ({version}!({rule.Condition}))");
            w.Line(Report(path, "null"));
            w.Close();
            return;
        }

        var property = record.Properties.First(p => p.WireName == rule.Property);
        var scalar = property.Type.Kind is RefKind.String or RefKind.Int32 or RefKind.Int64 or RefKind.Double or RefKind.Boolean;
        var value = scalar ? "global::System.Convert.ToString(cel_self, global::System.Globalization.CultureInfo.InvariantCulture)" : "null";
        var propertyPath = $"{PathT}.Property(path, {SourceWriter.Literal(property.WireName)})";
        w.Open(string.Empty);
        if (property.Required && property.Type.IsValueType)
        {
            w.Line($"var cel_self = {property.Name};");
            w.Open($"if ({version}!({rule.Condition}))");
        }
        else
        {
            w.Open($"if ({version}{property.Name} is {{ }} cel_self && !({rule.Condition}))");
        }

        w.Line(Report(propertyPath, value));
        w.Close();
        w.Close();
    }

    private static void EmitForm(SourceWriter w, RecordPlan record, FormCheck form)
    {
        string Report(string at, string value) => $"context.Add({at}, {value}, {SourceWriter.Literal(form.Message)}, {SourceWriter.Literal(form.Fix)});";
        if (form.Property is null)
        {
            w.Open($"if (!({form.Condition}))");
            w.Line(Report("path", "null"));
            w.Close();
            return;
        }

        var property = record.Properties.First(p => p.WireName == form.Property);
        var scalar = property.Type.Kind is RefKind.String or RefKind.Int32 or RefKind.Int64 or RefKind.Double or RefKind.Boolean or RefKind.IntOrString;
        var value = scalar ? "global::System.Convert.ToString(cel_self, global::System.Globalization.CultureInfo.InvariantCulture)" : "null";
        w.Open(string.Empty);
        if (property.Required && property.Type.IsValueType)
        {
            w.Line($"var cel_self = {property.Name};");
            w.Open($"if (!({form.Condition}))");
        }
        else
        {
            w.Open($"if ({property.Name} is {{ }} cel_self && !({form.Condition}))");
        }

        w.Line(Report($"{PathT}.Property(path, {SourceWriter.Literal(property.WireName)})", value));
        w.Close();
        w.Close();
    }

    private static void EmitProperty(SourceWriter w, RecordPlan record, PropertyPlan property)
    {
        var path = $"{PathT}.Property(path, {SourceWriter.Literal(property.WireName)})";
        var checks = new SourceWriter();
        ValueChecks(checks, record, property.Schema, property.Type, "value", "p", 0, true);
        var body = checks.ToString();
        var nullable = !(property.Required && property.Type.IsValueType);
        if (nullable && property.Required)
        {
            w.Open($"if ({property.Name} is null)");
            w.Line($"context.Required(path, {SourceWriter.Literal(property.WireName)});");
            w.Close();
        }

        if (body.Length == 0)
        {
            return;
        }

        if (ChildCall(property) is { } call)
        {
            // The same checks in the same order as the block below would make, through the runtime.
            w.Line($"context.{call}(path, {SourceWriter.Literal(property.WireName)}, {property.Name});");
            return;
        }

        // The outer block scopes 'value' and 'p': pattern variables of an 'if' leak into the enclosing block.
        w.Open(string.Empty);
        if (nullable)
        {
            w.Open($"if ({property.Name} is {{ }} value)");
        }
        else
        {
            w.Line($"var value = {property.Name};");
        }

        w.Line($"var p = {path};");
        Append(w, body);
        if (nullable)
        {
            w.Close();
        }

        w.Close();
    }

    // A nested object, a label selector, or a plain list of either, with no other check on the field: one runtime call
    // (ValidationContext.Child, Children, Selector, Selectors) instead of the null check, the path and the loop.
    private static string? ChildCall(PropertyPlan property)
    {
        var schema = property.Schema;
        if (schema.AddedIn is not null || schema.RemovedIn is not null)
        {
            return null;
        }

        var type = property.Type;
        if (type.Kind == RefKind.List)
        {
            var plain = schema.MinItems is null && schema.MaxItems is null && schema.ListType is not ("set" or "map") && schema.Items is not null;
            return !plain ? null : type.Element!.Kind == RefKind.Record ? "Children" : IsSelector(type.Element!) ? "Selectors" : null;
        }

        return type.Kind == RefKind.Record ? "Child" : IsSelector(type) ? "Selector" : null;
    }

    // An enum's converter, by its simple name when it is of the record's namespace and no member of the record has that
    // name (Validate reads it in an expression, where the record's members are looked up before the namespace's types).
    private static string EnumConverter(RecordPlan record, TypeRef type)
    {
        var local = Emitter.Local(type.FullName, record.Namespace) + "JsonConverter";
        return local.StartsWith("global::", System.StringComparison.Ordinal) || record.Properties.Any(p => p.Name == local || p.Name + "DefaultJson" == local)
            ? type.FullName + "JsonConverter"
            : local;
    }

    private static bool IsSelector(TypeRef type) => type.Kind == RefKind.Known && type.FullName == "global::k8s.Models.V1LabelSelector";

    /// <summary>Writes the checks for one value; returns nothing when the schema has none.</summary>
    private static void ValueChecks(SourceWriter w, RecordPlan record, SchemaNode schema, TypeRef type, string value, string path, int depth, bool propertyLevel)
    {
        if (propertyLevel && (schema.AddedIn is not null || schema.RemovedIn is not null))
        {
            w.Line($"context.Available({path}, {SourceWriter.Literal(schema.AddedIn)}, {SourceWriter.Literal(schema.RemovedIn)});");
        }

        switch (type.Kind)
        {
            case RefKind.String:
                if (schema.Pattern is not null || schema.Format is not null || schema.MinLength is not null || schema.MaxLength is not null)
                {
                    w.Line($"context.String({path}, {value}, {SourceWriter.Literal(schema.Pattern)}, {SourceWriter.Literal(schema.Format)}, {Long(schema.MinLength)}, {Long(schema.MaxLength)});");
                }

                break;
            case RefKind.IntOrString:
                if (schema.Pattern is not null || schema.Format is not null || schema.MinLength is not null || schema.MaxLength is not null)
                {
                    w.Line($"if ({value}.IsString) {{ context.String({path}, {value}.StringValue!, {SourceWriter.Literal(schema.Pattern)}, {SourceWriter.Literal(schema.Format)}, {Long(schema.MinLength)}, {Long(schema.MaxLength)}); }}");
                }

                if (schema.Minimum is not null || schema.Maximum is not null)
                {
                    w.Line($"if (!{value}.IsString) {{ context.Number({path}, {value}.IntValue, {Num(schema.Minimum)}, {Num(schema.Maximum)}, {Bool(schema.ExclusiveMinimum)}, {Bool(schema.ExclusiveMaximum)}); }}");
                }

                break;
            case RefKind.Int32:
            case RefKind.Int64:
            case RefKind.Double:
                if (schema.Minimum is not null || schema.Maximum is not null)
                {
                    w.Line($"context.Number({path}, {value}, {Num(schema.Minimum)}, {Num(schema.Maximum)}, {Bool(schema.ExclusiveMinimum)}, {Bool(schema.ExclusiveMaximum)});");
                }

                if (!schema.Enum.IsEmpty)
                {
                    w.Line($"context.OneOfValues({path}, {value}.ToString(global::System.Globalization.CultureInfo.InvariantCulture), new[] {{ {string.Join(", ", schema.Enum.Select(SourceWriter.Literal))} }});");
                }

                break;
            case RefKind.Enum:
                var converter = EnumConverter(record, type);
                w.Line($"context.EnumValue({path}, (int){value}, {converter}.Values);");
                if (!schema.EnumVersions.IsEmpty)
                {
                    w.Line($"context.Available({path}, {converter}.Availability({value}));");
                }

                break;
            case RefKind.Record:
                w.Line($"{value}.Validate(context, {path});");
                break;
            case RefKind.Known when type.FullName == "global::k8s.Models.V1LabelSelector":
                w.Line($"{Emitter.ValidationAlias}.KubernetesChecks.LabelSelector(context, {path}, {value});");
                break;
            case RefKind.List:
                ListChecks(w, record, schema, type, value, path, depth);
                break;
            case RefKind.Map:
                if (schema.MinProperties is not null || schema.MaxProperties is not null)
                {
                    w.Line($"context.Count({path}, {value}.Count, {Long(schema.MinProperties)}, {Long(schema.MaxProperties)}, \"entries\");");
                }

                if (schema.AdditionalProperties is { } valueSchema)
                {
                    var inner = new SourceWriter();
                    var d = depth.ToString(CultureInfo.InvariantCulture);
                    ValueChecks(inner, record, valueSchema, type.Element!, $"e{d}.Value", $"k{d}", depth + 1, false);
                    var text = inner.ToString();
                    if (text.Length > 0)
                    {
                        w.Open($"foreach (var e{d} in {value})");
                        w.Line($"var k{d} = {PathT}.Property({path}, e{d}.Key);");
                        Append(w, text);
                        w.Close();
                    }
                }

                break;
        }
    }

    private static void ListChecks(SourceWriter w, RecordPlan record, SchemaNode schema, TypeRef type, string value, string path, int depth)
    {
        if (schema.MinItems is not null || schema.MaxItems is not null)
        {
            w.Line($"context.Count({path}, {value}.Count, {Long(schema.MinItems)}, {Long(schema.MaxItems)}, \"items\");");
        }

        var element = type.Element!;
        if (schema.ListType == "set")
        {
            w.Line($"context.UniqueItems({path}, {value});");
        }
        else if (schema.ListType == "map" && !schema.ListMapKeys.IsEmpty && element.Kind == RefKind.Record && schema.Items is { } itemSchema)
        {
            var keys = schema.ListMapKeys.Select(k => KeyExpression(itemSchema, k)).ToList();
            w.Line($"context.UniqueKeys({path}, {value}, {SourceWriter.Literal(string.Join(", ", schema.ListMapKeys))}, static item => {string.Join(" + \"\\u0000\" + ", keys)});");
        }

        if (schema.Items is { } items)
        {
            var inner = new SourceWriter();
            var d = depth.ToString(CultureInfo.InvariantCulture);
            ValueChecks(inner, record, items, element, $"x{d}", $"q{d}", depth + 1, false);
            var text = inner.ToString();
            if (text.Length > 0)
            {
                w.Open($"for (var i{d} = 0; i{d} < {value}.Count; i{d}++)");
                w.Line($"var x{d} = {value}[i{d}];");
                if (!element.IsValueType)
                {
                    w.Line($"if (x{d} is null) {{ continue; }}");
                }

                w.Line($"var q{d} = {PathT}.Index({path}, i{d});");
                Append(w, text);
                w.Close();
            }
        }
    }

    private static string KeyExpression(SchemaNode itemSchema, string key)
    {
        var property = itemSchema.Properties.FirstOrDefault(p => p.Name == key);
        var name = property?.Schema.PropertyName ?? Identifiers.Pascal(key);
        return $"global::System.Convert.ToString(item.{name}, global::System.Globalization.CultureInfo.InvariantCulture)";
    }

    private static void EmitAlternatives(SourceWriter w, RecordPlan record, string method, EquatableArray<string> sets)
    {
        if (sets.IsEmpty)
        {
            return;
        }

        var present = new List<string>();
        foreach (var set in sets)
        {
            var members = set.Split(',').Where(s => s.Length > 0).ToArray();
            var tests = members.Select(m => record.Properties.FirstOrDefault(p => p.WireName == m) is { } p
                ? (p.Required && p.Type.IsValueType ? "true" : $"{p.Name} is not null")
                : $"(AdditionalProperties?.ContainsKey({SourceWriter.Literal(m)}) ?? false)");
            present.Add("(" + string.Join(" && ", tests.DefaultIfEmpty("true")) + ")");
        }

        // The alternatives as one constant (split only to report) and the flags on the stack: no allocation per call.
        w.Line($"context.{method}(path, {SourceWriter.Literal(string.Join("\n", sets))}, stackalloc bool[] {{ {string.Join(", ", present)} }});");
    }

    private static void Append(SourceWriter w, string text)
    {
        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            w.Line(line);
        }
    }

    private static string Long(long? value) => value is null ? "null" : value.Value.ToString(CultureInfo.InvariantCulture) + "L";

    private static string Num(string? value) =>
        value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d.ToString("R", CultureInfo.InvariantCulture) + "d"
            : "null";

    private static string Bool(bool value) => value ? "true" : "false";
}
