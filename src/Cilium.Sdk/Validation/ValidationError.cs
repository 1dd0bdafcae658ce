namespace Cilium.Sdk.Validation;

/// <summary>One violation: where, what was found, what is wrong, and how to fix it.</summary>
/// <param name="Path">The JSON path, e.g. <c>spec.ingress[0].toPorts[0].ports[0].port</c>.</param>
/// <param name="Value">The offending value as text, or null when it is missing.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
/// <param name="Layer">Who would reject it: the API server's schema, or the Cilium agent.</param>
public sealed record ValidationError(string Path, string? Value, string Message, string Fix, string Layer = ValidationLayers.Schema)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var at = Path.Length == 0 ? "(root)" : Path;
        var value = Value is null ? string.Empty : $" (value: {Value})";
        return $"{at}: {Message}{value}. Fix: {Fix}";
    }
}

/// <summary>Names of the layers that reject invalid input.</summary>
public static class ValidationLayers
{
    /// <summary>The Kubernetes API server: CRD structural schema and CEL rules.</summary>
    public const string Schema = "schema";

    /// <summary>The Cilium agent or operator, which stores the object but refuses to apply it.</summary>
    public const string Agent = "agent";

    /// <summary>The SDK's own cross-field rules for a whole cluster.</summary>
    public const string Cluster = "cluster";
}
