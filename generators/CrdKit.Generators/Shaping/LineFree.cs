using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Shaping;

/// <summary>
/// Emit units without the YAML line numbers the parsed schema carries for diagnostics. A unit compares by value (the
/// incremental cache), and the emitted code never uses a line, so an edit that only moves lines (a comment at the
/// top of a CRD) must leave the unit equal and its source cached; the diagnostics keep their own, current lines.
/// </summary>
internal static class LineFree
{
    public static RecordPlan Of(RecordPlan record) => record with
    {
        Schema = Of(record.Schema),
        Properties = record.Properties.Select(p => p with { Schema = Of(p.Schema) }).ToEquatableArray(),
    };

    public static SchemaNode Of(SchemaNode node) => node with
    {
        Line = 0,
        Properties = node.Properties.Select(p => p with { Schema = Of(p.Schema) }).ToEquatableArray(),
        Items = node.Items is null ? null : Of(node.Items),
        AdditionalProperties = node.AdditionalProperties is null ? null : Of(node.AdditionalProperties),
        Rules = node.Rules.Select(r => r with { Line = 0 }).ToEquatableArray(),
        AllOfSchemas = node.AllOfSchemas.Select(Of).ToEquatableArray(),
        AnyOfSchemas = node.AnyOfSchemas.Select(Of).ToEquatableArray(),
        OneOfSchemas = node.OneOfSchemas.Select(Of).ToEquatableArray(),
        Not = node.Not is null ? null : Of(node.Not),
    };
}
