using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrdKit.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>
/// The oracle for the YAML writer: the SDK's previous writer, kept verbatim in the tests. Records went through
/// <c>JsonSerializer.SerializeToNode</c> (a <see cref="JsonNode"/> tree), the header fields were moved first in that tree,
/// and YamlDotNet's <see cref="Emitter"/> wrote one event object per node with the quoting rules of
/// <see cref="YamlScalars"/>. <see cref="YamlBlockWriter"/> must give the same bytes for every input.
/// </summary>
internal static class YamlDotNetOracle
{
    private const int MaxWriteDepth = 1000;

    /// <summary>A record as the previous <c>CrdYaml.WriteDocument</c> wrote it.</summary>
    public static string WriteDocument(object value, string? prefix, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(value, options.GetTypeInfo(value.GetType()));
        return Write(HeaderFirst(node), prefix);
    }

    /// <summary>A node as the previous <c>YamlJsonBridge.Write</c> wrote it.</summary>
    public static string Write(JsonNode? node) => Write(node, null);

    public static string Write(JsonNode? node, string? prefix)
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
            style = !isKey && OracleQuoting.CanBeLiteral(text) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted;
        }
        else
        {
            // Quote only what another reader would take for something else; plain otherwise, as kubectl writes.
            style = OracleQuoting.NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain;
        }

        return new Scalar(AnchorName.Empty, TagName.Empty, text, style, isPlainImplicit: true, isQuotedImplicit: true);
    }

    private static Scalar Plain(string text) =>
        new(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false);

    private static readonly string[] Header = ["apiVersion", "kind", "metadata"];

    // Whether the header fields the object has already lead, in order (what every generated converter writes), so
    // the reordering below can be skipped.
    private static bool HeaderIsFirst(JsonObject obj)
    {
        var next = 0;
        foreach (var (key, _) in obj)
        {
            while (next < Header.Length && !obj.ContainsKey(Header[next]))
            {
                next++;
            }

            if (next == Header.Length)
            {
                return true;
            }

            if (key != Header[next])
            {
                return false;
            }

            next++;
        }

        return true;
    }

    public static JsonNode? HeaderFirst(JsonNode? node)
    {
        // apiVersion, kind, metadata first, the rest in the order the type wrote them: how kubectl and every
        // manifest in the wild reads. Generated converters already do this; KubernetesClient models do not.
        if (node is not JsonObject obj)
        {
            return node;
        }

        if (HeaderIsFirst(obj))
        {
            return obj;
        }

        var entries = obj.ToList();
        obj.Clear();
        foreach (var name in Header)
        {
            foreach (var entry in entries.Where(e => e.Key == name))
            {
                obj[entry.Key] = entry.Value;
            }
        }

        foreach (var entry in entries.Where(e => e.Key is not ("apiVersion" or "kind" or "metadata")))
        {
            obj[entry.Key] = entry.Value;
        }

        return obj;
    }
}

/// <summary>The previous writer's quoting decisions, verbatim (string-based; the writer now decides over spans).</summary>
internal static class OracleQuoting
{
    // PyYAML's YAML 1.1 int and float resolvers (base 60 included): other YAML 1.1 readers take these for numbers.
    private static readonly Regex Yaml11Int = new(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant);
    private static readonly Regex Yaml11Float = new(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant);

    // YAML 1.2 core schema numbers (0o octal, exponent without a dot).
    private static readonly Regex Yaml12Number = new(@"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$", RegexOptions.CultureInvariant);

    // YAML 1.1 timestamps (go-yaml v2 encoder and PyYAML quote or convert them); a loose prefix match is enough to quote.
    private static readonly Regex Timestamp = new(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])", RegexOptions.CultureInvariant);

    // YAML 1.1 booleans in any case form: some readers are case-insensitive, so quote them all.
    private static readonly HashSet<string> AnyCaseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<",
    };

    /// <summary>Whether a string must be quoted so that YAML 1.1 and 1.2 readers both read it back as that string.</summary>
    /// <param name="text">The string (single line).</param>
    /// <returns>Whether to quote it.</returns>
    public static bool NeedsQuotes(string text)
    {
        // Empty reads as null.
        if (text.Length == 0)
        {
            return true;
        }

        // Anything go-yaml v2 (kubectl) reads as null, bool, number, .inf/.nan or the merge key.
        if (YamlScalars.ResolvePlain(text, out _) != YamlScalars.PlainKind.String)
        {
            return true;
        }

        // YAML 1.1 booleans/nulls in any case, and what PyYAML or a YAML 1.2 core reader takes for a number
        // ("0o17", "1:30" base 60, "0b1_0") or a timestamp. Every one of those patterns starts with a sign, a dot or a
        // digit, so the patterns only run then (most strings are names: this runs for every string written).
        if (AnyCaseWords.Contains(text)
            || (text[0] is '+' or '-' or '.' or (>= '0' and <= '9')
                && (Yaml11Int.IsMatch(text) || Yaml11Float.IsMatch(text) || Yaml12Number.IsMatch(text) || Timestamp.IsMatch(text))))
        {
            return true;
        }

        // Leading/trailing blanks are stripped from plain scalars.
        if (IsBlank(text[0]) || IsBlank(text[^1]))
        {
            return true;
        }

        // A leading indicator starts a sequence, mapping, flow collection, comment, anchor, alias, tag, block
        // scalar, quoted scalar or directive instead of a plain string.
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal))
        {
            return true;
        }

        // "---" and "..." at the start of a line are document markers (a top-level string would end the document).
        if (text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal))
        {
            return true;
        }

        // ": " starts a mapping value, " #" a comment, a trailing ':' a key.
        if (text.Contains(": ", StringComparison.Ordinal) || text.Contains(":\t", StringComparison.Ordinal) ||
            text.Contains(" #", StringComparison.Ordinal) || text.Contains("\t#", StringComparison.Ordinal) || text[^1] == ':')
        {
            return true;
        }

        // Control and non-printable characters (and tabs, BOM, line/paragraph separators) cannot be written plain.
        return HasSpecial(text, allowTab: false);
    }

    /// <summary>Whether a multi-line string can be written as a literal block (<c>|</c> or <c>|-</c>) and read back exactly.</summary>
    /// <param name="text">The string, containing a line feed.</param>
    /// <returns>Whether a literal block is safe.</returns>
    public static bool CanBeLiteral(string text)
    {
        // Leading spaces/line feed on the first line would need an indentation indicator; more than one trailing line
        // feed would need "|+" (keep), whose open end some emitters mark with "...": use double quotes instead.
        if (text[0] is ' ' or '\t' or '\n' || text.EndsWith("\n\n", StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                continue;
            }

            // Trailing spaces on a line are invisible and stripped by editors (and the emitter refuses them).
            if (c is ' ' or '\t' && (i + 1 == text.Length || text[i + 1] == '\n'))
            {
                return false;
            }

        }

        return !HasSpecial(text, allowTab: true);
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';

    // Control characters (line feeds excepted, tabs optionally), DEL, C1 controls, BOM, line/paragraph separators,
    // non-characters and surrogates. YamlDotNet's emitter writes characters outside the BMP (emoji) only as
    // "\U0001F41D" escapes inside double quotes, so such strings are double-quoted by decision, not by its fallback.
    private static bool HasSpecial(string text, bool allowTab)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (allowTab && c == '\t'))
            {
                continue;
            }

            if (c < ' ' || c is '\u007f' or '\ufeff' or '\u2028' or '\u2029' or '\ufffe' or '\uffff' || (c >= '\u0080' && c <= '\u009f') || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
