using System.Linq;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Shaping;

/// <summary>Recognises Kubernetes shapes that KubernetesClient already models, so users get the types they know.</summary>
internal static class WellKnownTypes
{
    public static readonly TypeRef ObjectMeta = new(RefKind.Known, "global::k8s.Models.V1ObjectMeta", null);
    public static readonly TypeRef ListMeta = new(RefKind.Known, "global::k8s.Models.V1ListMeta", null);
    public static readonly TypeRef LabelSelector = new(RefKind.Known, "global::k8s.Models.V1LabelSelector", null);
    public static readonly TypeRef Condition = new(RefKind.Known, "global::k8s.Models.V1Condition", null);

    /// <summary><c>{matchLabels: map[string]string, matchExpressions: [{key, operator, values}]}</c>.</summary>
    public static bool IsLabelSelector(SchemaNode node)
    {
        if (node.Properties.Count != 2 || node.Properties[0].Name != "matchExpressions" || node.Properties[1].Name != "matchLabels")
        {
            return false;
        }

        var expressions = node.Properties[0].Schema.Items;
        var labels = node.Properties[1].Schema;
        return expressions is not null
            && expressions.Properties.Select(p => p.Name).SequenceEqual(new[] { "key", "operator", "values" })
            && labels.AdditionalProperties is { Type: "string" };
    }

    /// <summary>A <c>metav1.Condition</c>: type, status, reason, message, lastTransitionTime (observedGeneration optional).</summary>
    public static bool IsCondition(SchemaNode node)
    {
        var names = node.Properties.Select(p => p.Name).ToArray();
        return names.SequenceEqual(new[] { "lastTransitionTime", "message", "observedGeneration", "reason", "status", "type" })
            || names.SequenceEqual(new[] { "lastTransitionTime", "message", "reason", "status", "type" });
    }
}
