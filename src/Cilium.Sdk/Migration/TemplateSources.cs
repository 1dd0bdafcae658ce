using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Cilium.Sdk.Migration;

/// <summary>Where the template's settings were read: the two files and the line of every key and node, so a problem
/// found later (by the cluster's validation) can name the key and line the user edits.</summary>
internal sealed class TemplateSources
{
    private readonly Dictionary<string, long> keyLines;
    private readonly List<long?> nodeLines;
    private readonly Dictionary<string, long> nodeFieldLines;

    private TemplateSources(string clusterFile, string nodesFile, Dictionary<string, long> keyLines, List<long?> nodeLines, Dictionary<string, long> nodeFieldLines, List<string> nodeNames)
    {
        ClusterFile = clusterFile;
        NodesFile = nodesFile;
        this.keyLines = keyLines;
        this.nodeLines = nodeLines;
        this.nodeFieldLines = nodeFieldLines;
        NodeNames = nodeNames;
    }

    public string ClusterFile { get; }

    public string NodesFile { get; }

    /// <summary>The name of each node of nodes.yaml, by index (empty when it has none).</summary>
    public IReadOnlyList<string> NodeNames { get; }

    public static TemplateSources Of(string clusterFile, string nodesFile, JsonObject cluster, JsonObject nodes, Dictionary<JsonNode, Mark> clusterPositions, Dictionary<JsonNode, Mark> nodePositions)
    {
        var keyLines = new Dictionary<string, long>(System.StringComparer.Ordinal);
        foreach (var (key, value) in cluster)
        {
            if (value is not null && clusterPositions.TryGetValue(value, out var mark))
            {
                keyLines[key] = mark.Line;
            }
        }

        var nodeLines = new List<long?>();
        var fieldLines = new Dictionary<string, long>(System.StringComparer.Ordinal);
        var names = new List<string>();
        if (nodes["nodes"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var item = list[i];
                nodeLines.Add(item is not null && nodePositions.TryGetValue(item, out var mark) ? mark.Line : null);
                names.Add(item is JsonObject o && o["name"] is JsonValue v && v.TryGetValue<string>(out var name) ? name : string.Empty);
                if (item is JsonObject fields)
                {
                    foreach (var (key, value) in fields)
                    {
                        if (value is not null && nodePositions.TryGetValue(value, out var at))
                        {
                            fieldLines[Field(i, key)] = at.Line;
                        }
                    }
                }
            }
        }

        return new TemplateSources(clusterFile, nodesFile, keyLines, nodeLines, fieldLines, names);
    }

    /// <summary>Whether <paramref name="key"/> is set in cluster.yaml.</summary>
    public bool Has(string key) => keyLines.ContainsKey(key);

    /// <summary>"cluster.yaml line 12", or null when the key is not set.</summary>
    public string? KeyLocation(string key) =>
        keyLines.TryGetValue(key, out var line) ? string.Create(CultureInfo.InvariantCulture, $"{ClusterFile} line {line}") : null;

    /// <summary>"nodes.yaml line 4" for a node (or one of its fields), or the file alone.</summary>
    public string NodeLocation(int index, string? field)
    {
        if (field is not null && nodeFieldLines.TryGetValue(Field(index, field), out var fieldLine))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{NodesFile} line {fieldLine}");
        }

        return index < nodeLines.Count && nodeLines[index] is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"{NodesFile} line {line}")
            : NodesFile;
    }

    private static string Field(int index, string key) => index.ToString(CultureInfo.InvariantCulture) + "." + key;
}
