using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>
/// How to read one side's schema: upstream's is plain; ours resolves <c>$ref</c> against the root
/// <c>definitions</c> and hides whatever the x-cilium-sdk markers say is absent in the Cilium version under test.
/// </summary>
internal sealed class SchemaDialect
{
    private const string RefPrefix = "#/definitions/";
    private readonly YamlMappingNode? definitions;
    private readonly Version? ciliumVersion;

    private SchemaDialect(YamlMappingNode? definitions, Version? ciliumVersion)
    {
        this.definitions = definitions;
        this.ciliumVersion = ciliumVersion;
    }

    /// <summary>Upstream documents: no references, no markers.</summary>
    public static SchemaDialect Upstream { get; } = new(null, null);

    /// <summary>Our documents, seen as of one Cilium release (null for Flux: no filtering).</summary>
    public static SchemaDialect Ours(YamlMappingNode document, string? ciliumVersion) =>
        new(document.GetMap("definitions") ?? new YamlMappingNode(), ciliumVersion is null ? null : Version.Parse(ciliumVersion));

    /// <summary>Follows a <c>$ref</c> (if any) to the schema it names.</summary>
    public YamlMappingNode Resolve(YamlMappingNode schema)
    {
        string? reference = schema.GetText("$ref");
        if (reference is null)
        {
            return schema;
        }

        if (definitions is null || !reference.StartsWith(RefPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Unsupported $ref '{reference}'.");
        }

        string name = reference[RefPrefix.Length..];
        YamlMappingNode target = definitions.GetMap(name) ?? throw new InvalidOperationException($"No definition named '{name}'.");
        return Resolve(target);
    }

    /// <summary>Whether a node carrying x-crdkit-added-in/removed-in exists in the release under test.</summary>
    public bool IsAvailable(YamlMappingNode node)
    {
        if (ciliumVersion is null)
        {
            return true;
        }

        string? added = node.GetText("x-crdkit-added-in");
        string? removed = node.GetText("x-crdkit-removed-in");
        return (added is null || ciliumVersion >= Version.Parse(added)) && (removed is null || ciliumVersion < Version.Parse(removed));
    }

    /// <summary>The enum values that exist in the release under test.</summary>
    public IEnumerable<string> EnumValues(YamlMappingNode schema)
    {
        IEnumerable<string> values = schema.GetList("enum").Select(v => YamlTree.Canonical(v));
        if (ciliumVersion is null)
        {
            return values;
        }

        HashSet<string> hidden = new(StringComparer.Ordinal);
        hidden.UnionWith(MarkedValues(schema.GetMap("x-crdkit-enum-added-in"), since => ciliumVersion < since));
        hidden.UnionWith(MarkedValues(schema.GetMap("x-crdkit-enum-removed-in"), since => ciliumVersion >= since));
        return values.Where(v => !hidden.Contains(v));
    }

    private static IEnumerable<string> MarkedValues(YamlMappingNode? byVersion, Func<Version, bool> hides) =>
        byVersion is null
            ? []
            : byVersion.Entries().Where(e => hides(Version.Parse(e.Key)))
                .SelectMany(e => ((YamlSequenceNode)e.Value).Children.Select(v => YamlTree.Canonical(v)));
}
