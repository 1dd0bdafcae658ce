using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.ComponentModel;

namespace CrdKit.Serialization;

/// <summary>
/// The runtime half of the generated converters: strict token reads with messages that name the field and the
/// fix, and writes that keep wire types. Generated code calls these; users rarely need to.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class CrdJson
{
    /// <summary>Reads one item of a list or one value of a map.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">Positioned on the item's first token.</param>
    /// <param name="options">The serializer options in use.</param>
    /// <returns>The item.</returns>
    public delegate T ReadItem<T>(ref Utf8JsonReader reader, JsonSerializerOptions options);

    /// <summary>Options for KubernetesClient's own models (object meta, label selectors, conditions): their metadata
    /// is generated at compile time (<see cref="KubernetesModelsJsonContext"/>), so no reflection is used.</summary>
    internal static readonly JsonSerializerOptions KubernetesOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = KubernetesModelsJsonContext.Default,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Fresh options for manifests: nulls omitted, wire names kept, no HTML escaping.</summary>
    /// <returns>New, unlocked options.</returns>
    public static JsonSerializerOptions CreateOptions() => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Throws unless the reader is on the start of an object.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="typeName">The type expected, for the message.</param>
    public static void ExpectObject(ref Utf8JsonReader reader, string typeName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new CrdJsonException(string.Empty, $"expected an object ({typeName}), found {Describe(ref reader)}");
        }
    }

    /// <summary>Reads a string; numbers and booleans are refused (quote them in YAML).</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The string.</returns>
    public static string ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString()!;
        }

        var found = Describe(ref reader);
        var hint = reader.TokenType is JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False
            ? $"; quote it in YAML (\"{Raw(ref reader)}\")"
            : string.Empty;
        throw new CrdJsonException(string.Empty, $"expected a string, found {found}{hint}");
    }

    /// <summary>Reads a 32-bit integer.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The number.</returns>
    public static int ReadInt32(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
        {
            return value;
        }

        throw NotA("a 32-bit integer", ref reader);
    }

    /// <summary>Reads a 64-bit integer.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The number.</returns>
    public static long ReadInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
        {
            return value;
        }

        throw NotA("an integer", ref reader);
    }

    /// <summary>Reads a number.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The number.</returns>
    public static double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        throw NotA("a number", ref reader);
    }

    /// <summary>Reads a boolean.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static bool ReadBoolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw NotA("a boolean (true or false)", ref reader),
    };

    /// <summary>Reads an integer or a string, remembering which.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The value.</returns>
    public static IntOrString ReadIntOrString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return IntOrString.FromString(reader.GetString()!);
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
        {
            return IntOrString.FromInt(number);
        }

        throw NotA("an integer or a string", ref reader);
    }

    /// <summary>Reads the text of an enum value.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="allowed">The wire values, for the message.</param>
    /// <returns>The text.</returns>
    public static string ReadEnumText(ref Utf8JsonReader reader, string[] allowed)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString()!;
        }

        var yaml11 = reader.TokenType is JsonTokenType.True or JsonTokenType.False
            ? " (YAML 1.1 reads yes/no/on/off as booleans: quote the value)"
            : string.Empty;
        throw new CrdJsonException(string.Empty, $"expected one of {string.Join(", ", allowed)}, found {Describe(ref reader)}{yaml11}");
    }

    /// <summary>The error for a required value that is missing.</summary>
    /// <param name="wireName">The field.</param>
    /// <returns>The exception to throw.</returns>
    public static CrdJsonException MissingRequired(string wireName) =>
        new(wireName, "is required; add it");

    /// <summary>Prefixes an error from inside a property with that property's name.</summary>
    /// <param name="inner">The error.</param>
    /// <param name="wireName">The property.</param>
    /// <returns>The exception to throw.</returns>
    public static CrdJsonException AtProperty(JsonException inner, string wireName) => Prefix(inner, Segment(wireName));

    /// <summary>Reads any JSON value as a node (null for JSON null).</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The node.</returns>
    public static JsonNode? ReadNode(ref Utf8JsonReader reader) => JsonNode.Parse(ref reader);

    /// <summary>Reads a KubernetesClient model (object meta, list meta, label selector, condition).</summary>
    /// <typeparam name="T">The model type: one of those four, the ones the generator maps shapes to.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <returns>The model.</returns>
    public static T ReadKubernetes<T>(ref Utf8JsonReader reader)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(ref reader, Model<T>()) ?? throw new CrdJsonException(string.Empty, "must not be null");
        }
        catch (JsonException e) when (e is not CrdJsonException && e.Path is { Length: > 1 } at && at.StartsWith('$'))
        {
            // Name the field inside the model ("matchLabels.values"), not only the model's own field.
            var inner = at.TrimStart('$').TrimStart('.');
            throw new CrdJsonException(inner, JsonErrorText.Of(e));
        }
    }

    /// <summary>Writes a KubernetesClient model.</summary>
    /// <typeparam name="T">The model type: object meta, list meta, label selector or condition.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The model.</param>
    public static void WriteKubernetes<T>(Utf8JsonWriter writer, T value)
    {
        if (!KubernetesModelWriter.TryWrite(writer, value))
        {
            JsonSerializer.Serialize(writer, value, Model<T>());
        }
    }

    internal static JsonTypeInfo<T> Model<T>() => (JsonTypeInfo<T>)KubernetesOptions.GetTypeInfo(typeof(T));

    /// <summary>Reads a JSON array.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">On the array's start.</param>
    /// <param name="options">The options in use.</param>
    /// <param name="item">Reads one item.</param>
    /// <returns>The items.</returns>
    public static IList<T> ReadList<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, ReadItem<T> item)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new CrdJsonException(string.Empty, $"expected a list, found {Describe(ref reader)}");
        }

        var result = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            try
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    throw new CrdJsonException(string.Empty, "list items must not be null");
                }

                result.Add(item(ref reader, options));
            }
            catch (JsonException e)
            {
                throw Prefix(e, "[" + result.Count.ToString(CultureInfo.InvariantCulture) + "]");
            }
        }

        return result;
    }

    /// <summary>Reads a JSON object as a string-keyed map, keeping key order.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="reader">On the object's start.</param>
    /// <param name="options">The options in use.</param>
    /// <param name="item">Reads one value.</param>
    /// <returns>The map.</returns>
    public static IDictionary<string, T> ReadMap<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, ReadItem<T> item)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new CrdJsonException(string.Empty, $"expected a map, found {Describe(ref reader)}");
        }

        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            try
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    throw new CrdJsonException(string.Empty, "map values must not be null");
                }

                result[key] = item(ref reader, options);
            }
            catch (JsonException e)
            {
                throw Prefix(e, Segment(key));
            }
        }

        return result;
    }

    /// <summary>Writes an int-or-string keeping its token type.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    public static void WriteIntOrString(Utf8JsonWriter writer, IntOrString value)
    {
        if (value.IsString)
        {
            writer.WriteStringValue(value.StringValue);
        }
        else
        {
            writer.WriteNumberValue(value.IntValue);
        }
    }

    /// <summary>Writes the fields an object kept from input but does not declare.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="additional">The kept fields, or null.</param>
    /// <param name="options">The options in use.</param>
    public static void WriteAdditional(Utf8JsonWriter writer, JsonObject? additional, JsonSerializerOptions options)
    {
        if (additional is null)
        {
            return;
        }

        foreach (var (key, value) in additional)
        {
            writer.WritePropertyName(key);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer, options);
            }
        }
    }

    private static CrdJsonException Prefix(JsonException inner, string segment)
    {
        if (inner is CrdJsonException crd)
        {
            var path = crd.FieldPath.Length == 0 ? segment : segment + (crd.FieldPath.StartsWith('[') ? string.Empty : ".") + crd.FieldPath;
            return new CrdJsonException(path, crd.Detail);
        }

        return new CrdJsonException(segment, JsonErrorText.Of(inner));
    }

    // One spelling of field paths for read errors and validation errors alike.
    private static string Segment(string name) => CrdKit.Validation.ValidationPath.Property(string.Empty, name);

    private static CrdJsonException NotA(string what, ref Utf8JsonReader reader)
    {
        var hint = reader.TokenType == JsonTokenType.String ? "; remove the quotes" : string.Empty;
        return new CrdJsonException(string.Empty, $"expected {what}, found {Describe(ref reader)}{hint}");
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the string \"{Truncate(reader.GetString()!)}\"",
        JsonTokenType.Number => $"the number {Raw(ref reader)}",
        JsonTokenType.True => "the boolean true",
        JsonTokenType.False => "the boolean false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.StartObject => "an object",
        _ => reader.TokenType.ToString(),
    };

    private static string Raw(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => Truncate(System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray())),
        };

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
