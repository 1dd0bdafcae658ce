using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Json.Schema;
using k8s.Models;
using Xunit;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>
/// Manifests written from the SDK's own types pass the upstream CRD's openAPIV3Schema, checked with a JSON-Schema
/// validator (JsonSchema.Net) on the converted structural schema (see <see cref="StructuralSchemaToJsonSchema"/> for
/// what the conversion keeps and ignores). Inputs: every expected-valid upstream example of an SDK kind after a round
/// trip through the SDK's types, and objects built in code for each Cilium kind. A broken manifest must fail.
/// </summary>
public sealed class JsonSchemaConformanceTests
{
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(LoadSchemas);

    /// <summary>The Cilium kinds the SDK builds, as apiVersion|kind.</summary>
    private static readonly HashSet<string> SdkKinds = new(StringComparer.Ordinal)
    {
        "cilium.io/v2|CiliumNetworkPolicy", "cilium.io/v2|CiliumClusterwideNetworkPolicy", "cilium.io/v2|CiliumLoadBalancerIPPool",
        "cilium.io/v2alpha1|CiliumLoadBalancerIPPool", "cilium.io/v2alpha1|CiliumL2AnnouncementPolicy", "cilium.io/v2|CiliumBGPClusterConfig",
        "cilium.io/v2|CiliumBGPPeerConfig", "cilium.io/v2|CiliumBGPAdvertisement", "cilium.io/v2|CiliumBGPNodeConfigOverride",
        "cilium.io/v2alpha1|CiliumBGPClusterConfig", "cilium.io/v2alpha1|CiliumBGPPeerConfig", "cilium.io/v2alpha1|CiliumBGPAdvertisement",
        "cilium.io/v2alpha1|CiliumBGPNodeConfigOverride", "cilium.io/v2|CiliumCIDRGroup", "cilium.io/v2alpha1|CiliumCIDRGroup",
    };

    /// <summary>Examples whose known defects the upstream schema catches (the SDK's Validate() reports them too).</summary>
    private static readonly Dictionary<string, string> KnownSchemaFailures = new(StringComparer.Ordinal)
    {
        ["out-default.yaml"] = "serverNames is a set upstream, and an item repeats",
        ["cilium-cli__connectivity__builder__manifests__template__testdata__generate_dns_match_pattern__out.yaml"] = "serverNames is a set upstream, and items repeat",
    };

    /// <summary>Every expected-valid example of an SDK kind, written back from the SDK's types, passes the upstream schema.</summary>
    [Fact]
    public void Round_tripped_expected_valid_examples_pass_the_upstream_schema()
    {
        var examples = Path.Combine(SharedData.CorpusDirectory, "cilium", "examples");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(examples, "index.json")))!.AsArray();
        int checkedDocuments = 0, pruned = 0, known = 0, listedUnknown = 0;
        var failures = new List<string>();
        foreach (var entry in index.Select(e => e!.AsObject()))
        {
            if (entry["expected_valid"]?.GetValue<bool>() != true || entry["templated"]?.GetValue<bool>() == true || entry["parse_error"] is not null)
            {
                continue;
            }

            var file = entry["file"]!.GetValue<string>();
            var release = entry["origin"]!.GetValue<string>().StartsWith("main", StringComparison.Ordinal) ? "v1.20" : "v1.19";
            var hasUnknownFields = entry["unknown_fields"] is JsonArray { Count: > 0 };
            foreach (var document in Manifests.ParseYaml(File.ReadAllText(Path.Combine(examples, entry["topic"]!.GetValue<string>(), file))).OfType<JsonObject>())
            {
                if (!SdkKinds.Contains($"{document["apiVersion"]}|{document["kind"]}") || !Schemas.Value.TryGetValue(Key(release, document), out var schema))
                {
                    continue;
                }

                var resource = Manifests.ReadAny(Manifests.ToYaml(document));
                var written = JsonSerializer.SerializeToNode(resource, resource.GetType(), Manifests.SerializerOptions)!;
                var errors = Evaluate(schema, written);
                checkedDocuments++;
                listedUnknown += hasUnknownFields ? 1 : 0;
                if (errors.Count == 0)
                {
                    continue;
                }

                if (hasUnknownFields && errors.All(e => e.Contains("false schema", StringComparison.OrdinalIgnoreCase)))
                {
                    pruned++; // the index lists the unknown field: the API server prunes it, strict validation rejects it
                }
                else if (KnownSchemaFailures.ContainsKey(file) && errors.All(e => e.Contains("uniqueItems", StringComparison.OrdinalIgnoreCase)))
                {
                    known++;
                }
                else
                {
                    failures.Add($"{file}: {string.Join(" | ", errors)}");
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{checkedDocuments} round-tripped documents checked against the upstream schema; {pruned} with fields the index lists as unknown, {known} known set duplicates");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(KnownSchemaFailures.Count, known);
        Assert.Equal(listedUnknown, pruned);
        Assert.True(checkedDocuments >= 197, $"only {checkedDocuments} documents were checked");
    }

    /// <summary>One object per Cilium kind, built in C#, passes the upstream schema.</summary>
    [Fact]
    public void Objects_built_in_code_for_each_kind_pass_the_upstream_schema()
    {
        var selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } };
        var objects = new object[]
        {
            new Resources.V2.CiliumNetworkPolicy
            {
                Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
                Spec = new Rule
                {
                    EndpointSelector = selector,
                    Ingress = new List<IngressRule> { new() { FromEntities = new List<PolicyEntity> { PolicyEntity.World }, ToPorts = new List<PortRule> { new() { Ports = new List<PortProtocol> { new() { Port = "443", Protocol = PolicyProtocol.TCP } } } } } },
                    Egress = new List<EgressRule> { new() { ToFQDNs = new List<FqdnSelector> { new() { MatchPattern = "*.example.com" } } } },
                },
            },
            new Resources.V2.CiliumClusterwideNetworkPolicy
            {
                Metadata = new V1ObjectMeta { Name = "host" },
                Spec = new Rule { NodeSelector = new V1LabelSelector(), Ingress = new List<IngressRule> { new() { FromCIDR = new List<string> { "10.0.0.0/8" } } } },
            },
            new Resources.V2.CiliumLoadBalancerIPPool
            {
                Metadata = new V1ObjectMeta { Name = "pool" },
                Spec = new LoadBalancerIpPoolSpec { Blocks = new List<IpPoolBlock> { new() { Cidr = "10.0.10.0/24" }, new() { Start = "10.0.20.1", Stop = "10.0.20.9" } }, AllowFirstLastIPs = CiliumLoadBalancerIPPoolAllowFirstLastIPs.No },
            },
            new Resources.V2alpha1.CiliumL2AnnouncementPolicy
            {
                Metadata = new V1ObjectMeta { Name = "l2" },
                Spec = new L2AnnouncementPolicySpec { Interfaces = new List<string> { "^eth[0-9]+" }, LoadBalancerIPs = true },
            },
            new Resources.V2.CiliumBGPClusterConfig
            {
                Metadata = new V1ObjectMeta { Name = "bgp" },
                Spec = new BgpClusterConfigSpec { BgpInstances = new List<BgpInstance> { new() { Name = "i", LocalASN = 65001, Peers = new List<BgpPeer> { new() { Name = "tor", PeerASN = 65000, PeerAddress = "10.0.0.1", PeerConfigRef = new PeerConfigReference { Name = "peer" } } } } } },
            },
            new Resources.V2.CiliumBGPPeerConfig
            {
                Metadata = new V1ObjectMeta { Name = "peer" },
                Spec = new BgpPeerConfigSpec { Timers = new BgpTimers { HoldTimeSeconds = 9, KeepAliveTimeSeconds = 3 }, GracefulRestart = new BgpGracefulRestart { Enabled = true, RestartTimeSeconds = 120 } },
            },
            new Resources.V2.CiliumBGPAdvertisement
            {
                Metadata = new V1ObjectMeta { Name = "adv" },
                Spec = new BgpAdvertisementSpec { Advertisements = new List<BgpAdvertisement> { new() { AdvertisementType = BgpAdvertisementType.Service, Service = new BgpServiceOptions { Addresses = new List<CiliumBGPAdvertisementAddresses> { CiliumBGPAdvertisementAddresses.LoadBalancerIP } }, Selector = selector } } },
            },
            new Resources.V2.CiliumBGPNodeConfigOverride
            {
                Metadata = new V1ObjectMeta { Name = "node-1" },
                Spec = new BgpNodeConfigOverrideSpec { BgpInstances = new List<BgpInstanceOverride> { new() { Name = "i", RouterID = "10.0.0.2" } } },
            },
            new Resources.V2.CiliumCIDRGroup
            {
                Metadata = new V1ObjectMeta { Name = "office" },
                Spec = new CidrGroupSpec { ExternalCIDRs = new List<string> { "192.0.2.0/24" } },
            },
        };
        foreach (var resource in objects)
        {
            var written = JsonSerializer.SerializeToNode(resource, resource.GetType(), Manifests.SerializerOptions)!.AsObject();
            Assert.True(Schemas.Value.TryGetValue(Key("v1.20", written), out var schema), $"no upstream schema for {written["apiVersion"]} {written["kind"]}");
            var errors = Evaluate(schema, written);
            Assert.True(errors.Count == 0, $"{written["kind"]}: {string.Join(" | ", errors)}");
        }

        Assert.Equal(9, objects.Select(o => o.GetType().Name).Distinct().Count());
    }

    /// <summary>Negative control: the converted schema is not vacuous.</summary>
    /// <param name="what">What is broken.</param>
    /// <param name="spec">The broken spec.</param>
    [Theory]
    [InlineData("port as a number", "{\"endpointSelector\":{},\"ingress\":[{\"toPorts\":[{\"ports\":[{\"port\":80}]}]}]}")]
    [InlineData("unknown field", "{\"endpointSelector\":{},\"ingress\":[{}],\"bogus\":true}")]
    [InlineData("protocol in lower case", "{\"endpointSelector\":{},\"ingress\":[{\"toPorts\":[{\"ports\":[{\"port\":\"80\",\"protocol\":\"tcp\"}]}]}]}")]
    [InlineData("no rule direction", "{\"endpointSelector\":{}}")]
    public void A_deliberately_broken_manifest_fails_the_schema(string what, string spec)
    {
        var manifest = JsonNode.Parse("{\"apiVersion\":\"cilium.io/v2\",\"kind\":\"CiliumNetworkPolicy\",\"metadata\":{\"name\":\"x\"},\"spec\":" + spec + "}")!.AsObject();
        var errors = Evaluate(Schemas.Value[Key("v1.20", manifest)], manifest);
        Assert.True(errors.Count > 0, $"{what}: the converted upstream schema accepted a broken manifest");
    }

    private static List<string> Evaluate(JsonSchema schema, JsonNode instance)
    {
        var results = schema.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return new List<string>();
        }

        // The list output also holds the failed branches of anyOf/oneOf that passed as a whole: leave those out.
        return (results.Details ?? new List<EvaluationResults>())
            .Where(d => d.Errors is { Count: > 0 })
            .Where(d => !d.EvaluationPath.ToString().Contains("/anyOf/", StringComparison.Ordinal) && !d.EvaluationPath.ToString().Contains("/oneOf/", StringComparison.Ordinal))
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }

    private static string Key(string release, JsonObject document) =>
        $"{release}|{document["apiVersion"]?.GetValue<string>()}|{document["kind"]?.GetValue<string>()}";

    private static Dictionary<string, JsonSchema> LoadSchemas()
    {
        var result = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var release in new[] { "v1.19", "v1.20" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(SharedData.CorpusDirectory, "cilium", "crds", release), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                foreach (var crd in Manifests.ParseYaml(File.ReadAllText(file)).OfType<JsonObject>())
                {
                    var spec = crd["spec"]!.AsObject();
                    var group = spec["group"]!.GetValue<string>();
                    var kind = spec["names"]!["kind"]!.GetValue<string>();
                    foreach (var version in spec["versions"]!.AsArray().Select(v => v!.AsObject()))
                    {
                        if (version["schema"]?["openAPIV3Schema"] is not JsonObject structural)
                        {
                            continue;
                        }

                        var name = version["name"]!.GetValue<string>();
                        var converted = StructuralSchemaToJsonSchema.Convert(structural);
                        var uri = new Uri($"urn:cilium-sdk-conformance:{release}:{group}:{name}:{kind}");
                        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
                        result[$"{release}|{group}/{name}|{kind}"] = JsonSchema.Build(JsonSerializer.SerializeToElement(converted), options, uri);
                    }
                }
            }
        }

        return result;
    }
}
