using k8s.Models;
using System.ComponentModel;

namespace CrdKit.Validation;

/// <summary>Schema checks for the KubernetesClient types that generated records reuse.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KubernetesChecks
{
    private static readonly string[] Operators = { "In", "NotIn", "Exists", "DoesNotExist" };

    /// <summary>A label selector: each expression needs a key and a known operator.</summary>
    /// <param name="context">Collects violations.</param>
    /// <param name="path">The selector's path.</param>
    /// <param name="selector">The selector.</param>
    public static void LabelSelector(ValidationContext context, string path, V1LabelSelector selector)
    {
        if (selector.MatchExpressions is null)
        {
            return;
        }

        for (var i = 0; i < selector.MatchExpressions.Count; i++)
        {
            var expression = selector.MatchExpressions[i];
            var at = context.Index(context.Property(path, "matchExpressions"), i);
            if (expression is null)
            {
                continue;
            }

            if (string.IsNullOrEmpty(expression.Key))
            {
                context.Required(at, "key");
            }

            if (string.IsNullOrEmpty(expression.OperatorProperty))
            {
                context.Required(at, "operator");
            }
            else if (System.Array.IndexOf(Operators, expression.OperatorProperty) < 0)
            {
                context.Add(ValidationPath.Property(at, "operator"), expression.OperatorProperty, "is not a selector operator", "use one of In, NotIn, Exists, DoesNotExist");
            }
        }
    }
}
