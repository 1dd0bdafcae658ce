using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CrdKit.Serialization;

/// <summary>
/// Every document of a YAML stream, read as kubectl reads it (see <see cref="CrdYaml"/>), each with the line and column
/// of its fields in the original text: a file of many documents is read once, and an error in its line 992 is reported
/// at line 992, never at a line of a re-serialised copy.
/// </summary>
/// <remarks>
/// A document that cannot be converted (a duplicate key, a custom tag, an alias bomb) is kept with its
/// <see cref="CrdYamlDocument.Error"/> and the next document is read. A syntax error stops the stream: the documents
/// before it are kept and the error is <see cref="Error"/>. Empty documents are skipped, as kubectl does, but counted
/// in <see cref="CrdYamlDocument.Index"/>.
/// </remarks>
/// <example>
/// <code>
/// var documents = CrdYamlDocuments.Read(File.ReadAllText("widgets.yaml"));
/// foreach (var document in documents)
/// {
///     var widget = document.Deserialize&lt;Widget&gt;(WidgetsJsonContext.Default.Options); // errors at the file's own lines
/// }
/// </code>
/// </example>
public sealed class CrdYamlDocuments : IReadOnlyList<CrdYamlDocument>
{
    private readonly IReadOnlyList<CrdYamlDocument> documents;

    private CrdYamlDocuments(IReadOnlyList<CrdYamlDocument> documents, ManifestException? error)
    {
        this.documents = documents;
        Error = error;
    }

    /// <summary>The syntax error that stopped reading (the documents before it are kept), or null.</summary>
    public ManifestException? Error { get; }

    /// <inheritdoc />
    public int Count => documents.Count;

    /// <inheritdoc />
    public CrdYamlDocument this[int index] => documents[index];

    /// <summary>Reads every document of <paramref name="yaml"/>.</summary>
    /// <param name="yaml">The YAML text (one or more documents separated by <c>---</c>).</param>
    /// <returns>The non-empty documents, in order, and the syntax error if one stopped the reading.</returns>
    public static CrdYamlDocuments Read(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var (documents, error) = YamlJsonBridge.ReadDocuments(yaml);
        return new CrdYamlDocuments(documents, error);
    }

    /// <inheritdoc />
    public IEnumerator<CrdYamlDocument> GetEnumerator() => documents.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One document of a YAML stream with the position of each of its fields in the original text.</summary>
public sealed class CrdYamlDocument
{
    private readonly Dictionary<JsonNode, Mark>? positions;
    private readonly Dictionary<(JsonObject Parent, string Name), Mark>? nullFields;

    internal CrdYamlDocument(int index, Mark start, JsonNode? root, Dictionary<JsonNode, Mark>? positions, Dictionary<(JsonObject, string), Mark>? nullFields, ManifestException? error)
    {
        Index = index;
        Line = (int)Math.Min(start.Line, int.MaxValue);
        Column = (int)Math.Min(start.Column, int.MaxValue);
        Root = root;
        this.positions = positions;
        this.nullFields = nullFields;
        Error = error;
    }

    /// <summary>The 0-based position of the document in its stream (empty documents count).</summary>
    public int Index { get; }

    /// <summary>The 1-based line where the document's content starts.</summary>
    public int Line { get; }

    /// <summary>The 1-based column where the document's content starts.</summary>
    public int Column { get; }

    /// <summary>The document as JSON, or null when it could not be converted (see <see cref="Error"/>).</summary>
    public JsonNode? Root { get; }

    /// <summary>Why the document could not be converted to JSON (with its line and column), or null.</summary>
    public ManifestException? Error { get; }

    /// <summary>
    /// The line and column of a field: where its key is written (for a list item, where the item starts), or, when the
    /// field is absent, where the nearest field on its path that is present is written.
    /// </summary>
    /// <param name="fieldPath">A path as validation errors and read errors name it, e.g. <c>spec.blocks[0].cidr</c> or
    /// <c>metadata.labels["app.kubernetes.io/name"]</c>; empty for the document itself.</param>
    /// <returns>1-based line and column.</returns>
    public (int Line, int Column) PositionOf(string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        var line = Line;
        var column = Column;
        if (Root is null || positions is null)
        {
            return (line, column);
        }

        void At(Mark mark)
        {
            line = (int)Math.Min(mark.Line, int.MaxValue);
            column = (int)Math.Min(mark.Column, int.MaxValue);
        }

        var current = Root;
        foreach (var (name, index) in CrdYaml.Segments(fieldPath))
        {
            JsonNode? next;
            if (index is { } i)
            {
                if (current is not JsonArray array || i >= array.Count || array[i] is null)
                {
                    break;
                }

                next = array[i];
            }
            else if (current is JsonObject obj && obj.TryGetPropertyValue(name!, out next))
            {
                if (next is null)
                {
                    // A key written with no value (null = absent to the API server) still has a place in the text.
                    if (nullFields is not null && nullFields.TryGetValue((obj, name!), out var key))
                    {
                        At(key);
                    }

                    break;
                }
            }
            else
            {
                break;
            }

            current = next!;
            if (positions.TryGetValue(current, out var mark))
            {
                At(mark);
            }
        }

        return (line, column);
    }

    /// <summary>Reads the document into <paramref name="type"/> (usually a generated CRD record).</summary>
    /// <param name="type">The type.</param>
    /// <param name="options">Options that resolve <paramref name="type"/>, e.g. a generated context's <c>Default.Options</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ManifestException">The document could not be converted, or a value does not fit the type: the
    /// message names the field path, its line and column in the original text, and the fix.</exception>
    public object Deserialize(Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        if (Root is null || positions is null)
        {
            throw Error ?? new ManifestException("the document is empty");
        }

        return CrdYaml.Deserialize(Root, type, positions, options);
    }

    /// <summary>Reads the document into <typeparamref name="T"/>; see <see cref="Deserialize(Type, JsonSerializerOptions)"/>.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="options">Options that resolve <typeparamref name="T"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ManifestException">As <see cref="Deserialize(Type, JsonSerializerOptions)"/>.</exception>
    public T Deserialize<T>(JsonSerializerOptions options) => (T)Deserialize(typeof(T), options);
}

/// <content>Reading document by document, with positions of keys (not of values) for every field.</content>
internal static partial class YamlJsonBridge
{
    internal static (List<CrdYamlDocument> Documents, ManifestException? Error) ReadDocuments(string yaml)
    {
        var documents = new List<CrdYamlDocument>();
        var index = 0;
        try
        {
            var parser = new Parser(new StringReader(yaml));
            Expect<StreamStart>(parser);
            while (parser.Current is not StreamEnd)
            {
                var start = Expect<DocumentStart>(parser);
                var at = parser.Current?.Start ?? start.Start;
                YamlNode root;
                try
                {
                    root = Compose(parser, new Dictionary<string, YamlNode>(StringComparer.Ordinal), 1);
                }
                catch (ManifestException e)
                {
                    // Refused while composing (an alias to no anchor, too deep): skip to the end of this document only.
                    while (parser.Current is not (DocumentEnd or StreamEnd or null))
                    {
                        parser.MoveNext();
                    }

                    Expect<DocumentEnd>(parser);
                    documents.Add(new CrdYamlDocument(index++, at, null, null, null, e));
                    continue;
                }

                Expect<DocumentEnd>(parser);
                JsonNode? json;
                try
                {
                    json = new Converter(null).Convert(root, 1);
                }
                catch (ManifestException e)
                {
                    documents.Add(new CrdYamlDocument(index++, root.Start, null, null, null, e));
                    continue;
                }

                if (json is not null)
                {
                    var positions = new Dictionary<JsonNode, Mark>(ReferenceEqualityComparer.Instance);
                    var nullFields = new Dictionary<(JsonObject, string), Mark>(FieldComparer.Instance);
                    Locate(root, json, root.Start, positions, nullFields);
                    documents.Add(new CrdYamlDocument(index, root.Start, json, positions, nullFields.Count == 0 ? null : nullFields, null));
                }

                index++;
            }
        }
        catch (YamlException e)
        {
            return (documents, ManifestException.At(e.Start.Line, e.Start.Column, Trim(e.Message) + "; fix the YAML syntax there", e));
        }
        catch (ManifestException e)
        {
            return (documents, e);
        }

        return (documents, null);
    }

    /// <summary>
    /// Walks the composed YAML and the JSON made from it side by side and records where each field's key stands (each
    /// list item's start). Keys the JSON spells differently (resolved scalars such as <c>yes</c>) and entries that came
    /// from a merge key are not recorded: they are found at their parent.
    /// </summary>
    private static void Locate(YamlNode yaml, JsonNode json, Mark at, Dictionary<JsonNode, Mark> positions, Dictionary<(JsonObject, string), Mark> nullFields)
    {
        positions[json] = at;
        if (yaml.Kind == YamlNodeKind.Mapping && json is JsonObject obj)
        {
            for (var i = 0; i + 1 < yaml.Children.Count; i += 2)
            {
                var key = yaml.Children[i];
                if (key.Kind != YamlNodeKind.Scalar || !obj.TryGetPropertyValue(key.Value, out var value))
                {
                    continue;
                }

                if (value is null)
                {
                    nullFields[(obj, key.Value)] = key.Start;
                }
                else
                {
                    Locate(yaml.Children[i + 1], value, key.Start, positions, nullFields);
                }
            }
        }
        else if (yaml.Kind == YamlNodeKind.Sequence && json is JsonArray array && array.Count == yaml.Children.Count)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } item)
                {
                    Locate(yaml.Children[i], item, yaml.Children[i].Start, positions, nullFields);
                }
            }
        }
    }

    /// <summary>Compares a (parent object, field name) pair by the parent's identity and the name.</summary>
    private sealed class FieldComparer : IEqualityComparer<(JsonObject Parent, string Name)>
    {
        public static readonly FieldComparer Instance = new();

        public bool Equals((JsonObject Parent, string Name) x, (JsonObject Parent, string Name) y) =>
            ReferenceEquals(x.Parent, y.Parent) && string.Equals(x.Name, y.Name, StringComparison.Ordinal);

        public int GetHashCode((JsonObject Parent, string Name) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Parent), StringComparer.Ordinal.GetHashCode(obj.Name));
    }
}
