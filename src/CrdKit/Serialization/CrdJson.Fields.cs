using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace CrdKit.Serialization;

// What every generated converter repeats for each field, written once here: the null check, the property name and
// the value (writing), the null token and the typed read (reading), and lists and maps through one item codec (a
// JsonConverter) instead of a lambda per field. Generated converters keep only what is specific to their type: the
// wire names, which reader or codec each field takes, and the construction of the record.
public static partial class CrdJson
{
    /// <summary>Reads the start of an object: false on JSON null, an error naming the type on anything else.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="typeName">The type expected, for the message.</param>
    /// <returns>Whether there is an object to read.</returns>
    public static bool StartObject(ref Utf8JsonReader reader, string typeName)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        ExpectObject(ref reader, typeName);
        return true;
    }

    /// <summary>Moves to the next property of an object and onto its value.</summary>
    /// <param name="reader">The reader, inside an object.</param>
    /// <param name="name">The property's name.</param>
    /// <returns>False at the end of the object.</returns>
    public static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    /// <summary>Keeps a field the schema does not declare (read as a node) in <paramref name="additional"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="name">The field's name.</param>
    /// <param name="additional">The kept fields, created on the first.</param>
    public static void ReadAdditional(ref Utf8JsonReader reader, string name, ref JsonObject? additional)
    {
        additional ??= new JsonObject();
        additional[name] = ReadNode(ref reader);
    }

    /// <summary>Reads a string field (null for JSON null).</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The value.</returns>
    public static string? String(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader);

    /// <summary>Reads a 32-bit integer field (null for JSON null).</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The value.</returns>
    public static int? Int32(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);

    /// <summary>Reads a 64-bit integer field (null for JSON null).</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The value.</returns>
    public static long? Int64(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadInt64(ref reader);

    /// <summary>Reads a number field (null for JSON null).</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The value.</returns>
    public static double? Double(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadDouble(ref reader);

    /// <summary>Reads a boolean field (null for JSON null).</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The value.</returns>
    public static bool? Boolean(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadBoolean(ref reader);

    /// <summary>Reads an int-or-string field (null for JSON null).</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The value.</returns>
    public static IntOrString? IntOrStringValue(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? (IntOrString?)null : ReadIntOrString(ref reader);

    /// <summary>Reads a KubernetesClient model field (null for JSON null).</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The value.</returns>
    public static T? Kubernetes<T>(ref Utf8JsonReader reader)
        where T : class => reader.TokenType == JsonTokenType.Null ? (T?)null : ReadKubernetes<T>(ref reader);

    /// <summary>Reads an object field with its converter (null for JSON null).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="converter">The record's converter.</param>
    /// <param name="options">The options in use.</param>
    /// <returns>The value.</returns>
    public static T? Object<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
        where T : class => reader.TokenType == JsonTokenType.Null ? (T?)null : converter.Read(ref reader, typeof(T), options);

    /// <summary>Reads a value-type field (an enum) with its converter (null for JSON null).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="converter">The type's converter.</param>
    /// <param name="options">The options in use.</param>
    /// <returns>The value.</returns>
    public static T? Value<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
        where T : struct => reader.TokenType == JsonTokenType.Null ? null : converter.Read(ref reader, typeof(T), options);

    /// <summary>Reads a list field, each item with <paramref name="item"/> (null for JSON null).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="item">The items' codec (<see cref="CrdJsonCodecs"/>, or a generated converter).</param>
    /// <param name="options">The options in use.</param>
    /// <returns>The value.</returns>
    public static IList<T>? List<T>(ref Utf8JsonReader reader, JsonConverter<T> item, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadList(ref reader, options, item);

    /// <summary>Reads a map field, each value with <paramref name="item"/> (null for JSON null).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="item">The values' codec.</param>
    /// <param name="options">The options in use.</param>
    /// <returns>The value.</returns>
    public static IDictionary<string, T>? Map<T>(ref Utf8JsonReader reader, JsonConverter<T> item, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : ReadMap(ref reader, options, item);

    /// <summary>Reads a JSON array, each item with a codec.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">On the array's start.</param>
    /// <param name="options">The options in use.</param>
    /// <param name="item">The items' codec.</param>
    /// <returns>The items.</returns>
    public static IList<T> ReadList<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, JsonConverter<T> item)
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

                result.Add(item.Read(ref reader, typeof(T), options)!);
            }
            catch (JsonException e)
            {
                throw Prefix(e, "[" + result.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
            }
        }

        return result;
    }

    /// <summary>Reads a JSON object as a string-keyed map, keeping key order, each value with a codec.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="reader">On the object's start.</param>
    /// <param name="options">The options in use.</param>
    /// <param name="item">The values' codec.</param>
    /// <returns>The map.</returns>
    public static IDictionary<string, T> ReadMap<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, JsonConverter<T> item)
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

                result[key] = item.Read(ref reader, typeof(T), options)!;
            }
            catch (JsonException e)
            {
                throw Prefix(e, Segment(key));
            }
        }

        return result;
    }

    /// <summary>Writes a string field unless it is null.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public static void Write(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes an integer field unless it is null.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public static void Write(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    /// <summary>Writes an integer field unless it is null.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public static void Write(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    /// <summary>Writes a number field unless it is null.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public static void Write(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    /// <summary>Writes a boolean field unless it is null.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public static void Write(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
    }

    /// <summary>Writes an int-or-string field unless it is null, keeping its token type.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public static void WriteIntOrString(Utf8JsonWriter writer, string name, IntOrString? value)
    {
        if (value is { } v)
        {
            writer.WritePropertyName(name);
            WriteIntOrString(writer, v);
        }
    }

    /// <summary>Writes a free-form JSON field unless it is null.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">The options in use.</param>
    public static void Write(Utf8JsonWriter writer, string name, JsonNode? value, JsonSerializerOptions options)
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer, options);
        }
    }

    /// <summary>Writes an object field with its converter unless it is null.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    /// <param name="converter">The record's converter.</param>
    /// <param name="options">The options in use.</param>
    public static void Write<T>(Utf8JsonWriter writer, string name, T? value, JsonConverter<T> converter, JsonSerializerOptions options)
        where T : class
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            converter.Write(writer, value, options);
        }
    }

    /// <summary>Writes a value-type field (an enum) with its converter unless it is null.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    /// <param name="converter">The type's converter.</param>
    /// <param name="options">The options in use.</param>
    public static void WriteValue<T>(Utf8JsonWriter writer, string name, T? value, JsonConverter<T> converter, JsonSerializerOptions options)
        where T : struct
    {
        if (value is { } v)
        {
            writer.WritePropertyName(name);
            converter.Write(writer, v, options);
        }
    }

    /// <summary>Writes a KubernetesClient model field unless it is null.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    public static void WriteKubernetes<T>(Utf8JsonWriter writer, string name, T? value)
        where T : class
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            WriteKubernetes(writer, value);
        }
    }

    /// <summary>Writes a list field unless it is null, each item with <paramref name="item"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    /// <param name="item">The items' codec.</param>
    /// <param name="options">The options in use.</param>
    public static void WriteList<T>(Utf8JsonWriter writer, string name, IList<T>? value, JsonConverter<T> item, JsonSerializerOptions options)
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            WriteItems(writer, value, item, options);
        }
    }

    /// <summary>Writes a map field unless it is null, each value with <paramref name="item"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The wire name.</param>
    /// <param name="value">The value.</param>
    /// <param name="item">The values' codec.</param>
    /// <param name="options">The options in use.</param>
    public static void WriteMap<T>(Utf8JsonWriter writer, string name, IDictionary<string, T>? value, JsonConverter<T> item, JsonSerializerOptions options)
    {
        if (value is not null)
        {
            writer.WritePropertyName(name);
            WriteEntries(writer, value, item, options);
        }
    }

    /// <summary>Writes a JSON array, each item with a codec (by index: no enumerator boxed for an <c>IList</c>).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The items.</param>
    /// <param name="item">The items' codec.</param>
    /// <param name="options">The options in use.</param>
    public static void WriteItems<T>(Utf8JsonWriter writer, IList<T> value, JsonConverter<T> item, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (var i = 0; i < value.Count; i++)
        {
            item.Write(writer, value[i], options);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a JSON object from a map, each value with a codec, in the map's order.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The map.</param>
    /// <param name="item">The values' codec.</param>
    /// <param name="options">The options in use.</param>
    public static void WriteEntries<T>(Utf8JsonWriter writer, IDictionary<string, T> value, JsonConverter<T> item, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value is Dictionary<string, T> dictionary)
        {
            // The struct enumerator: the interface's would be boxed for every map written.
            foreach (var entry in dictionary)
            {
                writer.WritePropertyName(entry.Key);
                item.Write(writer, entry.Value, options);
            }
        }
        else
        {
            foreach (var entry in value)
            {
                writer.WritePropertyName(entry.Key);
                item.Write(writer, entry.Value, options);
            }
        }

        writer.WriteEndObject();
    }
}
