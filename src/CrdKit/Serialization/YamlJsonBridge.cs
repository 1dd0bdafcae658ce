using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace CrdKit.Serialization;

/// <summary>
/// Converts between YAML text and JSON: reading with YamlDotNet's event-level <c>Parser</c> (never its object
/// serializer, so no tag can instantiate a type), writing with <see cref="YamlBlockWriter"/>, fed straight from the
/// serializer's UTF-8 JSON tokens (records) or from a <see cref="JsonNode"/>.
/// </summary>
/// <remarks>
/// <para>Reading resolves plain scalars as Kubernetes does (go-yaml v2, YAML 1.1): see <see cref="YamlScalars"/>.
/// Anchors, aliases and merge keys are expanded within a budget of <see cref="MaxNodesPerDocument"/> nodes and
/// <see cref="MaxDepth"/> levels per document; duplicate keys and unknown tags are errors.</para>
/// <para>Writing is block style with 2-space indentation and indented sequences (as kubectl and yq write them), keys in
/// the object's order, strings quoted only where a YAML 1.1 or 1.2 reader would read something else, multi-line
/// strings as literal blocks. The same input always gives the same bytes.</para>
/// </remarks>
internal static partial class YamlJsonBridge
{
    /// <summary>Deeper JSON than this is refused when writing (stack safety; far beyond any manifest).</summary>
    private const int MaxWriteDepth = 1000;

    private const string NonFiniteMessage = "the value holds a number JSON cannot represent (NaN or infinity); use a finite number or a string";

    private static readonly string[] Header = ["apiVersion", "kind", "metadata"];

    /// <summary>Writes one JSON node as a YAML document ending in exactly one line feed.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The YAML text.</returns>
    /// <exception cref="ManifestException">The node holds something YAML/JSON cannot carry (e.g. NaN).</exception>
    internal static string Write(JsonNode? node) => Write(node, null);

    /// <summary>Writes <paramref name="prefix"/> (e.g. a <c>---</c> line) then one JSON node as a YAML document ending in
    /// exactly one line feed, as one string.</summary>
    /// <param name="node">The node.</param>
    /// <param name="prefix">Text to put first, or null.</param>
    /// <returns>The text.</returns>
    internal static string Write(JsonNode? node, string? prefix)
    {
        var writer = YamlBlockWriter.Rent(prefix);
        try
        {
            Emit(writer, node);
            return writer.ToDocument(prefix?.Length ?? 0);
        }
        finally
        {
            writer.Return();
        }
    }

    /// <summary>Writes several documents joined by <c>---</c> lines.</summary>
    /// <param name="documents">The documents.</param>
    /// <returns>The YAML stream.</returns>
    internal static string WriteAll(IEnumerable<JsonNode?> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var builder = new StringBuilder();
        foreach (var document in documents)
        {
            if (builder.Length > 0)
            {
                builder.Append("---\n");
            }

            builder.Append(Write(document));
        }

        return builder.ToString();
    }

    /// <summary>
    /// Writes <paramref name="prefix"/> then <paramref name="value"/> as a YAML document: serialized with
    /// <paramref name="typeInfo"/> (the generated converters) into a pooled UTF-8 buffer, whose tokens are written as
    /// YAML as they are read. A root object gets <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> first.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Its serialization metadata.</param>
    /// <param name="prefix">Text to put first, or null.</param>
    /// <returns>The text, ending in exactly one line feed.</returns>
    internal static string WriteValue(object value, JsonTypeInfo typeInfo, string? prefix)
    {
        var json = JsonBuffer.Rent(typeInfo.Options);
        try
        {
            JsonSerializer.Serialize(json.Writer, value, typeInfo);
            json.Writer.Flush();
            return WriteJson(json.Written, prefix, headerFirst: true);
        }
        finally
        {
            json.Return();
        }
    }

    /// <summary>Writes <paramref name="prefix"/> then UTF-8 JSON text as a YAML document.</summary>
    /// <param name="utf8Json">One JSON value.</param>
    /// <param name="prefix">Text to put first, or null.</param>
    /// <param name="headerFirst">Whether a root object's <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> go first (the
    /// rest keep their order), as <c>kubectl</c> and every manifest in the wild write them.</param>
    /// <returns>The text, ending in exactly one line feed.</returns>
    internal static string WriteJson(ReadOnlySpan<byte> utf8Json, string? prefix, bool headerFirst)
    {
        var writer = YamlBlockWriter.Rent(prefix);
        var scratch = ArrayPool<char>.Shared.Rent(256);
        // Root keys: where each starts in the output and which header field it is (-1: none), to reorder them.
        var roots = headerFirst ? RootEntries.Rent() : null;
        try
        {
            // The reader allows one level more than the writer, so too deep a value gets the writer's message.
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxWriteDepth + 2 });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        CheckDepth(writer);
                        var isMapping = reader.TokenType == JsonTokenType.StartObject;
                        var empty = NextIs(utf8Json, reader, isMapping ? (byte)'}' : (byte)']');
                        if (isMapping)
                        {
                            writer.StartMapping(empty);
                        }
                        else
                        {
                            writer.StartSequence(empty);
                        }

                        if (empty)
                        {
                            // The end token: an empty collection pushed nothing to end.
                            reader.Read();
                        }

                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        writer.End();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = Text(ref reader, ref scratch);
                        var start = writer.Key(name);
                        if (roots is not null && writer.Depth == 1)
                        {
                            roots.Add(start, HeaderIndex(name));
                        }

                        break;
                    case JsonTokenType.String:
                        CheckDepth(writer);
                        writer.String(Text(ref reader, ref scratch));
                        break;
                    case JsonTokenType.Number:
                        CheckDepth(writer);
                        writer.PlainAscii(reader.ValueSpan);
                        break;
                    case JsonTokenType.True:
                        writer.Plain("true");
                        break;
                    case JsonTokenType.False:
                        writer.Plain("false");
                        break;
                    case JsonTokenType.Null:
                        writer.Plain("null");
                        break;
                    default:
                        // Comments are not written by the serializer (and YAML comments would not round trip).
                        break;
                }
            }

            var prefixLength = prefix?.Length ?? 0;
            return roots is not null && !roots.HeaderIsFirst()
                ? roots.Reordered(writer.Written, prefixLength)
                : writer.ToDocument(prefixLength);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
            roots?.Return();
            writer.Return();
        }
    }

    private static void CheckDepth(YamlBlockWriter writer)
    {
        if (writer.Depth > MaxWriteDepth)
        {
            throw new ManifestException($"the value nests deeper than {MaxWriteDepth} levels and cannot be written; flatten it");
        }
    }

    // Whether the first non-blank byte after the current token is 'close' (an empty object or array).
    private static bool NextIs(ReadOnlySpan<byte> json, in Utf8JsonReader reader, byte close)
    {
        var i = (int)reader.TokenStartIndex + 1;
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i < json.Length && json[i] == close;
    }

    // The token's text, unescaped, in the scratch buffer (grown as needed): never a string per token.
    private static ReadOnlySpan<char> Text(ref Utf8JsonReader reader, ref char[] scratch)
    {
        var bytes = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (scratch.Length < bytes)
        {
            ArrayPool<char>.Shared.Return(scratch);
            scratch = ArrayPool<char>.Shared.Rent(bytes);
        }

        var written = reader.CopyString(scratch);
        return scratch.AsSpan(0, written);
    }

    private static int HeaderIndex(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Header.Length; i++)
        {
            if (name.SequenceEqual(Header[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Emit(YamlBlockWriter writer, JsonNode? node)
    {
        CheckDepth(writer);
        switch (node)
        {
            case null:
                writer.Plain("null");
                break;
            case JsonObject obj:
                // Empty collections in flow style: "{}" and "[]" (block style has no way to write them).
                writer.StartMapping(obj.Count == 0);
                if (obj.Count > 0)
                {
                    foreach (var (key, value) in obj)
                    {
                        writer.Key(key);
                        Emit(writer, value);
                    }

                    writer.End();
                }

                break;
            case JsonArray array:
                writer.StartSequence(array.Count == 0);
                if (array.Count > 0)
                {
                    foreach (var item in array)
                    {
                        Emit(writer, item);
                    }

                    writer.End();
                }

                break;
            default:
                EmitValue(writer, node.AsValue());
                break;
        }
    }

    private static void EmitValue(YamlBlockWriter writer, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                writer.String(StringOf(value));
                break;
            case JsonValueKind.Number:
                // The JSON text of the number, unchanged ("1e3" stays "1e3"): YAML reads it back as the same number.
                string number;
                try
                {
                    number = value.ToJsonString();
                }
                catch (ArgumentException e)
                {
                    // double.NaN and infinities: JSON (and so a manifest) has no such numbers.
                    throw new ManifestException(NonFiniteMessage, e);
                }

                writer.Plain(number);
                break;
            case JsonValueKind.True:
                writer.Plain("true");
                break;
            case JsonValueKind.False:
                writer.Plain("false");
                break;
            case JsonValueKind.Null:
                writer.Plain("null");
                break;
            default:
                // A JsonValue wrapping an object or array (JsonValue.Create(someRecord)): write its JSON form.
                Emit(writer, JsonNode.Parse(value.ToJsonString()));
                break;
        }
    }

    private static string StringOf(JsonValue value)
    {
        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        // A JsonValue over a char, Guid, DateTime, enum...: take its JSON string form.
        using var document = JsonDocument.Parse(value.ToJsonString());
        return document.RootElement.GetString() ?? string.Empty;
    }

    /// <summary>The root mapping's entries as written: where each starts and which header field it is. One kept per
    /// thread, like the writer (a render writes thousands of documents).</summary>
    private sealed class RootEntries
    {
        [ThreadStatic]
        private static RootEntries? cached;

        private readonly List<(int Start, int Header)> entries = new(8);

        public static RootEntries Rent()
        {
            var roots = cached ?? new RootEntries();
            cached = null;
            roots.entries.Clear();
            return roots;
        }

        public void Return() => cached = this;

        public void Add(int start, int header) => entries.Add((start, header));

        // Whether the header fields present already lead, in order (what every generated converter writes), so
        // nothing moves: the same test the JsonNode writer made.
        public bool HeaderIsFirst()
        {
            Span<bool> present = stackalloc bool[3];
            foreach (var (_, header) in entries)
            {
                if (header >= 0)
                {
                    present[header] = true;
                }
            }

            var next = 0;
            foreach (var (_, header) in entries)
            {
                while (next < 3 && !present[next])
                {
                    next++;
                }

                if (next == 3)
                {
                    return true;
                }

                if (header != next)
                {
                    return false;
                }

                next++;
            }

            return true;
        }

        // Each root entry is an independent run of lines (the emitter's state is the same at every root key), so
        // moving the header entries first is moving text: apiVersion, kind, metadata, then the rest in order.
        public string Reordered(ReadOnlySpan<char> written, int prefixLength)
        {
            var end = written.Length;
            while (end > prefixLength && written[end - 1] == '\n')
            {
                end--;
            }

            var text = new StringBuilder(end + 1);
            text.Append(written[..prefixLength]);
            for (var h = 0; h < Header.Length; h++)
            {
                for (var i = 0; i < entries.Count; i++)
                {
                    if (entries[i].Header == h)
                    {
                        AppendEntry(text, written, i, end);
                    }
                }
            }

            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Header < 0)
                {
                    AppendEntry(text, written, i, end);
                }
            }

            return text.ToString();
        }

        private void AppendEntry(StringBuilder text, ReadOnlySpan<char> written, int i, int end)
        {
            var start = entries[i].Start;
            if (i + 1 < entries.Count)
            {
                text.Append(written[start..entries[i + 1].Start]);
            }
            else
            {
                text.Append(written[start..end]).Append('\n');
            }
        }
    }

    /// <summary>A thread's reusable UTF-8 buffer and JSON writer for <see cref="WriteValue"/>.</summary>
    private sealed class JsonBuffer
    {
        private const int MaxKept = 1 << 20;

        [ThreadStatic]
        private static JsonBuffer? cached;

        private readonly ArrayBufferWriter<byte> output = new(16 * 1024);
        private JavaScriptEncoder? encoder;

        private JsonBuffer(JavaScriptEncoder? encoder)
        {
            this.encoder = encoder;
            Writer = new Utf8JsonWriter(output, Options(encoder));
        }

        public Utf8JsonWriter Writer { get; private set; }

        public ReadOnlySpan<byte> Written => output.WrittenSpan;

        public static JsonBuffer Rent(JsonSerializerOptions options)
        {
            var buffer = cached;
            cached = null;
            if (buffer is null)
            {
                return new JsonBuffer(options.Encoder);
            }

            if (!ReferenceEquals(buffer.encoder, options.Encoder))
            {
                buffer.encoder = options.Encoder;
                buffer.Writer = new Utf8JsonWriter(buffer.output, Options(options.Encoder));
            }

            return buffer;
        }

        public void Return()
        {
            // A huge document's buffer is let go, not kept by the thread.
            if (output.Capacity > MaxKept)
            {
                return;
            }

            output.ResetWrittenCount();
            Writer.Reset(output);
            cached = this;
        }

        // Compact (the empty-collection check relies on no blanks, though it skips them), unvalidated (the
        // serializer writes well-formed JSON), with the caller's escaping (any escaping is undone when read).
        private static JsonWriterOptions Options(JavaScriptEncoder? encoder) =>
            new() { Encoder = encoder, Indented = false, SkipValidation = true, MaxDepth = MaxWriteDepth + 2 };
    }
}
