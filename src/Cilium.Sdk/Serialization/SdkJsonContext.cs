using System.Text.Json;
using System.Text.Json.Serialization;
using Cilium.Sdk.Helm;
using k8s.Models;

namespace Cilium.Sdk.Serialization;

/// <summary>
/// System.Text.Json metadata, generated at compile time, for the types the SDK writes that are not generated CRD
/// records: KubernetesClient's <see cref="V1Secret"/> (the BGP password Secret) and the typed Helm values
/// (<see cref="CiliumValues"/>). With the generated contexts of the SDK's own kinds they cover everything the SDK
/// reads and writes, so nothing needs reflection (trimming- and native-AOT-safe).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(CiliumValues))]
[JsonSerializable(typeof(JsonElement))] // the value of object-typed members (managedFields[].fieldsV1) once read
internal sealed partial class SdkJsonContext : JsonSerializerContext;
