using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Validation;

/// <summary>
/// Decides what Validate() does with each CEL rule of a record: a C# check, a transition rule reported as not
/// checkable offline (CRDGEN007, Info), or a rule outside the subset kept as a comment (CRDGEN010, Warning).
/// Nothing is dropped silently.
/// </summary>
internal static class RulePlanner
{
    private static readonly Regex OldSelf = new(@"\boldSelf\b", RegexOptions.CultureInvariant);

    /// <summary>Returns <paramref name="record"/> with its rules planned; adds diagnostics located in <paramref name="file"/>.</summary>
    public static RecordPlan Plan(
        RecordPlan record,
        string file,
        Func<string, RecordPlan?> records,
        Func<string, EnumPlan?> enums,
        List<DiagnosticInfo> diagnostics)
    {
        var checks = new List<RuleCheck>();
        var where = record.Root is { } root ? $"{root.Kind} ({root.Version})" : record.Name;
        var self = new TypeRef(RefKind.Record, "global::" + record.Namespace + "." + record.Name, null);
        foreach (var rule in record.Schema.Rules)
        {
            checks.Add(Check(rule, null, "this", self, where, file, records, enums, diagnostics));
        }

        foreach (var property in record.Properties)
        {
            // A record-typed property's rules are the nested record's own rules, checked by its Validate().
            if (property.Type.Kind != RefKind.Record)
            {
                foreach (var rule in property.Schema.Rules)
                {
                    checks.Add(Check(rule, property.WireName, "cel_self", property.Type, where + "." + property.WireName, file, records, enums, diagnostics));
                }
            }

            // Rules on scalar list items or map values are outside what Validate() walks: surface them.
            var nested = property.Type.Kind == RefKind.List && property.Type.Element!.Kind != RefKind.Record ? property.Schema.Items
                : property.Type.Kind == RefKind.Map && property.Type.Element!.Kind != RefKind.Record ? property.Schema.AdditionalProperties
                : null;
            foreach (var rule in nested?.Rules ?? EquatableArray<CelRule>.Empty)
            {
                checks.Add(Unsupported(rule, property.WireName, "rules on the items or values of a list or map of scalars are not translated", where + "." + property.WireName, file, diagnostics));
            }
        }

        return checks.Count == 0 ? record : record with { Rules = checks.ToEquatableArray() };
    }

    private static RuleCheck Check(
        CelRule rule,
        string? property,
        string selfCode,
        TypeRef selfType,
        string where,
        string file,
        Func<string, RecordPlan?> records,
        Func<string, EnumPlan?> enums,
        List<DiagnosticInfo> diagnostics)
    {
        var message = rule.Message ?? $"violates the rule '{OneLine(rule.Rule)}'";
        if (OldSelf.IsMatch(rule.Rule))
        {
            const string reason = "a transition rule compares with the stored object, which an offline check does not have";
            diagnostics.Add(DiagnosticInfo.Create("CRDGEN007", file, rule.Line, 0, where, OneLine(rule.Rule), reason));
            return new RuleCheck(rule.Rule, property, RuleKind.Transition, null, message, rule.FieldPath, reason, rule.AddedIn, rule.RemovedIn);
        }

        try
        {
            var condition = new CelTranslator(records, enums).Translate(rule.Rule, selfCode, selfType);
            return new RuleCheck(rule.Rule, property, RuleKind.Checked, condition, message, rule.FieldPath, null, rule.AddedIn, rule.RemovedIn);
        }
        catch (CelUnsupportedException e)
        {
            return Unsupported(rule, property, e.Message, where, file, diagnostics);
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException or ArgumentException)
        {
            // Never throw from the generator: an internal surprise is a rule not translated, said so.
            return Unsupported(rule, property, e.GetType().Name + ": " + e.Message, where, file, diagnostics);
        }
    }

    private static RuleCheck Unsupported(CelRule rule, string? property, string reason, string where, string file, List<DiagnosticInfo> diagnostics)
    {
        diagnostics.Add(DiagnosticInfo.Create("CRDGEN010", file, rule.Line, 0, where, OneLine(rule.Rule), reason));
        return new RuleCheck(rule.Rule, property, RuleKind.Unsupported, null, rule.Message ?? $"violates the rule '{OneLine(rule.Rule)}'", rule.FieldPath, reason, rule.AddedIn, rule.RemovedIn);
    }

    /// <summary>The rule on one line, safe for a comment or a message.</summary>
    public static string OneLine(string rule) => Regex.Replace(rule, @"[\r\n\u0085\u2028\u2029]+", " ").Trim();
}
