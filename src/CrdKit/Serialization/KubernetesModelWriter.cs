using System.Collections.Generic;
using System.Text.Json;
using k8s.Models;

namespace CrdKit.Serialization;

/// <summary>
/// Writes the KubernetesClient models that every generated record carries (object metadata with only names, labels
/// and annotations; label selectors) straight into the writer, in the same bytes System.Text.Json's metadata writes:
/// the same property order (the models' declaration order), nulls omitted, map values as they are. Through the
/// serializer each of them took a serializer call with a stack of frames (an array of them for every nested map):
/// a fifth of the allocation of rendering a cluster. Anything else, or a subclass, goes to the serializer.
/// </summary>
internal static class KubernetesModelWriter
{
    public static bool TryWrite<T>(Utf8JsonWriter writer, T value)
    {
        switch (value)
        {
            case V1ObjectMeta meta when meta.GetType() == typeof(V1ObjectMeta) && OnlyNames(meta):
                writer.WriteStartObject();
                Map(writer, "annotations", meta.Annotations);
                Map(writer, "labels", meta.Labels);
                String(writer, "name", meta.Name);
                String(writer, "namespace", meta.NamespaceProperty);
                writer.WriteEndObject();
                return true;
            case V1LabelSelector selector when selector.GetType() == typeof(V1LabelSelector) && Plain(selector.MatchExpressions):
                writer.WriteStartObject();
                if (selector.MatchExpressions is { } expressions)
                {
                    writer.WritePropertyName("matchExpressions");
                    writer.WriteStartArray();
                    for (var i = 0; i < expressions.Count; i++)
                    {
                        var requirement = expressions[i];
                        writer.WriteStartObject();
                        String(writer, "key", requirement.Key);
                        String(writer, "operator", requirement.OperatorProperty);
                        if (requirement.Values is { } values)
                        {
                            writer.WritePropertyName("values");
                            writer.WriteStartArray();
                            for (var j = 0; j < values.Count; j++)
                            {
                                writer.WriteStringValue(values[j]);
                            }

                            writer.WriteEndArray();
                        }

                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }

                Map(writer, "matchLabels", selector.MatchLabels);
                writer.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    // Every other field of V1ObjectMeta is set by the API server or by hand, rarely in manifests written here.
    private static bool OnlyNames(V1ObjectMeta meta) =>
        meta.CreationTimestamp is null && meta.DeletionGracePeriodSeconds is null && meta.DeletionTimestamp is null
        && meta.Finalizers is null && meta.GenerateName is null && meta.Generation is null && meta.ManagedFields is null
        && meta.OwnerReferences is null && meta.ResourceVersion is null && meta.SelfLink is null && meta.Uid is null;

    private static bool Plain(IList<V1LabelSelectorRequirement>? expressions)
    {
        if (expressions is null)
        {
            return true;
        }

        for (var i = 0; i < expressions.Count; i++)
        {
            if (expressions[i] is not { } requirement || requirement.GetType() != typeof(V1LabelSelectorRequirement))
            {
                return false;
            }
        }

        return true;
    }

    private static void String(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void Map(Utf8JsonWriter writer, string name, IDictionary<string, string>? map)
    {
        if (map is null)
        {
            return;
        }

        writer.WritePropertyName(name);
        writer.WriteStartObject();
        if (map is Dictionary<string, string> dictionary)
        {
            foreach (var entry in dictionary)
            {
                writer.WriteString(entry.Key, entry.Value);
            }
        }
        else
        {
            foreach (var entry in map)
            {
                writer.WriteString(entry.Key, entry.Value);
            }
        }

        writer.WriteEndObject();
    }
}
