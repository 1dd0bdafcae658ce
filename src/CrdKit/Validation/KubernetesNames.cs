using System.Text.RegularExpressions;

namespace CrdKit.Validation;

/// <summary>
/// Kubernetes name and label rules (apimachinery's validation: DNS-1123 labels and subdomains, qualified label keys,
/// label values), as checks that return the fix, for the names the SDK writes into manifests.
/// </summary>
public static partial class KubernetesNames
{
    /// <summary>Checks a DNS-1123 label (namespaces, Service names): at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.</summary>
    /// <param name="value">The name.</param>
    /// <param name="fix">How to fix it, when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool IsDns1123Label(string value, out string fix)
    {
        fix = "use at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit (e.g. 'my-name')";
        return value.Length is > 0 and <= 63 && Dns1123Label().IsMatch(value);
    }

    /// <summary>Checks a DNS-1123 subdomain (most object names): at most 253 characters of dot-separated DNS-1123 labels.</summary>
    /// <param name="value">The name.</param>
    /// <param name="fix">How to fix it, when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool IsDns1123Subdomain(string value, out string fix)
    {
        fix = "use at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit (e.g. 'k8s-0')";
        return value.Length is > 0 and <= 253 && Dns1123Subdomain().IsMatch(value);
    }

    /// <summary>Checks a label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    /// <param name="value">The key.</param>
    /// <param name="fix">How to fix it, when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool IsLabelKey(string value, out string fix)
    {
        fix = "use 'name' or 'prefix/name': name at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric; prefix a DNS subdomain";
        var slash = value.IndexOf('/', System.StringComparison.Ordinal);
        var name = slash < 0 ? value : value[(slash + 1)..];
        if (slash >= 0 && !IsDns1123Subdomain(value[..slash], out _))
        {
            return false;
        }

        return name.Length is > 0 and <= 63 && QualifiedName().IsMatch(name);
    }

    /// <summary>Checks a label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric.</summary>
    /// <param name="value">The value.</param>
    /// <param name="fix">How to fix it, when invalid.</param>
    /// <returns>True when valid.</returns>
    public static bool IsLabelValue(string value, out string fix)
    {
        fix = "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or an empty value)";
        return value.Length == 0 || (value.Length <= 63 && QualifiedName().IsMatch(value));
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedName();
}
