using System;
using System.Text.Json;

namespace CrdKit.Serialization;

/// <summary>
/// System.Text.Json's own read errors in the words of a manifest's author: "The JSON value could not be converted to
/// System.String" names a C# type; the author wrote YAML, so the message says what the field expects ("expected a
/// string") and the path and line (added by the caller) say where.
/// </summary>
internal static class JsonErrorText
{
    private const string CannotConvert = "The JSON value could not be converted to ";

    /// <summary>The message of <paramref name="error"/> without its " Path: ..." tail and without C# type names.</summary>
    public static string Of(JsonException error)
    {
        var message = error.Message.Split(" Path: ", 2, StringSplitOptions.None)[0];
        if (!message.StartsWith(CannotConvert, StringComparison.Ordinal))
        {
            return message;
        }

        var type = message[CannotConvert.Length..].TrimEnd('.');
        return "expected " + Kind(type) + " here, found a value of another type";
    }

    // What a KubernetesClient model's member type is in YAML terms.
    private static string Kind(string type)
    {
        var plain = type.StartsWith("System.Nullable`1[", StringComparison.Ordinal) ? type["System.Nullable`1[".Length..].TrimEnd(']') : type;
        if (plain.Contains("Dictionary", StringComparison.Ordinal))
        {
            return "a map";
        }

        if (plain.Contains("List", StringComparison.Ordinal) || plain.Contains("Enumerable", StringComparison.Ordinal) || plain.EndsWith("[]", StringComparison.Ordinal))
        {
            return "a list";
        }

        return plain switch
        {
            "System.String" => "a string",
            "System.Boolean" => "a boolean (true or false)",
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" => "an integer",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.DateTime" or "System.DateTimeOffset" => "a date-time string (RFC 3339, e.g. 2026-01-02T03:04:05Z)",
            _ => "an object",
        };
    }
}
