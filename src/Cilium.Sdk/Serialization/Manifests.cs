using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
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
    /// <summary>The metadata of every type the SDK itself reads and writes, all generated at compile time.
    /// Declared first: static initializers run in order, and <see cref="SerializerOptions"/> uses it.</summary>
    internal static IJsonTypeInfoResolver GeneratedResolver { get; } =
        JsonTypeInfoResolver.Combine(ResourcesJsonContext.Default, FluxJsonContext.Default, SdkJsonContext.Default);

    /// <summary>
    /// The serializer options used by <see cref="Read{T}(string)"/>, <see cref="Write{T}(T)"/> and
    /// <see cref="ReadAny(string, ManifestKinds?)"/>: <see cref="CrdJson.CreateOptions"/> over metadata generated at compile time for
    /// every type the SDK writes (its CRD records, KubernetesClient's <c>V1Secret</c>, the Helm values), so the SDK uses
    /// no reflection. Other types (say, a <c>V1ConfigMap</c> of yours) are read and written by reflection where the
    /// application allows it (not in a trimmed or native-AOT app, nor in a file-based script with default settings:
    /// there, give them your own <c>JsonSerializerContext</c>). Read-only.
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
    /// Reads a single-document YAML manifest into the registered type its <c>apiVersion</c> and <c>kind</c> name
    /// (e.g. <c>cilium.io/v2</c> + <c>CiliumNetworkPolicy</c>, or a <c>...List</c> kind). For a file of several
    /// documents, or of kinds that are not registered, use <see cref="ReadAll"/>.
    /// </summary>
    /// <param name="yamlDocument">The YAML text of exactly one document.</param>
    /// <param name="kinds">The kinds to read; <see cref="ManifestKinds.Default"/> (the SDK's Cilium and Flux kinds) when null.</param>
    /// <returns>The value; its runtime type is the generated record.</returns>
    /// <exception cref="ManifestException">The YAML is invalid or has other than one document, apiVersion/kind are missing,
    /// no registered type has that apiVersion and kind, or a value does not fit the type.</exception>
    public static object ReadAny(string yamlDocument, ManifestKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(yamlDocument);
        var documents = CrdYamlDocuments.Read(yamlDocument);
        if (documents.Error is not null)
        {
            throw documents.Error;
        }

        if (documents.Count != 1)
        {
            throw new ManifestException(string.Create(CultureInfo.InvariantCulture, $"expected exactly one YAML document, found {documents.Count}; use ReadAll for a multi-document stream"));
        }

        var document = documents[0];
        var type = Kind(document.Root ?? throw document.Error!, kinds ?? ManifestKinds.Default, document.PositionOf(string.Empty));
        return document.Deserialize(type.Type, type.Options);
    }

    /// <summary>Reads a manifest already parsed as JSON into the registered type its <c>apiVersion</c> and <c>kind</c> name.</summary>
    /// <param name="node">The manifest (e.g. one node of <see cref="ParseYaml"/>, or a document's <see cref="ManifestDocument.Node"/>).</param>
    /// <param name="kinds">The kinds to read; <see cref="ManifestKinds.Default"/> when null.</param>
    /// <returns>The value; its runtime type is the generated record.</returns>
    /// <exception cref="ManifestException">apiVersion/kind are missing, no registered type has them, or a value does not
    /// fit the type (the message names the field path; JSON has no lines).</exception>
    public static object ReadAny(JsonNode node, ManifestKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var kind = Kind(node, kinds ?? ManifestKinds.Default, null);
        try
        {
            return JsonSerializer.Deserialize(node, kind.Options.GetTypeInfo(kind.Type))
                ?? throw new ManifestException($"the document is null; a {kind.Kind} is required");
        }
        catch (CrdJsonException e)
        {
            throw new ManifestException((e.FieldPath.Length == 0 ? string.Empty : e.FieldPath + ": ") + e.Detail, e);
        }
        catch (JsonException e)
        {
            throw new ManifestException(e.Message, e);
        }
    }

    /// <summary>
    /// Reads every document of a YAML stream: each with its index, file line and column, apiVersion, kind and name,
    /// its JSON, and its typed record when <paramref name="kinds"/> registers its apiVersion and kind. A document of
    /// another kind (a Deployment beside the policies) is kept untyped, not refused.
    /// </summary>
    /// <param name="yaml">The YAML text (one or more documents separated by <c>---</c>).</param>
    /// <param name="file">The file name to report problems at (as given; not read), or null.</param>
    /// <param name="kinds">The kinds to type; <see cref="ManifestKinds.Default"/> (the SDK's Cilium and Flux kinds) when null.</param>
    /// <returns>The documents. Nothing throws: a document that cannot be read carries its <see cref="ManifestDocument.Error"/>
    /// at the line and column of <paramref name="yaml"/> itself, and a syntax error that stops the stream is
    /// <see cref="ManifestReadResult.Error"/>.</returns>
    public static ManifestReadResult ReadAll(string yaml, string? file = null, ManifestKinds? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        kinds ??= ManifestKinds.Default;
        var stream = CrdYamlDocuments.Read(yaml);
        var documents = new List<ManifestDocument>(stream.Count);
        foreach (var document in stream)
        {
            if (document.Root is not JsonObject obj || Text(obj, "apiVersion") is not { } apiVersion || Text(obj, "kind") is not { } kind
                || !kinds.TryGet(apiVersion, kind, out var type))
            {
                documents.Add(new ManifestDocument(file, document, null, null, null));
                continue;
            }

            try
            {
                documents.Add(new ManifestDocument(file, document, type, document.Deserialize(type.Type, type.Options), null));
            }
            catch (ManifestException e)
            {
                documents.Add(new ManifestDocument(file, document, type, null, e));
            }
        }

        return new ManifestReadResult(file, documents, stream.Error);
    }

    /// <summary>Reads every document of a file; see <see cref="ReadAll"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="kinds">The kinds to type; <see cref="ManifestKinds.Default"/> when null.</param>
    /// <returns>The documents, with <paramref name="path"/> as their file.</returns>
    /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static ManifestReadResult ReadFile(string path, ManifestKinds? kinds = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadAll(System.IO.File.ReadAllText(path), path, kinds);
    }

    private static ManifestKind Kind(JsonNode node, ManifestKinds kinds, (int Line, int Column)? at)
    {
        ManifestException Fail(string detail) => at is { } p ? ManifestException.At(p.Line, p.Column, detail) : new ManifestException(detail);
        if (node is not JsonObject obj)
        {
            throw Fail("a manifest must be a mapping with apiVersion and kind");
        }

        var apiVersion = Text(obj, "apiVersion");
        var kind = Text(obj, "kind");
        if (apiVersion is null || kind is null)
        {
            throw Fail("apiVersion and kind must both be set (as strings) to pick the type; add them");
        }

        if (!kinds.TryGet(apiVersion, kind, out var type))
        {
            var sameKind = kinds.ApiVersionsOf(kind);
            var hint = sameKind.Count > 0
                ? $"; {kind} exists as {string.Join(", ", sameKind)}"
                : "; use Read<T> with your own type, register it in a ManifestKinds, or use ReadAll, which keeps other kinds untyped";
            throw Fail($"no registered type for apiVersion '{apiVersion}' kind '{kind}'{hint}");
        }

        return type;
    }

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        // A fresh options object: the contexts' own Default options stay untouched.
        var options = CrdJson.CreateOptions();
        options.TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
            ? JsonTypeInfoResolver.Combine(GeneratedResolver, ReflectionForOtherTypes())
            : GeneratedResolver;
        options.MakeReadOnly();
        return options;
    }

    // Reached only where the application allows reflection-based serialization (the feature switch is on); a trimmed
    // or native-AOT app turns it off, and then this branch is removed and everything the SDK writes is generated.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only used when JsonSerializer.IsReflectionEnabledByDefault; the SDK's own types resolve from generated metadata first.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only used when JsonSerializer.IsReflectionEnabledByDefault; the SDK's own types resolve from generated metadata first.")]
    private static IJsonTypeInfoResolver ReflectionForOtherTypes() => new DefaultJsonTypeInfoResolver();

    private static string? Text(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
