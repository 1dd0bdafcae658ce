using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Cilium.Sdk.Flux;
using Cilium.Sdk.Resources;
using YamlDotNet.Core;
using CrdKit.Serialization;

namespace Cilium.Sdk.Serialization;

/// <summary>
/// Reads and writes Kubernetes YAML manifests: YAML to JSON nodes and back, and YAML to the generated CRD records
/// and back.
/// </summary>
/// <remarks>
/// <para>Reading follows kubectl's YAML dialect (YAML 1.1 via go-yaml v2): <c>yes</c>/<c>on</c> are booleans, <c>012</c>
/// is octal, quoted values are always strings. Duplicate keys, custom tags and alias bombs are refused.</para>
/// <para>Writing is deterministic: block style, 2-space indentation, <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>
/// first for objects written with <see cref="Write{T}(T)"/>, strings quoted where another YAML reader would see a
/// boolean, number or null, multi-line strings as literal blocks, and exactly one trailing line feed.</para>
/// <para>Every failure is a <see cref="ManifestException"/> naming the line and column (or the field path) and the fix.</para>
/// </remarks>
public static class Manifests
{
    /// <summary>
    /// The serializer options used by <see cref="Read{T}(string)"/>, <see cref="Write{T}(T)"/> and
    /// <see cref="ReadAny(string)"/>: <see cref="CrdJson.CreateOptions"/> with the generated contexts first and
    /// reflection only for other types (e.g. KubernetesClient models). Read-only.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    /// <summary>Reads every document of a YAML stream as JSON. Empty documents are skipped, as kubectl does.</summary>
    /// <param name="yaml">The YAML text (one or more documents separated by <c>---</c>).</param>
    /// <returns>One node per non-empty document, in order.</returns>
    /// <exception cref="ManifestException">The YAML is malformed, uses a custom tag, has a duplicate key, or expands
    /// beyond the alias budget.</exception>
    public static IReadOnlyList<JsonNode> ParseYaml(string yaml) => CrdYaml.Parse(yaml);

    /// <summary>Writes one JSON node as a YAML document.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The YAML text, ending in exactly one line feed.</returns>
    /// <exception cref="ManifestException">The node holds a number JSON cannot represent.</exception>
    public static string ToYaml(JsonNode node) => CrdYaml.ToYaml(node);

    /// <summary>Writes several JSON nodes as one YAML stream, documents joined by <c>---</c> lines.</summary>
    /// <param name="docs">The documents.</param>
    /// <returns>The YAML stream, ending in exactly one line feed (empty when there are no documents).</returns>
    /// <exception cref="ManifestException">A node holds a number JSON cannot represent.</exception>
    public static string ToYaml(IEnumerable<JsonNode> docs) => CrdYaml.ToYaml(docs);

    /// <summary>Reads a single-document YAML manifest into <typeparamref name="T"/> (usually a generated CRD record).</summary>
    /// <typeparam name="T">The type to read, e.g. <c>Cilium.Sdk.Resources.V2.CiliumNetworkPolicy</c>.</typeparam>
    /// <param name="yaml">The YAML text of exactly one document.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ManifestException">The YAML is invalid, has other than one document, or a value does not fit
    /// the type (the message names the field path, its line and the fix).</exception>
    public static T Read<T>(string yaml)
    {
        return CrdYaml.Read<T>(yaml, SerializerOptions);
    }

    /// <summary>Writes a value (usually a generated CRD record) as a YAML document.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The YAML text with <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> first, ending in one line feed.</returns>
    /// <exception cref="ManifestException">The value holds a number JSON cannot represent.</exception>
    public static string Write<T>(T value)
    {
        ArgumentNullException.ThrowIfNull(value);

        return WriteDocument(value, null);
    }

    /// <summary>Writes <paramref name="prefix"/> then <paramref name="value"/> as in <see cref="Write{T}(T)"/>, as one
    /// string (the renderer's <c>---</c>-led documents, without a second copy).</summary>
    internal static string WriteDocument(object value, string? prefix) => CrdYaml.WriteDocument(value, prefix, SerializerOptions);

    /// <summary>
    /// Reads a single-document YAML manifest into the generated root type its <c>apiVersion</c> and <c>kind</c> name
    /// (e.g. <c>cilium.io/v2</c> + <c>CiliumNetworkPolicy</c>, or a <c>...List</c> kind).
    /// </summary>
    /// <param name="yamlDocument">The YAML text of exactly one document.</param>
    /// <returns>The value; its runtime type is the generated record.</returns>
    /// <exception cref="ManifestException">The YAML is invalid, apiVersion/kind are missing, no generated type has that
    /// apiVersion and kind, or a value does not fit the type.</exception>
    public static object ReadAny(string yamlDocument)
    {
        var (node, positions) = CrdYaml.ParseSingle(yamlDocument);
        if (node is not JsonObject obj)
        {
            throw CrdYaml.At(node, positions, string.Empty, "a manifest must be a mapping with apiVersion and kind");
        }

        var apiVersion = Text(obj, "apiVersion");
        var kind = Text(obj, "kind");
        if (apiVersion is null || kind is null)
        {
            throw CrdYaml.At(node, positions, string.Empty, "apiVersion and kind must both be set (as strings) to pick the type; add them");
        }

        if (!ManifestKinds.TryGet(apiVersion, kind, out var type))
        {
            var sameKind = ManifestKinds.ApiVersionsOf(kind);
            var hint = sameKind.Count > 0
                ? $"; {kind} exists as {string.Join(", ", sameKind)}"
                : "; use Read<T> with your own type, or ParseYaml for the raw JSON";
            throw CrdYaml.At(node, positions, string.Empty, $"no generated type for apiVersion '{apiVersion}' kind '{kind}'{hint}");
        }

        return CrdYaml.Deserialize(node, type, positions, SerializerOptions);
    }

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        // A fresh options object: the contexts' own Default options stay untouched. Generated contexts first (no
        // reflection for generated records), reflection last for KubernetesClient and user types.
        var options = CrdJson.CreateOptions();
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(ResourcesJsonContext.Default, FluxJsonContext.Default, new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }

    private static string? Text(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
