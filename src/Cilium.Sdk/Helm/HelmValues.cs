using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Cilium.Sdk.Helm;

/// <summary>
/// Turns typed values into the JSON the HelmRelease carries, and merges overrides deterministically: objects merge
/// key by key (recursively), anything else (scalars, lists) is replaced by the override, an explicit null removes the
/// key (Helm's own rule for user values), and every object's keys come out sorted.
/// </summary>
public static class HelmValues
{
    // Metadata generated at compile time (no reflection); nulls omitted.
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = Serialization.SdkJsonContext.Default,
    };

    /// <summary>Serializes typed values (nulls omitted, keys sorted).</summary>
    public static JsonObject ToJson(CiliumValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<CiliumValues>)Options.GetTypeInfo(typeof(CiliumValues));
        var node = JsonSerializer.SerializeToNode(values, info) as JsonObject ?? new JsonObject();
        return Sorted(node);
    }

    /// <summary>Merges <paramref name="overrides"/> over <paramref name="values"/>; neither input is changed.</summary>
    public static JsonObject Merge(JsonObject values, JsonObject? overrides)
    {
        ArgumentNullException.ThrowIfNull(values);
        var result = (JsonObject)values.DeepClone();
        if (overrides is not null)
        {
            MergeInto(result, overrides);
        }

        return Sorted(result);
    }

    /// <summary>Combines two sets of overrides (the later wins), keeping explicit nulls so they still remove keys when
    /// the result is merged over values.</summary>
    public static JsonObject CombineOverrides(JsonObject first, JsonObject second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var result = (JsonObject)first.DeepClone();
        MergeInto(result, second, keepNulls: true);
        return Sorted(result);
    }

    private static void MergeInto(JsonObject target, JsonObject overrides, bool keepNulls = false)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is null && keepNulls)
            {
                target[key] = null;
            }
            else if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject overrideObject && target[key] is JsonObject targetObject)
            {
                MergeInto(targetObject, overrideObject, keepNulls);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>A deep copy whose objects have their keys in ordinal order (arrays keep their order).</summary>
    public static JsonObject Sorted(JsonObject node) => (JsonObject)SortNode(node)!;

    private static JsonNode? SortNode(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(p.Key, SortNode(p.Value)))),
        JsonArray array => new JsonArray(array.Select(SortNode).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };
}
