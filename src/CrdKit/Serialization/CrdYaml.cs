using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace CrdKit.Serialization;

/// <summary>
/// Reads and writes Kubernetes YAML manifests: YAML to JSON nodes and back, and YAML to generated CRD records and back,
/// through the serializer options of a generated <c>JsonSerializerContext</c> (no reflection).
/// </summary>
/// <remarks>
/// <para>Reading follows kubectl's YAML dialect (YAML 1.1 via go-yaml v2): <c>yes</c>/<c>on</c> are booleans, <c>012</c>
/// is octal, quoted values are always strings. Duplicate keys, custom tags and alias bombs are refused.</para>
/// <para>Writing is deterministic: block style, 2-space indentation, <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>
/// first, strings quoted where another YAML reader would see a boolean, number or null, multi-line strings as literal
/// blocks, and exactly one trailing line feed.</para>
/// <para>Every failure is a <see cref="ManifestException"/> naming the line and column (or the field path) and the fix.</para>
/// </remarks>
/// <example>
/// <code>
/// var certificate = CrdYaml.Read&lt;Certificate&gt;(yaml, CertManagerJsonContext.Default.Options);
/// var text = CrdYaml.Write(certificate, CertManagerJsonContext.Default.Options);
/// </code>
/// </example>
public static class CrdYaml
{
    /// <summary>Reads every document of a YAML stream as JSON. Empty documents are skipped, as kubectl does.</summary>
    /// <param name="yaml">The YAML text (one or more documents separated by <c>---</c>).</param>
    /// <returns>One node per non-empty document, in order.</returns>
    /// <exception cref="ManifestException">The YAML is malformed, uses a custom tag, has a duplicate key, or expands
    /// beyond the alias budget.</exception>
    public static IReadOnlyList<JsonNode> Parse(string yaml) => YamlJsonBridge.Read(yaml);

    /// <summary>Writes one JSON node as a YAML document.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The YAML text, ending in exactly one line feed.</returns>
    /// <exception cref="ManifestException">The node holds a number JSON cannot represent.</exception>
    public static string ToYaml(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return YamlJsonBridge.Write(node);
    }

    /// <summary>Writes several JSON nodes as one YAML stream, documents joined by <c>---</c> lines.</summary>
    /// <param name="documents">The documents.</param>
    /// <returns>The YAML stream, ending in exactly one line feed (empty when there are no documents).</returns>
    /// <exception cref="ManifestException">A node holds a number JSON cannot represent.</exception>
    public static string ToYaml(IEnumerable<JsonNode> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return YamlJsonBridge.WriteAll(documents.Select(d => d ?? throw new ArgumentException("documents must not be null", nameof(documents))));
    }

    /// <summary>Reads a single-document YAML manifest into <typeparamref name="T"/> (usually a generated CRD record).</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="yaml">The YAML text of exactly one document.</param>
    /// <param name="options">Options that resolve <typeparamref name="T"/>, e.g. a generated context's <c>Default.Options</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ManifestException">The YAML is invalid, has other than one document, or a value does not fit
    /// the type (the message names the field path, its line and the fix).</exception>
    public static T Read<T>(string yaml, JsonSerializerOptions options) => (T)Read(yaml, typeof(T), options);

    /// <summary>Reads a single-document YAML manifest into <paramref name="type"/>.</summary>
    /// <param name="yaml">The YAML text of exactly one document.</param>
    /// <param name="type">The type to read.</param>
    /// <param name="options">Options that resolve <paramref name="type"/>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ManifestException">The YAML is invalid, has other than one document, or a value does not fit.</exception>
    public static object Read(string yaml, Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var (node, positions) = ParseSingle(yaml);
        return Deserialize(node, type, positions, options);
    }

    /// <summary>Writes a value (usually a generated CRD record) as a YAML document.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Options that resolve the value's runtime type.</param>
    /// <returns>The YAML text with <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> first, ending in one line feed.</returns>
    /// <exception cref="ManifestException">The value holds a number JSON cannot represent.</exception>
    public static string Write<T>(T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        return WriteDocument(value, null, options);
    }

    /// <summary>Writes <paramref name="prefix"/> then <paramref name="value"/> as in <see cref="Write{T}(T, JsonSerializerOptions)"/>,
    /// as one string (documents led by <c>---</c>, without a second copy).</summary>
    internal static string WriteDocument(object value, string? prefix, JsonSerializerOptions options)
    {
        // The runtime type, not T: a resource held as IKubernetesObject must still write its spec. The serializer's
        // UTF-8 tokens become YAML as they are read (no JsonNode tree); apiVersion, kind and metadata go first, the
        // rest in the order the type wrote them: how kubectl and every manifest in the wild reads. Generated
        // converters already write them first; KubernetesClient models do not.
        return YamlJsonBridge.WriteValue(value, options.GetTypeInfo(value.GetType()), prefix);
    }

    internal static (JsonNode Node, Dictionary<JsonNode, Mark> Positions) ParseSingle(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var positions = new Dictionary<JsonNode, Mark>(ReferenceEqualityComparer.Instance);
        var documents = YamlJsonBridge.Read(yaml, positions);
        if (documents.Count != 1)
        {
            throw new ManifestException(string.Create(CultureInfo.InvariantCulture, $"expected exactly one YAML document, found {documents.Count}; use ParseYaml for a multi-document stream and read each document on its own"));
        }

        return (documents[0], positions);
    }

    internal static object Deserialize(JsonNode node, Type type, Dictionary<JsonNode, Mark> positions, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize(node, options.GetTypeInfo(type))
                ?? throw At(node, positions, string.Empty, $"the document is null; a {type.Name} is required");
        }
        catch (CrdJsonException e)
        {
            throw At(node, positions, e.FieldPath, e.Detail, e);
        }
        catch (JsonException e)
        {
            // Errors raised outside the generated converters (e.g. KubernetesClient models) carry a JSON path ("$.a.b").
            var path = e.Path is { Length: > 0 } p ? p.TrimStart('$').TrimStart('.') : string.Empty;
            throw At(node, positions, path, e.Message, e);
        }
    }

    internal static ManifestException At(JsonNode root, Dictionary<JsonNode, Mark> positions, string fieldPath, string detail, Exception? inner = null)
    {
        // The YAML position of the deepest node the field path reaches (the field itself, or its parent when the
        // field is missing), so the message points at a line.
        var node = Locate(root, fieldPath);
        int? line = null;
        int? column = null;
        if (node is not null && positions.TryGetValue(node, out var mark))
        {
            line = (int)Math.Min(mark.Line, int.MaxValue);
            column = (int)Math.Min(mark.Column, int.MaxValue);
        }

        return ManifestException.AtField(fieldPath, line, column, detail, inner);
    }

    private static JsonNode? Locate(JsonNode root, string fieldPath)
    {
        var current = root;
        foreach (var segment in Segments(fieldPath))
        {
            JsonNode? next = null;
            if (segment.Index is { } index)
            {
                if (current is JsonArray array && index < array.Count)
                {
                    next = array[index];
                }
            }
            else if (current is JsonObject obj)
            {
                obj.TryGetPropertyValue(segment.Name!, out next);
            }

            if (next is null)
            {
                break;
            }

            current = next;
        }

        return current;
    }

    internal static IEnumerable<(string? Name, int? Index)> Segments(string path)
    {
        // Paths as CrdJson writes them: a.b[0]["key.with.dots"].c
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '"')
            {
                var name = new StringBuilder();
                i += 2;
                while (i < path.Length && path[i] != '"')
                {
                    if (path[i] == '\\' && i + 1 < path.Length)
                    {
                        i++;
                    }

                    name.Append(path[i++]);
                }

                i += 2;
                yield return (name.ToString(), null);
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    yield break;
                }

                i = end + 1;
                yield return (null, index);
            }
            else
            {
                var start = i;
                while (i < path.Length && path[i] is not ('.' or '['))
                {
                    i++;
                }

                yield return (path[start..i], null);
            }
        }
    }
}
