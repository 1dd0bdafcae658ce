using System.Net;
using System.Text.Json;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Tests.Cluster;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>
/// Issue 17, defect 5: everything the SDK writes has System.Text.Json metadata generated at compile time. Tests run
/// with reflection allowed, where <see cref="Manifests.SerializerOptions"/> would quietly fall back to it, so here
/// every record of a render with every feature is written through the generated metadata alone: a type without it
/// throws, and the bytes must equal what the public options write.
/// </summary>
public sealed class ReflectionFreeTests
{
    private static readonly JsonSerializerOptions GeneratedOnly = GeneratedOnlyOptions();

    [Fact]
    public void Every_record_a_render_with_every_feature_writes_needs_no_reflection()
    {
        var cluster = SampleClusters.Everything()
            .WithoutL2Announcements()
            .WithLoadBalancerPool(LbPool.Create("bgp").WithCidr("172.20.10.0/24"))
            .WithBgp(new BgpOptions(IPAddress.Parse("192.168.1.1"), 64513, 64514) { Password = new SecretValue("s3cret-md5") })
            .WithPolicies(Presets.For(Components.CoreDns, Components.HubbleRelay, Components.HubbleUi), PolicyMode.Enforce)
            .Build();
        var resources = cluster.Render().Resources;
        var bgp = resources.Bgp!;
        object[] records =
        [
            resources.Source, resources.Release, resources.FluxKustomization, .. resources.Pools,
            bgp.ClusterConfig, bgp.PeerConfig, bgp.Advertisement, .. bgp.NodeOverrides, bgp.PasswordSecret!,
            .. resources.Policies.Select(p => p.Resource), .. resources.Extra,
        ];
        Assert.Contains(records, r => r is k8s.Models.V1Secret);
        Assert.True(resources.Policies.Count > 2, "the presets give policies with label selectors");

        foreach (var record in records)
        {
            Assert.Equal(Manifests.Write(record), CrdYaml.Write(record, GeneratedOnly));
        }
    }

    /// <summary>The public options take the SDK's types from the generated metadata, not from the reflection
    /// fallback (which exists only where reflection is allowed). Found missing once: the options were built before the
    /// generated resolver was initialized, so in tests everything silently came from reflection.</summary>
    [Fact]
    public void The_public_options_resolve_the_sdks_own_types_from_generated_metadata()
    {
        var secret = Manifests.SerializerOptions.GetTypeInfo(typeof(k8s.Models.V1Secret));
        var values = Manifests.SerializerOptions.GetTypeInfo(typeof(Cilium.Sdk.Helm.CiliumValues));
        var policy = Manifests.SerializerOptions.GetTypeInfo(typeof(Cilium.Sdk.Resources.V2.CiliumNetworkPolicy));

        Assert.IsType<SdkJsonContext>(secret.OriginatingResolver);
        Assert.IsType<SdkJsonContext>(values.OriginatingResolver);
        Assert.Equal("CiliumNetworkPolicyJsonConverter", policy.Converter.GetType().Name);
    }

    [Fact]
    public void A_type_without_generated_metadata_is_refused_by_the_generated_resolver_alone()
    {
        // Proves the check above can fail: a KubernetesClient type the SDK never writes has no generated metadata.
        Assert.Throws<NotSupportedException>(() => CrdYaml.Write(new k8s.Models.V1ConfigMap { Metadata = new() { Name = "x" } }, GeneratedOnly));
        Assert.StartsWith("apiVersion: v1\nkind: ConfigMap\n", Manifests.Write(new k8s.Models.V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new() { Name = "x" } }), StringComparison.Ordinal);
    }

    [Fact]
    public void KubernetesClient_models_in_records_round_trip_through_generated_metadata()
    {
        var yaml = """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              annotations:
                note: kept
              creationTimestamp: "2026-01-02T03:04:05Z"
              labels:
                app: web
              name: web
              namespace: apps
            spec:
              endpointSelector:
                matchExpressions:
                  - key: tier
                    operator: In
                    values:
                      - front
                matchLabels:
                  app: web

            """;

        var policy = Manifests.Read<Cilium.Sdk.Resources.V2.CiliumNetworkPolicy>(yaml);

        Assert.Equal(yaml, CrdYaml.Write(policy, GeneratedOnly));
        Assert.Equal(yaml, Manifests.Write(policy));
    }

    private static JsonSerializerOptions GeneratedOnlyOptions()
    {
        var options = CrdJson.CreateOptions();
        options.TypeInfoResolver = Manifests.GeneratedResolver;
        options.MakeReadOnly();
        return options;
    }
}
