using System.Text.Json.Nodes;

namespace Cilium.Sdk.Generators.Tests.Infrastructure;

/// <summary>JSON tree helpers for round-trip comparisons.</summary>
public static class JsonTrees
{
    /// <summary>A copy of <paramref name="document"/> with its first string leaf under <paramref name="field"/> (depth first)
    /// changed, or null when there is none: a mutation that keeps every type, so it still reads.</summary>
    public static JsonObject? WithFirstStringChanged(JsonObject document, string field)
    {
        var copy = document.DeepClone().AsObject();
        return copy[field] is { } start && Change(start) ? copy : null;

        static bool Change(JsonNode node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj.ToList())
                    {
                        if (value is JsonValue leaf && leaf.GetValueKind() == System.Text.Json.JsonValueKind.String)
                        {
                            obj[key] = leaf.GetValue<string>() + "-changed";
                            return true;
                        }

                        if (value is not null && Change(value))
                        {
                            return true;
                        }
                    }

                    return false;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is JsonValue leaf && leaf.GetValueKind() == System.Text.Json.JsonValueKind.String)
                        {
                            array[i] = leaf.GetValue<string>() + "-changed";
                            return true;
                        }

                        if (array[i] is { } item && Change(item))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }

    /// <summary>Explicit nulls mean "absent" to the API server; they are the one thing a round trip may drop.</summary>
    public static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (value is not null)
                    {
                        copy[key] = WithoutNulls(value);
                    }
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(WithoutNulls).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>The path of the first place two trees differ ("metadata" when one has it and the other not), or null.</summary>
    public static string? FirstDifference(JsonNode? a, JsonNode? b, string path = "")
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    var at = path.Length == 0 ? key : path + "." + key;
                    if (!x.ContainsKey(key) || !y.ContainsKey(key))
                    {
                        return at + (x.ContainsKey(key) ? " (dropped)" : " (added)");
                    }

                    if (FirstDifference(x[key], y[key], at) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                {
                    if (i >= x.Count || i >= y.Count)
                    {
                        return $"{path}[{i}] ({(i >= x.Count ? "added" : "dropped")})";
                    }

                    if (FirstDifference(x[i], y[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(a, b) ? null : $"{path} ({a?.ToJsonString()} -> {b?.ToJsonString()})";
        }
    }
}
