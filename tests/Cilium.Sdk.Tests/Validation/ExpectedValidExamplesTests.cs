using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>
/// Every expected-valid upstream example (../shared/corpus/cilium/examples/index.json) of a kind the SDK builds reads
/// into the SDK's own types (Cilium.Sdk.Resources.*), validates with zero errors for its Cilium version, and
/// round-trips unchanged.
/// </summary>
public sealed class ExpectedValidExamplesTests
{
    /// <summary>The kinds the SDK builds (apiVersion|kind as served upstream).</summary>
    public static readonly IReadOnlySet<string> SdkKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "cilium.io/v2|CiliumNetworkPolicy", "cilium.io/v2|CiliumClusterwideNetworkPolicy", "cilium.io/v2|CiliumLoadBalancerIPPool",
        "cilium.io/v2alpha1|CiliumLoadBalancerIPPool", "cilium.io/v2alpha1|CiliumL2AnnouncementPolicy", "cilium.io/v2|CiliumBGPClusterConfig",
        "cilium.io/v2|CiliumBGPPeerConfig", "cilium.io/v2|CiliumBGPAdvertisement", "cilium.io/v2|CiliumBGPNodeConfigOverride",
        "cilium.io/v2alpha1|CiliumBGPClusterConfig", "cilium.io/v2alpha1|CiliumBGPPeerConfig", "cilium.io/v2alpha1|CiliumBGPAdvertisement",
        "cilium.io/v2alpha1|CiliumBGPNodeConfigOverride", "cilium.io/v2|CiliumCIDRGroup", "cilium.io/v2alpha1|CiliumCIDRGroup",
    };

    [Fact]
    public void Every_expected_valid_example_reads_validates_and_round_trips()
    {
        var examples = SharedCorpus.Require("corpus/cilium/examples");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(examples, "index.json")))!.AsArray();
        int files = 0, documents = 0, rejected = 0, mutated = 0;
        var failures = new List<string>();
        foreach (var entry in index.Select(e => e!.AsObject()))
        {
            if (entry["expected_valid"]?.GetValue<bool>() != true || entry["templated"]?.GetValue<bool>() == true || entry["parse_error"] is not null)
            {
                continue;
            }

            var version = Version(entry["origin"]!.GetValue<string>());
            var path = Path.Combine(examples, entry["topic"]!.GetValue<string>(), entry["file"]!.GetValue<string>());
            var counted = false;
            foreach (var document in Manifests.ParseYaml(File.ReadAllText(path)).OfType<JsonObject>())
            {
                var key = $"{document["apiVersion"]}|{document["kind"]}";
                if (!SdkKinds.Contains(key))
                {
                    continue;
                }

                if (!counted)
                {
                    files++;
                    counted = true;
                }

                documents++;
                object resource;
                try
                {
                    resource = Manifests.ReadAny(Manifests.ToYaml(document));
                }
                catch (ManifestException e)
                {
                    failures.Add($"{path}: {key} does not read: {e.Message}");
                    continue;
                }

                // Value equality: read twice, equal with the same hash; a changed string under spec, not equal.
                var again = Manifests.ReadAny(Manifests.ToYaml(document));
                if (!resource.Equals(again) || resource.GetHashCode() != again.GetHashCode())
                {
                    failures.Add($"{path}: {key}: the same document read twice is not equal");
                }

                if (WithFirstStringChanged(document, "spec") is { } changed)
                {
                    mutated++;
                    if (resource.Equals(Manifests.ReadAny(Manifests.ToYaml(changed))))
                    {
                        failures.Add($"{path}: {key}: still equal after a string under spec changed");
                    }
                }

                var file = entry["file"]!.GetValue<string>();
                var pruned = (entry["unknown_fields"] as JsonArray ?? new JsonArray()).SelectMany(u => u!["errors"]!.AsArray().Select(e => e!.GetValue<string>())).ToList();
                var errors = ((IValidatable)resource).Validate(CiliumVersion.Parse(version))
                    .Where(e => e.IsError && !IsPrunedField(e, pruned))
                    .ToList();
                if (KnownRejections.TryGetValue(file, out var known))
                {
                    rejected++;
                    if (!errors.Any(e => e.Path.Contains(known.Path, StringComparison.Ordinal) && e.Layer == known.Layer))
                    {
                        failures.Add($"{path}: expected the known {known.Layer}-layer rejection at {known.Path} ({known.Reason}); got: {string.Join(" | ", errors)}");
                    }

                    errors.RemoveAll(e => e.Path.Contains(known.Path, StringComparison.Ordinal) && e.Layer == known.Layer);
                }

                if (errors.Count > 0)
                {
                    failures.Add($"{path}: {key} ({version}): {string.Join(" | ", errors)}");
                }

                var back = JsonSerializer.SerializeToNode(resource, resource.GetType(), Manifests.SerializerOptions);
                if (!JsonNode.DeepEquals(WithoutNulls(document), WithoutNulls(back)))
                {
                    failures.Add($"{path}: {key} changed on round trip\n  in:  {WithoutNulls(document)!.ToJsonString()}\n  out: {WithoutNulls(back)!.ToJsonString()}");
                }
            }
        }

        TestContext.Current.TestOutputHelper!.WriteLine($"{files} expected-valid example files of SDK kinds, {documents} documents read, validated, round-tripped and equal when read twice ({rejected} known rejections confirmed, {mutated} changed copies unequal), {failures.Count} failed");
        Assert.True(mutated > documents / 2, $"only {mutated} of {documents} documents had a string under spec to change");
        Assert.Equal(KnownRejections.Count, rejected);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(documents >= 197, $"only {documents} documents of SDK kinds were checked; the corpus has 197 in 168 expected-valid files");
    }

    /// <summary>
    /// Examples the index marks expected-valid (its checker runs the structural schema without list-type or agent
    /// rules) that a stricter layer rejects; each must still be caught, at this path and layer.
    /// </summary>
    private static readonly Dictionary<string, (string Path, string Layer, string Reason)> KnownRejections = new(StringComparer.Ordinal)
    {
        ["Documentation__network__kubernetes__configuration__L257__heredoc0.yaml"] =
            ("spec.ingress[0].toPorts[0].ports[0].port", ValidationLayers.Agent, "port '65536' passes the CRD's unanchored pattern, but is neither a 16-bit port nor a port name"),
        ["out-default.yaml"] =
            ("specs[1].egress[0].toPorts[0].serverNames[", ValidationLayers.Schema, "serverNames is x-kubernetes-list-type: set upstream, and the item '**.one.one.' repeats"),
        ["cilium-cli__connectivity__builder__manifests__template__testdata__generate_dns_match_pattern__out.yaml"] =
            ("specs[1].egress[0].toPorts[0].serverNames[", ValidationLayers.Schema, "serverNames is x-kubernetes-list-type: set upstream, and items repeat"),
    };

    /// <summary>A field the index itself lists as unknown: the API server prunes it (and rejects it under strict validation).</summary>
    private static bool IsPrunedField(ValidationError error, List<string> pruned)
    {
        var slash = error.Path.Replace("[", "/", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal).Replace('.', '/');
        var cut = slash.LastIndexOf('/');
        var parent = cut < 0 ? string.Empty : slash[..cut];
        var name = slash[(cut + 1)..];
        return error.Message.StartsWith("is not a field of this schema", StringComparison.Ordinal)
            && pruned.Any(p => p.StartsWith(parent + ":", StringComparison.Ordinal) && p.Contains($"'{name}' was unexpected", StringComparison.Ordinal));
    }

    /// <summary>Examples from main are Cilium 1.20 (1.20.0-dev); the 1.18 tree is checked against the oldest supported, 1.19.</summary>
    private static string Version(string origin) => origin.StartsWith("main", StringComparison.Ordinal) ? "1.20" : "1.19";

    /// <summary>Explicit nulls mean "absent" to the API server; they are the one thing a round trip may drop.</summary>
    private static JsonNode? WithoutNulls(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value)))),
        JsonArray array => new JsonArray(array.Select(WithoutNulls).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>A copy with the first string leaf under <paramref name="field"/> (depth first) changed, or null when there is none.</summary>
    private static JsonObject? WithFirstStringChanged(JsonObject document, string field)
    {
        var copy = document.DeepClone().AsObject();
        return copy[field] is { } start && Change(start) ? copy : null;

        static bool Change(JsonNode node)
        {
            var children = node switch
            {
                JsonObject obj => obj.Select(p => (Key: (object)p.Key, p.Value)).ToList(),
                JsonArray array => array.Select((v, i) => (Key: (object)i, Value: v)).ToList(),
                _ => [],
            };
            foreach (var (key, value) in children)
            {
                if (value is JsonValue leaf && leaf.GetValueKind() == JsonValueKind.String)
                {
                    JsonNode changed = leaf.GetValue<string>() + "-changed";
                    if (node is JsonObject o) { o[(string)key] = changed; } else { ((JsonArray)node)[(int)key] = changed; }
                    return true;
                }

                if (value is not null && Change(value))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
