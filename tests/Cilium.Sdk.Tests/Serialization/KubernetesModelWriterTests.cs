using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using CsCheck;
using k8s.Models;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>
/// The hand-written writer of object metadata and label selectors (the models every generated record carries) against
/// System.Text.Json writing the same models with the runtime's own metadata: the same bytes for random names, labels,
/// annotations and selector requirements (nulls, quotes, control characters, unicode, empty maps and lists), and
/// models with any other field set are left to the serializer.
/// </summary>
public sealed class KubernetesModelWriterTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.OneOf("", "a", "app.kubernetes.io/name", "team-01", "80", "yes", "null", "\"", "\\", "\n", "\u0001", "\u007f", "<&>", "grüße", "🐝", "\u2028"),
        Gen.Char["abcXYZ019 :#-_./'\"\n\t\\<>&\u00e9\u2028\u4e2d"].Array[0, 16].Select(c => new string(c)));

    private static readonly Gen<string?> MaybeText = Gen.Frequency((6, Text.Select(t => (string?)t)), (1, Gen.Const((string?)null)));

    private static readonly Gen<IDictionary<string, string>?> Map = Gen.Frequency(
        (1, Gen.Const((IDictionary<string, string>?)null)),
        (4, Gen.Select(Text, MaybeText, (k, v) => (k, v)).Array[0, 5].Select(entries =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in entries)
            {
                map[k] = v!;
            }

            return (IDictionary<string, string>?)map;
        })));

    private static readonly Gen<V1ObjectMeta> Meta = Gen.Select(MaybeText, MaybeText, Map, Map, (name, ns, labels, annotations) =>
        new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels, Annotations = annotations });

    private static readonly Gen<V1LabelSelectorRequirement> Requirement = Gen.Select(MaybeText, MaybeText, Gen.Frequency(
            (1, Gen.Const((IList<string>?)null)),
            (3, Text.Array[0, 4].Select(v => (IList<string>?)v.ToList()))),
        (key, op, values) => new V1LabelSelectorRequirement { Key = key, OperatorProperty = op, Values = values });

    private static readonly Gen<V1LabelSelector> Selector = Gen.Select(
        Gen.Frequency((1, Gen.Const((IList<V1LabelSelectorRequirement>?)null)), (3, Requirement.Array[0, 3].Select(r => (IList<V1LabelSelectorRequirement>?)r.ToList()))),
        Map,
        (expressions, labels) => new V1LabelSelector { MatchExpressions = expressions, MatchLabels = labels });

    [Fact]
    public void Metadata_is_written_as_the_serializer_writes_it()
    {
        Meta.Sample(meta => Assert.Equal(Serialized(meta), Written(meta)), iter: 2000, seed: Seed);
    }

    [Fact]
    public void Label_selectors_are_written_as_the_serializer_writes_them()
    {
        Selector.Sample(selector => Assert.Equal(Serialized(selector), Written(selector)), iter: 2000, seed: Seed);
    }

    [Fact]
    public void Metadata_with_other_fields_is_left_to_the_serializer()
    {
        var withUid = new V1ObjectMeta { Name = "a", Uid = "0000" };
        var withTime = new V1ObjectMeta { Name = "a", CreationTimestamp = DateTime.UnixEpoch };
        Assert.False(KubernetesModelWriter.TryWrite(new Utf8JsonWriter(new ArrayBufferWriter<byte>()), withUid));
        Assert.False(KubernetesModelWriter.TryWrite(new Utf8JsonWriter(new ArrayBufferWriter<byte>()), withTime));

        // Through the runtime's entry point they still come out whole.
        Assert.Contains("\"uid\":\"0000\"", Written(withUid), StringComparison.Ordinal);
        Assert.Contains("\"creationTimestamp\":\"1970-01-01T00:00:00Z\"", Written(withTime), StringComparison.Ordinal);
    }

    private static string Written<T>(T value) => Write(writer => CrdJson.WriteKubernetes(writer, value));

    private static string Serialized<T>(T value) => Write(writer => JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)CrdJson.KubernetesOptions.GetTypeInfo(typeof(T))));

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Manifests.SerializerOptions.Encoder }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
