using System.Globalization;

namespace CrdKit.Validation;

/// <summary>Builds JSON paths such as <c>spec.egress[0].toPorts</c> and <c>metadata.labels["app.kubernetes.io/name"]</c>.</summary>
public static class ValidationPath
{
    /// <summary>The path of a property.</summary>
    /// <param name="path">The parent path ("" for the root).</param>
    /// <param name="name">The wire name.</param>
    /// <returns>The child path.</returns>
    public static string Property(string path, string name)
    {
        if (!IsPlain(name))
        {
            return path + "[\"" + name.Replace("\"", "\\\"", System.StringComparison.Ordinal) + "\"]";
        }

        return path.Length == 0 ? name : path + "." + name;
    }

    // A loop, not LINQ: this runs for every field a validation reports.
    private static bool IsPlain(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The path of a list item.</summary>
    /// <param name="path">The list's path.</param>
    /// <param name="index">The index.</param>
    /// <returns>The item path.</returns>
    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
