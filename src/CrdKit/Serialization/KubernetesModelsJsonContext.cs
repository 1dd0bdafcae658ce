using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace CrdKit.Serialization;

/// <summary>
/// System.Text.Json metadata, generated at compile time, for the KubernetesClient models that generated records embed
/// (object and list metadata, label selectors, conditions), so reading and writing them needs no reflection: the
/// runtime is trimming- and native-AOT-safe. The models are read and written with System.Text.Json's own rules and
/// their <c>[JsonPropertyName]</c> wire names, exactly as the reflection-based resolver did.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1ObjectMeta))]
[JsonSerializable(typeof(V1ListMeta))]
[JsonSerializable(typeof(V1LabelSelector))]
[JsonSerializable(typeof(V1Condition))]
[JsonSerializable(typeof(JsonElement))] // the value of object-typed members (managedFields[].fieldsV1) once read
internal sealed partial class KubernetesModelsJsonContext : JsonSerializerContext;
