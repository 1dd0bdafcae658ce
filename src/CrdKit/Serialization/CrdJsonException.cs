using System.Text.Json;

namespace CrdKit.Serialization;

/// <summary>A manifest value that does not fit its schema type, with the field path it was found at.</summary>
public sealed class CrdJsonException : JsonException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fieldPath">Where, e.g. <c>spec.egress[0].toPorts[0].ports[0].port</c>.</param>
    /// <param name="detail">What is wrong and how to fix it.</param>
    public CrdJsonException(string fieldPath, string detail)
        : base(string.IsNullOrEmpty(fieldPath) ? detail : fieldPath + ": " + detail)
    {
        FieldPath = fieldPath;
        Detail = detail;
    }

    /// <summary>The field path of the offending value.</summary>
    public string FieldPath { get; }

    /// <summary>What is wrong and how to fix it, without the path.</summary>
    public string Detail { get; }
}
