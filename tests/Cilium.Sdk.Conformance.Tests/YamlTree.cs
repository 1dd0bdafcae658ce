using System.Collections.Generic;
using System.IO;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>Small helpers over YamlDotNet's representation model.</summary>
internal static class YamlTree
{
    /// <summary>Loads the first document of a YAML file.</summary>
    public static YamlMappingNode LoadDocument(string path)
    {
        using StreamReader reader = File.OpenText(path);
        YamlStream stream = new();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>The value under a key, or null.</summary>
    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;

    /// <summary>The mapping under a key, or null.</summary>
    public static YamlMappingNode? GetMap(this YamlMappingNode map, string key) => map.Get(key) as YamlMappingNode;

    /// <summary>The scalar text under a key, or null.</summary>
    public static string? GetText(this YamlMappingNode map, string key) => (map.Get(key) as YamlScalarNode)?.Value;

    /// <summary>The entries under a key, or none.</summary>
    public static IEnumerable<YamlNode> GetList(this YamlMappingNode map, string key) =>
        map.Get(key) is YamlSequenceNode seq ? seq.Children : Enumerable.Empty<YamlNode>();

    /// <summary>Key/value pairs with string keys, in document order.</summary>
    public static IEnumerable<KeyValuePair<string, YamlNode>> Entries(this YamlMappingNode map) =>
        map.Children.Select(kv => new KeyValuePair<string, YamlNode>(((YamlScalarNode)kv.Key).Value ?? string.Empty, kv.Value));

    /// <summary>
    /// A canonical one-line text of a node: keys sorted, chosen keys left out, so equal facts print equally
    /// whatever the quoting or layout of the source.
    /// </summary>
    public static string Canonical(YamlNode node, ISet<string>? ignoredKeys = null) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "null",
        YamlSequenceNode seq => "[" + string.Join(",", seq.Children.Select(c => Canonical(c, ignoredKeys))) + "]",
        YamlMappingNode map => "{" + string.Join(",", map.Entries()
            .Where(e => ignoredKeys is null || !ignoredKeys.Contains(e.Key))
            .OrderBy(e => e.Key, System.StringComparer.Ordinal)
            .Select(e => e.Key + ":" + Canonical(e.Value, ignoredKeys))) + "}",
        _ => node.ToString(),
    };
}
