using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cilium.Sdk.Tests.Helm;

/// <summary>
/// The keys a Cilium chart version has: every property path in its values.schema.json, plus the keys values.yaml
/// documents only as comments (the schema is generated from values.yaml and leaves those out, e.g.
/// <c>loadBalancer.algorithm</c>, <c>policyAuditMode</c>). A path under an object with no declared properties (maps
/// such as annotations or resources) is open.
/// </summary>
internal sealed partial class ChartKeys
{
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private readonly HashSet<string> open = new(StringComparer.Ordinal);

    public ChartKeys(string schemaJson, string valuesYaml)
    {
        Walk(JsonNode.Parse(schemaJson)!, string.Empty);
        foreach (var key in CommentedKeys(valuesYaml))
        {
            known.Add(key);
        }
    }

    public int Count => known.Count;

    /// <summary>The key paths of <paramref name="values"/> that the chart does not have.</summary>
    public IReadOnlyList<string> Unknown(JsonObject values)
    {
        var unknown = new List<string>();
        Check(values, string.Empty, unknown);
        return unknown;
    }

    private void Check(JsonObject values, string prefix, List<string> unknown)
    {
        foreach (var (key, value) in values)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (open.Contains(prefix) && prefix.Length > 0)
            {
                continue;
            }

            if (!known.Contains(path))
            {
                unknown.Add(path);
                continue;
            }

            if (value is JsonObject child)
            {
                Check(child, path, unknown);
            }
        }
    }

    private void Walk(JsonNode schema, string path)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (key, child) in properties)
            {
                var childPath = path.Length == 0 ? key : path + "." + key;
                known.Add(childPath);
                Walk(child!, childPath);
            }
        }
        else if (path.Length > 0)
        {
            open.Add(path);
        }

        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (schema[combinator] is JsonArray alternatives)
            {
                foreach (var alternative in alternatives)
                {
                    Walk(alternative!, path);
                }
            }
        }
    }

    private static IEnumerable<string> CommentedKeys(string valuesYaml)
    {
        // Real keys build a stack of parents by indentation; a comment of the form "# key: value" at some indentation
        // is a documented key under the parents at smaller indentation.
        var stack = new List<(int Indent, string Key)>();
        foreach (var line in valuesYaml.Split('\n'))
        {
            var real = RealKey().Match(line);
            var commented = CommentedKey().Match(line);
            var match = real.Success ? real : commented;
            if (!match.Success)
            {
                continue;
            }

            var indent = match.Groups["indent"].Length;
            stack.RemoveAll(s => s.Indent >= indent);
            var path = string.Join(".", stack.Select(s => s.Key).Append(match.Groups["key"].Value));
            if (real.Success)
            {
                stack.Add((indent, match.Groups["key"].Value));
            }
            else
            {
                yield return path;
            }
        }
    }

    [GeneratedRegex(@"^(?<indent> *)(?<key>[A-Za-z][A-Za-z0-9_.-]*):(\s|$)")]
    private static partial Regex RealKey();

    [GeneratedRegex(@"^(?<indent> *)# (?<key>[a-z][A-Za-z0-9_-]*):( |$)")]
    private static partial Regex CommentedKey();
}
