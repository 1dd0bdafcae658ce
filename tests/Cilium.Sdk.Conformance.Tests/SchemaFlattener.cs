using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>
/// Turns an openAPIV3Schema into field paths (<c>spec.ingress[].toPorts[]</c>, map values as <c>{}</c>) with the
/// facts that matter to the API. Descriptions are no facts; anything else unknown is kept so nothing slips by.
/// </summary>
internal static partial class SchemaFlattener
{
    /// <summary>Path of the schema's root node.</summary>
    public const string RootPath = "<root>";

    /// <summary>Fact set when the parent lists the field as required.</summary>
    public const string RequiredFact = "required";

    // Keys that shape the tree rather than describe a field.
    private static readonly HashSet<string> StructuralKeys = new(StringComparer.Ordinal)
    {
        "description", "properties", "items", "required", "$ref",
    };

    // Entries of oneOf/anyOf/allOf are compared as canonical text; these keys carry no API fact.
    private static readonly HashSet<string> NonFactKeys = new(StringComparer.Ordinal)
    {
        "description", "x-crdkit-added-in", "x-crdkit-removed-in", "x-csharp-type-name", "x-csharp-property-name",
    };

    /// <summary>Flattens a schema; the result maps each path to its facts.</summary>
    public static SortedDictionary<string, SortedDictionary<string, string>> Flatten(YamlMappingNode schema, SchemaDialect dialect)
    {
        SortedDictionary<string, SortedDictionary<string, string>> fields = new(StringComparer.Ordinal);
        Visit(schema, RootPath, isRequired: false, dialect, fields);
        return fields;
    }

    /// <summary>CEL rules compared after whitespace normalisation.</summary>
    public static string NormalizeRule(string rule) => Whitespace().Replace(rule, " ").Trim();

    private static void Visit(YamlMappingNode raw, string path, bool isRequired, SchemaDialect dialect,
        SortedDictionary<string, SortedDictionary<string, string>> fields)
    {
        YamlMappingNode node = dialect.Resolve(raw);
        SortedDictionary<string, string> facts = new(StringComparer.Ordinal);
        if (isRequired)
        {
            facts[RequiredFact] = "true";
        }

        foreach ((string key, YamlNode value) in node.Entries())
        {
            // x-csharp-* only names the generated C# (a type or property name): no API fact.
            if (StructuralKeys.Contains(key) || key.StartsWith("x-crdkit-", StringComparison.Ordinal) || key.StartsWith("x-csharp-", StringComparison.Ordinal)
                || (key == "additionalProperties" && value is YamlMappingNode))
            {
                continue;
            }

            string fact = key switch
            {
                "enum" => string.Join(" | ", dialect.EnumValues(node).OrderBy(v => v, StringComparer.Ordinal)),
                "x-kubernetes-validations" => JoinSorted(value, entry => NormalizeRule(entry.GetText("rule") ?? string.Empty), dialect),
                "oneOf" or "anyOf" or "allOf" => JoinSorted(value, entry => YamlTree.Canonical(entry, NonFactKeys), dialect),
                _ => YamlTree.Canonical(value, NonFactKeys),
            };

            // A list whose every entry is absent in this release is no fact at all, as upstream simply omits it.
            if (fact.Length > 0 || value is YamlScalarNode)
            {
                facts[key] = fact;
            }
        }

        fields[path] = facts;

        HashSet<string> required = node.GetList("required").Select(r => YamlTree.Canonical(r)).ToHashSet(StringComparer.Ordinal);
        if (node.GetMap("properties") is { } properties)
        {
            foreach ((string name, YamlNode child) in properties.Entries())
            {
                if (child is YamlMappingNode childSchema && dialect.IsAvailable(childSchema))
                {
                    Visit(childSchema, path == RootPath ? name : $"{path}.{name}", required.Contains(name), dialect, fields);
                }
            }
        }

        if (node.GetMap("items") is { } items)
        {
            Visit(items, path + "[]", isRequired: false, dialect, fields);
        }

        if (node.GetMap("additionalProperties") is { } values)
        {
            Visit(values, path + "{}", isRequired: false, dialect, fields);
        }
    }

    private static string JoinSorted(YamlNode list, Func<YamlMappingNode, string> describe, SchemaDialect dialect) =>
        string.Join(" ;; ", ((YamlSequenceNode)list).Children.OfType<YamlMappingNode>()
            .Where(dialect.IsAvailable)
            .Select(describe)
            .OrderBy(s => s, StringComparer.Ordinal));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
