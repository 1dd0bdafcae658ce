using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Resources.V2;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation;
using CrdKit.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>Manifests.ReadAll and what it stands on: every document of a file, typed when its kind is registered,
/// with the lines and columns of the original text.</summary>
public sealed class ReadAllTests
{
    private const string Mixed = """
        # a policy, a Deployment and a pool in one file
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: allow-web
          namespace: shop
        spec:
          endpointSelector:
            matchLabels:
              app: web
          ingress:
            - {}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        ---
        ---
        apiVersion: cilium.io/v2
        kind: CiliumLoadBalancerIPPool
        metadata:
          name: pool
        spec:
          blocks:
            - cidr: 10.0.10.0/24
        """;

    [Fact]
    public void Every_document_has_its_index_line_and_type_and_other_kinds_are_kept_untyped()
    {
        var read = Manifests.ReadAll(Mixed, "mixed.yaml");

        Assert.Null(read.Error);
        Assert.Equal(3, read.Count);
        Assert.Equal([0, 1, 3], read.Select(d => d.Index));
        Assert.Equal([2, 14, 21], read.Select(d => d.Line));
        Assert.IsType<CiliumNetworkPolicy>(read[0].Resource);
        Assert.Equal("shop", read[0].Namespace);
        Assert.Null(read[1].Resource);
        Assert.Null(read[1].Error);
        Assert.Equal("Deployment", read[1].Kind);
        Assert.Equal("apps", read[1].Group);
        Assert.IsType<CiliumLoadBalancerIPPool>(read[2].Resource);
        Assert.Equal(2, read.Resources.Count);
        Assert.All(read, d => Assert.Equal("mixed.yaml", d.File));
        Assert.Empty(read.Errors);
    }

    [Fact]
    public void A_value_that_does_not_fit_is_reported_at_its_line_in_the_original_file_not_in_a_copy()
    {
        // 60 good documents, then a bad one: the error must carry the line of the file, as an editor shows it.
        var text = new StringBuilder();
        for (var i = 0; i < 60; i++)
        {
            text.Append("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p").Append(i).Append(", namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n---\n");
        }

        text.Append("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: bad\nspec:\n  endpointSelector: {}\n  egress:\n    - toPorts:\n        - ports:\n            - port: 80\n              protocol: TCP\n");
        var yaml = text.ToString();
        var expectedLine = yaml[..yaml.IndexOf("port: 80", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var read = Manifests.ReadAll(yaml, "many.yaml");

        Assert.Equal(61, read.Count);
        var bad = read[60];
        Assert.Null(bad.Resource);
        Assert.NotNull(bad.Error);
        Assert.Equal(expectedLine, bad.Error.Line);
        Assert.Equal("spec.egress[0].toPorts[0].ports[0].port", bad.Error.FieldPath);
        var finding = Assert.Single(read.Errors);
        Assert.Equal(("many.yaml", expectedLine, 15), (finding.File, finding.Line, finding.Column));
        Assert.Equal(ValidationLayers.Schema, finding.Error.Layer);
        Assert.StartsWith($"many.yaml:{expectedLine}:15: error: CiliumNetworkPolicy bad: spec.egress[0].toPorts[0].ports[0].port: ", finding.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_findings_point_at_the_key_of_the_field_in_a_multi_document_file()
    {
        var yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: pool\nspec:\n  blocks:\n    - cidr: 10.0.10.0/24\n    - cidr: not-a-cidr\n  colour: blue\n";

        var findings = Manifests.ReadAll(yaml, "pools.yaml").Validate(CiliumVersion.V1_20);

        Assert.Contains(findings, f => f.Error.Path == "spec.blocks[1].cidr" && f.Line == 12 && f.Column == 7);
        Assert.Contains(findings, f => f.Error.Path == "spec.colour" && f.Line == 13 && f.Column == 3);
        Assert.All(findings, f => Assert.Equal(1, f.DocumentIndex));
    }

    [Fact]
    public void A_duplicate_key_spoils_only_its_document_and_a_syntax_error_stops_the_rest()
    {
        var yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: ConfigMap\nkind: Secret\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: ConfigMap\n";

        var read = Manifests.ReadAll(yaml, "bad.yaml");

        Assert.Equal(3, read.Count);
        Assert.Null(read[0].Error);
        Assert.NotNull(read[1].Error);
        Assert.Equal(6, read[1].Error!.Line);
        Assert.Contains("duplicate key 'kind'", read[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal("c", read[2].Name);
        Assert.NotNull(read.Error);
        Assert.True(read.Error!.Line >= 12);
        Assert.Equal(2, read.Errors.Count);
        Assert.All(read.Errors, e => Assert.Equal(ManifestFinding.YamlLayer, e.Error.Layer));
    }

    [Fact]
    public void A_key_without_a_value_has_its_own_position()
    {
        var documents = CrdYamlDocuments.Read("a:\n  b:\n  c: 1\nlist:\n  - x: 1\n  - w:\n      z: 2\n");
        var document = Assert.Single(documents);

        Assert.Equal((2, 3), document.PositionOf("a.b"));
        Assert.Equal((3, 3), document.PositionOf("a.c"));
        Assert.Equal((6, 5), document.PositionOf("list[1]"));
        Assert.Equal((7, 7), document.PositionOf("list[1].w.z"));
        Assert.Equal((6, 5), document.PositionOf("list[1].w.missing"));
        Assert.Equal((1, 1), document.PositionOf(string.Empty));
        Assert.Equal((1, 1), document.PositionOf("nothing.here"));
    }

    [Fact]
    public void Positions_through_anchors_point_at_the_anchor_and_merge_keys_at_their_mapping()
    {
        var document = Assert.Single(CrdYamlDocuments.Read("base: &b\n  port: 80\nfirst: *b\nsecond:\n  <<: *b\n  extra: 1\n"));

        Assert.Equal((2, 3), document.PositionOf("first.port"));
        Assert.Equal((6, 3), document.PositionOf("second.extra"));
        Assert.Equal((4, 1), document.PositionOf("second.port"));
    }

    [Fact]
    public void ReadAny_reads_a_parsed_node_and_refuses_what_it_cannot_type()
    {
        var node = Manifests.ParseYaml("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: {endpointSelector: {}, ingress: [{}]}\n")[0];

        Assert.IsType<CiliumNetworkPolicy>(Manifests.ReadAny(node));
        Assert.Contains("no registered type", Assert.Throws<ManifestException>(() => Manifests.ReadAny(JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"Deployment"}""")!)).Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ManifestException>(() => Manifests.ReadAny(JsonNode.Parse("""{"apiVersion":"cilium.io/v2","kind":"CiliumLoadBalancerIPPool","metadata":{"name":"p"},"spec":{"blocks":"x"}}""")!));
        Assert.Contains("spec.blocks", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAny_of_text_reports_the_original_position()
    {
        var e = Assert.Throws<ManifestException>(() => Manifests.ReadAny("# comment\napiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec:\n  blocks: 5\n"));

        Assert.Equal(6, e.Line);
        Assert.Equal("spec.blocks", e.FieldPath);
    }

    [Fact]
    public void The_default_registry_holds_every_generated_root_and_list_record_of_the_sdk()
    {
        var generated = typeof(ManifestKinds).Assembly.GetTypes()
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<k8s.Models.KubernetesEntityAttribute>()))
            .Where(x => x.Entity is not null && x.Type.IsPublic)
            .Select(x => $"{x.Entity!.Group}/{x.Entity.ApiVersion} {x.Entity.Kind} {x.Type.FullName}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var registered = ManifestKinds.Default.Select(k => $"{k.ApiVersion} {k.Kind} {k.Type.FullName}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(generated, registered);
        Assert.Equal(36, registered.Count);
        Assert.All(ManifestKinds.Default.Where(k => k.Kind.EndsWith("List", StringComparison.Ordinal)), k => Assert.True(k.IsList));
    }

    [Fact]
    public void A_registry_takes_other_types_and_a_later_registration_replaces_an_earlier_one()
    {
        var kinds = ManifestKinds.Empty.With<CiliumNetworkPolicy>(Manifests.SerializerOptions);

        Assert.True(kinds.TryGet("cilium.io/v2", "CiliumNetworkPolicy", out var kind));
        Assert.Equal(typeof(CiliumNetworkPolicy), kind.Type);
        Assert.False(kinds.TryGet("cilium.io/v2", "CiliumLoadBalancerIPPool", out _));
        var read = Manifests.ReadAll("apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: p}\nspec: {blocks: []}\n", kinds: kinds);
        Assert.Null(read[0].Resource);
        Assert.Equal(2, ManifestKinds.Default.ApiVersionsOf("CiliumLoadBalancerIPPool").Count);
        Assert.Single(kinds.With(kinds));

        // Options that cannot read the type are refused when registering, not when the first document arrives.
        Assert.Throws<ArgumentException>(() => ManifestKinds.Empty.With<CiliumNetworkPolicy>(Cilium.Sdk.Flux.FluxJsonContext.Default.Options));
    }

    [Fact]
    public void Lists_are_validated_item_by_item_at_their_own_lines()
    {
        var yaml = "apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPoolList\nitems:\n  - metadata: {name: a}\n    spec: {blocks: [{cidr: 10.0.0.0/24}]}\n  - metadata: {name: b}\n    spec:\n      blocks: [{cidr: bad}]\n";

        var finding = Assert.Single(Manifests.ReadAll(yaml).Validate(CiliumVersion.V1_20));

        Assert.Equal("items[1].spec.blocks[0].cidr", finding.Error.Path);
        Assert.Equal(8, finding.Line);
    }

    [Theory]
    [InlineData("v1.20")]
    [InlineData("banana")]
    [InlineData("1.21")]
    [InlineData("1.18")]
    [InlineData("1")]
    [InlineData("1.20.")]
    [InlineData("1.20.x")]
    [InlineData(" 1.20")]
    public void An_unknown_version_is_an_error_never_another_check(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => CiliumVersion.Parse(text));
        Assert.Contains("1.19, 1.20", e.Message, StringComparison.Ordinal);
        Assert.False(CiliumVersion.TryParse(text, out _));
    }

    [Fact]
    public void Versions_parse_strictly_and_the_string_entry_point_refuses_what_is_not_a_release()
    {
        Assert.Equal(CiliumVersion.V1_20, CiliumVersion.Parse("1.20"));
        Assert.Equal(CiliumVersion.V1_20, CiliumVersion.Parse("1.20.3"));
        Assert.Equal(CiliumVersion.V1_19, CiliumVersion.Parse("1.19.0-pre.1"));
        Assert.Contains("write 1.20 (without the 'v')", Assert.Throws<ArgumentException>(() => CiliumVersion.Parse("v1.20")).Message, StringComparison.Ordinal);

        var policy = Manifests.Read<CiliumNetworkPolicy>("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec: {endpointSelector: {}, ingress: [{}]}\n");
        Assert.Throws<ArgumentException>(() => policy.Validate("v1.20"));
        Assert.Throws<ArgumentException>(() => policy.Validate("banana"));
        Assert.Throws<ArgumentException>(() => policy.Validate(default(CiliumVersion)));
        Assert.Throws<ArgumentException>(() => new ValidationContext("1.20 "));
        Assert.Empty(policy.Validate("1.20.1"));
    }

    [Fact]
    public void The_typed_entry_point_gives_what_the_release_text_gives()
    {
        // A policy without spec or specs: 1.20's CRD refuses it (a CEL rule added in 1.20), 1.19's agent does.
        const string yaml = "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: shop}\n";
        var policy = Manifests.Read<CiliumNetworkPolicy>(yaml);

        Assert.Equal(policy.Validate("1.19"), policy.Validate(CiliumVersion.V1_19));
        Assert.Equal(policy.Validate("1.20"), policy.Validate(CiliumVersion.V1_20));
        Assert.Contains(policy.Validate(CiliumVersion.V1_19), e => e.Layer == ValidationLayers.Agent);
        Assert.DoesNotContain(policy.Validate(CiliumVersion.V1_19), e => e.Layer == ValidationLayers.Schema);
        Assert.Contains(policy.Validate(CiliumVersion.V1_20), e => e.Layer == ValidationLayers.Schema && e.Path.Length == 0);
        Assert.Equal(policy.Validate(CiliumVersion.V1_20).Select(e => e.Path), Manifests.ReadAll(yaml).Validate(CiliumVersion.V1_20).Select(f => f.Error.Path));
    }

    [Theory]
    [InlineData("remote-node", Entity.RemoteNode)]
    [InlineData("kube-apiserver", Entity.KubeApiServer)]
    [InlineData("world", Entity.World)]
    [InlineData("all", Entity.All)]
    public void Entity_names_parse_both_ways(string name, Entity entity)
    {
        Assert.Equal(entity, EntityNames.Parse(name));
        Assert.Equal(name, entity.ToName());
    }

    [Fact]
    public void An_unknown_entity_name_lists_the_names()
    {
        var e = Assert.Throws<ArgumentException>(() => EntityNames.Parse("Remote-Node"));
        Assert.Contains("remote-node", e.Message, StringComparison.Ordinal);
        Assert.False(EntityNames.TryParse(null, out _));
        Assert.Equal(Enum.GetValues<Entity>().Length, EntityNames.Names.Count);
    }
}
