namespace CrdKit.Validation;

/// <summary>One violation: where, what was found, what is wrong, and how to fix it.</summary>
/// <param name="Path">The JSON path, e.g. <c>spec.ingress[0].toPorts[0].ports[0].port</c>.</param>
/// <param name="Value">The offending value as text, or null when it is missing.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it.</param>
/// <param name="Layer">Who would reject it: the API server's schema, the controller that acts on the object, or a rule over several objects.</param>
/// <param name="Severity">An error stops the build; a warning is advice that is reported and rendered anyway.</param>
public sealed record ValidationError(
    string Path, string? Value, string Message, string Fix, string Layer = ValidationLayers.Schema,
    ValidationSeverity Severity = ValidationSeverity.Error)
{
    /// <summary>True for an error, false for a warning.</summary>
    public bool IsError => Severity == ValidationSeverity.Error;

    /// <inheritdoc />
    public override string ToString()
    {
        var at = Path.Length == 0 ? "(root)" : Path;
        var value = Value is null ? string.Empty : $" (value: {Value})";
        var prefix = Severity == ValidationSeverity.Warning ? "warning: " : string.Empty;
        return $"{prefix}{at}: {Message}{value}. Fix: {Fix}";
    }
}

/// <summary>Names of the layers that reject invalid input.</summary>
public static class ValidationLayers
{
    /// <summary>The Kubernetes API server: CRD structural schema and CEL rules.</summary>
    public const string Schema = "schema";

    /// <summary>The controller or agent that acts on the object: the API server stores it, but the controller refuses to apply it.</summary>
    public const string Agent = "agent";

    /// <summary>Rules over several objects together (e.g. a whole cluster's description).</summary>
    public const string Cluster = "cluster";
}

/// <summary>How serious a <see cref="ValidationError"/> is.</summary>
public enum ValidationSeverity
{
    /// <summary>The input is wrong: nothing is rendered.</summary>
    Error,

    /// <summary>The input works but is unwise; the message says why (often with a measured reason).</summary>
    Warning,
}
