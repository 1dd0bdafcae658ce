using System.Collections.Generic;
using System.ComponentModel;
using k8s.Models;

namespace CrdKit.Validation;

// What every generated Validate() repeated for a nested object or a list of them (the null check, the child's path,
// the loop, the null items skipped), written once: generated code keeps one call per such field.
public sealed partial class ValidationContext
{
    /// <summary>Validates an object as the Kubernetes API server would: every violation, each with a path, the value and a
    /// fix (empty when valid). What every generated record's <c>Validate(version)</c> does.</summary>
    /// <param name="record">The object.</param>
    /// <param name="version">The target release ("1.19", "1.20"): fields and values added or removed in another release
    /// are reported; null skips that check.</param>
    /// <returns>Every violation, in the order found.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="version"/> is not written as numbers <c>major.minor</c> or
    /// <c>major.minor.patch</c>.</exception>
    public static IReadOnlyList<ValidationError> Run(IValidatable record, string? version = null)
    {
        var context = new ValidationContext(version);
        context.Validate(record, string.Empty);
        return context.Errors;
    }

    /// <summary>Validates the object held by field <paramref name="name"/> of the object at <paramref name="path"/>, if set.</summary>
    /// <param name="path">The parent object's path.</param>
    /// <param name="name">The field's wire name.</param>
    /// <param name="value">The field's value, or null.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Child(string path, string name, IValidatable? value)
    {
        if (value is not null)
        {
            value.Validate(this, Property(path, name));
        }
    }

    /// <summary>Validates each object of the list held by field <paramref name="name"/>, if set (null items skipped).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="path">The parent object's path.</param>
    /// <param name="name">The field's wire name.</param>
    /// <param name="items">The field's value, or null.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Children<T>(string path, string name, IList<T>? items)
        where T : class, IValidatable
    {
        if (items is null)
        {
            return;
        }

        var at = Property(path, name);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item)
            {
                item.Validate(this, Index(at, i));
            }
        }
    }

    /// <summary>Checks the label selector held by field <paramref name="name"/>, if set.</summary>
    /// <param name="path">The parent object's path.</param>
    /// <param name="name">The field's wire name.</param>
    /// <param name="selector">The field's value, or null.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Selector(string path, string name, V1LabelSelector? selector)
    {
        if (selector is not null)
        {
            KubernetesChecks.LabelSelector(this, Property(path, name), selector);
        }
    }

    /// <summary>Checks each label selector of the list held by field <paramref name="name"/>, if set (null items skipped).</summary>
    /// <param name="path">The parent object's path.</param>
    /// <param name="name">The field's wire name.</param>
    /// <param name="selectors">The field's value, or null.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Selectors(string path, string name, IList<V1LabelSelector>? selectors)
    {
        if (selectors is null)
        {
            return;
        }

        var at = Property(path, name);
        for (var i = 0; i < selectors.Count; i++)
        {
            if (selectors[i] is { } selector)
            {
                KubernetesChecks.LabelSelector(this, Index(at, i), selector);
            }
        }
    }
}
