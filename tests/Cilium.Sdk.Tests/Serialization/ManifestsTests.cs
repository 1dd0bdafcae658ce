using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Resources.V2;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>YAML to generated records and back.</summary>
public sealed class ManifestsTests
{
    [Fact]
    public void Write_uses_the_runtime_type_when_the_resource_is_held_as_an_interface()
    {
        k8s.IKubernetesObject pool = new CiliumLoadBalancerIPPool
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "pool" },
            Spec = new Cilium.Sdk.Resources.LoadBalancerIpPoolSpec { Blocks = [new Cilium.Sdk.Resources.IpPoolBlock { Cidr = "10.0.0.0/24" }] },
        };

        var yaml = Manifests.Write(pool);

        Assert.Contains("name: pool", yaml, System.StringComparison.Ordinal);
        Assert.Contains("cidr: 10.0.0.0/24", yaml, System.StringComparison.Ordinal);
    }

    private const string Policy = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: allow-web
          namespace: shop
          labels:
            app: web
        spec:
          endpointSelector:
            matchLabels:
              app: web
          someUnknownField: x
          egress:
            - toPorts:
                - ports:
                    - port: "80"
                      protocol: TCP
            - icmps:
                - fields:
                    - type: 8
                    - type: EchoRequest
                      family: IPv6
        extra: 1
        """;

    [Fact]
    public void CiliumNetworkPolicy_round_trips_semantically_with_header_first()
    {
        var policy = Manifests.Read<CiliumNetworkPolicy>(Policy);
        Assert.Equal("allow-web", policy.Metadata.Name);
        var egress = policy.Spec!.Egress!;
        Assert.Equal("80", egress[0].ToPorts![0].Ports![0].Port);
        var fields = egress[1].Icmps![0].Fields!;
        Assert.Equal(IntOrString.FromInt(8), fields[0].Type);
        Assert.Equal(IntOrString.FromString("EchoRequest"), fields[1].Type);

        var written = Manifests.Write(policy);
        var original = Manifests.ParseYaml(Policy)[0];
        var back = Manifests.ParseYaml(written)[0];
        Assert.True(JsonNode.DeepEquals(original, back), "written:\n" + written);
        Assert.Equal(["apiVersion", "kind", "metadata"], back.AsObject().Select(p => p.Key).Take(3));

        // The string port stays quoted (a number there would fail the schema), the int-or-string keeps its type.
        Assert.Contains("port: \"80\"", written);
        Assert.Contains("- type: 8\n", written);
        Assert.Contains("someUnknownField: x", written);
        Assert.EndsWith("extra: 1\n", written);
    }

    [Fact]
    public void Write_is_byte_identical_for_the_same_record()
    {
        var policy = Manifests.Read<CiliumNetworkPolicy>(Policy);
        Assert.Equal(Manifests.Write(policy), Manifests.Write(Manifests.Read<CiliumNetworkPolicy>(Manifests.Write(policy))));
    }

    /// <summary>A wrong type inside a KubernetesClient model (a label selector here) is told in YAML terms: System.Text.Json's
    /// own message named the C# type ("could not be converted to System.String").</summary>
    [Fact]
    public void A_wrong_type_inside_a_kubernetes_model_names_the_kind_not_a_csharp_type()
    {
        const string yaml = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: t, namespace: default}\n" +
            "spec:\n  endpointSelector:\n    matchLabels:\n      values: [prometheus, kube-state-metrics]\n  ingress: [{}]\n";

        var e = Assert.Throws<ManifestException>(() => Manifests.ReadAny(yaml));

        Assert.Equal("spec.endpointSelector.matchLabels.values", e.FieldPath);
        Assert.Contains("expected a string here", e.Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain("System.", e.Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain("JSON value", e.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialization_error_names_field_path_and_line()
    {
        var yaml = Policy.Replace("port: \"80\"", "port: 80", System.StringComparison.Ordinal);
        var e = Assert.Throws<ManifestException>(() => Manifests.Read<CiliumNetworkPolicy>(yaml));
        Assert.Equal("spec.egress[0].toPorts[0].ports[0].port", e.FieldPath);
        Assert.Equal(16, e.Line);
        Assert.Contains("quote it", e.Message);
        Assert.IsAssignableFrom<JsonException>(e.InnerException);
        Assert.StartsWith("line 16, column ", e.Message);
    }

    [Fact]
    public void Yaml_1_1_boolean_in_a_string_field_is_explained()
    {
        var yaml = Policy.Replace("app: web\nspec", "app: \"yes\"\nspec", System.StringComparison.Ordinal)
            .Replace("protocol: TCP", "protocol: on", System.StringComparison.Ordinal);
        var e = Assert.Throws<ManifestException>(() => Manifests.Read<CiliumNetworkPolicy>(yaml));
        Assert.Contains("protocol", e.FieldPath);
        Assert.Contains("quote", e.Message);
    }

    [Fact]
    public void ReadAny_picks_type_from_apiVersion_and_kind()
    {
        Assert.IsType<CiliumNetworkPolicy>(Manifests.ReadAny(Policy));
        Assert.IsType<Cilium.Sdk.Resources.V2alpha1.CiliumLoadBalancerIPPool>(Manifests.ReadAny("apiVersion: cilium.io/v2alpha1\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec:\n  blocks:\n    - cidr: 10.0.10.0/24\n"));
        Assert.IsType<CiliumNetworkPolicyList>(Manifests.ReadAny("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicyList\nitems: []\n"));
    }

    [Fact]
    public void ReadAny_knows_every_flux_root()
    {
        var kinds = ManifestKinds.Default.Select(k => k.ApiVersion + " " + k.Kind).ToHashSet();
        Assert.Contains("helm.toolkit.fluxcd.io/v2 HelmRelease", kinds);
        Assert.Contains("kustomize.toolkit.fluxcd.io/v1 Kustomization", kinds);
        Assert.Contains("cilium.io/v2 CiliumNetworkPolicy", kinds);
    }

    [Theory]
    [InlineData("apiVersion: cilium.io/v9\nkind: CiliumNetworkPolicy\n", "cilium.io/v9", "cilium.io/v2")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\n", "ConfigMap", "Read<T>")]
    public void ReadAny_unknown_kind_is_refused(string yaml, string named, string hint)
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ReadAny(yaml));
        Assert.Contains(named, e.Message);
        Assert.Contains(hint, e.Message);
    }

    [Fact]
    public void ReadAny_without_kind_is_refused()
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ReadAny("apiVersion: cilium.io/v2\nmetadata: {}\n"));
        Assert.Contains("kind", e.Message);
    }

    [Fact]
    public void Read_requires_exactly_one_document()
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.Read<CiliumNetworkPolicy>(Policy + "\n---\n" + Policy));
        Assert.Contains("found 2", e.Message);
        Assert.Throws<ManifestException>(() => Manifests.Read<CiliumNetworkPolicy>("# nothing\n"));
    }

    [Fact]
    public void Serializer_options_are_a_fresh_read_only_combination()
    {
        Assert.True(Manifests.SerializerOptions.IsReadOnly);
        Assert.NotSame(Cilium.Sdk.Resources.ResourcesJsonContext.Default.Options, Manifests.SerializerOptions);
        Assert.NotSame(Cilium.Sdk.Flux.FluxJsonContext.Default.Options, Manifests.SerializerOptions);
    }

    [Fact]
    public void Write_puts_header_first_for_kubernetes_client_models_too()
    {
        var map = new k8s.Models.V1ConfigMap { Metadata = new k8s.Models.V1ObjectMeta { Name = "c" }, Data = new System.Collections.Generic.Dictionary<string, string> { ["enabled"] = "true" }, ApiVersion = "v1", Kind = "ConfigMap" };
        var yaml = Manifests.Write(map);
        Assert.StartsWith("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", yaml);
        Assert.Contains("enabled: \"true\"", yaml);
    }
}
