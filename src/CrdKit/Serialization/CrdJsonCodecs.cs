using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CrdKit.Serialization;

/// <summary>
/// Item codecs for the lists and maps of generated records: one converter per item kind, shared by every generated
/// converter (a generated record or enum is its own codec). Reading and writing are exactly those of the field readers
/// and writers in <see cref="CrdJson"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CrdJsonCodecs
{
    /// <summary>Strings (numbers and booleans refused).</summary>
    public static readonly JsonConverter<string> String = new StringCodec();

    /// <summary>32-bit integers.</summary>
    public static readonly JsonConverter<int> Int32 = new Int32Codec();

    /// <summary>64-bit integers.</summary>
    public static readonly JsonConverter<long> Int64 = new Int64Codec();

    /// <summary>Numbers.</summary>
    public static readonly JsonConverter<double> Double = new DoubleCodec();

    /// <summary>Booleans.</summary>
    public static readonly JsonConverter<bool> Boolean = new BooleanCodec();

    /// <summary>Integers or strings, keeping which.</summary>
    public static readonly JsonConverter<IntOrString> IntOrString = new IntOrStringJsonConverter();

    /// <summary>Free-form JSON.</summary>
    public static readonly JsonConverter<JsonNode> Node = new NodeCodec();

    /// <summary>Label selectors (the KubernetesClient model).</summary>
    public static readonly JsonConverter<k8s.Models.V1LabelSelector> LabelSelector = KubernetesCodec<k8s.Models.V1LabelSelector>.Instance;

    /// <summary>A KubernetesClient model (object meta, label selector, condition).</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <returns>The codec (one per type).</returns>
    public static JsonConverter<T> Kubernetes<T>()
        where T : class => KubernetesCodec<T>.Instance;

    /// <summary>The factory of a generated type's serialization metadata over its converter (what generated
    /// serializer contexts register per type).</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="converter">Its converter.</param>
    /// <returns>Creates the metadata for given options.</returns>
    public static Func<JsonSerializerOptions, JsonTypeInfo> TypeInfo<T>(JsonConverter<T> converter)
    {
        ArgumentNullException.ThrowIfNull(converter);
        return options => JsonMetadataServices.CreateValueInfo<T>(options, converter);
    }

    /// <summary>Lists of items (lists of lists in a schema).</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="item">The items' codec.</param>
    /// <returns>A new codec: generated converters keep theirs in a static field.</returns>
    public static JsonConverter<IList<T>> ListOf<T>(JsonConverter<T> item) => new ListCodec<T>(item ?? throw new ArgumentNullException(nameof(item)));

    /// <summary>Maps of values (maps of lists, lists of maps in a schema).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="item">The values' codec.</param>
    /// <returns>A new codec: generated converters keep theirs in a static field.</returns>
    public static JsonConverter<IDictionary<string, T>> MapOf<T>(JsonConverter<T> item) => new MapCodec<T>(item ?? throw new ArgumentNullException(nameof(item)));

    private sealed class StringCodec : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadString(ref reader);

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class Int32Codec : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadInt32(ref reader);

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class Int64Codec : JsonConverter<long>
    {
        public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadInt64(ref reader);

        public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class DoubleCodec : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadDouble(ref reader);

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class BooleanCodec : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadBoolean(ref reader);

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }

    private sealed class NodeCodec : JsonConverter<JsonNode>
    {
        public override bool HandleNull => true;

        public override JsonNode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadNode(ref reader)!;

        public override void Write(Utf8JsonWriter writer, JsonNode value, JsonSerializerOptions options)
        {
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

    private sealed class KubernetesCodec<T> : JsonConverter<T>
        where T : class
    {
        public static readonly KubernetesCodec<T> Instance = new();

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadKubernetes<T>(ref reader);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => CrdJson.WriteKubernetes(writer, value);
    }

    private sealed class ListCodec<T>(JsonConverter<T> item) : JsonConverter<IList<T>>
    {
        public override IList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadList(ref reader, options, item);

        public override void Write(Utf8JsonWriter writer, IList<T> value, JsonSerializerOptions options) => CrdJson.WriteItems(writer, value, item, options);
    }

    private sealed class MapCodec<T>(JsonConverter<T> item) : JsonConverter<IDictionary<string, T>>
    {
        public override IDictionary<string, T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadMap(ref reader, options, item);

        public override void Write(Utf8JsonWriter writer, IDictionary<string, T> value, JsonSerializerOptions options) => CrdJson.WriteEntries(writer, value, item, options);
    }
}
