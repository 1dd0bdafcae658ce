using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CrdKit.Serialization;

/// <summary>
/// Converts between YAML text and <see cref="JsonNode"/> with YamlDotNet's event-level <see cref="Parser"/> and
/// <see cref="Emitter"/> (never its object serializer, so no tag can instantiate a type).
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
        var buffer = new StringBuilder(1024);
        buffer.Append(prefix);
        var text = new StringWriter(buffer, System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };

        // Fixed settings, so output never depends on machine or culture: 2-space indent, no line folding (a long
        // string stays on one line), sequences indented under their key ("key:\n  - a"), "\n" line ends. Keys are
        // kept simple up to the YAML limit of 1024 characters.
        var emitter = new Emitter(text, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, skipAnchorName: false, indentSequences: true, newLine: "\n", useUtf16SurrogatePairs: false));
        try
        {
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart(null, null, isImplicit: true));
            Emit(emitter, node, 0);
            emitter.Emit(new DocumentEnd(isImplicit: true));
            emitter.Emit(new StreamEnd());
        }
        catch (YamlException e)
        {
            throw new ManifestException("the value cannot be written as YAML: " + e.Message, e);
        }

        // Exactly one trailing line feed, whatever the emitter ended with (literal blocks never use "|+" here).
        // Trimmed in the buffer: one copy of the text, not three.
        var end = buffer.Length;
        while (end > (prefix?.Length ?? 0) && buffer[end - 1] == '\n')
        {
            end--;
        }

        buffer.Length = end;
        return buffer.Append('\n').ToString();
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

    private static void Emit(IEmitter emitter, JsonNode? node, int depth)
    {
        if (depth > MaxWriteDepth)
        {
            throw new ManifestException($"the value nests deeper than {MaxWriteDepth} levels and cannot be written; flatten it");
        }

        switch (node)
        {
            case null:
                emitter.Emit(Plain("null"));
                break;
            case JsonObject obj when obj.Count == 0:
                // Empty collections in flow style: "{}" and "[]" (block style has no way to write them).
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
                emitter.Emit(new MappingEnd());
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    emitter.Emit(StringScalar(key, isKey: true));
                    Emit(emitter, value, depth + 1);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray array when array.Count == 0:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
                emitter.Emit(new SequenceEnd());
                break;
            case JsonArray array:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in array)
                {
                    Emit(emitter, item, depth + 1);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                EmitValue(emitter, node.AsValue(), depth);
                break;
        }
    }

    private static void EmitValue(IEmitter emitter, JsonValue value, int depth)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                emitter.Emit(StringScalar(StringOf(value), isKey: false));
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
                    throw new ManifestException("the value holds a number JSON cannot represent (NaN or infinity); use a finite number or a string", e);
                }

                emitter.Emit(Plain(number));
                break;
            case JsonValueKind.True:
                emitter.Emit(Plain("true"));
                break;
            case JsonValueKind.False:
                emitter.Emit(Plain("false"));
                break;
            case JsonValueKind.Null:
                emitter.Emit(Plain("null"));
                break;
            default:
                // A JsonValue wrapping an object or array (JsonValue.Create(someRecord)): write its JSON form.
                Emit(emitter, JsonNode.Parse(value.ToJsonString()), depth);
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

    private static Scalar StringScalar(string text, bool isKey)
    {
        ScalarStyle style;
        if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
        {
            // Multi-line text as a literal block ("|", or "|-" without a final line feed) so it reads as written;
            // double quotes when a block cannot hold it exactly (trailing blanks on a line, leading blanks,
            // control characters) or when it is a key (block scalars cannot be keys).
            style = !isKey && YamlScalars.CanBeLiteral(text) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted;
        }
        else
        {
            // Quote only what another reader would take for something else; plain otherwise, as kubectl writes.
            style = YamlScalars.NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain;
        }

        return new Scalar(AnchorName.Empty, TagName.Empty, text, style, isPlainImplicit: true, isQuotedImplicit: true);
    }

    private static Scalar Plain(string text) =>
        new(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false);
}
