namespace Cilium.Sdk.Generators.Tests.Infrastructure;

/// <summary>Builds small CRD documents for rule tests; schemas are written in YAML flow style on one line.</summary>
public static class CrdText
{
    /// <summary>A namespaced CRD of group example.io; each version is (name, storage, spec schema in flow style).</summary>
    public static string Build(string kind, string extraRootProperties = "", params (string Name, bool Storage, string Spec)[] versions)
    {
        var lines = new List<string>
        {
            "apiVersion: apiextensions.k8s.io/v1",
            "kind: CustomResourceDefinition",
            $"metadata: {{name: {kind.ToLowerInvariant()}s.example.io}}",
            "spec:",
            "  group: example.io",
            $"  names: {{kind: {kind}, listKind: {kind}List, plural: {kind.ToLowerInvariant()}s, singular: {kind.ToLowerInvariant()}}}",
            "  scope: Namespaced",
            "  versions:",
        };
        foreach (var (name, storage, spec) in versions)
        {
            lines.Add($"    - name: {name}");
            lines.Add("      served: true");
            lines.Add($"      storage: {(storage ? "true" : "false")}");
            lines.Add("      schema:");
            lines.Add("        openAPIV3Schema:");
            lines.Add("          type: object");
            lines.Add("          properties:");
            lines.Add("            apiVersion: {type: string}");
            lines.Add("            kind: {type: string}");
            lines.Add("            metadata: {type: object}");
            lines.Add($"            spec: {spec}");
            if (extraRootProperties.Length > 0)
            {
                lines.Add($"            {extraRootProperties}");
            }
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary>One storage version v1.</summary>
    public static string Single(string kind, string spec, string extraRootProperties = "") =>
        Build(kind, extraRootProperties, ("v1", true, spec));
}
